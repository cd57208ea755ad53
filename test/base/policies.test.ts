import { strict as assert } from "node:assert";
import { expectedTrustPolicy } from "../helpers/irsa";
import { serviceAccountSubject } from "../../components/base/naming";
import { assertNoWildcardAdmin, irsaTrustPolicy, issuerHost, policyDocument, type ResolvedPolicyStatement } from "../../components/base/policies";

const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABC";
const OIDC_ARN = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;

describe("policies", () => {
  describe("issuerHost", () => {
    for (const [url, expected] of [
      [`https://${ISSUER}`, ISSUER],
      [ISSUER, ISSUER],
      [`https://${ISSUER}/`, ISSUER],
    ]) {
      it(`${url} → ${expected}`, () => assert.equal(issuerHost(url), expected));
    }
  });

  describe("irsaTrustPolicy", () => {
    const expected = expectedTrustPolicy(OIDC_ARN, ISSUER, "ray", "ray-head");
    const subject = serviceAccountSubject("ray", "ray-head");

    it("names a service account as IRSA's sub claim does", () => {
      assert.equal(subject, "system:serviceaccount:ray:ray-head");
    });

    it("allows exactly one service account, with a token for STS", () => {
      assert.deepEqual(irsaTrustPolicy(OIDC_ARN, `https://${ISSUER}`, subject), expected);
    });

    it("reads the issuer with or without https://", () => {
      assert.deepEqual(irsaTrustPolicy(OIDC_ARN, ISSUER, subject), expected);
    });

    it("allows exactly the listed service accounts, as one StringEquals list", () => {
      const subjects = [subject, serviceAccountSubject("ml-development", "default")];
      assert.deepEqual(irsaTrustPolicy(OIDC_ARN, ISSUER, subjects).Statement[0].Condition.StringEquals, {
        [`${ISSUER}:sub`]: ["system:serviceaccount:ray:ray-head", "system:serviceaccount:ml-development:default"],
        [`${ISSUER}:aud`]: "sts.amazonaws.com",
      });
    });
  });

  describe("policyDocument", () => {
    it("wraps the statements in a 2012-10-17 document", () => {
      const statement: ResolvedPolicyStatement = { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:eu-west-1:123456789012:jobs" };
      assert.deepEqual(policyDocument([statement]), { Version: "2012-10-17", Statement: [statement] });
    });
  });

  describe("assertNoWildcardAdmin", () => {
    const rejected: [string, ResolvedPolicyStatement, string][] = [
      ["Action [*] on Resource *", { Effect: "Allow", Action: ["*"], Resource: "*" }, "#0"],
      ["Action [*] on Resource [*]", { Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: ["*"] }, '"Admin"'],
      ["* hidden in lists", { Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: ["arn:aws:s3:::b", "*"] }, "#0"],
    ];
    for (const [label, statement, named] of rejected) {
      it(`rejects ${label}`, () => {
        assert.throws(() => assertNoWildcardAdmin([statement]), {
          name: "PlatinfraError",
          code: "POLICY_TOO_BROAD",
          message: `policy statement ${named} allows Action "*" on Resource "*" — name the actions and the ARNs the tool uses`,
        });
      });
    }

    it("rejects a plain string Action * on *", () => {
      assert.throws(() => assertNoWildcardAdmin([{ Effect: "Allow", Action: "*", Resource: "*" }]), { code: "POLICY_TOO_BROAD" });
    });

    it("names the offending statement by its position when it has no Sid", () => {
      const scoped: ResolvedPolicyStatement = { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" };
      assert.throws(() => assertNoWildcardAdmin([scoped, { Effect: "Allow", Action: ["*"], Resource: "*" }]), /statement #1 /);
    });

    const accepted: [string, ResolvedPolicyStatement][] = [
      ["scoped actions on scoped ARNs", { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }],
      ["every action on one ARN", { Effect: "Allow", Action: ["*"], Resource: "arn:aws:s3:::b" }],
      ["one action on every resource", { Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" }],
      ["a service wildcard on every resource", { Effect: "Allow", Action: ["s3:*"], Resource: "*" }],
      ["a Deny of * on *", { Effect: "Deny", Action: ["*"], Resource: "*" }],
    ];
    for (const [label, statement] of accepted) {
      it(`accepts ${label}`, () => assert.doesNotThrow(() => assertNoWildcardAdmin([statement])));
    }
  });
});

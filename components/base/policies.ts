import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../../src/errors";

/** One IAM policy statement, as a tool asks for it: the exact ARNs it touches, never "*" on "*". */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: pulumi.Input<string>[] | pulumi.Input<string>;
  Condition?: Record<string, Record<string, unknown>>;
}

/** A statement with its ARNs known: what `policyDocument` and the inline policy receive. */
export type ResolvedPolicyStatement = pulumi.Unwrap<PolicyStatement>;

/** The shape `assertNoWildcardAdmin` inspects; a resource not yet known is never "*". */
interface StatementShape {
  Sid?: string;
  Effect: string;
  Action: string | readonly string[];
  Resource: unknown;
}

/** The issuer as IAM condition keys spell it: no scheme, no trailing slash. */
export function issuerHost(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

/**
 * The trust policy of an IRSA role: only the given service accounts (`serviceAccountSubject`: one,
 * or a list matched exactly, never a wildcard), with a token minted for STS, may assume it. Without
 * the `sub` condition any pod of the cluster could. One subject stays a string, as IAM stores it.
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, subjects: string | readonly string[]) {
  const issuer = issuerHost(issuerUrl);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: subjects,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

/** Trust for one AWS service, restricted to this account when given (`aws:SourceAccount`). */
export function serviceTrustPolicy(service: string, sourceAccount?: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
      },
    ],
  };
}

/** An IAM policy document over the given statements. */
export function policyDocument<T>(statements: readonly T[]): { Version: "2012-10-17"; Statement: T[] } {
  return { Version: "2012-10-17", Statement: [...statements] };
}

/** The statements as a policy document's JSON, once resolved; refused if any grants "*" on "*". */
export function policyJson(statements: pulumi.Input<PolicyStatement[]>): pulumi.Output<string> {
  return pulumi.output(statements).apply((resolved: ResolvedPolicyStatement[]) => {
    assertNoWildcardAdmin(resolved);
    return JSON.stringify(policyDocument(resolved));
  });
}

/**
 * Refuses any Allow statement granting every action on every resource: a tool's role names the
 * ARNs it uses, so "*" on "*" is always a mistake (or an account takeover waiting to happen).
 */
export function assertNoWildcardAdmin(statements: readonly StatementShape[]): void {
  statements.forEach((statement, index) => {
    if (statement.Effect === "Allow" && isWildcard(statement.Action) && isWildcard(statement.Resource)) {
      const label = statement.Sid ? `"${statement.Sid}"` : `#${index}`;
      throw new PlatinfraError(
        "POLICY_TOO_BROAD",
        `policy statement ${label} allows Action "*" on Resource "*" — name the actions and the ARNs the tool uses`,
      );
    }
  });
}

/** "*" alone or anywhere in a list: a list with "*" in it grants as much as "*" does. */
function isWildcard(value: unknown): boolean {
  return value === "*" || (Array.isArray(value) && value.includes("*"));
}

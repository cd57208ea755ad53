import { strict as assert } from "node:assert";
import { expectedTrustPolicy } from "../helpers/irsa";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../components/base/policies";
import { ServiceAccountRole, type ServiceAccountRoleArgs } from "../../components/base/service-account-role";
import { renderProgram, type RenderResult } from "../../src/engine/render";
import { ofType } from "../helpers/render";

const TARGET = { project: "demo", stack: "dev", region: "eu-west-1", accountId: "123456789012" };
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_ARN = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;
const STATEMENTS: PolicyStatement[] = [
  {
    Sid: "Artifacts",
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:PutObject"],
    Resource: [pulumi.output("arn:aws:s3:::demo-dev-mlflow/*")],
  },
  { Sid: "List", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::demo-dev-mlflow" },
];
const ARGS: ServiceAccountRoleArgs = {
  roleName: "demo-dev-mlflow",
  namespace: "mlflow",
  serviceAccountName: "mlflow-server",
  oidcProviderArn: pulumi.output(OIDC_ARN),
  oidcProviderUrl: pulumi.output(`https://${ISSUER}`),
  statements: STATEMENTS,
};
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount";

function renderRole(overrides: Partial<ServiceAccountRoleArgs> = {}): Promise<RenderResult> {
  return renderProgram(async () => {
    const role = new ServiceAccountRole("mlflow-irsa", { ...ARGS, ...overrides });
    const { roleArn, roleName, serviceAccountName, namespace } = role;
    return { roleArn, roleName, serviceAccountName, namespace };
  }, TARGET);
}

function only(result: RenderResult, type: string): Record<string, unknown> {
  const found = ofType(result, type);
  assert.equal(found.length, 1, `one ${type}`);
  return found[0].inputs;
}

describe("ServiceAccountRole", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderRole({ managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"] });
  });

  it("creates the role, its inline policy, the managed attachment and the service account", () => {
    assert.deepEqual(result.resources.map((resource) => `${resource.type} ${resource.name}`).sort(), [
      `${ROLE} mlflow-irsa`,
      `${ROLE_POLICY} mlflow-irsa-policy`,
      `${ATTACHMENT} mlflow-irsa-managed-0`,
      `${SERVICE_ACCOUNT} mlflow-irsa-sa`,
      "platinfra:base:ServiceAccountRole mlflow-irsa",
      "pulumi:pulumi:Stack demo-dev",
    ]);
  });

  it("trusts exactly one service account, through the cluster's OIDC provider, for STS only", () => {
    const role = only(result, ROLE);
    assert.equal(role.name, "demo-dev-mlflow");
    assert.deepEqual(JSON.parse(String(role.assumeRolePolicy)), expectedTrustPolicy(OIDC_ARN, ISSUER, "mlflow", "mlflow-server"));
  });

  it("annotates the service account with the role's ARN", () => {
    assert.deepEqual(only(result, SERVICE_ACCOUNT).metadata, {
      name: "mlflow-server",
      namespace: "mlflow",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-mlflow" },
    });
  });

  it("grants exactly the given statements, inline on the role", () => {
    const policy = only(result, ROLE_POLICY);
    assert.equal(policy.role, "demo-dev-mlflow");
    assert.equal(policy.name, "demo-dev-mlflow-inline");
    assert.deepEqual(JSON.parse(String(policy.policy)), {
      Version: "2012-10-17",
      Statement: [
        { Sid: "Artifacts", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::demo-dev-mlflow/*"] },
        { Sid: "List", Effect: "Allow", Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::demo-dev-mlflow" },
      ],
    });
  });

  it("attaches each managed policy to the role", () => {
    assert.deepEqual(only(result, ATTACHMENT), { role: "demo-dev-mlflow", policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" });
  });

  it("exports the role's ARN and name, the service account and its namespace", () => {
    assert.deepEqual(result.outputs, {
      roleArn: "arn:aws:iam::123456789012:role/demo-dev-mlflow",
      roleName: "demo-dev-mlflow",
      serviceAccountName: "mlflow-server",
      namespace: "mlflow",
    });
  });

  it("creates no inline policy when there are no statements", async () => {
    const empty = await renderRole({ statements: [] });
    assert.deepEqual(ofType(empty, ROLE_POLICY), []);
    assert.equal(ofType(empty, ROLE).length, 1);
  });

  it("creates no service account when asked not to, and accepts statements given as an Output", async () => {
    const rendered = await renderRole({ createServiceAccount: false, statements: pulumi.output(STATEMENTS) });
    assert.deepEqual(ofType(rendered, SERVICE_ACCOUNT), []);
    assert.equal(JSON.parse(String(only(rendered, ROLE_POLICY).policy)).Statement.length, 2);
  });

  it("refuses a plain statement granting * on *, before creating anything", async () => {
    const admin: PolicyStatement = { Sid: "Admin", Effect: "Allow", Action: ["*"], Resource: "*" };
    await assert.rejects(renderRole({ statements: [...STATEMENTS, admin] }), {
      message: 'policy statement "Admin" allows Action "*" on Resource "*" — name the actions and the ARNs the tool uses',
    });
  });
});

import { strict as assert } from "node:assert";
import { dvc } from "../../components/tools/dvc/index";
import { dvcParams } from "../../components/tools/dvc/params";
import type { RenderResult } from "../../src/engine/render";
import { named, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const ROLE = "aws:iam/role:Role";

/** Every resource under a component, as `type name`, depth first. */
function descendants(result: RenderResult, urn: string): string[] {
  return result.resources.filter((resource) => resource.parent === urn).flatMap((resource) => [`${resource.type} ${resource.name}`, ...descendants(result, resource.urn)]);
}

const render = (params: Record<string, unknown> = {}) =>
  renderWithTools(stackWith({ data_versioning: ["dvc"] }), { dvc }, { dvc: dvcParams.parse(params) });

describe("dvc", () => {
  let result: RenderResult;
  let bucketName: string;
  let bucketArn: string;
  before(async () => {
    result = await render();
    bucketName = named(result, "dvc-remote", "aws:s3/bucket:Bucket").inputs.bucket as string;
    bucketArn = `arn:aws:s3:::${bucketName}`;
  });

  it("creates exactly the remote bucket, the remote policy, the namespace and the IRSA role", () => {
    assert.deepEqual(descendants(result, named(result, "dvc", "platinfra:tools:Dvc").urn).sort(), [
      "aws:iam/policy:Policy dvc-remote-policy",
      "aws:iam/role:Role dvc-irsa",
      "aws:iam/rolePolicy:RolePolicy dvc-irsa-policy",
      "aws:s3/bucket:Bucket dvc-remote",
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls dvc-remote-ownership",
      "aws:s3/bucketPolicy:BucketPolicy dvc-remote-tls-only",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock dvc-remote-public-access",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration dvc-remote-encryption",
      "aws:s3/bucketVersioning:BucketVersioning dvc-remote-versioning",
      "kubernetes:core/v1:Namespace dvc-namespace",
      "kubernetes:core/v1:ServiceAccount dvc-irsa-sa",
      "platinfra:base:Bucket dvc-remote",
      "platinfra:base:ServiceAccountRole dvc-irsa",
    ]);
  });

  it("names the remote bucket after the stack, account and region", () => {
    assert.match(bucketName, /^demo-dev-dvc-remote-[0-9a-f]{6}$/);
  });

  it("versions the remote bucket", () => {
    assert.deepEqual(named(result, "dvc-remote-versioning").inputs.versioningConfiguration, { status: "Enabled" });
  });

  it("creates its AWS resources with the tool's own provider", () => {
    assert.match(named(result, "dvc-remote-policy").provider ?? "", /::demo-aws-dvc::/);
  });

  it("names the managed policy after the stack", () => {
    assert.equal(named(result, "dvc-remote-policy").inputs.name, "demo-dev-dvc-remote");
  });

  it("the managed policy grants read/write on exactly the remote bucket and its objects", () => {
    assert.deepEqual(json(named(result, "dvc-remote-policy").inputs.policy), {
      Version: "2012-10-17",
      Statement: [
        { Sid: "DvcRemoteList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: [bucketArn] },
        {
          Sid: "DvcRemoteObjects",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
          Resource: [`${bucketArn}/*`],
        },
      ],
    });
  });

  it("the pipeline role has the same statements as the managed policy", () => {
    assert.deepEqual(json(named(result, "dvc-irsa-policy").inputs.policy), json(named(result, "dvc-remote-policy").inputs.policy));
  });

  it("the pipeline role trusts exactly the service account ml-pipelines/dvc", () => {
    const [statement] = json(named(result, "dvc-irsa", ROLE).inputs.assumeRolePolicy).Statement;
    const subjects = Object.entries(statement.Condition.StringEquals).filter(([key]) => key.endsWith(":sub"));
    assert.deepEqual(subjects.map(([, value]) => value), ["system:serviceaccount:ml-pipelines:dvc"]);
  });

  it("creates the ml-pipelines namespace", () => {
    assert.equal((named(result, "dvc-namespace").inputs.metadata as any).name, "ml-pipelines");
  });

  it("creates the dvc service account there, annotated with the role", () => {
    assert.deepEqual(named(result, "dvc-irsa-sa").inputs.metadata, {
      name: "dvc",
      namespace: "ml-pipelines",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-dvc" },
    });
  });

  it("outputs the remote, the command to add it, the policy, the role and the service account", () => {
    assert.deepEqual((result.outputs.tools as any).dvc, {
      remoteUrl: `s3://${bucketName}`,
      remoteAddCommand: `dvc remote add -d storage s3://${bucketName}`,
      bucket: bucketName,
      policyArn: "arn:aws:iam::123456789012:policy/demo-dev-dvc-remote",
      roleArn: "arn:aws:iam::123456789012:role/demo-dev-dvc",
      serviceAccount: "ml-pipelines/dvc",
    });
  });

  it("exports DVC_REMOTE_URL", () => {
    assert.deepEqual(result.outputs.env, { DVC_REMOTE_URL: `s3://${bucketName}` });
  });

  it("uses the namespace and service account the params name", async () => {
    const custom = await render({ pipeline_namespace: "training", service_account: "pipeline-runner" });
    const [statement] = json(named(custom, "dvc-irsa", ROLE).inputs.assumeRolePolicy).Statement;
    assert.ok(Object.values(statement.Condition.StringEquals).includes("system:serviceaccount:training:pipeline-runner"));
    assert.equal((custom.outputs.tools as any).dvc.serviceAccount, "training/pipeline-runner");
  });
});

describe("dvc params", () => {
  it("default to the ml-pipelines namespace and the dvc service account", () => {
    assert.deepEqual(dvcParams.parse({}), { pipeline_namespace: "ml-pipelines", service_account: "dvc" });
  });

  const rejected: [string, Record<string, unknown>, string][] = [
    [
      "a namespace that is not a DNS label",
      { pipeline_namespace: "ML_Pipelines" },
      'pipeline_namespace "ML_Pipelines" is not a valid Kubernetes namespace name — use 1–63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      "a namespace the cluster already has",
      { pipeline_namespace: "kube-system" },
      'pipeline_namespace "kube-system" is a namespace the cluster already has — choose a namespace of your own, e.g. ml-pipelines',
    ],
    [
      "a service account that is not a DNS label",
      { service_account: "-dvc" },
      'service_account "-dvc" is not a valid Kubernetes service account name — use 1–63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    ["an unknown key", { bucket: "mine" }, 'Unrecognized key: "bucket"'],
  ];
  for (const [what, params, message] of rejected) {
    it(`reject ${what}`, () => {
      const parsed = dvcParams.safeParse(params);
      assert.equal(parsed.success, false);
      assert.deepEqual(parsed.error?.issues.map((issue) => issue.message), [message]);
    });
  }
});

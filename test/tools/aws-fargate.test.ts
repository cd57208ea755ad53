import { strict as assert } from "node:assert";
import { parse as parseYaml } from "yaml";
import { awsFargate } from "../../components/tools/aws-fargate/index";
import { FLUENT_BIT_FILTERS, FLUENT_BIT_PARSERS, fluentBitOutput } from "../../components/tools/aws-fargate/manifests";
import { awsFargateParams } from "../../components/tools/aws-fargate/params";
import { dvc } from "../../components/tools/dvc/index";
import { dvcParams } from "../../components/tools/dvc/params";
import type { RenderResult } from "../../src/engine/render";
import { waitsFor } from "../helpers/graph";
import { checkAgainstUpstreamSchema, kubernetesObjectType } from "../helpers/kube-schemas";
import { paramsErrors } from "../helpers/params";
import { childrenOf, json, named, ofType } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const FARGATE = "aws-fargate";
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

function render(params: Record<string, unknown> = {}): Promise<RenderResult> {
  return renderWithTools(stackWith({ data_versioning: ["dvc"], orchestrator: [FARGATE] }), { dvc, [FARGATE]: awsFargate }, { dvc: dvcParams.parse({}), [FARGATE]: awsFargateParams.parse(params) });
}

const children = (result: RenderResult) => childrenOf(result, `platinfra:tools:AwsFargate::${FARGATE}`);
const outputs = (result: RenderResult) => (result.outputs.tools as any)[FARGATE] as Record<string, any>;
const dvcBucketArn = (result: RenderResult) => `arn:aws:s3:::${named(result, "dvc-remote", "aws:s3/bucket:Bucket").inputs.bucket as string}`;

describe("aws-fargate, after dvc", () => {
  let result: RenderResult;
  before(async () => {
    result = await render();
  });

  it("creates the namespace, its defaults, the IRSA service account, the log group and routing, the pod execution role and the profile", () => {
    assert.deepEqual(children(result), [
      "aws:cloudwatch/logGroup:LogGroup aws-fargate-logs",
      "aws:eks/fargateProfile:FargateProfile aws-fargate-profile",
      "aws:iam/role:Role aws-fargate-pod-execution",
      "aws:iam/rolePolicy:RolePolicy aws-fargate-pod-execution-logs",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-fargate-pod-execution-policy",
      "kubernetes:core/v1:ConfigMap aws-fargate-logging",
      "kubernetes:core/v1:LimitRange aws-fargate-defaults",
      "kubernetes:core/v1:Namespace aws-fargate-namespace",
      "kubernetes:core/v1:Namespace aws-fargate-observability",
      "platinfra:base:ServiceAccountRole aws-fargate-irsa",
    ]);
  });

  it("the profile selects only the pipeline namespace, in the private subnets, with the pod execution role", () => {
    const privateSubnets = ofType(result, "aws:ec2/subnet:Subnet").filter((subnet) => /-private-\d+$/.test(subnet.name));
    assert.equal(privateSubnets.length, 3);
    const { clusterName, fargateProfileName, podExecutionRoleArn, subnetIds, selectors } = named(result, `${FARGATE}-profile`).inputs;
    assert.deepEqual(
      { clusterName, fargateProfileName, podExecutionRoleArn, subnetIds, selectors },
      {
        clusterName: "demo-dev",
        fargateProfileName: "demo-dev-fargate-pipelines",
        podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-fargate-pod-execution`,
        subnetIds: privateSubnets.map((subnet) => `${subnet.name}-id`),
        selectors: [{ namespace: "fargate-pipelines" }],
      },
    );
  });

  it("the profile is replaced by deleting it first (immutable, and its name is kept)", () => {
    assert.equal(named(result, `${FARGATE}-profile`).deleteBeforeReplace, true);
    assert.equal(named(result, `${FARGATE}-pod-execution`).deleteBeforeReplace, undefined);
  });

  it("the pod execution role trusts Fargate only for this cluster's profiles (aws:SourceArn)", () => {
    assert.deepEqual(json(named(result, `${FARGATE}-pod-execution`).inputs.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "eks-fargate-pods.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { ArnLike: { "aws:SourceArn": `arn:aws:eks:${REGION}:${ACCOUNT}:fargateprofile/demo-dev/*` } },
        },
      ],
    });
  });

  it("the profile waits for the pod execution role's policies (and is deleted before them)", () => {
    const profile = named(result, `${FARGATE}-profile`);
    assert.ok(waitsFor(result, profile, named(result, `${FARGATE}-pod-execution-policy`)));
    assert.ok(waitsFor(result, profile, named(result, `${FARGATE}-pod-execution-logs`)));
  });

  it("the pod execution role has AWS's Fargate policy and writes only to the tool's log group", () => {
    assert.deepEqual(named(result, `${FARGATE}-pod-execution-policy`).inputs.policyArn, "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy");
    assert.deepEqual(json(named(result, `${FARGATE}-pod-execution-logs`).inputs.policy).Statement, [
      { Sid: "FargateLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:aws-fargate-logs:*`] },
    ]);
  });

  it("the pipeline service account reads and writes exactly dvc's remote", () => {
    const bucket = dvcBucketArn(result);
    assert.deepEqual(json(named(result, `${FARGATE}-irsa-policy`, "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement, [
      { Sid: "DataBucketsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: [bucket] },
      { Sid: "DataBucketsObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: [`${bucket}/*`] },
    ]);
    const account = named(result, `${FARGATE}-irsa-sa`, "kubernetes:core/v1:ServiceAccount").inputs.metadata as Record<string, any>;
    assert.deepEqual([account.name, account.namespace, account.annotations["eks.amazonaws.com/role-arn"]], ["pipeline", "fargate-pipelines", `arn:aws:iam::${ACCOUNT}:role/demo-dev-aws-fargate`]);
  });

  it("routes Fargate pods' logs to the log group through the one aws-observability/aws-logging ConfigMap, before the profile exists", () => {
    assert.deepEqual(named(result, `${FARGATE}-observability`).inputs.metadata, { name: "aws-observability", labels: { "aws-observability": "enabled", "app.kubernetes.io/managed-by": "platinfra" } });
    const config = named(result, `${FARGATE}-logging`).inputs;
    assert.deepEqual(config.metadata, { name: "aws-logging", namespace: "aws-observability" });
    assert.deepEqual(config.data, {
      "output.conf": "[OUTPUT]\n    Name cloudwatch_logs\n    Match *\n    region eu-west-1\n    log_group_name /platinfra/demo-dev/fargate\n    log_stream_prefix fargate-\n    log_key log\n    auto_create_group false\n",
      "filters.conf": "[FILTER]\n    Name parser\n    Match *\n    Key_name log\n    Parser crio\n",
      "parsers.conf":
        "[PARSER]\n    Name crio\n    Format Regex\n    Regex ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$\n    Time_Key time\n    Time_Format %Y-%m-%dT%H:%M:%S.%L%z\n",
      flb_log_cw: "false",
    });
    assert.ok(waitsFor(result, named(result, `${FARGATE}-profile`), named(result, `${FARGATE}-logging`)));
    const { name, retentionInDays } = named(result, `${FARGATE}-logs`).inputs;
    assert.deepEqual({ name, retentionInDays }, { name: "/platinfra/demo-dev/fargate", retentionInDays: 30 });
  });

  it("containers without resources get requests equal to limits (Fargate's size), not its smallest", () => {
    assert.deepEqual(named(result, `${FARGATE}-defaults`).inputs.spec, { limits: [{ type: "Container", default: { cpu: "500m", memory: "1Gi" }, defaultRequest: { cpu: "500m", memory: "1Gi" } }] });
  });

  it("outputs the namespace, service account, roles, profile, what runs there and what Fargate cannot run", () => {
    const out = outputs(result);
    const { exampleJob: _job, commands: _commands, ...rest } = out;
    assert.deepEqual(rest, {
      namespace: "fargate-pipelines",
      serviceAccount: "pipeline",
      serviceAccountRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-aws-fargate`,
      fargateProfileName: "demo-dev-fargate-pipelines",
      podExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-fargate-pod-execution`,
      logGroup: "/platinfra/demo-dev/fargate",
      dataBuckets: [named(result, "dvc-remote", "aws:s3/bucket:Bucket").inputs.bucket],
      runsHere: "every pod created in namespace fargate-pipelines runs on Fargate (one pod per Fargate node, in the private subnets); pods elsewhere stay on the node groups",
      limitations: [
        "no GPUs",
        "no DaemonSets (run agents as sidecars)",
        "no privileged containers, hostNetwork or hostPort",
        "no EBS volumes (EFS by static provisioning only); 20 GiB ephemeral storage by default",
        "one pod per Fargate node, sized from the pod's requests (requests = limits; without requests 0.25 vCPU and 0.5 GB)",
        "private subnets only: no public IP",
      ],
    });
  });

  it("the example Job runs in the namespace as the service account, sized by its requests, and validates against Kubernetes' schema", async () => {
    const job = parseYaml(outputs(result).exampleJob) as Record<string, any>;
    assert.deepEqual(job.metadata, { name: "hello-fargate", namespace: "fargate-pipelines" });
    const pod = job.spec.template.spec;
    assert.deepEqual([pod.serviceAccountName, pod.containers[0].image, pod.containers[0].args], ["pipeline", "public.ecr.aws/aws-cli/aws-cli:2.36.7", ["sts", "get-caller-identity"]]);
    assert.deepEqual(pod.containers[0].resources.requests, pod.containers[0].resources.limits);
    assert.deepEqual(await checkAgainstUpstreamSchema({ type: "kubernetes:batch/v1:Job", name: "example", inputs: job } as any), { status: "valid" });
  });

  it("every Kubernetes object it creates validates against Kubernetes' schemas", async () => {
    const objects = result.resources.filter((resource) => resource.parent?.endsWith(`::${FARGATE}`) && kubernetesObjectType(resource.type));
    assert.equal(objects.length, 4);
    for (const object of objects) assert.deepEqual(await checkAgainstUpstreamSchema(object), { status: "valid" }, `${object.type} ${object.name}`);
  });

  it("the commands run the example job in the namespace and read its logs", () => {
    assert.deepEqual(outputs(result).commands, [
      `platinfra outputs stack.yaml --json | jq -r '.tools["aws-fargate"].exampleJob' > hello-fargate.yaml`,
      "kubectl apply -f hello-fargate.yaml",
      "kubectl -n fargate-pipelines wait --for=condition=complete job/hello-fargate --timeout=10m",
      "kubectl -n fargate-pipelines get pods -l job-name=hello-fargate -o wide",
      "kubectl -n fargate-pipelines logs job/hello-fargate",
      `aws logs tail /platinfra/demo-dev/fargate --region ${REGION} --since 1h`,
      "kubectl -n fargate-pipelines delete job hello-fargate",
    ]);
  });
});

describe("aws-fargate with logging: false and its own namespace", () => {
  it("leaves the cluster's aws-logging ConfigMap alone and names the profile after the namespace", async () => {
    const result = await render({ logging: false, namespace: "etl" });
    assert.equal(children(result).some((child) => /aws-fargate-(logging|observability)$/.test(child)), false);
    const { fargateProfileName, selectors } = named(result, `${FARGATE}-profile`).inputs;
    assert.deepEqual({ fargateProfileName, selectors }, { fargateProfileName: "demo-dev-etl", selectors: [{ namespace: "etl" }] });
  });
});

describe("aws-fargate params", () => {
  it("defaults", () => {
    assert.deepEqual(awsFargateParams.parse({}), { namespace: "fargate-pipelines", logging: true, log_retention_days: 30 });
  });

  it("refuses the cluster's own namespaces and names that are not namespaces", () => {
    assert.deepEqual(paramsErrors(awsFargateParams, { namespace: "kube-system" }), ['namespace: namespace "kube-system" is the cluster\'s own — name a namespace for pipeline pods only, e.g. fargate-pipelines']);
    assert.deepEqual(paramsErrors(awsFargateParams, { namespace: "ETL", log_retention_days: 2, gpu: true }), [
      'namespace: namespace "ETL" is not a Kubernetes namespace name — lowercase letters, digits and hyphens, at most 63',
      "log_retention_days: log_retention_days 2 is not a CloudWatch Logs retention — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ': Unrecognized key: "gpu"',
    ]);
  });

  it("the Fluent Bit output names the region and group and never creates a group", () => {
    assert.equal(fluentBitOutput("us-east-1", "/g"), "[OUTPUT]\n    Name cloudwatch_logs\n    Match *\n    region us-east-1\n    log_group_name /g\n    log_stream_prefix fargate-\n    log_key log\n    auto_create_group false\n");
  });

  it("the parser splits a CRI log line the way Fargate's router reads it: the message is the log key", () => {
    const regex = FLUENT_BIT_PARSERS.split("\n").find((line) => line.trim().startsWith("Regex "))!.trim().slice("Regex ".length);
    const match = new RegExp(regex).exec("2026-11-28T17:00:00.123456789Z stdout F hello from Fargate");
    assert.deepEqual({ ...match?.groups }, { time: "2026-11-28T17:00:00.123456789Z", stream: "stdout", logtag: "F", log: "hello from Fargate" });
    assert.match(FLUENT_BIT_FILTERS, /^\[FILTER\]\n {4}Name parser\n {4}Match \*\n {4}Key_name log\n {4}Parser crio\n$/);
  });
});

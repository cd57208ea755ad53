import { strict as assert } from "node:assert";
import { awsBatch } from "../../components/tools/aws-batch/index";
import { awsBatchParams } from "../../components/tools/aws-batch/params";
import { awsFargate } from "../../components/tools/aws-fargate/index";
import { awsFargateParams } from "../../components/tools/aws-fargate/params";
import { dvc } from "../../components/tools/dvc/index";
import { dvcParams } from "../../components/tools/dvc/params";
import { resolveTarget } from "../../components/tools/aws-step-functions/checks";
import { awsStepFunctions } from "../../components/tools/aws-step-functions/index";
import { awsStepFunctionsParams } from "../../components/tools/aws-step-functions/params";
import type { RenderResult } from "../../src/engine/render";
import { waitsFor } from "../helpers/graph";
import { checkAgainstUpstreamSchema, kubernetesObjectType } from "../helpers/kube-schemas";
import { paramsErrors } from "../helpers/params";
import { childrenOf, json, named } from "../helpers/render";
import { problemsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const SFN = "aws-step-functions";
const ACCOUNT = "123456789012";
const REGION = "eu-west-1";
const MODULES = { dvc, "aws-batch": awsBatch, [SFN]: awsStepFunctions };

/** aws-step-functions with the given params, after dvc, with or without aws-batch (its Batch params given). */
function render(params: Record<string, unknown> = {}, options: { batch?: Record<string, unknown> } = {}): Promise<RenderResult> {
  const orchestrators = options.batch ? ["aws-batch", SFN] : [SFN];
  return renderWithTools(stackWith({ data_versioning: ["dvc"], orchestrator: orchestrators }), MODULES, {
    dvc: dvcParams.parse({}),
    "aws-batch": awsBatchParams.parse(options.batch ?? {}),
    [SFN]: awsStepFunctionsParams.parse(params),
  });
}

const children = (result: RenderResult) => childrenOf(result, `platinfra:tools:AwsStepFunctions::${SFN}`);
const outputs = (result: RenderResult) => (result.outputs.tools as any)[SFN] as Record<string, any>;
const statements = (result: RenderResult) => json(named(result, `${SFN}-policy`).inputs.policy).Statement as Record<string, any>[];
const definition = (result: RenderResult) => json(named(result, `${SFN}-example`).inputs.definition);
const dvcBucketArn = (result: RenderResult) => `arn:aws:s3:::${named(result, "dvc-remote", "aws:s3/bucket:Bucket").inputs.bucket as string}`;
const batchBucketArn = (result: RenderResult) => `arn:aws:s3:::${named(result, "aws-batch-jobs", "aws:s3/bucket:Bucket").inputs.bucket as string}`;

const LOG_DELIVERY = {
  Sid: "LogDelivery",
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  Resource: "*",
};

function dataStatements(buckets: string[]) {
  return [
    { Sid: "DataBucketsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: buckets },
    {
      Sid: "DataBucketsObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: buckets.map((arn) => `${arn}/*`),
    },
  ];
}

describe("aws-step-functions on aws-batch's queue (auto, Fargate), after dvc", () => {
  let result: RenderResult;
  before(async () => {
    result = await render({}, { batch: {} });
  });

  it("creates the role, its policy, the log group, the example job definition and state machine: nothing in the cluster", () => {
    assert.deepEqual(children(result), [
      "aws:batch/jobDefinition:JobDefinition aws-step-functions-example-job",
      "aws:cloudwatch/logGroup:LogGroup aws-step-functions-logs",
      "aws:iam/role:Role aws-step-functions-role",
      "aws:iam/rolePolicy:RolePolicy aws-step-functions-policy",
      "aws:sfn/stateMachine:StateMachine aws-step-functions-example",
    ]);
  });

  it("the role trusts only Step Functions acting for this account", () => {
    const role = named(result, `${SFN}-role`).inputs;
    assert.equal(role.name, "demo-dev-step-functions");
    assert.deepEqual(json(role.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }],
    });
  });

  it("the role's policy: submit to this queue with this stack's job definitions, the .sync events rule, log delivery, the linked data buckets", () => {
    assert.equal(named(result, `${SFN}-policy`).inputs.name, "demo-dev-step-functions-inline");
    assert.deepEqual(statements(result), [
      {
        Sid: "BatchSubmit",
        Effect: "Allow",
        Action: ["batch:SubmitJob"],
        Resource: [`arn:aws:batch:${REGION}:${ACCOUNT}:aws-batch-queue`, `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/demo-dev-*`],
      },
      { Sid: "BatchJobs", Effect: "Allow", Action: ["batch:DescribeJobs", "batch:TerminateJob"], Resource: "*" },
      {
        Sid: "BatchSyncEvents",
        Effect: "Allow",
        Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        Resource: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForBatchJobsRule`],
      },
      LOG_DELIVERY,
      ...dataStatements([batchBucketArn(result), dvcBucketArn(result)]),
    ]);
  });

  it("the log group is under /aws/vendedlogs/states/, kept 30 days", () => {
    const { name, retentionInDays } = named(result, `${SFN}-logs`).inputs;
    assert.deepEqual({ name, retentionInDays }, { name: "/aws/vendedlogs/states/demo-dev-step-functions", retentionInDays: 30 });
  });

  it("the state machine is Standard, runs as the role, logs errors without execution data to the log group", () => {
    const { name, type, roleArn, loggingConfiguration } = named(result, `${SFN}-example`).inputs;
    assert.deepEqual(
      { name, type, roleArn, loggingConfiguration },
      {
        name: "demo-dev-sfn-example",
        type: "STANDARD",
        roleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-step-functions`,
        loggingConfiguration: { level: "ERROR", includeExecutionData: false, logDestination: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:aws-step-functions-logs:*` },
      },
    );
  });

  it("the state machine is created after the role's policy (CreateStateMachine checks log delivery)", () => {
    assert.ok(waitsFor(result, named(result, `${SFN}-example`), named(result, `${SFN}-policy`)));
  });

  it("the definition submits the example job to aws-batch's queue and waits (.sync), named after the execution", () => {
    assert.deepEqual(definition(result), {
      Comment: "platinfra example: one job on this stack's AWS Batch queue",
      StartAt: "RunBatchJob",
      States: {
        RunBatchJob: {
          Type: "Task",
          Resource: "arn:aws:states:::batch:submitJob.sync",
          Parameters: {
            "JobName.$": "States.Format('sfn-example-{}', $$.Execution.Name)",
            JobQueue: `arn:aws:batch:${REGION}:${ACCOUNT}:aws-batch-queue`,
            JobDefinition: `arn:aws:batch:${REGION}:${ACCOUNT}:aws-step-functions-example-job`,
          },
          ResultSelector: { "JobId.$": "$.JobId", "JobName.$": "$.JobName", "Status.$": "$.Status" },
          End: true,
        },
      },
    });
  });

  it("the job definition is named under the policy's prefix, on Fargate, with aws-batch's roles and log group and no public IP", () => {
    const { name, type, platformCapabilities, containerProperties, propagateTags } = named(result, `${SFN}-example-job`).inputs;
    assert.deepEqual({ name, type, platformCapabilities, propagateTags }, { name: "demo-dev-sfn-example", type: "container", platformCapabilities: ["FARGATE"], propagateTags: true });
    assert.deepEqual(json(containerProperties), {
      image: "public.ecr.aws/amazonlinux/amazonlinux:2023",
      command: ["echo", "hello from Step Functions on AWS Batch"],
      jobRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-batch-job`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-batch-execution`,
      resourceRequirements: [
        { type: "VCPU", value: "0.25" },
        { type: "MEMORY", value: "512" },
      ],
      logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/platinfra/demo-dev/batch", "awslogs-region": REGION, "awslogs-stream-prefix": "sfn-example" } },
      networkConfiguration: { assignPublicIp: "DISABLED" },
      fargatePlatformConfiguration: { platformVersion: "LATEST" },
    });
  });

  it("outputs the state machine, role, log group, queue, job definition, data buckets and the commands to run and watch it", () => {
    const arn = `arn:aws:sfn:${REGION}:${ACCOUNT}:aws-step-functions-example`;
    const execution = `--region ${REGION} --execution-arn "$EXECUTION_ARN"`;
    const start = `EXECUTION_ARN=$(aws stepfunctions start-execution --region ${REGION} --state-machine-arn ${arn} --input '{}' --query executionArn --output text)`;
    assert.deepEqual(outputs(result), {
      target: "batch",
      stateMachineArn: arn,
      stateMachineName: "demo-dev-sfn-example",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-step-functions`,
      logGroup: "/aws/vendedlogs/states/demo-dev-step-functions",
      jobQueueArn: `arn:aws:batch:${REGION}:${ACCOUNT}:aws-batch-queue`,
      jobDefinitionArn: `arn:aws:batch:${REGION}:${ACCOUNT}:aws-step-functions-example-job`,
      dataBuckets: [named(result, "aws-batch-jobs", "aws:s3/bucket:Bucket").inputs.bucket, named(result, "dvc-remote", "aws:s3/bucket:Bucket").inputs.bucket],
      startExecution: start,
      commands: [
        start,
        `while [ "$(aws stepfunctions describe-execution ${execution} --query status --output text)" = RUNNING ]; do sleep 15; done`,
        `aws stepfunctions describe-execution ${execution} --query '{status: status, error: error, cause: cause, output: output}'`,
        `aws stepfunctions get-execution-history ${execution} --reverse-order --max-items 5`,
        `aws logs tail /platinfra/demo-dev/batch --region ${REGION} --log-stream-name-prefix sfn-example --since 1h`,
        `aws logs tail /aws/vendedlogs/states/demo-dev-step-functions --region ${REGION} --since 1h`,
      ],
      beforeDestroy:
        `for arn in $(aws stepfunctions list-executions --region ${REGION} --state-machine-arn ${arn} --status-filter RUNNING --query 'executions[].executionArn' --output text); ` +
        `do aws stepfunctions stop-execution --region ${REGION} --execution-arn "$arn"; done   # stops the example's running executions while the role may still terminate their jobs`,
    });
  });

  it("exports the state machine and role ARNs", () => {
    const env = result.outputs.env as Record<string, string>;
    assert.deepEqual(
      { machine: env.AWS_STEP_FUNCTIONS_STATE_MACHINE_ARN, role: env.AWS_STEP_FUNCTIONS_ROLE_ARN },
      { machine: `arn:aws:sfn:${REGION}:${ACCOUNT}:aws-step-functions-example`, role: `arn:aws:iam::${ACCOUNT}:role/demo-dev-step-functions` },
    );
  });
});

describe("aws-step-functions on aws-batch's EC2 queue, ALL events with data logged for 90 days", () => {
  it("registers an EC2 job definition (1 vCPU, no Fargate settings) and logs as asked", async () => {
    const result = await render({ log_level: "ALL", include_execution_data: true, log_retention_days: 90 }, { batch: { compute: "ec2" } });
    const job = named(result, `${SFN}-example-job`).inputs;
    assert.deepEqual(job.platformCapabilities, ["EC2"]);
    const properties = json(job.containerProperties);
    assert.deepEqual([properties.resourceRequirements, properties.networkConfiguration, properties.fargatePlatformConfiguration], [[{ type: "VCPU", value: "1" }, { type: "MEMORY", value: "512" }], undefined, undefined]);
    const { level, includeExecutionData } = named(result, `${SFN}-example`).inputs.loggingConfiguration as Record<string, unknown>;
    assert.deepEqual([level, includeExecutionData, named(result, `${SFN}-logs`).inputs.retentionInDays], ["ALL", true, 90]);
  });
});

describe("aws-step-functions on the cluster (auto without aws-batch), after dvc", () => {
  let result: RenderResult;
  before(async () => {
    result = await render();
  });

  it("creates the namespace, the jobs' IRSA role and service account, the access entry and RBAC instead of a job definition", () => {
    assert.deepEqual(children(result), [
      "aws:cloudwatch/logGroup:LogGroup aws-step-functions-logs",
      "aws:eks/accessEntry:AccessEntry aws-step-functions-access",
      "aws:iam/role:Role aws-step-functions-role",
      "aws:iam/rolePolicy:RolePolicy aws-step-functions-policy",
      "aws:sfn/stateMachine:StateMachine aws-step-functions-example",
      "kubernetes:core/v1:Namespace aws-step-functions-namespace",
      "kubernetes:rbac.authorization.k8s.io/v1:Role aws-step-functions-runjob",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding aws-step-functions-runjob",
      "platinfra:base:ServiceAccountRole aws-step-functions-jobs-irsa",
    ]);
  });

  it("the role's policy: log delivery and the linked data buckets only — no Batch, no EKS API action", () => {
    assert.deepEqual(statements(result), [LOG_DELIVERY, ...dataStatements([dvcBucketArn(result)])]);
  });

  it("maps the role to the runjob group through a STANDARD access entry on this cluster", () => {
    const { clusterName, principalArn, type, kubernetesGroups } = named(result, `${SFN}-access`).inputs;
    assert.deepEqual({ clusterName, principalArn, type, kubernetesGroups }, { clusterName: "demo-dev", principalArn: `arn:aws:iam::${ACCOUNT}:role/demo-dev-step-functions`, type: "STANDARD", kubernetesGroups: ["platinfra-step-functions"] });
  });

  it("the group may run Jobs and read their pods and logs in the step-functions namespace only", () => {
    const role = named(result, `${SFN}-runjob`, "kubernetes:rbac.authorization.k8s.io/v1:Role").inputs;
    assert.deepEqual(role, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "step-functions-runjob", namespace: "step-functions" },
      rules: [
        { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      ],
    });
    const binding = named(result, `${SFN}-runjob`, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs;
    assert.deepEqual(binding, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "step-functions-runjob", namespace: "step-functions" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "step-functions-runjob" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "platinfra-step-functions" }],
    });
  });

  it("the jobs' service account reads and writes exactly dvc's remote", () => {
    const policy = json(named(result, `${SFN}-jobs-irsa-policy`, "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
    assert.deepEqual(policy, dataStatements([dvcBucketArn(result)]));
    const account = named(result, `${SFN}-jobs-irsa-sa`, "kubernetes:core/v1:ServiceAccount").inputs.metadata as Record<string, any>;
    assert.deepEqual([account.name, account.namespace, account.annotations["eks.amazonaws.com/role-arn"]], ["step-functions-jobs", "step-functions", `arn:aws:iam::${ACCOUNT}:role/demo-dev-aws-step-functions-jobs`]);
  });

  it("the state machine waits for the access entry and the RoleBinding: the first execution is authorized", () => {
    const machine = named(result, `${SFN}-example`);
    assert.ok(waitsFor(result, machine, named(result, `${SFN}-access`)));
    assert.ok(waitsFor(result, machine, named(result, `${SFN}-runjob`, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding")));
  });

  it("the definition runs a batch/v1 Job in the namespace as the service account, on this cluster's endpoint and CA", () => {
    const state = definition(result).States.RunKubernetesJob;
    assert.equal(state.Resource, "arn:aws:states:::eks:runJob.sync");
    const { Job, ...cluster } = state.Parameters;
    assert.deepEqual(cluster, {
      ClusterName: "demo-dev",
      CertificateAuthority: "Q0EtREFUQQ==",
      Endpoint: `https://demo-dev.gr7.${REGION}.eks.amazonaws.com`,
      Namespace: "step-functions",
      LogOptions: { RetrieveLogs: true, LogParameters: { tailLines: ["20"] } },
    });
    assert.deepEqual(Job.metadata["name.$"], "States.Format('sfn-example-{}', $$.Execution.Name)");
    assert.deepEqual([Job.apiVersion, Job.kind, Job.spec.backoffLimit, Job.spec.ttlSecondsAfterFinished], ["batch/v1", "Job", 0, 3600]);
    const pod = Job.spec.template.spec;
    assert.deepEqual([pod.serviceAccountName, pod.restartPolicy, pod.securityContext.runAsNonRoot, pod.containers[0].image], ["step-functions-jobs", "Never", true, "public.ecr.aws/amazonlinux/amazonlinux:2023"]);
    assert.deepEqual(pod.containers[0].resources, { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } });
    assert.deepEqual(pod.containers[0].command, ["sh", "-c", "echo hello from Step Functions on $(uname -n)"]);
  });

  it("the example Job (its name filled in) and the RBAC objects validate against Kubernetes' schemas", async () => {
    const Job = definition(result).States.RunKubernetesJob.Parameters.Job;
    const { "name.$": _name, ...metadata } = Job.metadata;
    const filled = { ...Job, metadata: { ...metadata, name: "sfn-example-0d9c1a36-4c1e-4f3e-9a39-2a0c5a0c8f11", namespace: "step-functions" } };
    const objects = [
      { type: "kubernetes:batch/v1:Job", name: "example", inputs: filled },
      ...result.resources.filter((resource) => resource.parent?.endsWith(`::${SFN}`) && kubernetesObjectType(resource.type)),
    ];
    for (const object of objects) assert.deepEqual(await checkAgainstUpstreamSchema(object as any), { status: "valid" }, `${object.type} ${object.name}`);
  });

  it("outputs the namespace and service account, and how to read the job's logs", () => {
    const out = outputs(result);
    assert.deepEqual([out.target, out.clusterName, out.namespace, out.serviceAccount], ["eks", "demo-dev", "step-functions", "step-functions-jobs"]);
    assert.equal(out.commands[4], "kubectl -n step-functions logs job/sfn-example-${EXECUTION_ARN##*:}");
  });
});

describe("aws-step-functions on the cluster with aws-fargate in the stack", () => {
  it("runs its Jobs in aws-fargate's namespace as its service account (on Fargate), creating no namespace or role of its own", async () => {
    const result = await renderWithTools(stackWith({ orchestrator: [SFN, "aws-fargate"] }), { [SFN]: awsStepFunctions, "aws-fargate": awsFargate }, {
      [SFN]: awsStepFunctionsParams.parse({}),
      "aws-fargate": awsFargateParams.parse({}),
    });
    assert.deepEqual(children(result), [
      "aws:cloudwatch/logGroup:LogGroup aws-step-functions-logs",
      "aws:eks/accessEntry:AccessEntry aws-step-functions-access",
      "aws:iam/role:Role aws-step-functions-role",
      "aws:iam/rolePolicy:RolePolicy aws-step-functions-policy",
      "aws:sfn/stateMachine:StateMachine aws-step-functions-example",
      "kubernetes:rbac.authorization.k8s.io/v1:Role aws-step-functions-runjob",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding aws-step-functions-runjob",
    ]);
    const parameters = definition(result).States.RunKubernetesJob.Parameters;
    assert.deepEqual([parameters.Namespace, parameters.Job.spec.template.spec.serviceAccountName], ["fargate-pipelines", "pipeline"]);
    assert.deepEqual((named(result, `${SFN}-runjob`, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs.metadata as any).namespace, "fargate-pipelines");
    assert.deepEqual([outputs(result).namespace, outputs(result).serviceAccount], ["fargate-pipelines", "pipeline"]);
    assert.ok(waitsFor(result, named(result, `${SFN}-runjob`, "kubernetes:rbac.authorization.k8s.io/v1:Role"), named(result, "aws-fargate-namespace")));
  });
});

describe("aws-step-functions target", () => {
  it("target eks with aws-batch in the stack runs on the cluster", async () => {
    const result = await render({ target: "eks" }, { batch: {} });
    assert.equal(outputs(result).target, "eks");
    assert.equal(children(result).some((child) => child.startsWith("aws:batch/jobDefinition")), false);
  });

  it("resolves auto to batch only when the stack lists aws-batch", () => {
    const table: [unknown, string[], string][] = [
      ["auto", ["aws-batch"], "batch"],
      ["auto", ["dvc"], "eks"],
      [undefined, [], "eks"],
      ["eks", ["aws-batch"], "eks"],
      ["batch", [], "batch"],
    ];
    for (const [target, tools, expected] of table) assert.equal(resolveTarget(target, tools), expected, `${String(target)} with ${tools.join(",")}`);
  });
});

describe("aws-step-functions at validate", () => {
  const base = (orchestrators: string, deployment = "") => stackWith({ orchestrator: [] }).replace("  orchestrator: []", `  orchestrator: ${orchestrators}`).replace("  type: kubernetes\n", `  type: kubernetes\n${deployment}`);

  it("has no problem on the cluster with its public endpoint, nor with aws-batch", () => {
    assert.deepEqual(problemsOf(base("[aws-step-functions]")), []);
    assert.deepEqual(problemsOf(base("[aws-batch, aws-step-functions]", "  endpoint_public_access: false\n")), []);
  });

  it("refuses when neither fits: no aws-batch and a private cluster endpoint", () => {
    assert.deepEqual(problemsOf(base("[aws-step-functions]", "  endpoint_public_access: false\n")), [
      "stack.yaml:10:18: stack.orchestrator[0]: the example state machine would run its job on the cluster through eks:runJob, which AWS supports only for clusters with public endpoint access, and deployment.endpoint_public_access is false — add aws-batch under orchestrator (the job then runs on its queue), or set deployment.endpoint_public_access: true",
    ]);
  });

  it("refuses target batch without aws-batch, at the param", () => {
    assert.deepEqual(problemsOf(base("\n    - aws-step-functions: {target: batch}")), [
      "stack.yaml:10:36: stack.orchestrator[0].aws-step-functions.target: target is batch, but the stack lists no aws-batch — add aws-batch under orchestrator, or set target: eks (runs the job on this stack's cluster)",
    ]);
  });

  it("warns when the cluster API admits only some addresses", () => {
    assert.deepEqual(problemsOf(base("[aws-step-functions]", "  public_access_cidrs: [203.0.113.0/24]\n")), [
      "stack.yaml:10:18: stack.orchestrator[0]: warning: deployment.public_access_cidrs limits the cluster API to 203.0.113.0/24: Step Functions calls it from AWS addresses that are not published for this, so eks:runJob may be refused — if executions fail to reach the cluster, allow it or add aws-batch under orchestrator",
    ]);
  });

  it("params: strict, with the allowed values in the errors", () => {
    assert.deepEqual(paramsErrors(awsStepFunctionsParams, { target: "lambda", log_level: "DEBUG", log_retention_days: 10, namespace: "Jobs", extra: 1 }), [
      'target: target "lambda" is not allowed — use "auto", "batch" or "eks"',
      'namespace: namespace "Jobs" is not a Kubernetes namespace name — lowercase letters, digits and hyphens, at most 63',
      'log_level: log_level "DEBUG" is not allowed — use "ALL", "ERROR" or "FATAL"',
      "log_retention_days: log_retention_days 10 is not a CloudWatch Logs retention — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ': Unrecognized key: "extra"',
    ]);
    assert.deepEqual(awsStepFunctionsParams.parse({}), { target: "auto", namespace: "step-functions", log_level: "ERROR", include_execution_data: false, log_retention_days: 30 });
  });
});

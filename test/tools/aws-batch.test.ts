import { strict as assert } from "node:assert";
import { awsBatch } from "../../components/tools/aws-batch/index";
import { awsBatchParams } from "../../components/tools/aws-batch/params";
import { dvc } from "../../components/tools/dvc/index";
import { dvcParams } from "../../components/tools/dvc/params";
import type { RenderResult } from "../../src/engine/render";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const BATCH = "aws-batch";
const ROLE = "aws:iam/role:Role";

/** aws-batch with the given params, alone or after dvc (whose remote is then one of the stack's data buckets). */
function render(params: Record<string, unknown> = {}, options: { withDvc?: boolean } = {}): Promise<RenderResult> {
  const stack: Record<string, string[]> = options.withDvc ? { data_versioning: ["dvc"], orchestrator: [BATCH] } : { orchestrator: [BATCH] };
  return renderWithTools(stackWith(stack), { dvc, [BATCH]: awsBatch }, { dvc: dvcParams.parse({}), [BATCH]: awsBatchParams.parse(params) });
}

/** Every resource under a component, as `type name`. */
function descendants(result: RenderResult, urn: string): string[] {
  return result.resources.filter((resource) => resource.parent === urn).flatMap((resource) => [`${resource.type} ${resource.name}`, ...descendants(result, resource.urn)]);
}

const childrenOf = (result: RenderResult) => descendants(result, named(result, BATCH, "platinfra:tools:AwsBatch").urn).sort();
const computeResources = (result: RenderResult) => named(result, "aws-batch-compute").inputs.computeResources as Record<string, unknown>;
const bucketArn = (result: RenderResult, name: string) => `arn:aws:s3:::${named(result, name, "aws:s3/bucket:Bucket").inputs.bucket as string}`;
const jobStatements = (result: RenderResult) => json(named(result, "aws-batch-job-policy").inputs.policy).Statement as Record<string, any>[];

/** The resources every compute kind has: the jobs bucket, roles, log group, network, queue and registry. */
const COMMON = [
  "aws:batch/computeEnvironment:ComputeEnvironment aws-batch-compute",
  "aws:batch/jobQueue:JobQueue aws-batch-queue",
  "aws:cloudwatch/logGroup:LogGroup aws-batch-logs",
  "aws:ec2/securityGroup:SecurityGroup aws-batch-sg",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy aws-batch-images-lifecycle",
  "aws:ecr/repository:Repository aws-batch-images",
  "aws:iam/role:Role aws-batch-execution",
  "aws:iam/role:Role aws-batch-job",
  "aws:iam/rolePolicy:RolePolicy aws-batch-job-policy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-batch-execution-policy",
  "aws:s3/bucket:Bucket aws-batch-jobs",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls aws-batch-jobs-ownership",
  "aws:s3/bucketPolicy:BucketPolicy aws-batch-jobs-tls-only",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock aws-batch-jobs-public-access",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration aws-batch-jobs-encryption",
  "aws:s3/bucketVersioning:BucketVersioning aws-batch-jobs-versioning",
  "platinfra:base:Bucket aws-batch-jobs",
];

describe("aws-batch on Fargate (default), after dvc", () => {
  let result: RenderResult;
  before(async () => {
    result = await render({}, { withDvc: true });
  });

  it("creates exactly the common resources: no instance role, profile or launch template", () => {
    assert.deepEqual(childrenOf(result), [...COMMON].sort());
  });

  it("creates its AWS resources with the tool's own provider", () => {
    assert.match(named(result, "aws-batch-compute").provider ?? "", /::demo-aws-aws-batch::/);
  });

  it("the compute environment is managed, enabled and named after the stack and its capacity", () => {
    const { name, type, state } = named(result, "aws-batch-compute").inputs;
    assert.deepEqual({ name, type, state }, { name: "demo-dev-batch-fargate", type: "MANAGED", state: "ENABLED" });
  });

  it("runs on FARGATE in the stack's private subnets, with its security group, up to 256 vCPUs", () => {
    const privateSubnets = ofType(result, "aws:ec2/subnet:Subnet").filter((subnet) => /-private-\d+$/.test(subnet.name));
    assert.equal(privateSubnets.length, 3);
    assert.deepEqual(computeResources(result), {
      type: "FARGATE",
      maxVcpus: 256,
      subnets: privateSubnets.map((subnet) => `${subnet.name}-id`),
      securityGroupIds: ["aws-batch-sg-id"],
    });
  });

  it("the job queue is enabled, priority 1, on the compute environment", () => {
    const { name, state, priority, computeEnvironmentOrders } = named(result, "aws-batch-queue").inputs;
    assert.deepEqual(
      { name, state, priority, computeEnvironmentOrders },
      {
        name: "demo-dev-batch",
        state: "ENABLED",
        priority: 1,
        computeEnvironmentOrders: [{ order: 1, computeEnvironment: "arn:aws:batch:eu-west-1:123456789012:aws-batch-compute" }],
      },
    );
  });

  it("the security group is in the stack's VPC", () => {
    assert.equal(named(result, "aws-batch-sg").inputs.vpcId, "demo-network-vpc-id");
  });

  it("the security group has no ingress at all, inline or as separate rules", () => {
    assert.deepEqual(named(result, "aws-batch-sg").inputs.ingress, []);
    assert.deepEqual(childrenOf(result).filter((child) => /Ingress/.test(child)), []);
  });

  it("the security group lets jobs reach out anywhere (images, S3, AWS APIs)", () => {
    assert.deepEqual(named(result, "aws-batch-sg").inputs.egress, [
      { description: "Images, S3 and AWS APIs", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
    ]);
  });

  it("the execution and job roles trust only ECS tasks of this account", () => {
    for (const role of ["aws-batch-execution", "aws-batch-job"]) {
      assert.deepEqual(json(named(result, role, ROLE).inputs.assumeRolePolicy).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "ecs-tasks.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ]);
    }
  });

  it("the execution role has the AWS-managed ECS task execution policy", () => {
    const { role, policyArn } = named(result, "aws-batch-execution-policy").inputs;
    assert.deepEqual({ role, policyArn }, { role: "demo-dev-batch-execution", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" });
  });

  it("the job role reads and writes exactly dvc's remote and its own jobs bucket", () => {
    const buckets = [bucketArn(result, "dvc-remote"), bucketArn(result, "aws-batch-jobs")];
    const [list, objects] = jobStatements(result);
    assert.deepEqual(list, { Sid: "DataBucketsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: buckets });
    assert.deepEqual(objects, {
      Sid: "DataBucketsObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
      Resource: buckets.map((arn) => `${arn}/*`),
    });
  });

  it("the job role writes to its own log group only", () => {
    const logGroupArn = "arn:aws:cloudwatch:eu-west-1:123456789012:aws-batch-logs";
    assert.deepEqual(jobStatements(result)[2], {
      Sid: "JobLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
    });
  });

  it("the job role's policy has these three statements and none on Resource \"*\"", () => {
    const statements = jobStatements(result);
    assert.deepEqual(statements.map((statement) => statement.Sid), ["DataBucketsList", "DataBucketsObjects", "JobLogs"]);
    assert.equal(statements.flatMap((statement) => statement.Resource).includes("*"), false);
  });

  it("the log group is /platinfra/<stack>/batch, kept 30 days", () => {
    const { name, retentionInDays } = named(result, "aws-batch-logs").inputs;
    assert.deepEqual({ name, retentionInDays }, { name: "/platinfra/demo-dev/batch", retentionInDays: 30 });
  });

  it("the ECR repository has immutable tags, scans on push and is encrypted", () => {
    const { name, imageTagMutability, imageScanningConfiguration, encryptionConfigurations, forceDelete } = named(result, "aws-batch-images").inputs;
    assert.deepEqual(
      { name, imageTagMutability, imageScanningConfiguration, encryptionConfigurations, forceDelete },
      { name: "demo-dev-batch-jobs", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "AES256" }], forceDelete: false },
    );
  });

  it("untagged images expire after 14 days", () => {
    const { repository, policy } = named(result, "aws-batch-images-lifecycle").inputs;
    assert.equal(repository, "demo-dev-batch-jobs");
    assert.deepEqual(json(policy).rules, [
      {
        rulePriority: 1,
        description: "Expire untagged images after 14 days",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
        action: { type: "expire" },
      },
    ]);
  });

  it("outputs the queue, compute environment, roles, log group, repository and jobs bucket", () => {
    assert.deepEqual((result.outputs.tools as any)[BATCH], {
      jobQueueArn: "arn:aws:batch:eu-west-1:123456789012:aws-batch-queue",
      computeEnvironmentArn: "arn:aws:batch:eu-west-1:123456789012:aws-batch-compute",
      jobRoleArn: "arn:aws:iam::123456789012:role/demo-dev-batch-job",
      executionRoleArn: "arn:aws:iam::123456789012:role/demo-dev-batch-execution",
      logGroup: "/platinfra/demo-dev/batch",
      repositoryUrl: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-batch-jobs",
      jobsBucket: named(result, "aws-batch-jobs", "aws:s3/bucket:Bucket").inputs.bucket,
    });
  });

  it("exports the job queue and job role", () => {
    const env = result.outputs.env as Record<string, string>;
    assert.deepEqual(
      { AWS_BATCH_JOB_QUEUE: env.AWS_BATCH_JOB_QUEUE, AWS_BATCH_JOB_ROLE_ARN: env.AWS_BATCH_JOB_ROLE_ARN },
      { AWS_BATCH_JOB_QUEUE: "demo-dev-batch", AWS_BATCH_JOB_ROLE_ARN: "arn:aws:iam::123456789012:role/demo-dev-batch-job" },
    );
  });
});

describe("aws-batch variants", () => {
  let alone: RenderResult;
  let spot: RenderResult;
  before(async () => {
    alone = await render({ max_vcpus: 64, log_retention_days: 90 });
    spot = await render({ spot: true });
  });

  it("alone, the job role is granted only its own jobs bucket", () => {
    const arn = bucketArn(alone, "aws-batch-jobs");
    assert.deepEqual(jobStatements(alone).slice(0, 2).map((statement) => statement.Resource), [[arn], [`${arn}/*`]]);
  });

  it("max_vcpus caps the compute environment", () => {
    assert.equal(computeResources(alone).maxVcpus, 64);
  });

  it("log_retention_days sets the log group's retention", () => {
    assert.equal(named(alone, "aws-batch-logs").inputs.retentionInDays, 90);
  });

  it("spot on Fargate runs on FARGATE_SPOT", () => {
    assert.equal(computeResources(spot).type, "FARGATE_SPOT");
  });

  it("spot on Fargate names the environment for its capacity, so switching never collides", () => {
    assert.equal(named(spot, "aws-batch-compute").inputs.name, "demo-dev-batch-fargate-spot");
  });

  describe("on EC2", () => {
    let cpu: RenderResult;
    let gpu: RenderResult;
    before(async () => {
      cpu = await render({ compute: "ec2" });
      gpu = await render({ compute: "ec2", gpu: true, spot: true, instance_types: ["g6.xlarge", "g5.2xlarge"] });
    });

    it("adds an instance role, its ECS policy, an instance profile and a launch template", () => {
      assert.deepEqual(
        childrenOf(cpu),
        [
          ...COMMON,
          "aws:ec2/launchTemplate:LaunchTemplate aws-batch-instances",
          "aws:iam/instanceProfile:InstanceProfile aws-batch-instance-profile",
          "aws:iam/role:Role aws-batch-instance",
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-batch-instance-policy",
        ].sort(),
      );
    });

    it("the instance role trusts EC2", () => {
      assert.deepEqual(json(named(cpu, "aws-batch-instance", ROLE).inputs.assumeRolePolicy).Statement, [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
    });

    it("the instance role has the AWS-managed ECS-for-EC2 policy", () => {
      assert.equal(named(cpu, "aws-batch-instance-policy").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role");
    });

    it("instances require IMDSv2 with a hop limit of 1", () => {
      assert.deepEqual(named(cpu, "aws-batch-instances").inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    });

    it("on-demand: EC2 capacity, default instance types, the ECS AL2023 AMI, the instance profile", () => {
      const { type, allocationStrategy, instanceTypes, ec2Configurations, instanceRole, minVcpus } = computeResources(cpu);
      assert.deepEqual(
        { type, allocationStrategy, instanceTypes, ec2Configurations, instanceRole, minVcpus },
        {
          type: "EC2",
          allocationStrategy: "BEST_FIT_PROGRESSIVE",
          instanceTypes: ["m6i.large", "m6i.xlarge"],
          ec2Configurations: [{ imageType: "ECS_AL2023" }],
          instanceRole: "arn:aws:iam:eu-west-1:123456789012:aws-batch-instance-profile",
          minVcpus: 0,
        },
      );
    });

    it("gpu + spot: SPOT capacity, the given GPU instance types and the ECS NVIDIA AMI", () => {
      const { type, allocationStrategy, instanceTypes, ec2Configurations } = computeResources(gpu);
      assert.deepEqual(
        { type, allocationStrategy, instanceTypes, ec2Configurations },
        { type: "SPOT", allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED", instanceTypes: ["g6.xlarge", "g5.2xlarge"], ec2Configurations: [{ imageType: "ECS_AL2023_NVIDIA" }] },
      );
    });

    it("the instance profile wraps the instance role", () => {
      const { name, role } = named(cpu, "aws-batch-instance-profile").inputs;
      assert.deepEqual({ name, role }, { name: "demo-dev-batch-instance", role: "demo-dev-batch-instance" });
    });

    it("gpu without instance_types launches the default GPU types", async () => {
      const result = await render({ compute: "ec2", gpu: true });
      assert.deepEqual(computeResources(result).instanceTypes, ["g5.xlarge", "g5.2xlarge"]);
    });
  });
});

describe("aws-batch params", () => {
  it("default to on-demand Fargate, 256 vCPUs, logs kept 30 days", () => {
    assert.deepEqual(awsBatchParams.parse({}), { compute: "fargate", spot: false, gpu: false, max_vcpus: 256, log_retention_days: 30 });
  });

  const rejected: [string, Record<string, unknown>, string][] = [
    [
      "instance_types with fargate",
      { instance_types: ["m6i.large"] },
      "instance_types applies only to compute: ec2 — Fargate chooses its own capacity; remove instance_types or set compute: ec2",
    ],
    ["gpu with fargate", { gpu: true }, "gpu: true needs compute: ec2 — Fargate has no GPUs; set compute: ec2"],
    [
      "gpu with CPU instance types",
      { compute: "ec2", gpu: true, instance_types: ["g5.xlarge", "m6i.large", "c7i.2xlarge"] },
      "gpu: true needs NVIDIA GPU instance types, but m6i.large, c7i.2xlarge are not — use e.g. g5.xlarge, g6.xlarge or p4d.24xlarge",
    ],
    ["GPU instance types without gpu", { compute: "ec2", instance_types: ["g5.xlarge"] }, "g5.xlarge is a GPU instance type — set gpu: true to get the NVIDIA AMI, or use CPU types such as m6i.large"],
    ["an unknown compute", { compute: "lambda" }, 'compute "lambda" is not allowed — use "fargate" or "ec2"'],
    ["a malformed instance type", { compute: "ec2", instance_types: ["large"] }, '"large" is not an EC2 instance type — expected a name like m6i.large'],
    [
      "a retention CloudWatch does not offer",
      { log_retention_days: 45 },
      "log_retention_days 45 is not a CloudWatch Logs retention — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ],
    ["an unknown key", { queue: "mine" }, 'Unrecognized key: "queue"'],
  ];
  for (const [what, params, message] of rejected) {
    it(`reject ${what}`, () => {
      const parsed = awsBatchParams.safeParse(params);
      assert.equal(parsed.success, false);
      assert.deepEqual(parsed.error?.issues.map((issue) => issue.message), [message]);
    });
  }
});

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { createImageRepository } from "../../base/image-repository";
import { policyJson, serviceTrustPolicy, type PolicyStatement } from "../../base/policies";
import { awsBatchParams, instanceTypesOf, type AwsBatchParams } from "./params";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "../shared/bucket";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { DataBucket, ToolComponent, ToolComponentModule } from "../shared/types";

/** Untagged images (superseded builds) are expired after this many days. */

/** The tools whose data jobs process. Producers only: NannyML reads the jobs' outputs, so it comes after (no cycle). */
const BATCH_LINKS = ["dvc", "mlflow", "zenml", "bentoml"];

/**
 * The `aws-batch` orchestrator: a managed Batch compute environment (Fargate or EC2, on-demand or
 * Spot) in the stack's private subnets with a job queue, the roles jobs run with, a log group and
 * an ECR repository for job images. Jobs may read and write the stack's data buckets, nothing else.
 */
export class AwsBatch extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly dataBuckets: DataBucket[];
  readonly jobQueueArn: pulumi.Output<string>;
  readonly jobRoleArn: pulumi.Output<string>;
  /** What the stack's other tools need to register job definitions for this queue (e.g. aws-step-functions' example). */
  readonly executionRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly compute: AwsBatchParams["compute"];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:AwsBatch", name, {}, opts);
    const params = awsBatchParams.parse(context.instance.params);
    const { platform } = context;
    const scope: ToolScope = { name, context, parent: this };

    const jobsBucket = createToolBucket(scope, "jobs");
    const logGroup = this.createLogGroup(name, platform.namePrefix, params.log_retention_days);
    const executionRole = this.createTaskRole(`${name}-execution`, "batch-execution", context);
    this.attachManagedPolicy(`${name}-execution-policy`, executionRole, "service-role/AmazonECSTaskExecutionRolePolicy");
    const jobRole = this.createTaskRole(`${name}-job`, "batch-job", context);
    const buckets = [...linkedDataBuckets(context, BATCH_LINKS), { name: jobsBucket.name, arn: jobsBucket.arn }];
    this.grantJobRole(name, jobRole, jobStatements(buckets, logGroup.arn));
    const securityGroup = this.createSecurityGroup(name, context);
    const computeEnvironment = this.createComputeEnvironment(name, context, params, securityGroup);
    const queue = this.createJobQueue(name, platform.namePrefix, computeEnvironment);
    const repository = this.createRepository(name, context);

    this.dataBuckets = [{ name: jobsBucket.name, arn: jobsBucket.arn }];
    this.jobQueueArn = queue.arn;
    this.jobRoleArn = jobRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.logGroupName = logGroup.name;
    this.compute = params.compute;
    this.outputs = pulumi.all({
      jobQueueArn: queue.arn,
      computeEnvironmentArn: computeEnvironment.arn,
      jobRoleArn: jobRole.arn,
      executionRoleArn: executionRole.arn,
      logGroup: logGroup.name,
      repositoryUrl: repository.repositoryUrl,
      jobsBucket: jobsBucket.name,
    });
    this.env = pulumi.all({ AWS_BATCH_JOB_QUEUE: queue.name, AWS_BATCH_JOB_ROLE_ARN: jobRole.arn });
    this.registerOutputs({ outputs: this.outputs });
  }

  private createLogGroup(name: string, namePrefix: string, retentionInDays: number): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/platinfra/${namePrefix}/batch`, retentionInDays }, { parent: this });
  }

  /**
   * A role ECS tasks assume (the execution role pulls images and ships logs; the job role is what
   * the job's code runs as), only on behalf of this account: no confused deputy.
   */
  private createTaskRole(resourceName: string, purpose: string, context: ToolContext): aws.iam.Role {
    return new aws.iam.Role(
      resourceName,
      { name: awsName([context.platform.namePrefix, purpose], NAME_LIMITS.iamRole), assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ecs-tasks.amazonaws.com", context.platform.accountId)) },
      { parent: this },
    );
  }

  /** AWS-managed policies by partition-aware ARN, so the stack also deploys outside the `aws` partition. */
  private attachManagedPolicy(resourceName: string, role: aws.iam.Role, policy: string): void {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    new aws.iam.RolePolicyAttachment(resourceName, { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` }, { parent: this });
  }

  /** One inline policy, living and dying with the role; refused if it ever grants "*" on "*". */
  private grantJobRole(name: string, role: aws.iam.Role, statements: PolicyStatement[]): void {
    new aws.iam.RolePolicy(`${name}-job-policy`, { role: role.id, name: pulumi.interpolate`${role.name}-inline`, policy: policyJson(statements) }, { parent: this });
  }

  /**
   * Nothing ever connects to a job: no ingress at all. Jobs pull images and reach S3 and AWS APIs.
   * Auto-named (tagged `Name`): a replacement must not collide with the group it replaces.
   */
  private createSecurityGroup(name: string, context: ToolContext): aws.ec2.SecurityGroup {
    const { platform } = context;
    return new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        description: "AWS Batch jobs: no inbound traffic, all outbound",
        tags: { Name: awsName([platform.namePrefix, "batch"], NAME_LIMITS.securityGroup) },
        vpcId: platform.network.vpcId,
        ingress: [],
        egress: [{ description: "Images, S3 and AWS APIs", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      },
      { parent: this },
    );
  }

  /**
   * The compute environment, named after its capacity: switching Fargate/EC2 or Spot replaces it,
   * and the new one must not collide with the old while the queue moves over.
   */
  private createComputeEnvironment(name: string, context: ToolContext, params: AwsBatchParams, securityGroup: aws.ec2.SecurityGroup): aws.batch.ComputeEnvironment {
    const { platform } = context;
    const capacity = `${params.compute}${params.spot ? "-spot" : ""}`;
    const network = { maxVcpus: params.max_vcpus, subnets: platform.network.privateSubnetIds, securityGroupIds: [securityGroup.id] };
    const computeResources: aws.types.input.batch.ComputeEnvironmentComputeResources =
      params.compute === "fargate"
        ? { type: params.spot ? "FARGATE_SPOT" : "FARGATE", ...network }
        : { ...this.ec2Resources(name, context, params), ...network };
    return new aws.batch.ComputeEnvironment(
      `${name}-compute`,
      { name: awsName([platform.namePrefix, "batch", capacity], NAME_LIMITS.batchName), type: "MANAGED", state: "ENABLED", computeResources },
      { parent: this },
    );
  }

  /** EC2 capacity: an instance profile for the ECS agent, IMDSv2 only, the ECS AMI (NVIDIA for GPUs). */
  private ec2Resources(name: string, context: ToolContext, params: AwsBatchParams): Omit<aws.types.input.batch.ComputeEnvironmentComputeResources, "maxVcpus" | "subnets"> {
    const instanceProfile = this.createInstanceProfile(name, context);
    // Hop limit 1: job containers cannot reach the instance's credentials, only their job role's.
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-instances`,
      { description: "AWS Batch instances: IMDSv2 only", metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } },
      { parent: this },
    );
    return {
      type: params.spot ? "SPOT" : "EC2",
      // Spot: capacity and price optimized, so no Spot fleet role is needed.
      allocationStrategy: params.spot ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
      minVcpus: 0,
      instanceTypes: instanceTypesOf(params),
      instanceRole: instanceProfile.arn,
      launchTemplate: { launchTemplateId: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
      ec2Configurations: [{ imageType: params.gpu ? "ECS_AL2023_NVIDIA" : "ECS_AL2023" }],
    };
  }

  private createInstanceProfile(name: string, context: ToolContext): aws.iam.InstanceProfile {
    const roleName = awsName([context.platform.namePrefix, "batch-instance"], NAME_LIMITS.iamRole);
    const role = new aws.iam.Role(
      `${name}-instance`,
      { name: roleName, assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")) },
      { parent: this },
    );
    this.attachManagedPolicy(`${name}-instance-policy`, role, "service-role/AmazonEC2ContainerServiceforEC2Role");
    return new aws.iam.InstanceProfile(`${name}-instance-profile`, { name: roleName, role: role.name }, { parent: this });
  }

  private createJobQueue(name: string, namePrefix: string, computeEnvironment: aws.batch.ComputeEnvironment): aws.batch.JobQueue {
    return new aws.batch.JobQueue(
      `${name}-queue`,
      {
        name: awsName([namePrefix, "batch"], NAME_LIMITS.batchName),
        state: "ENABLED",
        priority: 1,
        computeEnvironmentOrders: [{ order: 1, computeEnvironment: computeEnvironment.arn }],
      },
      { parent: this },
    );
  }

  /** Job images: tags immutable (a tag always means the same image), scanned on push, untagged ones expire. */
  private createRepository(name: string, context: ToolContext): aws.ecr.Repository {
    const { platform } = context;
    const repositoryName = awsName([platform.namePrefix, "batch-jobs"], NAME_LIMITS.ecrRepository);
    return createImageRepository(`${name}-images`, { repositoryName, forceDelete: platform.deployment.forceDestroyBuckets }, { parent: this });
  }
}


/** What a job may do: read and write the given buckets, write to its own log group. */
export function jobStatements(buckets: DataBucket[], logGroupArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    ...bucketStatements(buckets.map((bucket) => bucket.arn), "readwrite", "DataBuckets"),
    {
      Sid: "JobLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
    },
  ];
}



export const awsBatch: ToolComponentModule = {
  links: BATCH_LINKS,
  create: (name, context) => new AwsBatch(name, context, toolComponentOptions(context)),
};

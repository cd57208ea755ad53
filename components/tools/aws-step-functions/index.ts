import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { policyJson, serviceTrustPolicy, type PolicyStatement } from "../../base/policies";
import { AwsBatch } from "../aws-batch/index";
import { AwsFargate } from "../aws-fargate/index";
import { bucketStatements, linkedDataBuckets } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { DataBucket, ToolComponent, ToolComponentModule } from "../shared/types";
import { resolveTarget } from "./checks";
import { batchContainerProperties, batchDefinition, eksDefinition } from "./definition";
import { awsStepFunctionsParams, type AwsStepFunctionsParams } from "./params";
import { batchStatements, stateMachineStatements, type ArnScope } from "./policy";

/**
 * aws-batch for its queue, aws-fargate for its namespace (EKS jobs then run on Fargate); the
 * producers whose data the workflows may read and write (as aws-batch's jobs do).
 */
const STEP_FUNCTIONS_LINKS = ["aws-batch", "aws-fargate", "dvc", "mlflow", "zenml", "bentoml"];
/** The identity of the example's pods on the cluster (IRSA: the linked tools' data buckets). */
export const SERVICE_ACCOUNT = "step-functions-jobs";
/** The Kubernetes group the state machine's role is mapped to by its access entry ("system:" names are reserved). */
export const RUNJOB_GROUP = "platinfra-step-functions";
/** Step Functions allows state machine names of 1–80 characters. */
const STATE_MACHINE_NAME_LIMIT = 80;

/** What the target part of the component created: the definition, the role's statements, what the state machine waits for. */
interface TargetParts {
  definition: pulumi.Output<string>;
  statements: PolicyStatement[];
  dependsOn: pulumi.Resource[];
  outputs: Record<string, pulumi.Input<string>>;
  jobLogCommand: pulumi.Output<string>;
}

/**
 * The `aws-step-functions` orchestrator: a state machine role scoped to this stack (its Batch queue
 * and job definitions, or Jobs in one namespace of its cluster; the linked tools' data buckets), a
 * log group, and an example Standard state machine that runs one job on the Batch queue or, without
 * aws-batch, on the cluster through eks:runJob. Nothing is exposed; executions start with the AWS CLI.
 */
export class AwsStepFunctions extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:AwsStepFunctions", name, {}, opts);
    const params = awsStepFunctionsParams.parse(context.instance.params);
    const { platform } = context;
    const scope: ToolScope = { name, context, parent: this };
    const target = resolveTarget(params.target, [...context.peers.keys()]);
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const arnScope: ArnScope = { partition, region: platform.region, accountId: platform.accountId };
    const buckets = linkedDataBuckets(context, STEP_FUNCTIONS_LINKS);
    const role = this.createRole(name, context);
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      // /aws/vendedlogs/: AWS's prefix for vended logs, so deliveries don't grow the account's Logs resource policy.
      { name: `/aws/vendedlogs/states/${platform.namePrefix}-step-functions`, retentionInDays: params.log_retention_days },
      { parent: this },
    );
    const parts = target === "batch" ? this.batchTarget(name, context, arnScope) : this.eksTarget(scope, params, role, buckets, partition);
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.id, name: pulumi.interpolate`${role.name}-inline`, policy: policyJson(stateMachineStatements(parts.statements, buckets)) },
      { parent: this },
    );
    const stateMachine = this.createStateMachine(name, context, params, { role, logGroup, definition: parts.definition }, [policy, ...parts.dependsOn]);

    const commands = runCommands(platform.region, stateMachine.arn, logGroup.name, parts.jobLogCommand);
    this.outputs = pulumi.output({
      target,
      stateMachineArn: stateMachine.arn,
      stateMachineName: stateMachine.name,
      roleArn: role.arn,
      logGroup: logGroup.name,
      ...parts.outputs,
      dataBuckets: pulumi.all(buckets.map((bucket) => bucket.name)),
      startExecution: commands.apply((all) => all[0]),
      commands,
      beforeDestroy: stopRunning(platform.region, stateMachine.arn),
    });
    this.env = pulumi.all({ AWS_STEP_FUNCTIONS_STATE_MACHINE_ARN: stateMachine.arn, AWS_STEP_FUNCTIONS_ROLE_ARN: role.arn });
    this.registerOutputs({ outputs: this.outputs });
  }

  /** Assumed by Step Functions on behalf of this account only (no confused deputy). */
  private createRole(name: string, context: ToolContext): aws.iam.Role {
    const { platform } = context;
    return new aws.iam.Role(
      `${name}-role`,
      { name: awsName([platform.namePrefix, "step-functions"], NAME_LIMITS.iamRole), assumeRolePolicy: JSON.stringify(serviceTrustPolicy("states.amazonaws.com", platform.accountId)) },
      { parent: this },
    );
  }

  /**
   * A job definition for the example on aws-batch's queue (aws-batch registers none): its job role,
   * its execution role and log group, Fargate or EC2 as its compute environment is.
   */
  private batchTarget(name: string, context: ToolContext, arnScope: ArnScope): TargetParts {
    const batch = context.peers.get("aws-batch");
    // validate refuses target batch without aws-batch; this guards library callers that skip it.
    if (!(batch instanceof AwsBatch)) throw new Error("aws-step-functions: target batch needs aws-batch in the stack");
    const { platform } = context;
    const containerProperties = pulumi
      .all([batch.jobRoleArn, batch.executionRoleArn, batch.logGroupName])
      .apply(([jobRoleArn, executionRoleArn, logGroup]) => JSON.stringify(batchContainerProperties({ compute: batch.compute, jobRoleArn, executionRoleArn, logGroup, region: platform.region })));
    const jobDefinition = new aws.batch.JobDefinition(
      `${name}-example-job`,
      {
        name: awsName([platform.namePrefix, "sfn-example"], NAME_LIMITS.batchName),
        type: "container",
        platformCapabilities: [batch.compute === "fargate" ? "FARGATE" : "EC2"],
        containerProperties,
        propagateTags: true,
      },
      { parent: this },
    );
    const definition = pulumi
      .all([arnScope.partition, batch.jobQueueArn, jobDefinition.arn])
      .apply(([partition, jobQueueArn, jobDefinitionArn]) => JSON.stringify(batchDefinition({ partition, jobQueueArn, jobDefinitionArn }), null, 2));
    return {
      definition,
      statements: batchStatements(arnScope, batch.jobQueueArn, platform.namePrefix),
      dependsOn: [],
      outputs: { jobQueueArn: batch.jobQueueArn, jobDefinitionArn: jobDefinition.arn },
      jobLogCommand: pulumi.interpolate`aws logs tail ${batch.logGroupName} --region ${platform.region} --log-stream-name-prefix sfn-example --since 1h`,
    };
  }

  /**
   * The cluster as target: a namespace whose service account reads and writes the linked tools'
   * data, an access entry mapping the state machine's role to a Kubernetes group (the cluster
   * authenticates through access entries only), and RBAC for that group in that namespace only:
   * what runJob does — create the Job, watch it and its pods, read their logs, delete it.
   */
  private eksTarget(scope: ToolScope, params: AwsStepFunctionsParams, role: aws.iam.Role, buckets: DataBucket[], partition: pulumi.Output<string>): TargetParts {
    const { name } = scope;
    const { platform } = scope.context;
    const { namespace, serviceAccount } = this.jobNamespace(scope, params, buckets);
    const cluster = aws.eks.getClusterOutput({ name: platform.cluster.name }, { parent: this });
    const access = this.grantRunJob(name, scope.context, role, namespace);
    const definition = pulumi
      .all([partition, platform.cluster.name, cluster.endpoint, cluster.certificateAuthorities])
      .apply(([partition, clusterName, endpoint, authorities]) =>
        JSON.stringify(eksDefinition({ partition, clusterName, endpoint, certificateAuthority: authorities[0].data, namespace: namespace.name, serviceAccount }), null, 2),
      );
    return {
      definition,
      statements: [],
      dependsOn: access,
      outputs: { clusterName: platform.cluster.name, namespace: namespace.name, serviceAccount },
      jobLogCommand: pulumi.output(`kubectl -n ${namespace.name} logs job/sfn-example-\${EXECUTION_ARN##*:}`),
    };
  }

  /**
   * Where the EKS jobs run: aws-fargate's namespace and service account when the stack has it (the
   * jobs then run on Fargate, with its data-bucket role), else a namespace of this tool's own.
   */
  private jobNamespace(scope: ToolScope, params: AwsStepFunctionsParams, buckets: DataBucket[]): { namespace: ToolNamespace; serviceAccount: string } {
    const fargate = scope.context.peers.get("aws-fargate");
    if (fargate instanceof AwsFargate) return { namespace: fargate.namespace, serviceAccount: fargate.serviceAccount };
    const namespace = createNamespace(scope, params.namespace);
    createToolRole(scope, {
      role: "jobs",
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: buckets.length ? bucketStatements(buckets.map((bucket) => bucket.arn), "readwrite", "DataBuckets") : [],
    });
    return { namespace, serviceAccount: SERVICE_ACCOUNT };
  }

  /**
   * The state machine's role in the cluster: an access entry putting it in RUNJOB_GROUP, and a Role
   * bound to that group in the job namespace only. Without them runJob fails with EKS.401.
   */
  private grantRunJob(name: string, context: ToolContext, role: aws.iam.Role, namespace: ToolNamespace): pulumi.Resource[] {
    const { platform } = context;
    const entry = new aws.eks.AccessEntry(
      `${name}-access`,
      { clusterName: platform.cluster.name, principalArn: role.arn, type: "STANDARD", kubernetesGroups: [RUNJOB_GROUP] },
      { parent: this },
    );
    const rbacRole = new k8s.rbac.v1.Role(
      `${name}-runjob`,
      {
        metadata: { name: "step-functions-runjob", namespace: namespace.name },
        rules: [
          { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"] },
          { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
          { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        ],
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-runjob`,
      {
        metadata: { name: "step-functions-runjob", namespace: namespace.name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "step-functions-runjob" },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: RUNJOB_GROUP }],
      },
      { parent: this, dependsOn: [rbacRole] },
    );
    return [entry, binding];
  }

  /**
   * A Standard workflow (.sync integrations and a kept execution history need Standard). Created
   * after the role's policy: CreateStateMachine checks that the role may deliver to the log group.
   */
  private createStateMachine(
    name: string,
    context: ToolContext,
    params: AwsStepFunctionsParams,
    parts: { role: aws.iam.Role; logGroup: aws.cloudwatch.LogGroup; definition: pulumi.Output<string> },
    dependsOn: pulumi.Resource[],
  ): aws.sfn.StateMachine {
    return new aws.sfn.StateMachine(
      `${name}-example`,
      {
        name: awsName([context.platform.namePrefix, "sfn-example"], STATE_MACHINE_NAME_LIMIT),
        type: "STANDARD",
        roleArn: parts.role.arn,
        definition: parts.definition,
        loggingConfiguration: { level: params.log_level, includeExecutionData: params.include_execution_data, logDestination: pulumi.interpolate`${parts.logGroup.arn}:*` },
      },
      { parent: this, dependsOn },
    );
  }
}

/**
 * Start the example and watch it: its status until it leaves RUNNING (.sync tasks are polled by
 * Step Functions, up to minutes apart), the last history events, then the job's own logs.
 */
export function runCommands(region: string, stateMachineArn: pulumi.Input<string>, logGroup: pulumi.Input<string>, jobLogCommand: pulumi.Input<string>): pulumi.Output<string[]> {
  const execution = `--region ${region} --execution-arn "$EXECUTION_ARN"`;
  return pulumi.all([stateMachineArn, logGroup, jobLogCommand]).apply(([arn, group, jobLogs]) => [
    `EXECUTION_ARN=$(aws stepfunctions start-execution --region ${region} --state-machine-arn ${arn} --input '{}' --query executionArn --output text)`,
    `while [ "$(aws stepfunctions describe-execution ${execution} --query status --output text)" = RUNNING ]; do sleep 15; done`,
    `aws stepfunctions describe-execution ${execution} --query '{status: status, error: error, cause: cause, output: output}'`,
    `aws stepfunctions get-execution-history ${execution} --reverse-order --max-items 5`,
    jobLogs,
    `aws logs tail ${group} --region ${region} --since 1h`,
  ]);
}

/**
 * What `platinfra destroy` asks users to run first: DeleteStateMachine only marks the machine
 * DELETING until its executions end, and one waiting in a .sync task keeps it there (AWS knowledge
 * center "step-functions-stuck-deleting-status": stop the running executions). Stopped while the
 * role's policy and access entry still exist, Step Functions terminates the Batch job or deletes
 * the Kubernetes Job it started instead of leaving it running.
 */
export function stopRunning(region: string, stateMachineArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.interpolate`for arn in $(aws stepfunctions list-executions --region ${region} --state-machine-arn ${stateMachineArn} --status-filter RUNNING --query 'executions[].executionArn' --output text); do aws stepfunctions stop-execution --region ${region} --execution-arn "$arn"; done   # stops the example's running executions while the role may still terminate their jobs`;
}

export const awsStepFunctions: ToolComponentModule = {
  links: STEP_FUNCTIONS_LINKS,
  create: (name, context) => new AwsStepFunctions(name, context, toolComponentOptions(context)),
};

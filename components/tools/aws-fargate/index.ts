import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify as stringifyYaml } from "yaml";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { policyJson } from "../../base/policies";
import { bucketStatements, linkedDataBuckets } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { ToolComponent, ToolComponentModule } from "../shared/types";
import { EXAMPLE_JOB, exampleJob, FLUENT_BIT_FILTERS, FLUENT_BIT_PARSERS, fluentBitOutput, LIMITATIONS } from "./manifests";
import { awsFargateParams, type AwsFargateParams } from "./params";

/** The tools whose data pipeline pods read and write (their `dataBuckets`). */
const FARGATE_LINKS = ["dvc", "mlflow", "zenml", "bentoml", "aws-batch"];
/** The identity of pipeline pods in the namespace (IRSA: Fargate has no node role to fall back on). */
export const SERVICE_ACCOUNT = "pipeline";

/**
 * The `aws-fargate` orchestrator: an EKS Fargate profile selecting one pipeline namespace (pods
 * there run on Fargate, in the private subnets), the pod execution role Fargate's kubelet uses
 * (image pulls, logs; never visible to containers), an IRSA service account allowed exactly the
 * linked tools' data buckets, and the pods' logs in CloudWatch through Fargate's built-in Fluent Bit.
 */
export class AwsFargate extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  /** The namespace whose pods run on Fargate, and the service account they use: aws-step-functions runs its EKS jobs there. */
  readonly namespace: ToolNamespace;
  readonly serviceAccount = SERVICE_ACCOUNT;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:AwsFargate", name, {}, opts);
    const params = awsFargateParams.parse(context.instance.params);
    const { platform } = context;
    const scope: ToolScope = { name, context, parent: this };

    const namespace = createNamespace(scope, params.namespace);
    this.namespace = namespace;
    const buckets = linkedDataBuckets(context, FARGATE_LINKS);
    const irsa = createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: buckets.length ? bucketStatements(buckets.map((bucket) => bucket.arn), "readwrite", "DataBuckets") : [],
    });
    this.createDefaults(name, namespace);
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/platinfra/${platform.namePrefix}/fargate`, retentionInDays: params.log_retention_days }, { parent: this });
    const executionRole = this.createPodExecutionRole(name, context, logGroup);
    const logging = params.logging ? [this.createLogRouting(name, context, logGroup)] : [];
    const profile = this.createProfile(name, context, params, executionRole.role, [...executionRole.policies, ...logging]);

    const job = stringifyYaml(exampleJob(params.namespace, SERVICE_ACCOUNT, platform.region));
    this.outputs = pulumi.output({
      namespace: params.namespace,
      serviceAccount: SERVICE_ACCOUNT,
      serviceAccountRoleArn: irsa.role.arn,
      fargateProfileName: profile.fargateProfileName,
      podExecutionRoleArn: executionRole.role.arn,
      logGroup: logGroup.name,
      dataBuckets: pulumi.all(buckets.map((bucket) => bucket.name)),
      runsHere: `every pod created in namespace ${params.namespace} runs on Fargate (one pod per Fargate node, in the private subnets); pods elsewhere stay on the node groups`,
      limitations: LIMITATIONS,
      exampleJob: job,
      commands: commands(params.namespace, logGroup.name, platform.region),
    });
    this.env = pulumi.output<Record<string, string>>({});
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Requests equal to limits for containers that set none: Fargate sizes each pod from its requests
   * and would otherwise give it its smallest size (0.25 vCPU, 0.5 GB) without saying so.
   */
  private createDefaults(name: string, namespace: ToolNamespace): void {
    new k8s.core.v1.LimitRange(
      `${name}-defaults`,
      {
        metadata: { name: "fargate-defaults", namespace: namespace.name },
        spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "1Gi" }, defaultRequest: { cpu: "500m", memory: "1Gi" } }] },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * Assumed by Fargate for this cluster's profiles only (aws:SourceArn, as AWS advises against the
   * confused deputy): it pulls images and writes the pods' logs to the tool's log group. The
   * profile waits for its policies (and on destroy goes before them): a pod scheduled as soon as
   * the profile is active must not find the role without them.
   */
  private createPodExecutionRole(name: string, context: ToolContext, logGroup: aws.cloudwatch.LogGroup): { role: aws.iam.Role; policies: pulumi.Resource[] } {
    const { platform } = context;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const trust = pulumi.all([partition, platform.cluster.name]).apply(([part, cluster]) => JSON.stringify(podExecutionTrust(part, platform.region, platform.accountId, cluster)));
    const role = new aws.iam.Role(`${name}-pod-execution`, { name: awsName([platform.namePrefix, "fargate-pod-execution"], NAME_LIMITS.iamRole), assumeRolePolicy: trust }, { parent: this });
    const managed = new aws.iam.RolePolicyAttachment(
      `${name}-pod-execution-policy`,
      { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy` },
      { parent: this },
    );
    const logs = new aws.iam.RolePolicy(
      `${name}-pod-execution-logs`,
      {
        role: role.id,
        name: pulumi.interpolate`${role.name}-logs`,
        policy: policyJson([{ Sid: "FargateLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroup.arn}:*`] }]),
      },
      { parent: this },
    );
    return { role, policies: [managed, logs] };
  }

  /**
   * Fargate's log router reads one ConfigMap per cluster, aws-observability/aws-logging. platinfra
   * creates it because only this tool puts pods on Fargate; `logging: false` leaves an existing one.
   */
  private createLogRouting(name: string, context: ToolContext, logGroup: aws.cloudwatch.LogGroup): k8s.core.v1.ConfigMap {
    const observability = new k8s.core.v1.Namespace(
      `${name}-observability`,
      { metadata: { name: "aws-observability", labels: { "aws-observability": "enabled", "app.kubernetes.io/managed-by": "platinfra" } } },
      { parent: this, dependsOn: context.platform.ready },
    );
    return new k8s.core.v1.ConfigMap(
      `${name}-logging`,
      {
        metadata: { name: "aws-logging", namespace: "aws-observability" },
        data: {
          "output.conf": logGroup.name.apply((group) => fluentBitOutput(context.platform.region, group)),
          "filters.conf": FLUENT_BIT_FILTERS,
          "parsers.conf": FLUENT_BIT_PARSERS,
          flb_log_cw: "false",
        },
      },
      { parent: this, dependsOn: [observability] },
    );
  }

  /**
   * Profiles cannot be changed, only replaced: deleted first, since the replacement keeps the name
   * (a profile name is unique per cluster). Created after the log routing, which applies to new pods
   * only, and after the pod execution role's policies.
   */
  private createProfile(name: string, context: ToolContext, params: AwsFargateParams, role: aws.iam.Role, dependsOn: pulumi.Resource[]): aws.eks.FargateProfile {
    const { platform } = context;
    return new aws.eks.FargateProfile(
      `${name}-profile`,
      {
        clusterName: platform.cluster.name,
        fargateProfileName: awsName([platform.namePrefix, params.namespace], NAME_LIMITS.eksNodeGroup),
        podExecutionRoleArn: role.arn,
        subnetIds: platform.network.privateSubnetIds,
        selectors: [{ namespace: params.namespace }],
      },
      { parent: this, dependsOn, deleteBeforeReplace: true },
    );
  }
}

/** The trust AWS documents for a pod execution role, limited to this cluster's Fargate profiles. */
export function podExecutionTrust(partition: string, region: string, accountId: string, cluster: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "eks-fargate-pods.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:eks:${region}:${accountId}:fargateprofile/${cluster}/*` } },
      },
    ],
  };
}

/** Run the example Job, see it land on a Fargate node, read its answer and the logs CloudWatch got. */
function commands(namespace: string, logGroup: pulumi.Output<string>, region: string): pulumi.Output<string[]> {
  return logGroup.apply((group) => [
    `platinfra outputs stack.yaml --json | jq -r '.tools["aws-fargate"].exampleJob' > ${EXAMPLE_JOB}.yaml`,
    `kubectl apply -f ${EXAMPLE_JOB}.yaml`,
    `kubectl -n ${namespace} wait --for=condition=complete job/${EXAMPLE_JOB} --timeout=10m`,
    `kubectl -n ${namespace} get pods -l job-name=${EXAMPLE_JOB} -o wide`,
    `kubectl -n ${namespace} logs job/${EXAMPLE_JOB}`,
    `aws logs tail ${group} --region ${region} --since 1h`,
    `kubectl -n ${namespace} delete job ${EXAMPLE_JOB}`,
  ]);
}

export const awsFargate: ToolComponentModule = {
  links: FARGATE_LINKS,
  create: (name, context) => new AwsFargate(name, context, toolComponentOptions(context)),
};

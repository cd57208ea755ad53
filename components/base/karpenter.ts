import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupSpec } from "../../src/spec/types";
import { CHARTS } from "./charts";
import { helmRelease } from "./helm";
import { interruptionQueuePolicy, INTERRUPTION_EVENTS, karpenterControllerStatements } from "./karpenter-policy";
import { awsName, NAME_LIMITS } from "./naming";
import { NODE_GROUP_LABEL } from "./node-groups";
import { DEFAULT_POOL, DISCOVERY_TAG, ec2NodeClass, nodePool } from "./node-pools";
import { ServiceAccountRole } from "./service-account-role";

const NAMESPACE = "kube-system";
const SERVICE_ACCOUNT = "karpenter";
const QUEUE_NAME_LIMIT = 80;
const RULE_NAME_LIMIT = 64;
/** Two replicas (leader election) on separate system nodes; requests sized to leave the system group room for the add-ons. */
const CONTROLLER_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } };

export interface KarpenterArgs {
  /** The cluster's name as text: the policy's conditions and the discovery tag name it. */
  clusterName: string;
  /** The same name as an Output of the control plane, so what needs the cluster waits for it. */
  cluster: pulumi.Input<string>;
  /** Prefix of the physical names (queue, rules, role). */
  namePrefix: string;
  region: string;
  accountId: string;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** The node role Karpenter's nodes run as (the managed node groups' role, with its EC2_LINUX access entry). */
  nodeRole: aws.iam.Role;
  /** The cluster security group EKS gives nodes: tagged for discovery. */
  nodeSecurityGroupId: pulumi.Input<string>;
  /** The spec's groups other than `system`: one NodePool each, next to the default CPU pool. */
  groups: NodeGroupSpec[];
  /** Subnets to launch in by id, for networks platinfra did not create. @default the subnets tagged for discovery */
  subnetIds?: pulumi.Input<string[]>;
  /** Tags for every instance and volume Karpenter launches (the provider's default tags do not reach them). */
  tags: Record<string, string>;
  /** What the controller waits for: the system nodes and the add-ons its pods need. */
  dependsOn: pulumi.Resource[];
}

/**
 * Karpenter on the system managed node group: its CRDs as their own release (so chart upgrades
 * upgrade them), the controller with an IRSA role scoped to this cluster, the interruption queue
 * fed by EventBridge, and one NodePool with its EC2NodeClass per spec group, plus a default CPU
 * pool. Expects the `kubernetes` provider in its options' providers.
 */
export class Karpenter extends pulumi.ComponentResource {
  /** Tools wait for these: once they exist, pending pods get nodes. */
  readonly nodePools: k8s.apiextensions.CustomResource[];
  readonly queueName: pulumi.Output<string>;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Karpenter", name, {}, opts);
    const queue = this.createInterruptionQueue(name, args);
    this.tagSecurityGroup(name, args);
    const role = this.createControllerRole(name, args, queue);
    const crds = helmRelease(
      `${name}-crd`,
      { chart: CHARTS.karpenterCrd, releaseName: "karpenter-crd", namespace: NAMESPACE, values: {} },
      { parent: this, dependsOn: args.dependsOn },
    );
    const controller = this.createController(name, args, queue, role, crds);
    const pools = args.groups.some((group) => group.name === DEFAULT_POOL.name) ? args.groups : [DEFAULT_POOL, ...args.groups];
    this.nodePools = pools.map((group) => this.createPool(name, args, group, controller));
    this.queueName = queue.name;
    this.registerOutputs({ queueName: this.queueName });
  }

  /** The SQS queue EventBridge feeds with interruption, rebalance and state-change events, encrypted. */
  private createInterruptionQueue(name: string, args: KarpenterArgs): aws.sqs.Queue {
    const queue = new aws.sqs.Queue(
      `${name}-interruption`,
      {
        name: awsName([args.namePrefix, "karpenter"], QUEUE_NAME_LIMIT),
        // Events older than five minutes are stale: the instance is gone or the warning passed.
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
      },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-interruption-policy`,
      { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))) },
      { parent: this },
    );
    for (const [suffix, event] of Object.entries(INTERRUPTION_EVENTS)) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${suffix}`,
        {
          name: awsName([args.namePrefix, "karpenter", suffix], RULE_NAME_LIMIT),
          description: `Karpenter interruption handling for ${args.clusterName}: ${event.detailType}`,
          eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(`${name}-${suffix}-target`, { rule: rule.name, arn: queue.arn, targetId: "KarpenterInterruptionQueueTarget" }, { parent: this });
    }
    return queue;
  }

  /** EKS creates the cluster security group; Karpenter finds it (for its nodes) by this tag. */
  private tagSecurityGroup(name: string, args: KarpenterArgs): void {
    new aws.ec2.Tag(
      `${name}-security-group-discovery`,
      { resourceId: args.nodeSecurityGroupId, key: DISCOVERY_TAG, value: args.clusterName },
      { parent: this },
    );
  }

  private createControllerRole(name: string, args: KarpenterArgs, queue: aws.sqs.Queue): ServiceAccountRole {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const statements = pulumi
      .all([partition, args.nodeRole.arn, queue.arn])
      .apply(([resolvedPartition, nodeRoleArn, queueArn]) =>
        karpenterControllerStatements({ partition: resolvedPartition, region: args.region, accountId: args.accountId, clusterName: args.clusterName, nodeRoleArn, queueArn }),
      );
    return new ServiceAccountRole(
      `${name}-irsa`,
      {
        roleName: awsName([args.namePrefix, "karpenter"], NAME_LIMITS.iamRole),
        namespace: NAMESPACE,
        serviceAccountName: SERVICE_ACCOUNT,
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        statements,
        createServiceAccount: false, // the chart creates it, annotated with the role
      },
      { parent: this },
    );
  }

  private createController(name: string, args: KarpenterArgs, queue: aws.sqs.Queue, role: ServiceAccountRole, crds: k8s.helm.v3.Release): k8s.helm.v3.Release {
    return helmRelease(
      `${name}-controller`,
      {
        chart: CHARTS.karpenter,
        releaseName: "karpenter",
        namespace: NAMESPACE,
        skipCrds: true, // the karpenter-crd release owns them
        values: {
          settings: { clusterName: args.cluster, interruptionQueue: queue.name },
          serviceAccount: { create: true, name: SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": role.roleArn } },
          replicas: 2,
          // On the managed system group, never on nodes Karpenter itself manages (the chart's own affinity keeps that).
          nodeSelector: { "kubernetes.io/os": "linux", [NODE_GROUP_LABEL]: "system" },
          controller: { resources: CONTROLLER_RESOURCES, env: [{ name: "AWS_REGION", value: args.region }] },
        },
      },
      { parent: this, dependsOn: [...args.dependsOn, crds, role] },
    );
  }

  /** A group's EC2NodeClass, then its NodePool (deleted first on destroy, while the controller still runs to drain its nodes). */
  private createPool(name: string, args: KarpenterArgs, group: NodeGroupSpec, controller: k8s.helm.v3.Release): k8s.apiextensions.CustomResource {
    const nodeClass = pulumi
      .all([args.nodeRole.name, args.subnetIds])
      .apply(([roleName, subnetIds]) => ec2NodeClass(group, { roleName, clusterName: args.clusterName, tags: args.tags, ...(subnetIds ? { subnetIds } : {}) }));
    const classResource = new k8s.apiextensions.CustomResource(
      `${name}-${group.name}-class`,
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: group.name },
        spec: nodeClass.apply((object) => object.spec as Record<string, unknown>),
      },
      { parent: this, dependsOn: [controller] },
    );
    const pool = nodePool(group);
    return new k8s.apiextensions.CustomResource(
      `${name}-${group.name}-pool`,
      { apiVersion: pool.apiVersion as string, kind: pool.kind as string, metadata: { name: group.name }, spec: pool.spec },
      { parent: this, dependsOn: [controller, classResource] },
    );
  }
}

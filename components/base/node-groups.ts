import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NodeGroupSpec } from "../../src/spec/types";
import { awsName, NAME_LIMITS } from "./naming";
import { serviceTrustPolicy } from "./policies";

/** The label and taint GPU nodes carry, so only workloads that ask for a GPU land there. */
export const GPU_LABEL = "platinfra.dev/gpu";
export const GPU_TAINT = { key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" } as const;
/** The label naming a node's group, for placement. */
export const NODE_GROUP_LABEL = "platinfra.dev/node-group";

const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"];
/** The provider appends a 26-character unique suffix to a name prefix; node group names have at most 63. */
const NODE_GROUP_PREFIX_LIMIT = NAME_LIMITS.eksNodeGroup - 26 - 1;
const ARM_FAMILIES = /^(a1|[a-z]+\d+g[a-z]*)\./;

export interface NodeGroupsArgs {
  clusterName: pulumi.Input<string>;
  /** The control plane's Kubernetes version: nodes follow it, after the control plane is upgraded. */
  kubernetesVersion: pulumi.Input<string>;
  /** Prefix of the physical names (node role, node groups). */
  namePrefix: string;
  /** Private subnets the nodes run in. */
  subnetIds: pulumi.Input<string[]>;
  groups: NodeGroupSpec[];
  /** What must exist before nodes boot (the private subnets' NAT routes). @default nothing */
  waitFor?: pulumi.Resource[];
}

/**
 * EKS managed node groups from the spec: one IAM role for the nodes, and per group an encrypted
 * gp3 root volume with IMDSv2 required (launch template), on-demand or spot, the NVIDIA AMI with a
 * GPU taint and label for GPU groups.
 */
export class NodeGroups extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly groups: aws.eks.NodeGroup[];

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:NodeGroups", name, {}, opts);
    this.role = this.createNodeRole(name, args.namePrefix);
    this.groups = args.groups.map((group) => this.createGroup(name, args, group));
    this.registerOutputs({ names: this.groups.map((group) => group.nodeGroupName) });
  }

  private createNodeRole(name: string, prefix: string): aws.iam.Role {
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: awsName([prefix, "nodes"], NAME_LIMITS.iamRole),
        assumeRolePolicy: JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com")),
      },
      { parent: this },
    );
    for (const policy of NODE_POLICIES) {
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${aws.getPartitionOutput({}, { parent: this }).partition}:iam::aws:policy/${policy}` },
        { parent: this },
      );
    }
    return role;
  }

  private createGroup(name: string, args: NodeGroupsArgs, group: NodeGroupSpec): aws.eks.NodeGroup {
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-${group.name}-template`,
      {
        description: `Nodes of group ${group.name}: encrypted root volume, IMDSv2 only`,
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: group.diskSize, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
        ],
        // Hop limit 1: the node's own processes reach IMDS, containers (one hop further) do not, so a pod
        // cannot take the node role's credentials; pods get theirs through IRSA.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      },
      { parent: this },
    );
    return new aws.eks.NodeGroup(
      `${name}-${group.name}`,
      {
        clusterName: args.clusterName,
        // A prefix, not a fixed name: changing instance types, capacity or AMI replaces the group, and
        // the new one is created (under a new name) before the old one is drained and deleted.
        nodeGroupNamePrefix: `${awsName([args.namePrefix, group.name], NODE_GROUP_PREFIX_LIMIT)}-`,
        version: args.kubernetesVersion,
        nodeRoleArn: this.role.arn,
        subnetIds: args.subnetIds,
        instanceTypes: group.instanceTypes,
        capacityType: group.spot ? "SPOT" : "ON_DEMAND",
        amiType: amiType(group),
        scalingConfig: { minSize: group.min, maxSize: group.max, desiredSize: group.desired },
        updateConfig: { maxUnavailablePercentage: 33 },
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        labels: nodeLabels(group),
        taints: nodeTaints(group),
      },
      // No autoscaler resizes managed groups (Karpenter adds its own nodes): the spec's desired size holds.
      { parent: this, dependsOn: args.waitFor ?? [] },
    );
  }
}

/** AL2023 images: NVIDIA for GPU groups, ARM for Graviton instance families. */
export function amiType(group: NodeGroupSpec): string {
  if (group.gpu) return "AL2023_x86_64_NVIDIA";
  return group.instanceTypes.every((type) => ARM_FAMILIES.test(type)) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

export function nodeLabels(group: NodeGroupSpec): Record<string, string> {
  return { ...group.labels, [NODE_GROUP_LABEL]: group.name, ...(group.gpu ? { [GPU_LABEL]: "true" } : {}) };
}

const EFFECTS = { NoSchedule: "NO_SCHEDULE", PreferNoSchedule: "PREFER_NO_SCHEDULE", NoExecute: "NO_EXECUTE" } as const;

/** The spec's taints in EKS's spelling, plus the GPU taint on GPU groups. */
export function nodeTaints(group: NodeGroupSpec): { key: string; value?: string; effect: string }[] {
  const taints = group.taints.map((taint) => ({ key: taint.key, ...(taint.value ? { value: taint.value } : {}), effect: EFFECTS[taint.effect] }));
  const hasGpuTaint = taints.some((taint) => taint.key === GPU_TAINT.key);
  return group.gpu && !hasGpuTaint ? [...taints, { ...GPU_TAINT }] : taints;
}

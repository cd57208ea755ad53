import type { NodeGroupSpec } from "../../src/spec/types";
import { GPU_LABEL, GPU_TAINT, NODE_GROUP_LABEL } from "./node-groups";

/**
 * Karpenter v1 NodePool and EC2NodeClass objects for the spec's node groups, as plain data (the
 * Karpenter component applies them). Shapes follow the v1 CRDs of Karpenter 1.14.1
 * (test/fixtures/crds/karpenter/).
 */

/** The tag Karpenter discovers the nodes' subnets and security group by (value: the cluster name). */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

/**
 * The EKS-optimized AL2023 release every Karpenter node boots (awslabs/amazon-eks-ami tag; it has
 * images for Kubernetes 1.30–1.36, standard and NVIDIA variants). Pinned rather than `latest`:
 * with `latest` every new AMI release drifts and replaces every node, unreviewed — the Karpenter
 * docs advise against it in production. A Kubernetes version bump still moves nodes to that
 * version's image of this release (the alias resolves per cluster version); bumping this constant
 * rolls nodes to a newer release, as a reviewed change.
 */
export const AL2023_RELEASE = "v20260714";

/** The pool that exists whatever the spec names, so tool pods always have somewhere to grow. */
export const DEFAULT_POOL: NodeGroupSpec = {
  name: "default",
  instanceTypes: [],
  min: 0,
  max: 0,
  desired: 0,
  spot: false,
  gpu: false,
  diskSize: 50,
  labels: {},
  taints: [],
};
/** The default pool's ceiling: 32 vCPUs (e.g. eight m-family xlarge nodes), a cost guard. */
export const DEFAULT_POOL_LIMITS = { cpu: "32", memory: "128Gi" } as const;

const SIZE_VCPUS: Record<string, number> = { medium: 1, large: 2, xlarge: 4 };
/** NVIDIA GPUs per instance where a family's sizes differ (EC2 accelerated computing specs); other sizes have one. */
const MULTI_GPU_SIZES: Record<string, Record<string, number>> = {
  g4dn: { "12xlarge": 4, metal: 8 },
  g5: { "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
  g6: { "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
  g6e: { "12xlarge": 4, "24xlarge": 4, "48xlarge": 8 },
  p3: { "8xlarge": 4, "16xlarge": 8 },
  p3dn: { "24xlarge": 8 },
  p4d: { "24xlarge": 8 },
  p4de: { "24xlarge": 8 },
  p5: { "48xlarge": 8 },
  p5e: { "48xlarge": 8 },
  p5en: { "48xlarge": 8 },
};

/** vCPUs of an instance type from its size (`large` 2, `8xlarge` 32); undefined when the size does not say (metal, nano). */
export function vcpusOf(instanceType: string): number | undefined {
  const size = instanceType.split(".")[1] ?? "";
  const multiple = /^(\d+)xlarge$/.exec(size);
  return multiple ? Number(multiple[1]) * 4 : SIZE_VCPUS[size];
}

/** NVIDIA GPUs of a GPU instance type. */
export function gpusOf(instanceType: string): number {
  const [family, size] = instanceType.split(".");
  return MULTI_GPU_SIZES[family]?.[size] ?? 1;
}

/**
 * The pool's ceiling from the group's `max` nodes: that many nodes, and the vCPUs (and GPUs) of
 * that many of its largest instance type. Quantities as strings, as the API server stores them.
 */
export function poolLimits(group: NodeGroupSpec): Record<string, string> {
  if (group === DEFAULT_POOL) return { ...DEFAULT_POOL_LIMITS };
  const vcpus = group.instanceTypes.map(vcpusOf);
  const limits: Record<string, string> = { nodes: String(group.max) };
  if (vcpus.every((count) => count !== undefined)) limits.cpu = String(group.max * Math.max(...(vcpus as number[])));
  if (group.gpu) limits["nvidia.com/gpu"] = String(group.max * Math.max(...group.instanceTypes.map(gpusOf)));
  return limits;
}

interface Requirement {
  key: string;
  operator: "In" | "Gt";
  values: string[];
}

/** Which instances a pool may launch: the group's types (or general-purpose families), its capacity type, NVIDIA for GPU pools. */
export function poolRequirements(group: NodeGroupSpec): Requirement[] {
  const instances: Requirement[] =
    group === DEFAULT_POOL
      ? [
          { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
          { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
        ]
      : [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [...group.instanceTypes] }];
  const gpu: Requirement[] = group.gpu ? [{ key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] }] : [];
  return [
    ...instances,
    ...gpu,
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "karpenter.sh/capacity-type", operator: "In", values: [group.spot ? "spot" : "on-demand"] },
  ];
}

/** The spec's taints in Kubernetes' spelling, plus the GPU taint on GPU pools. */
export function poolTaints(group: NodeGroupSpec): NodeGroupSpec["taints"] {
  const taints = group.taints.map((taint) => ({ ...taint }));
  const hasGpuTaint = taints.some((taint) => taint.key === GPU_TAINT.key);
  return group.gpu && !hasGpuTaint ? [...taints, { key: GPU_TAINT.key, value: GPU_TAINT.value, effect: "NoSchedule" }] : taints;
}

/** A NodePool for one group, launching through the EC2NodeClass of the same name. */
export function nodePool(group: NodeGroupSpec): Record<string, unknown> {
  const taints = poolTaints(group);
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: group.name },
    spec: {
      template: {
        metadata: { labels: { ...group.labels, [NODE_GROUP_LABEL]: group.name, ...(group.gpu ? { [GPU_LABEL]: "true" } : {}) } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: group.name },
          requirements: poolRequirements(group),
          ...(taints.length > 0 ? { taints } : {}),
        },
      },
      limits: poolLimits(group),
      disruption: {
        consolidationPolicy: "WhenEmptyOrUnderutilized",
        // GPU nodes take minutes to start and cost the most: keep an idle one a little longer between jobs.
        consolidateAfter: group.gpu ? "5m" : "1m",
      },
      // A pool the spec names wins over the default pool for pods both could run.
      ...(group === DEFAULT_POOL ? {} : { weight: 10 }),
    },
  };
}

export interface NodeClassArgs {
  /** The node IAM role's name: Karpenter makes and manages the instance profile from it. */
  roleName: string;
  /** The cluster name: the discovery tag's value. */
  clusterName: string;
  /** Subnet ids to launch in, when the network is not platinfra's (its subnets carry no discovery tag). @default the tagged subnets */
  subnetIds?: string[];
  /** Tags every instance, volume and network interface Karpenter launches gets. */
  tags: Record<string, string>;
}

/** The EC2NodeClass of one group: AL2023 (NVIDIA variant picked for GPU types), encrypted gp3 root, IMDSv2 from the host only. */
export function ec2NodeClass(group: NodeGroupSpec, args: NodeClassArgs): Record<string, unknown> {
  const discovered = [{ tags: { [DISCOVERY_TAG]: args.clusterName } }];
  return {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: group.name },
    spec: {
      role: args.roleName,
      amiSelectorTerms: [{ alias: `al2023@${AL2023_RELEASE}` }],
      subnetSelectorTerms: args.subnetIds ? args.subnetIds.map((id) => ({ id })) : discovered,
      securityGroupSelectorTerms: discovered,
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: { volumeSize: `${group.diskSize}Gi`, volumeType: "gp3", encrypted: true, deleteOnTermination: true },
        },
      ],
      // Hop limit 1: pods outside the host network cannot reach the node's credentials (they use IRSA).
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      tags: { ...args.tags },
    },
  };
}

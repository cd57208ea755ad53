import type { DeploymentDocument, NodeGroupDocument } from "./deployment";
import type { DeploymentSpec, NodeGroupSpec } from "./types";

/** The node group every created cluster has, for cluster add-ons and tools without a GPU. */
export const DEFAULT_SYSTEM_GROUP: NodeGroupSpec = {
  name: "system",
  instanceTypes: ["m6i.large"],
  min: 2,
  max: 4,
  desired: 2,
  spot: false,
  gpu: false,
  diskSize: 50,
  labels: {},
  taints: [],
};

const DEFAULT_VPC = { cidr: "10.0.0.0/16", nat: "single", flowLogs: false } as const;

/** Validated `deployment` settings, defaults settled, in the program's naming. */
export function toDeployment(document: DeploymentDocument): DeploymentSpec {
  const groups = (document.node_groups ?? []).map(toNodeGroup);
  const adoptsCluster = Boolean(document.existing_cluster || document.from_terraform_state?.outputs.cluster_name);
  const nodeGroups = adoptsCluster || groups.some((group) => group.name === "system") ? groups : [DEFAULT_SYSTEM_GROUP, ...groups];
  return {
    type: "kubernetes",
    kubernetesVersion: document.kubernetes_version,
    support: document.support,
    clusterLogRetentionDays: document.cluster_log_retention_days,
    databases: { applyImmediately: document.databases?.apply_immediately ?? false, finalSnapshot: document.databases?.final_snapshot ?? true },
    endpointPublicAccess: document.endpoint_public_access,
    publicAccessCidrs: document.public_access_cidrs ?? ["0.0.0.0/0"],
    nodeGroups,
    // Karpenter needs a cluster platinfra creates; an adopted cluster's nodes are managed where it was made.
    autoscaling: adoptsCluster ? "none" : (document.autoscaling ?? "karpenter"),
    vpc: document.vpc ? { cidr: document.vpc.cidr, nat: document.vpc.nat, flowLogs: document.vpc.flow_logs } : { ...DEFAULT_VPC },
    deletionProtection: document.deletion_protection,
    forceDestroyBuckets: document.force_destroy_buckets,
    tags: document.tags,
    admins: document.admins,
    ...(document.dns ? { dns: { hostedZoneId: document.dns.hosted_zone_id } } : {}),
    ...(document.existing_cluster ? { existingCluster: document.existing_cluster } : {}),
    ...(document.from_terraform_state ? { fromTerraformState: document.from_terraform_state } : {}),
  };
}

function toNodeGroup(group: NodeGroupDocument): NodeGroupSpec {
  return {
    name: group.name,
    instanceTypes: group.instance_types,
    min: group.min,
    max: group.max,
    desired: group.desired ?? group.min,
    spot: group.spot,
    gpu: group.gpu,
    diskSize: group.disk_size,
    labels: group.labels,
    taints: group.taints,
  };
}

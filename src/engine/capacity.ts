import type { NodeGroupSpec, Spec } from "../spec/types";

/**
 * Zone IDs whose subnets EKS refuses for a cluster (control plane): "Subnet requirements for
 * clusters", https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html. Zone IDs, not
 * names: names are shuffled per account. Kept free of Pulumi: preflight and the program share it.
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** How many zones a created network spans. */
export const ZONES_PER_NETWORK = 3;

/** The zones a new network uses: the first three, in the region's order, whose zone IDs EKS accepts. */
export function eksZones(names: readonly string[], zoneIds: readonly string[]): string[] {
  return names.filter((_, index) => !EKS_UNSUPPORTED_ZONE_IDS.includes(zoneIds[index])).slice(0, ZONES_PER_NETWORK);
}

/** A vCPU quota of Service Quotas, and the console page where more is requested. */
export interface Quota {
  service: "ec2" | "fargate";
  code: string;
  name: string;
}

/**
 * The quotas node groups and Batch run into on a fresh account: GPU and Spot (often 0), Fargate, and
 * the standard families every cluster's nodes count against (new accounts can start with a few vCPUs).
 */
export const QUOTAS = {
  standardOnDemand: { service: "ec2", code: "L-1216C47A", name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" },
  standardSpot: { service: "ec2", code: "L-34B43A08", name: "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests" },
  gpuOnDemand: { service: "ec2", code: "L-DB2E81BA", name: "Running On-Demand G and VT instances" },
  gpuSpot: { service: "ec2", code: "L-3819A6DF", name: "All G and VT Spot Instance Requests" },
  pOnDemand: { service: "ec2", code: "L-417A185B", name: "Running On-Demand P instances" },
  pSpot: { service: "ec2", code: "L-7212CCBC", name: "All P Spot Instance Requests" },
  fargate: { service: "fargate", code: "L-3032A538", name: "Fargate On-Demand vCPU resource count" },
} as const satisfies Record<string, Quota>;

export function quotaRequestUrl(quota: Quota, region: string): string {
  return `https://${region}.console.aws.amazon.com/servicequotas/home/services/${quota.service}/quotas/${quota.code}`;
}

/** vCPUs the spec needs from one quota at least, and for what. */
export interface QuotaNeed {
  quota: Quota;
  vcpus: number;
  reason: string;
}

/**
 * The quota an instance type counts against, when it is a standard family (A, C, D, H, I, M, R, T, Z:
 * not inf, trn, dl, hpc, mac, x, u) or a GPU family (G/VT or P).
 */
function instanceQuota(instanceType: string, spot: boolean): Quota | undefined {
  const family = instanceType.split(".")[0];
  if (/^(g|gr|vt)\d/.test(family)) return spot ? QUOTAS.gpuSpot : QUOTAS.gpuOnDemand;
  if (/^p\d/.test(family)) return spot ? QUOTAS.pSpot : QUOTAS.pOnDemand;
  if (/^(a|c|d|h|i|im|is|m|r|t|z)\d/.test(family)) return spot ? QUOTAS.standardSpot : QUOTAS.standardOnDemand;
  return undefined;
}

/**
 * What the spec needs from the vCPU quotas: for each node group, its starting nodes (at least one,
 * or it could never start: a Karpenter pool's first node) of its smallest instance type; for Batch,
 * one instance of its smallest GPU type, or one vCPU on Fargate. `vcpusOf` gives an instance type's vCPUs.
 */
export function quotaNeeds(spec: Spec, vcpusOf: (instanceType: string) => number): QuotaNeed[] {
  const needs: QuotaNeed[] = [];
  const add = (types: string[], spot: boolean, nodes: number, reason: string) => {
    const smallest = [...types].sort((a, b) => vcpusOf(a) - vcpusOf(b))[0];
    const quota = smallest ? instanceQuota(smallest, spot) : undefined;
    if (quota) needs.push({ quota, vcpus: nodes * vcpusOf(smallest), reason });
  };
  for (const group of spec.deployment.nodeGroups) {
    const nodes = Math.max(group.desired, 1);
    add(group.instanceTypes, group.spot, nodes, `node group ${group.name}: ${nodes} × ${group.spot ? "spot " : ""}${group.instanceTypes.join("/")}`);
  }
  for (const tool of spec.tools.filter((candidate) => candidate.name === "aws-batch")) {
    const params = tool.params as { compute?: string; gpu?: boolean; spot?: boolean; instance_types?: string[] };
    if ((params.compute ?? "fargate") === "fargate" && !params.spot) needs.push({ quota: QUOTAS.fargate, vcpus: 1, reason: "aws-batch on Fargate: one job" });
    else if (params.gpu && params.instance_types) add(params.instance_types, params.spot ?? false, 1, `aws-batch: one ${params.instance_types.join("/")} instance`);
  }
  return needs;
}

/** Needs summed per quota, compared with the account's values: one line per quota that is short. */
export function quotaShortfalls(needs: QuotaNeed[], values: Map<string, number>, region: string): string[] {
  const byCode = new Map<string, { quota: Quota; vcpus: number; reasons: string[] }>();
  for (const need of needs) {
    const entry = byCode.get(need.quota.code) ?? { quota: need.quota, vcpus: 0, reasons: [] };
    entry.vcpus += need.vcpus;
    entry.reasons.push(need.reason);
    byCode.set(need.quota.code, entry);
  }
  return [...byCode.values()].flatMap(({ quota, vcpus, reasons }) => {
    const value = values.get(quota.code) ?? 0;
    if (value >= vcpus) return [];
    return [
      `quota "${quota.name}" (${quota.code}) is ${value} vCPUs in ${region}, the spec needs ${vcpus} (${reasons.join("; ")}) — request more: ${quotaRequestUrl(quota, region)}`,
    ];
  });
}

/** Node groups none of whose instance types any of the zones offers: they could never get a node. */
export function unofferedGroups(groups: NodeGroupSpec[], zones: string[], offered: Map<string, Set<string>>): string[] {
  return groups
    .filter((group) => !zones.some((zone) => group.instanceTypes.some((type) => offered.get(zone)?.has(type))))
    .map((group) => `node group ${group.name}: none of ${group.instanceTypes.join(", ")} is offered in ${zones.join(", ")} — choose instance types this region offers (aws ec2 describe-instance-type-offerings --location-type availability-zone)`);
}

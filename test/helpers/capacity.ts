import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderResult, RenderedResource } from "../../src/engine/render";
import { chartOf } from "./chart-keys";
import { PROJECT_ROOT } from "./cli";

/** CPU in millicores, memory in MiB. */
export interface Requests {
  cpu: number;
  memory: number;
}

/** Pods of one kind that must find room: `count` copies of a pod requesting `pod`. */
export interface Pods {
  name: string;
  count: number;
  pod: Requests;
}

/** Kubernetes quantities as they appear in manifests: "500m", "1", 2, "512Mi", "2Gi", "2G". */
export function cpuMillicores(quantity: unknown): number {
  if (quantity === undefined || quantity === null) return 0;
  const text = String(quantity);
  return text.endsWith("m") ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

const MEMORY_UNITS: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };

export function memoryMebibytes(quantity: unknown): number {
  if (quantity === undefined || quantity === null) return 0;
  const match = /^(\d+(?:\.\d+)?)([KMGT]i|[kMG])?$/.exec(String(quantity));
  if (!match) throw new Error(`not a memory quantity: ${String(quantity)}`);
  return Number(match[1]) * (match[2] ? MEMORY_UNITS[match[2]] : 1 / 1048576);
}

/** What a container is guaranteed: its requests, or its limits where it sets no request (Kubernetes' own defaulting). */
export function containerRequests(resources: unknown): Requests {
  const { requests = {}, limits = {} } = (resources ?? {}) as { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  return { cpu: cpuMillicores(requests.cpu ?? limits.cpu), memory: memoryMebibytes(requests.memory ?? limits.memory) };
}

export const sum = (all: Requests[]): Requests => all.reduce((total, item) => ({ cpu: total.cpu + item.cpu, memory: total.memory + item.memory }), { cpu: 0, memory: 0 });

/**
 * A node's allocatable resources as EKS's AL2023 AMI configures the kubelet (nodeadm,
 * awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go):
 *   kube-reserved CPU    = 6% of the first core + 1% of the second + 0.5% of cores 3–4 + 0.25% above 4
 *   kube-reserved memory = 11 MiB × maxPods + 255 MiB
 *   system-reserved      = none (nodeadm only names the cgroup)
 *   eviction-hard        = memory.available < 100Mi
 *   allocatable          = capacity − kube-reserved − system-reserved − eviction-hard
 * maxPods is the VPC CNI's ENI limit (nodeadm/internal/kubelet/eni-max-pods.txt).
 */
export function eksAllocatable(instance: { vcpus: number; memoryMiB: number; maxPods: number }): Requests {
  const capacityCpu = instance.vcpus * 1000;
  const bands: [number, number, number][] = [[0, 1000, 0.06], [1000, 2000, 0.01], [2000, 4000, 0.005], [4000, Infinity, 0.0025]];
  const reservedCpu = bands.reduce((total, [from, to, share]) => total + Math.max(0, Math.min(capacityCpu, to) - from) * share, 0);
  const reservedMemory = 11 * instance.maxPods + 255;
  const evictionHardMemory = 100;
  return { cpu: capacityCpu - reservedCpu, memory: instance.memoryMiB - reservedMemory - evictionHardMemory };
}

/** EC2's m6i.large: 2 vCPUs, 8 GiB; 29 pods (eni-max-pods.txt: 3 ENIs × (10 − 1) + 2). */
export const M6I_LARGE = { vcpus: 2, memoryMiB: 8192, maxPods: 29 };

/**
 * Whether every pod finds a node: first-fit decreasing over `nodes` identical nodes with `free`
 * room each (what is left after DaemonSets). Returns the pods that found no room.
 */
export function unplaced(pods: Pods[], nodes: number, free: Requests): string[] {
  const room = Array.from({ length: nodes }, () => ({ ...free }));
  const copies = pods.flatMap((kind) => Array.from({ length: kind.count }, (_, index) => ({ name: `${kind.name}#${index + 1}`, ...kind.pod })));
  copies.sort((a, b) => b.cpu - a.cpu || b.memory - a.memory);
  const left: string[] = [];
  for (const pod of copies) {
    const node = room.find((candidate) => candidate.cpu >= pod.cpu && candidate.memory >= pod.memory);
    if (!node) left.push(pod.name);
    else {
      node.cpu -= pod.cpu;
      node.memory -= pod.memory;
    }
  }
  return left;
}

interface ChartSizing {
  version: string;
  values: Record<string, unknown>;
}

/** The chart defaults' `resources` and replica counts (test/fixtures/chart-requests.json, from scripts/chart-requests.js). */
export function chartSizing(chart: string): ChartSizing {
  const all = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test/fixtures/chart-requests.json"), "utf8")) as Record<string, ChartSizing>;
  const sizing = all[chart];
  if (!sizing) throw new Error(`no sizing fixture for chart ${chart}: run node scripts/chart-requests.js`);
  return sizing;
}

const valueAt = (values: unknown, dotted: string): unknown =>
  dotted.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), values);

/** Helm's merge of user values over chart defaults, for one mapping. */
function mergeValues(defaults: unknown, ours: unknown): unknown {
  if (!ours || typeof ours !== "object" || Array.isArray(ours)) return ours ?? defaults;
  if (!defaults || typeof defaults !== "object" || Array.isArray(defaults)) return ours;
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(ours)) merged[key] = mergeValues(merged[key], value);
  return merged;
}

/** One long-running workload of a chart: where its resources and replica count live in the values. */
export interface ChartWorkload {
  name: string;
  resources: string;
  replicas: string;
  /** A fixed number of pods instead of the replicas value (a DaemonSet: one per system node). @default the replicas value */
  count?: number;
}

/**
 * The long-running pods of a Helm release on the system nodes: for each workload, platinfra's
 * values merged over the chart's defaults (as Helm does), the replica count likewise.
 */
export function releasePods(release: RenderedResource, workloads: ChartWorkload[]): Pods[] {
  const chart = chartOf(release);
  const defaults = chartSizing(chart.fixture).values;
  const values = release.inputs.values ?? {};
  return workloads.map((workload) => ({
    name: `${chart.chart}/${workload.name}`,
    count: workload.count ?? Number(valueAt(values, workload.replicas) ?? defaults[workload.replicas] ?? 1),
    pod: containerRequests(mergeValues(defaults[workload.resources], valueAt(values, workload.resources))),
  }));
}

/** A pod template's summed container requests. */
export function podRequests(podSpec: { containers: { resources?: unknown }[] }): Requests {
  return sum(podSpec.containers.map((container) => containerRequests(container.resources)));
}

/** The Deployments platinfra renders, with their replica count (`spec.replicas`, else the HPA's minimum, else 1). */
export function deploymentPods(result: RenderResult, onSystemNodes: (podSpec: Record<string, any>) => boolean): Pods[] {
  const autoscalers = result.resources.filter((resource) => resource.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
  return result.resources
    .filter((resource) => resource.type === "kubernetes:apps/v1:Deployment")
    .filter((resource) => onSystemNodes((resource.inputs as any).spec.template.spec))
    .map((resource) => {
      const inputs = resource.inputs as any;
      const hpa = autoscalers.find((candidate) => (candidate.inputs as any).spec.scaleTargetRef.name === inputs.metadata.name && (candidate.inputs as any).metadata.namespace === inputs.metadata.namespace);
      return { name: `${inputs.metadata.namespace}/${inputs.metadata.name}`, count: inputs.spec.replicas ?? (hpa?.inputs as any)?.spec.minReplicas ?? 1, pod: podRequests(inputs.spec.template.spec) };
    });
}

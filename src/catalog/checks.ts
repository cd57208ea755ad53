import type { Category } from "./categories";
import type { DeploymentSpec } from "../spec/types";

/** What a tool's cross-check sees: its params as given, its roles, the deployment settings. */
export interface StackCheckInput {
  params: Record<string, unknown>;
  roles: Category[];
  deployment: DeploymentSpec;
  /** The canonical names of every tool in the stack (this one included), for tools that exclude others. */
  tools: string[];
}

/** A problem found by a cross-check: under the tool's params (`paramsKey`), on its listing under a role, or on its first listing. */
export interface StackCheckProblem {
  /** The params key the problem is about, or its path for a nested one (["models", "from"]). */
  paramsKey?: string | (string | number)[];
  /** The role whose listing the problem is about. */
  role?: Category;
  message: string;
  /** A warning lets the stack deploy (e.g. an upstream that stopped releasing). @default "error" */
  severity?: "error" | "warning";
}

/**
 * A check a schema cannot express because it needs more than the params (the tool's roles, the
 * cluster's node groups). Run by `validate`, so the problem gets its position before anything runs.
 */
export type StackCheck = (input: StackCheckInput) => StackCheckProblem[];

/**
 * Whether GPU workloads find GPU nodes: any GPU group when Karpenter provisions its pool on demand;
 * without autoscaling, only a GPU group with desired ≥ 1 (nothing adds nodes to an empty one).
 */
export function gpuNodesAvailable(deployment: DeploymentSpec): boolean {
  const karpenter = deployment.autoscaling === "karpenter";
  return deployment.nodeGroups.some((group) => group.gpu && (karpenter || group.desired > 0));
}

/** What to do when `tool` requires GPU nodes (`gpu: true`) the stack does not provide; `instead` is the param value that needs none. */
export function noGpuNodes(tool: string, instead: "auto" | "false" = "auto"): string {
  return `gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - ${tool}: {gpu: ${instead}}`;
}

/** The `validate` check of a tool with a `gpu: auto|true|false` (or `true|false`) param: `true` needs GPU nodes, or the pods would never schedule. */
export function gpuParamCheck(tool: string, instead: "auto" | "false" = "auto"): StackCheck {
  return ({ params, deployment }) => (params.gpu === true && !gpuNodesAvailable(deployment) ? [{ paramsKey: "gpu", message: noGpuNodes(tool, instead) }] : []);
}

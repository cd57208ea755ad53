import type { Category } from "./categories";
import type { DeploymentSpec } from "../spec/types";

/** What a tool's cross-check sees: its params as given, its roles, the deployment settings. */
export interface StackCheckInput {
  params: Record<string, unknown>;
  roles: Category[];
  deployment: DeploymentSpec;
}

/** A problem found by a cross-check: under the tool's params (`paramsKey`), on its listing under a role, or on its first listing. */
export interface StackCheckProblem {
  /** The params key the problem is about. */
  paramsKey?: string;
  /** The role whose listing the problem is about. */
  role?: Category;
  message: string;
}

/**
 * A check a schema cannot express because it needs more than the params (the tool's roles, the
 * cluster's node groups). Run by `validate`, so the problem gets its position before anything runs.
 */
export type StackCheck = (input: StackCheckInput) => StackCheckProblem[];

/** Whether GPU nodes run from the start: a GPU group with desired ≥ 1 (no cluster autoscaler adds them). */
export function gpuNodesAtStart(deployment: DeploymentSpec): boolean {
  return deployment.nodeGroups.some((group) => group.gpu && group.desired > 0);
}

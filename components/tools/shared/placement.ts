import { GPU_LABEL, GPU_TAINT } from "../../base/node-groups";
import { noGpuNodes } from "../../../src/catalog/checks";
import { ExitCode, PlatinfraError } from "../../../src/errors";
import type { NodeGroupSpec } from "../../../src/spec/types";
import type { ToolContext } from "./context";

type Toleration = { key: string; operator: "Exists" | "Equal"; value?: string; effect: string };

/** Node placement for a workload: on GPU nodes (label and tolerations) when it asks and they exist. */
export function placement(context: ToolContext, wantsGpu: boolean): { nodeSelector?: Record<string, string>; tolerations?: Toleration[] } {
  if (!wantsGpu || !context.platform.gpu) return {};
  return { nodeSelector: { [GPU_LABEL]: "true" }, tolerations: gpuTolerations(context.platform.deployment.nodeGroups) };
}

/**
 * What a pod needs to tolerate to run on the GPU nodes its selector picks: the GPU taint, and each
 * GPU group's own taints from the spec (`dedicated=ml:NoSchedule`…), which would otherwise keep
 * every GPU workload off those nodes.
 */
export function gpuTolerations(groups: NodeGroupSpec[]): Toleration[] {
  const tolerations: Toleration[] = [{ key: GPU_TAINT.key, operator: "Exists", effect: "NoSchedule" }];
  for (const taint of groups.filter((group) => group.gpu).flatMap((group) => group.taints)) {
    const toleration: Toleration = taint.value === undefined ? { key: taint.key, operator: "Exists", effect: taint.effect } : { key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect };
    if (!tolerations.some((known) => JSON.stringify(known) === JSON.stringify(toleration))) tolerations.push(toleration);
  }
  return tolerations;
}

/**
 * Whether a tool's workload runs on a GPU, from its `gpu` param (see `gpuSchema`): "auto" follows
 * the stack's GPU nodes (a Karpenter GPU pool, or a GPU group running from the start); `true`
 * without them is a mistake worth stopping for: the pods would never schedule and `up` would wait
 * for them until it times out. (`validate` reports it first, through `gpuParamCheck`.) `instead`:
 * the setting the error suggests, "false" for a tool whose `gpu` is a plain boolean.
 */
export function usesGpu(tool: string, setting: "auto" | boolean, gpuNodesAvailable: boolean, instead: "auto" | "false" = "auto"): boolean {
  if (setting === true && !gpuNodesAvailable) {
    throw new PlatinfraError("NO_GPU_NODES", `${tool}: ${noGpuNodes(tool, instead)}`, {
      exitCode: ExitCode.invalidInput,
      hints: ["deployment.node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], min: 1, max: 2}]"],
    });
  }
  return setting === "auto" ? gpuNodesAvailable : setting;
}

import { findTool } from "../catalog";
import type { SpecProblem } from "../errors";
import { formatPath } from "./issues";
import { supportWarning } from "./kubernetes-versions";
import type { ToolPlace } from "./stack";
import type { Spec } from "./types";
import { positionOf, type SpecPath, type YamlSource } from "./yaml-source";

/**
 * Checks that need the whole spec: each tool's params against its roles and the deployment, and
 * deployment settings that are valid but will not do what a user expects.
 */
export function crossCheck(spec: Pick<Spec, "tools" | "deployment">, places: Map<string, ToolPlace>, source: YamlSource, today = new Date()): SpecProblem[] {
  const problem = (path: SpecPath, message: string, severity: SpecProblem["severity"]): SpecProblem => ({
    file: source.file,
    ...positionOf(source, path),
    path: formatPath(path),
    message,
    severity,
  });
  const toolNames = spec.tools.map((tool) => tool.name);
  const toolProblems = spec.tools.flatMap((tool) => {
    const check = findTool(tool.name)?.checks?.();
    const place = places.get(tool.name);
    if (!check || !place) return [];
    return check({ params: tool.params, roles: tool.roles, deployment: spec.deployment, tools: toolNames }).map((found) => {
      const path =
        found.paramsKey && place.paramsPath
          ? [...place.paramsPath, ...[found.paramsKey].flat()]
          : ((found.role && place.roleItems.get(found.role)) ?? place.firstPath);
      return problem(path, found.message, found.severity ?? "error");
    });
  });
  // With Karpenter, an empty GPU pool is the point: nodes start when GPU pods are pending.
  const groupWarnings =
    spec.deployment.autoscaling === "none"
      ? idleGpuGroups(source).map(([path, name]) => problem(path, idleGpuMessage(name), "warning"))
      : sizedPools(source).map(([path, name, key]) => problem(path, sizedPoolMessage(name, key), "warning"));
  const versionWarnings = pinnedVersionWarning(spec, source, today).map((message) => problem(["deployment", "kubernetes_version"], message, "warning"));
  return [...toolProblems, ...groupWarnings, ...versionWarnings];
}

/** A version the file pins that is past, or close to, the end of EKS standard support. */
function pinnedVersionWarning(spec: Pick<Spec, "deployment">, source: YamlSource, today: Date): string[] {
  const pinned = (source.data.deployment as { kubernetes_version?: unknown } | undefined)?.kubernetes_version;
  if (typeof pinned !== "string") return [];
  const warning = supportWarning(pinned, spec.deployment.support, today);
  return warning ? [warning] : [];
}

function sizedPoolMessage(name: string, key: string): string {
  return `node group ${name} is a Karpenter NodePool, which has no ${key}: its nodes start for pending pods, up to max, and stop when idle — remove ${key}, or set deployment.autoscaling: none for fixed managed node groups`;
}

/** Groups other than system that set min or desired above 0 in the file, where Karpenter ignores them. */
function sizedPools(source: YamlSource): [SpecPath, string, string][] {
  return writtenGroups(source).flatMap(({ group, index }) => {
    const key = ["desired", "min"].find((candidate) => typeof group[candidate] === "number" && (group[candidate] as number) > 0);
    return group.name !== "system" && key ? [[["deployment", "node_groups", index, key], String(group.name), key] as [SpecPath, string, string]] : [];
  });
}

/** The node groups as written in the file (no defaults), with their index. */
function writtenGroups(source: YamlSource): { group: Record<string, unknown>; index: number }[] {
  const groups = (source.data.deployment as { node_groups?: unknown } | undefined)?.node_groups;
  return Array.isArray(groups) ? groups.map((group: Record<string, unknown>, index) => ({ group, index })) : [];
}

function idleGpuMessage(name: string): string {
  return `GPU node group ${name} starts with no node, and with autoscaling: none nothing adds one: GPU workloads stay pending until the group is scaled — set desired: 1, or use autoscaling: karpenter`;
}

/** GPU groups as written in the file that start empty (desired, or min when desired is absent, is 0). */
function idleGpuGroups(source: YamlSource): [SpecPath, string][] {
  return writtenGroups(source).flatMap(({ group, index }) => {
    const desired = group.desired ?? group.min ?? 1;
    return group.gpu === true && desired === 0 ? [[["deployment", "node_groups", index], String(group.name)] as [SpecPath, string]] : [];
  });
}

import type { RenderResult, RenderedResource } from "../../src/engine/render";
import { chartSizing, cpuMillicores, memoryMebibytes, type Pods, type Requests, sum } from "./capacity";
import { chartOf } from "./chart-keys";
import { ofType } from "./render";

type Values = Record<string, any>;

/**
 * Seldon Core 2's long-running pods, which its charts do not run themselves: the operator creates
 * them from the setup chart's SeldonConfig and ServerConfigs (resources written `{cpu, memory}`,
 * requests; seldon-core-v2-setup templates/_components-statefulsets.tpl @v2.10.2), the runtime
 * chart turns components off and sets replicas, the servers chart sets each server's pod count.
 * Pods placed on GPU nodes are left out, as `onSystemNodes` would.
 */
export function seldonPods(result: RenderResult): Pods[] {
  const releases = ofType(result, "kubernetes:helm.sh/v3:Release");
  const byChart = (chart: string): RenderedResource | undefined => releases.find((release) => chartOf(release).chart === chart);
  const setup = byChart("seldon-core-v2-setup");
  if (!setup) return [];
  const defaults = chartSizing("seldon-core-v2-setup").values as Values;
  const runtime = (byChart("seldon-core-v2-runtime")?.inputs.values ?? {}) as Values;
  const servers = (byChart("seldon-core-v2-servers")?.inputs.values ?? {}) as Values;
  const setupValues = (setup.inputs.values ?? {}) as Values;
  const requests = (component: string): Requests => {
    const resources = { ...defaults[`${component}.resources`], ...valueAt(setupValues, `${component}.resources`) };
    return { cpu: cpuMillicores(resources.cpu), memory: memoryMebibytes(resources.memory) };
  };
  const runtimeComponent = (name: string, component: string, runtimeKey: string): Pods[] =>
    runtime[runtimeKey]?.disable ? [] : [{ name: `seldon/${name}`, count: runtime[runtimeKey]?.replicas ?? 1, pod: requests(component) }];
  const server = (name: "mlserver" | "triton"): Pods[] => {
    if (servers[name]?.podSpec?.nodeSelector?.["platinfra.dev/gpu"]) return [];
    // Requests given through the Server's podSpec replace the ServerConfig's for that container.
    const given = (servers[name]?.podSpec?.containers ?? []).find((container: Values) => container.name === name)?.resources?.requests;
    const serverRequests = given ? { cpu: cpuMillicores(given.cpu), memory: memoryMebibytes(given.memory) } : requests(`serverConfig.${name}`);
    const pod = sum([requests("serverConfig.agent"), requests("serverConfig.rclone"), serverRequests]);
    return [{ name: `seldon/${name} (agent, rclone, server)`, count: servers[name]?.replicas ?? 1, pod }];
  };
  return [
    { name: "seldon/controller", count: 1, pod: requests("controller") },
    // The scheduler is a StatefulSet of one: the runtime chart's template never reads scheduler.replicas.
    ...(runtime.scheduler?.disable ? [] : [{ name: "seldon/scheduler", count: 1, pod: requests("scheduler") }]),
    ...runtimeComponent("envoy", "envoy", "envoy"),
    ...runtimeComponent("hodometer", "hodometer", "hodometer"),
    ...runtimeComponent("modelgateway", "modelgateway", "modelgateway"),
    ...runtimeComponent("pipelinegateway", "pipelinegateway", "pipelinegateway"),
    ...runtimeComponent("dataflow-engine", "dataflow", "dataflow"),
    ...server("mlserver"),
    ...server("triton"),
  ];
}

function valueAt(values: Values, dotted: string): Values | undefined {
  return dotted.split(".").reduce<any>((node, key) => (node && typeof node === "object" ? node[key] : undefined), values);
}

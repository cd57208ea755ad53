import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolScope } from "../shared/scope";

/**
 * What Prometheus scrapes of the stack's other tools and add-ons, created only when that tool is in
 * the stack. Selectors and port names are those of the pinned charts and of platinfra's own
 * manifests (checked against them: see the monitoring note):
 * - Triton: platinfra's Deployment (components/tools/nvidia-triton), pod label
 *   `app.kubernetes.io/name: triton`, container port `metrics` (8002, /metrics).
 * - Ray: every Ray pod KubeRay 1.7.0 creates carries `ray.io/node-type` and a `metrics` port
 *   (8080, added by the operator when absent); the KubeRay operator's Service (chart 1.7.0
 *   templates/service.yaml) serves /metrics on its `http` port.
 * - Karpenter 1.14.1: its Service (always rendered) port `http-metrics`, selector labels
 *   `app.kubernetes.io/{name,instance}: karpenter`.
 * - AWS Load Balancer Controller 3.5.0: no Service unless the chart's own ServiceMonitor is on,
 *   so a PodMonitor on container port `metrics-server` (8080).
 */
export interface Monitor {
  /** The Pulumi name suffix and the object's name. */
  name: string;
  /** The tool (or add-on) it watches, when that tool is in the stack. */
  tool: string;
  kind: "ServiceMonitor" | "PodMonitor";
  namespace: string;
  selector: Record<string, unknown>;
  port: string;
  path: string;
}

const name = (app: string, instance: string) => ({ matchLabels: { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": instance } });

export const TOOL_MONITORS: readonly Monitor[] = [
  { name: "triton", tool: "nvidia-triton", kind: "PodMonitor", namespace: "triton", selector: { matchLabels: { "app.kubernetes.io/name": "triton" } }, port: "metrics", path: "/metrics" },
  {
    name: "ray-nodes",
    tool: "ray",
    kind: "PodMonitor",
    namespace: "ray",
    selector: { matchExpressions: [{ key: "ray.io/node-type", operator: "In", values: ["head", "worker"] }] },
    port: "metrics",
    path: "/metrics",
  },
  { name: "kuberay-operator", tool: "ray", kind: "ServiceMonitor", namespace: "ray", selector: { matchLabels: { "app.kubernetes.io/name": "kuberay-operator" } }, port: "http", path: "/metrics" },
];

export const ADDON_MONITORS = {
  karpenter: { name: "karpenter", tool: "karpenter", kind: "ServiceMonitor", namespace: "kube-system", selector: name("karpenter", "karpenter"), port: "http-metrics", path: "/metrics" },
  loadBalancerController: {
    name: "aws-load-balancer-controller",
    tool: "aws-load-balancer-controller",
    kind: "PodMonitor",
    namespace: "kube-system",
    selector: name("aws-load-balancer-controller", "aws-load-balancer-controller"),
    port: "metrics-server",
    path: "/metrics",
  },
} as const satisfies Record<string, Monitor>;

/** The monitor as a custom resource, created once the CRDs exist and the tool's namespace does. */
export function createMonitor(scope: ToolScope, monitor: Monitor, dependsOn: pulumi.Resource[]): k8s.apiextensions.CustomResource {
  const endpoint = { port: monitor.port, path: monitor.path, interval: "30s" };
  // Ray's series carry the cluster's name as a label, as KubeRay's own PodMonitor does.
  const relabelings = monitor.tool === "ray" && monitor.kind === "PodMonitor"
    ? { relabelings: [{ sourceLabels: ["__meta_kubernetes_pod_label_ray_io_cluster"], targetLabel: "ray_io_cluster" }] }
    : {};
  const spec =
    monitor.kind === "PodMonitor"
      ? { selector: monitor.selector, namespaceSelector: { matchNames: [monitor.namespace] }, podMetricsEndpoints: [{ ...endpoint, ...relabelings }] }
      : { selector: monitor.selector, namespaceSelector: { matchNames: [monitor.namespace] }, endpoints: [endpoint] };
  return new k8s.apiextensions.CustomResource(
    `${scope.name}-monitor-${monitor.name}`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: monitor.kind,
      metadata: { name: monitor.name, namespace: monitor.namespace, labels: { "app.kubernetes.io/managed-by": "platinfra" } },
      spec,
    },
    { parent: scope.parent, dependsOn },
  );
}

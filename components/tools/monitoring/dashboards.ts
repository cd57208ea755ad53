import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { DASHBOARD_LABEL } from "./values";

/**
 * Small Grafana dashboards for the stack's tools, written for platinfra (not copies of upstream
 * ones): each a ConfigMap in the monitoring namespace that the Grafana sidecar loads (label
 * `grafana_dashboard: "1"`), querying the chart's Prometheus data source (uid `prometheus`).
 * Metric names: Triton docs/user_guide/metrics.md, Ray's node metrics, Karpenter 1.14.1
 * website/content/en/docs/reference/metrics.md, controller-runtime's reconcile metrics.
 */
export interface Dashboard {
  /** The file name (`<uid>.json`) and the dashboard's uid. */
  uid: string;
  title: string;
  /** The tool whose presence in the stack adds this dashboard. */
  tool: string;
  panels: { title: string; unit: string; expr: string; legend: string }[];
}

export const DASHBOARDS: readonly Dashboard[] = [
  {
    uid: "platinfra-triton",
    title: "Triton Inference Server",
    tool: "nvidia-triton",
    panels: [
      { title: "Successful requests / s", unit: "reqps", expr: 'sum by (model) (rate(nv_inference_request_success{namespace="triton"}[5m]))', legend: "{{model}}" },
      { title: "Failed requests / s", unit: "reqps", expr: 'sum by (model) (rate(nv_inference_request_failure{namespace="triton"}[5m]))', legend: "{{model}}" },
      {
        title: "Average queue time",
        unit: "µs",
        expr: 'sum by (model) (rate(nv_inference_queue_duration_us{namespace="triton"}[5m])) / clamp_min(sum by (model) (rate(nv_inference_request_success{namespace="triton"}[5m])), 1e-9)',
        legend: "{{model}}",
      },
      { title: "GPU utilisation", unit: "percentunit", expr: 'avg by (pod, gpu_uuid) (nv_gpu_utilization{namespace="triton"})', legend: "{{pod}} {{gpu_uuid}}" },
      { title: "GPU memory used", unit: "bytes", expr: 'sum by (pod) (nv_gpu_memory_used_bytes{namespace="triton"})', legend: "{{pod}}" },
    ],
  },
  {
    uid: "platinfra-ray",
    title: "Ray cluster",
    tool: "ray",
    panels: [
      { title: "CPU cores in use", unit: "short", expr: 'sum by (ray_io_cluster) (ray_node_cpu_utilization{namespace="ray"} * ray_node_cpu_count{namespace="ray"} / 100)', legend: "{{ray_io_cluster}}" },
      { title: "Memory used", unit: "bytes", expr: 'sum by (pod) (ray_node_mem_used{namespace="ray"})', legend: "{{pod}}" },
      { title: "Tasks by state", unit: "short", expr: 'sum by (State) (ray_tasks{namespace="ray"})', legend: "{{State}}" },
      { title: "KubeRay operator reconciles / s", unit: "ops", expr: 'sum by (controller, result) (rate(controller_runtime_reconcile_total{namespace="ray"}[5m]))', legend: "{{controller}} {{result}}" },
    ],
  },
  {
    uid: "platinfra-karpenter",
    title: "Karpenter",
    tool: "karpenter",
    panels: [
      { title: "Provisioned by node pool", unit: "short", expr: "sum by (nodepool, resource_type) (karpenter_nodepools_usage)", legend: "{{nodepool}} {{resource_type}}" },
      { title: "Node claims created / h", unit: "short", expr: "sum by (nodepool) (increase(karpenter_nodeclaims_created_total[1h]))", legend: "{{nodepool}}" },
      { title: "Node claims terminated / h", unit: "short", expr: "sum by (nodepool) (increase(karpenter_nodeclaims_terminated_total[1h]))", legend: "{{nodepool}}" },
      { title: "Unschedulable pods", unit: "short", expr: "sum(karpenter_scheduler_unschedulable_pods_count)", legend: "pods" },
    ],
  },
  {
    uid: "platinfra-aws-load-balancer-controller",
    title: "AWS Load Balancer Controller",
    tool: "aws-load-balancer-controller",
    panels: [
      { title: "Reconciles / s", unit: "ops", expr: 'sum by (controller, result) (rate(controller_runtime_reconcile_total{namespace="kube-system", pod=~"aws-load-balancer-controller-.*"}[5m]))', legend: "{{controller}} {{result}}" },
      { title: "Reconcile errors / s", unit: "ops", expr: 'sum by (controller) (rate(controller_runtime_reconcile_errors_total{namespace="kube-system", pod=~"aws-load-balancer-controller-.*"}[5m]))', legend: "{{controller}}" },
    ],
  },
];

const DATASOURCE = { type: "prometheus", uid: "prometheus" };

/** The dashboard's JSON model: time series panels two per row. */
export function dashboardJson(dashboard: Dashboard): string {
  return JSON.stringify({
    uid: dashboard.uid,
    title: dashboard.title,
    tags: ["platinfra"],
    timezone: "browser",
    schemaVersion: 39,
    refresh: "30s",
    time: { from: "now-6h", to: "now" },
    panels: dashboard.panels.map((panel, index) => ({
      id: index + 1,
      type: "timeseries",
      title: panel.title,
      datasource: DATASOURCE,
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: [{ refId: "A", datasource: DATASOURCE, expr: panel.expr, legendFormat: panel.legend }],
    })),
  });
}

export function createDashboard(scope: ToolScope, namespace: ToolNamespace, dashboard: Dashboard, dependsOn: pulumi.Resource[]): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    `${scope.name}-dashboard-${dashboard.tool}`,
    {
      metadata: { name: dashboard.uid, namespace: namespace.name, labels: { ...DASHBOARD_LABEL, "app.kubernetes.io/managed-by": "platinfra" } },
      data: { [`${dashboard.uid}.json`]: dashboardJson(dashboard) },
    },
    { parent: scope.parent, dependsOn },
  );
}

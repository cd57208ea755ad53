import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CHARTS, type ChartRef } from "./charts";

/**
 * The CRDs of a chart that ships them in `crds/`, as manifests at the exact commit of the pinned
 * chart version. Helm installs `crds/` only on first install and never upgrades them, so platinfra
 * applies them itself (server-side apply) before the release, and the release skips them: a chart
 * version bump then upgrades its CRDs too.
 */
export interface ChartCrds {
  /** The chart version these manifests belong to: bumping the chart without them fails a test. */
  chart: ChartRef;
  /** One manifest file each, under a stable key (it names the resources, so it must not change with the version). */
  files: Record<string, string>;
}

const LBC_CRDS = "https://raw.githubusercontent.com/aws/eks-charts/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-load-balancer-controller/crds";
const KUBERAY_CRDS = "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds";
const WANDB_OPERATOR_CRDS = "https://raw.githubusercontent.com/wandb/helm-charts/82d5626a27d4e0e608067d9fe7f12f4b791e0d89/charts/operator/crds";
const SPARK_OPERATOR_CRDS = "https://raw.githubusercontent.com/kubeflow/spark-operator/v2.5.2/charts/spark-operator-chart/crds";

export const CHART_CRDS = {
  /** aws/eks-charts at the commit that released chart 3.5.0 (its Chart.yaml: version 3.5.0). */
  loadBalancerController: {
    chart: CHARTS.loadBalancerController,
    files: { crds: `${LBC_CRDS}/crds.yaml`, "gateway-crds": `${LBC_CRDS}/gateway-crds.yaml` },
  },
  /** ray-project/kuberay tag v1.7.0 (commit 59d663aeec13760646da3db9c1cf8cfe883e30b7). */
  kuberayOperator: {
    chart: CHARTS.kuberayOperator,
    files: Object.fromEntries(
      ["rayclusters", "raycronjobs", "rayjobs", "rayservices"].map((kind) => [kind, `${KUBERAY_CRDS}/ray.io_${kind}.yaml`]),
    ),
  },
  /** kubeflow/spark-operator tag v2.5.2 (commit 43afb8bbd32463037d8fb6e414e252c69081882b). */
  sparkOperator: {
    chart: CHARTS.sparkOperator,
    files: Object.fromEntries(
      ["sparkapplications", "scheduledsparkapplications", "sparkconnects"].map((kind) => [kind, `${SPARK_OPERATOR_CRDS}/sparkoperator.k8s.io_${kind}.yaml`]),
    ),
  },
  /** wandb/helm-charts at the commit tagged operator-1.4.8. */
  wandbOperator: { chart: CHARTS.wandbOperator, files: { weightsandbiases: `${WANDB_OPERATOR_CRDS}/wandb.yaml` } },
} as const satisfies Record<string, ChartCrds>;

/** The chart's CRD manifests, applied from their pinned URLs at deploy time; releases wait for these. */
export function applyChartCrds(name: string, crds: ChartCrds, opts: pulumi.ComponentResourceOptions): k8s.yaml.v2.ConfigFile[] {
  return Object.entries(crds.files).map(
    ([key, url]) => new k8s.yaml.v2.ConfigFile(`${name}-${key}`, { file: url, resourcePrefix: `${name}-${key}` }, opts),
  );
}

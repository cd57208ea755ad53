/**
 * Helm charts platinfra installs, pinned. Versions come from the chart index platinfra is checked
 * against (../shared/charts/README.md); every values key set is checked against that version's
 * defaults in test/fixtures/chart-keys/.
 */
export interface ChartRef {
  chart: string;
  version: string;
  repo: string;
  /** The chart archive's own URL, installed instead of looking it up in `repo`'s index: for a repository whose domain may lapse. */
  url?: string;
  /** Folder of its key-path fixture under test/fixtures/chart-keys/. */
  fixture: string;
}

export const CHARTS = {
  metricsServer: { chart: "metrics-server", version: "3.13.1", repo: "https://kubernetes-sigs.github.io/metrics-server/", fixture: "metrics-server" },
  loadBalancerController: { chart: "aws-load-balancer-controller", version: "3.5.0", repo: "https://aws.github.io/eks-charts", fixture: "aws-load-balancer-controller" },
  nvidiaDevicePlugin: { chart: "nvidia-device-plugin", version: "0.20.0", repo: "https://nvidia.github.io/k8s-device-plugin", fixture: "nvidia-device-plugin" },
  externalSecrets: { chart: "external-secrets", version: "2.9.0", repo: "https://charts.external-secrets.io", fixture: "external-secrets" },
  reloader: { chart: "reloader", version: "2.2.16", repo: "https://stakater.github.io/stakater-charts", fixture: "reloader" },
  mlflow: { chart: "mlflow", version: "1.11.5", repo: "https://community-charts.github.io/helm-charts", fixture: "mlflow" },
  // Chart 1.22.0 (Airflow 3.2.2: see components/tools/airflow/values.ts); the key fixture is from main shortly before 1.22.0 (see the charts index).
  airflow: { chart: "airflow", version: "1.22.0", repo: "https://airflow.apache.org", fixture: "airflow" },
  prefectServer: { chart: "prefect-server", version: "2026.8.18172642", repo: "https://prefecthq.github.io/prefect-helm", fixture: "prefect-server" },
  prefectWorker: { chart: "prefect-worker", version: "2026.8.18172642", repo: "https://prefecthq.github.io/prefect-helm", fixture: "prefect-worker" },
  zenml: { chart: "zenml", version: "0.98.0", repo: "oci://public.ecr.aws/zenml", fixture: "zenml" },
  lakefs: { chart: "lakefs", version: "1.12.16", repo: "https://charts.lakefs.io", fixture: "lakefs" },
  // The chart version is the Dagster release (1.13.27: see components/tools/dagster/values.ts); the fixture is from main (0.0.1-dev).
  dagster: { chart: "dagster", version: "1.13.27", repo: "https://dagster-io.github.io/helm", fixture: "dagster" },
  // Karpenter's CRDs as their own release: Helm never upgrades a chart's crds/ folder, a release's templates it does.
  karpenterCrd: { chart: "karpenter-crd", version: "1.14.1", repo: "oci://public.ecr.aws/karpenter", fixture: "karpenter-crd" },
  karpenter: { chart: "karpenter", version: "1.14.1", repo: "oci://public.ecr.aws/karpenter", fixture: "karpenter" },
  // Flyte 1.x: the chart is called flyte-binary in both lines; v2.x is Flyte 2 (see components/tools/flyte).
  flyte: { chart: "flyte-binary", version: "v1.16.8", repo: "https://flyteorg.github.io/flyte", fixture: "flyte-binary-v1" },
  argoWorkflows: { chart: "argo-workflows", version: "1.0.18", repo: "https://argoproj.github.io/argo-helm", fixture: "argo-workflows" },
  // 2.11.6, the last stable release (upstream stopped in 2024-12): see components/tools/pachyderm.
  pachyderm: { chart: "pachyderm", version: "2.11.6", repo: "https://helm.pachyderm.com", fixture: "pachyderm" },
  // 0.38.1, the last release (upstream abandoned in 2025): see components/tools/determined.
  // helm.determined.ai (GitHub Pages of determined-ai/determined, branch helm-chart-repository, under HPE's lapsing
  // determined.ai domain) lists it at this GitHub release asset, which platinfra downloads directly.
  determined: { chart: "determined", version: "0.38.1", repo: "https://helm.determined.ai/", url: "https://github.com/determined-ai/determined/releases/download/v0.38.1/determined-helm-chart_0.38.1.tgz", fixture: "determined" },
  // Seldon Core 2 (Business Source License 1.1): its CRDs are templates of their own chart, so `helm upgrade` upgrades them.
  // Only the setup chart's values are in the charts index; the others' key fixtures come from SeldonIO/seldon-core@v2.10.2 k8s/helm-charts.
  seldonCoreCrds: { chart: "seldon-core-v2-crds", version: "2.10.2", repo: "https://seldonio.github.io/helm-charts", fixture: "seldon-core-v2-crds" },
  seldonCoreSetup: { chart: "seldon-core-v2-setup", version: "2.10.2", repo: "https://seldonio.github.io/helm-charts", fixture: "seldon-core-v2-setup" },
  seldonCoreRuntime: { chart: "seldon-core-v2-runtime", version: "2.10.2", repo: "https://seldonio.github.io/helm-charts", fixture: "seldon-core-v2-runtime" },
  seldonCoreServers: { chart: "seldon-core-v2-servers", version: "2.10.2", repo: "https://seldonio.github.io/helm-charts", fixture: "seldon-core-v2-servers" },
  kuberayOperator: { chart: "kuberay-operator", version: "1.7.0", repo: "https://ray-project.github.io/kuberay-helm/", fixture: "kuberay-operator" },
  // Prometheus, Alertmanager, the operator and exporters, and Grafana as its grafana-community 12.11.1 subchart (whose keys are checked against test/fixtures/chart-keys/grafana.json).
  kubePrometheusStack: { chart: "kube-prometheus-stack", version: "88.5.3", repo: "https://prometheus-community.github.io/helm-charts", fixture: "kube-prometheus-stack" },
  sparkOperator: { chart: "spark-operator", version: "2.5.2", repo: "https://kubeflow.github.io/spark-operator", fixture: "spark-operator" },
  // W&B's operator (folder wandb-operator in the charts index; chart name `operator`): it installs the W&B chart (operator-wandb, components/tools/wandb/values.ts).
  wandbOperator: { chart: "operator", version: "1.4.8", repo: "https://charts.wandb.ai", fixture: "wandb-operator" },
  // 7.15.0: its own Dragonfly, bitnami MongoDB and elastic Elasticsearch subcharts (their keys the clearml fixture lists by hand, see scripts/chart-keys.js).
  clearml: { chart: "clearml", version: "7.15.0", repo: "https://clearml.github.io/clearml-helm-charts", fixture: "clearml" },
} as const satisfies Record<string, ChartRef>;

import type { GrafanaParams, PrometheusParams } from "./params";
import { resourcesWithDefaults } from "../shared/params";

/**
 * kube-prometheus-stack 88.5.3's values (every key checked against the chart's defaults, the
 * `grafana.*` ones against its grafana-community 12.11.1 subchart). Names follow from the release
 * name: the chart's fullname is the release name when it contains "kube-prometheus-stack"
 * (templates/_helpers.tpl, truncated to 26 characters).
 */
export const NAMESPACE = "monitoring";
export const RELEASE = "kube-prometheus-stack";
export const PROMETHEUS_SERVICE = `${RELEASE}-prometheus`;
export const ALERTMANAGER_SERVICE = `${RELEASE}-alertmanager`;
export const GRAFANA_SERVICE = `${RELEASE}-grafana`;
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
/** Grafana's Service port (the chart's `service.port`; the container listens on 3000). */
export const GRAFANA_PORT = 80;
export const GRAFANA_LOCAL_PORT = 3000;
/** platinfra's Secret with Grafana's admin user and generated password. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
/**
 * The Alertmanager configuration Secret platinfra writes: the operator's default name
 * `alertmanager-<Alertmanager name>` (Alertmanager CRD v0.93.1, `configSecret`), so no values key
 * is needed; with `useExistingSecret` the chart renders none of its own.
 */
export const ALERTMANAGER_CONFIG_SECRET = `alertmanager-${ALERTMANAGER_SERVICE}`;
/** The Secret holding the receivers' URLs (synced from Secrets Manager), mounted into Alertmanager. */
export const RECEIVER_SECRET = "alertmanager-receivers";
/** Where the operator mounts `alertmanagerSpec.secrets` (Alertmanager CRD v0.93.1, `secrets`). */
export const RECEIVER_SECRET_PATH = `/etc/alertmanager/secrets/${RECEIVER_SECRET}`;
/** The cluster's default StorageClass (components/base/cluster-addons.ts): gp3, encrypted, volumes deleted with their claims. */
export const STORAGE_CLASS = "gp3-encrypted";
/** The label the Grafana dashboard sidecar watches (kube-prometheus-stack's `grafana.sidecar.dashboards.label`/`labelValue`). */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/**
 * Every component ships without requests (`resources: {}`), so the scheduler would count zero:
 * these are sized for a small cluster at rest (estimates, not upstream numbers). Prometheus needs
 * memory for its series more than CPU, which stays low between compactions.
 */
export const DEFAULT_PROMETHEUS_RESOURCES = { requests: { cpu: "250m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } };
export const COMPONENT_RESOURCES = {
  alertmanager: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  operator: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  reloader: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } },
  grafana: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
  sidecar: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  kubeStateMetrics: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
  /** Per node (a DaemonSet, on every node: its chart tolerates every NoSchedule taint, GPU nodes' included). */
  nodeExporter: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
} as const;

/**
 * node-exporter tolerates every NoSchedule taint (prometheus-node-exporter 4.56.1 values), Fargate's
 * `eks.amazonaws.com/compute-type=fargate` too: its DaemonSet would put a hostNetwork/hostPID pod,
 * which Fargate cannot run, on each Fargate node (aws-fargate tool) and leave it Pending.
 */
export const NOT_ON_FARGATE = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate"] }] }],
    },
  },
};

/** A volume claim template on the gp3 class. */
function volume(sizeGb: number) {
  return { volumeClaimTemplate: { spec: { storageClassName: STORAGE_CLASS, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${sizeGb}Gi` } } } } };
}

/** StatefulSet volumes go with the StatefulSet (Kubernetes ≥1.27): nothing left behind on destroy. */
const DELETE_VOLUMES = { whenDeleted: "Delete", whenScaled: "Delete" };

export function kubePrometheusStackValues(args: { prometheus: PrometheusParams; grafana: GrafanaParams; receiverSecret: boolean }): Record<string, unknown> {
  return {
    // platinfra applies the CRDs itself (server-side: seven are too big for client-side apply); the release also skips crds/.
    crds: { enabled: false, upgradeJob: { enabled: false } },
    // EKS runs the control plane: these endpoints cannot be scraped, their targets would be down and their alerts fire.
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    // kube-proxy (the EKS add-on) binds its metrics to 127.0.0.1: unreachable from Prometheus.
    kubeProxy: { enabled: false },
    prometheusOperator: {
      resources: COMPONENT_RESOURCES.operator,
      prometheusConfigReloader: { resources: COMPONENT_RESOURCES.reloader },
    },
    // Subcharts (kube-state-metrics 8.4.0, prometheus-node-exporter 4.56.1): `resources` is theirs.
    "kube-state-metrics": { resources: COMPONENT_RESOURCES.kubeStateMetrics },
    "prometheus-node-exporter": { resources: COMPONENT_RESOURCES.nodeExporter, affinity: NOT_ON_FARGATE },
    prometheus: { prometheusSpec: prometheusSpec(args.prometheus) },
    alertmanager: { alertmanagerSpec: alertmanagerSpec(args.prometheus, args.receiverSecret) },
    grafana: grafanaValues(args.grafana),
  };
}

/**
 * Monitors and rules from every namespace, whatever their labels (the chart's default picks only
 * those labelled `release: <release>`): platinfra's own monitors and the users' are all scraped.
 */
function prometheusSpec(params: PrometheusParams): Record<string, unknown> {
  return {
    serviceMonitorSelectorNilUsesHelmValues: false,
    podMonitorSelectorNilUsesHelmValues: false,
    ruleSelectorNilUsesHelmValues: false,
    probeSelectorNilUsesHelmValues: false,
    scrapeConfigSelectorNilUsesHelmValues: false,
    retention: params.retention,
    // The volume never fills: Prometheus drops the oldest blocks first past 90% of it.
    retentionSize: `${Math.floor(params.storage_gb * 0.9)}GB`,
    resources: resourcesWithDefaults(params.resources, DEFAULT_PROMETHEUS_RESOURCES),
    storageSpec: volume(params.storage_gb),
    persistentVolumeClaimRetentionPolicy: DELETE_VOLUMES,
  };
}

function alertmanagerSpec(params: PrometheusParams, receiverSecret: boolean): Record<string, unknown> {
  return {
    // platinfra writes the configuration Secret (receivers from params); the chart renders none.
    useExistingSecret: true,
    ...(receiverSecret ? { secrets: [RECEIVER_SECRET] } : {}),
    resources: COMPONENT_RESOURCES.alertmanager,
    storage: volume(params.alertmanager_storage_gb),
    persistentVolumeClaimRetentionPolicy: DELETE_VOLUMES,
  };
}

/**
 * Grafana (grafana-community chart 12.11.1 as subchart): admin from platinfra's Secret, its
 * database on a volume (one replica: SQLite on a ReadWriteOnce volume), and sidecars that read
 * ConfigMaps of the monitoring namespace only — the chart's default ClusterRole would let the pod
 * read every Secret of the cluster.
 */
function grafanaValues(params: GrafanaParams): Record<string, unknown> {
  return {
    enabled: true,
    replicas: 1,
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
    persistence: { enabled: true, type: "pvc", storageClassName: STORAGE_CLASS, accessModes: ["ReadWriteOnce"], size: `${params.storage_gb}Gi` },
    // A new pod cannot attach the ReadWriteOnce volume while the old one holds it.
    deploymentStrategy: { type: "Recreate" },
    rbac: { namespaced: true },
    resources: COMPONENT_RESOURCES.grafana,
    sidecar: {
      resources: COMPONENT_RESOURCES.sidecar,
      dashboards: { searchNamespace: NAMESPACE },
      datasources: { searchNamespace: NAMESPACE },
    },
    "grafana.ini": grafanaIni(params),
  };
}

/**
 * No sign-up, no anonymous access. When exposed (HTTPS on the shared ALB): the public URL and host
 * (redirects, links; the chart's `server.domain` is otherwise empty without its own ingress) and
 * session cookies sent over HTTPS only.
 */
function grafanaIni(params: GrafanaParams): Record<string, unknown> {
  return {
    users: { allow_sign_up: false },
    "auth.anonymous": { enabled: false },
    ...(params.expose
      ? { server: { domain: params.expose.host, root_url: `https://${params.expose.host}` }, security: { cookie_secure: true } }
      : {}),
  };
}

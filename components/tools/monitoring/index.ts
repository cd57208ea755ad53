import * as pulumi from "@pulumi/pulumi";
import { CHART_CRDS, applyChartCrds } from "../../base/chart-crds";
import { CHARTS } from "../../base/charts";
import { helmRelease } from "../../base/helm";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { createAlertmanagerConfig, syncReceiverUrls } from "./alertmanager";
import { createDashboard, DASHBOARDS } from "./dashboards";
import { ADDON_MONITORS, createMonitor, TOOL_MONITORS, type Monitor } from "./monitors";
import { grafanaParams, prometheusParams, type GrafanaParams, type PrometheusParams } from "./params";
import {
  ALERTMANAGER_PORT, ALERTMANAGER_SERVICE, GRAFANA_ADMIN_SECRET, GRAFANA_LOCAL_PORT, GRAFANA_PORT, GRAFANA_SERVICE, NAMESPACE,
  PROMETHEUS_PORT, PROMETHEUS_SERVICE, RELEASE, kubePrometheusStackValues,
} from "./values";

/** The tools whose metrics the stack scrapes (monitors and dashboards): created before the monitoring stack. */
const MONITORED_TOOLS = [...new Set(TOOL_MONITORS.map((monitor) => monitor.tool))];

/** What the one kube-prometheus-stack release gives both tools' outputs. */
export interface MonitoringStack {
  /** The tool that owns the release (prometheus when listed, else grafana). */
  owner: string;
  grafana: GrafanaParams;
  grafanaPassword: pulumi.Output<string>;
  externalUrl?: string;
  loadBalancerHostname?: pulumi.Output<string>;
  monitors: string[];
  dashboards: string[];
  receivers: string[];
}

/** The spec's params of `tool` (its defaults when the stack does not list it). */
function paramsOf(context: ToolContext, tool: string): Record<string, unknown> {
  return context.stack.find((instance) => instance.name === tool)?.params ?? {};
}

/**
 * The monitoring stack: one kube-prometheus-stack 88.5.3 release (Prometheus, Alertmanager, the
 * operator, kube-state-metrics, node-exporter and Grafana as its subchart) in the monitoring
 * namespace, created by whichever of prometheus and grafana owns it, with the settings of both.
 * Its CRDs are applied first by platinfra (server-side: too big for client-side apply); then the
 * Grafana admin and Alertmanager configuration Secrets, the release, the monitors and dashboards
 * of the stack's tools, and Grafana's ingress when exposed (Grafana's own login guards it).
 */
function createMonitoringStack(scope: ToolScope): MonitoringStack {
  const { context } = scope;
  const prometheus: PrometheusParams = prometheusParams.parse(paramsOf(context, "prometheus"));
  const grafana: GrafanaParams = grafanaParams.parse(paramsOf(context, "grafana"));
  const namespace = createNamespace(scope, NAMESPACE);
  const crds = applyChartCrds(`${scope.name}-crds`, CHART_CRDS.kubePrometheusStack, { parent: scope.parent, dependsOn: [namespace.resource], provider: context.platform.crdsProvider() });
  const admin = createGeneratedSecret(scope, {
    namespace,
    purpose: "grafana-admin",
    secretName: GRAFANA_ADMIN_SECRET,
    generated: { "admin-password": 32 },
    plain: { "admin-user": grafana.admin_user },
  });
  const alertmanagerConfig = createAlertmanagerConfig(scope, namespace, prometheus.receivers);
  const receiverUrls = syncReceiverUrls(scope, namespace, prometheus.receivers);
  const release = helmRelease(
    scope.name,
    {
      chart: CHARTS.kubePrometheusStack,
      releaseName: RELEASE,
      namespace: NAMESPACE,
      values: kubePrometheusStackValues({ prometheus, grafana, receiverSecret: receiverUrls.length > 0 }),
      skipCrds: true,
    },
    { parent: scope.parent, dependsOn: [namespace.resource, ...crds, admin.secret, alertmanagerConfig, ...receiverUrls] },
  );
  const monitors = monitorsFor(context);
  for (const monitor of monitors) createMonitor(scope, monitor, [...crds, ...(context.peers.has(monitor.tool) ? [context.peers.get(monitor.tool)!] : context.platform.ready)]);
  const present = new Set(monitors.map((monitor) => monitor.tool));
  const dashboards = DASHBOARDS.filter((dashboard) => present.has(dashboard.tool));
  for (const dashboard of dashboards) createDashboard(scope, namespace, dashboard, [namespace.resource]);
  const exposed = grafana.expose
    ? createIngress(scope, { namespace, serviceName: GRAFANA_SERVICE, port: GRAFANA_PORT, expose: grafana.expose, healthCheckPath: "/api/health", dependsOn: [release] })
    : undefined;
  return {
    owner: scope.name,
    grafana,
    grafanaPassword: admin.values["admin-password"],
    ...(grafana.expose ? { externalUrl: `https://${grafana.expose.host}` } : {}),
    ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
    monitors: monitors.map((monitor) => `${monitor.namespace}/${monitor.name} (${monitor.kind})`),
    dashboards: dashboards.map((dashboard) => dashboard.title),
    receivers: prometheus.receivers.map((receiver) => `${receiver.name} (${receiver.type}: ${receiver.severities.join(", ")})`),
  };
}

/** The monitors of the tools in the stack and of the add-ons platinfra installed with the cluster. */
function monitorsFor(context: ToolContext): Monitor[] {
  const { addons } = context.platform;
  return [
    ...TOOL_MONITORS.filter((monitor) => context.peers.has(monitor.tool)),
    ...(addons.karpenter ? [ADDON_MONITORS.karpenter] : []),
    ...(addons.loadBalancerController ? [ADDON_MONITORS.loadBalancerController] : []),
  ];
}

const portForward = (service: string, local: number, remote: number) => `kubectl -n ${NAMESPACE} port-forward svc/${service} ${local}:${remote}`;
const GRAFANA_IN_CLUSTER = serviceUrl(GRAFANA_SERVICE, NAMESPACE, GRAFANA_PORT);

/** Grafana's part of the outputs, whichever tool shows them. */
function grafanaOutputs(stack: MonitoringStack): Record<string, pulumi.Input<string>> {
  return {
    grafanaUrl: GRAFANA_IN_CLUSTER,
    ...(stack.externalUrl ? { grafanaExternalUrl: stack.externalUrl } : { grafanaLocalAccess: `${portForward(GRAFANA_SERVICE, GRAFANA_LOCAL_PORT, GRAFANA_PORT)}, then ${localUrl(GRAFANA_LOCAL_PORT)}` }),
    ...(stack.loadBalancerHostname ? { loadBalancerHostname: stack.loadBalancerHostname } : {}),
    grafanaAdminUser: stack.grafana.admin_user,
    grafanaAdminPassword: `GRAFANA_PASSWORD in \`platinfra outputs --env\` (secret), or kubectl -n ${NAMESPACE} get secret ${GRAFANA_ADMIN_SECRET} -o jsonpath='{.data.admin-password}' | base64 -d`,
    dashboards: stack.dashboards.length ? stack.dashboards.join(", ") : "none of platinfra's (the chart's Kubernetes dashboards only)",
  };
}

/** Prometheus' and Alertmanager's part of the outputs: in-cluster only (neither has authentication). */
function prometheusOutputs(stack: MonitoringStack): Record<string, pulumi.Input<string>> {
  return {
    prometheusUrl: serviceUrl(PROMETHEUS_SERVICE, NAMESPACE, PROMETHEUS_PORT),
    prometheusLocalAccess: `${portForward(PROMETHEUS_SERVICE, PROMETHEUS_PORT, PROMETHEUS_PORT)}, then ${localUrl(PROMETHEUS_PORT)}`,
    alertmanagerUrl: serviceUrl(ALERTMANAGER_SERVICE, NAMESPACE, ALERTMANAGER_PORT),
    alertmanagerLocalAccess: `${portForward(ALERTMANAGER_SERVICE, ALERTMANAGER_PORT, ALERTMANAGER_PORT)}, then ${localUrl(ALERTMANAGER_PORT)}`,
    receivers: stack.receivers.length ? stack.receivers.join("; ") : "none: alerts show in Alertmanager and Grafana only",
    monitors: stack.monitors.join(", "),
    addMonitoring: "a ServiceMonitor or PodMonitor in any namespace (no label needed), and dashboards as ConfigMaps in monitoring labelled grafana_dashboard: \"1\"",
  };
}

const release = (stack: MonitoringStack) => `${RELEASE} ${CHARTS.kubePrometheusStack.version} in namespace ${NAMESPACE}, owned by the ${stack.owner} tool: one release for prometheus and grafana`;

/** Prometheus, Alertmanager and the exporters; owns the monitoring release (with Grafana in it) whenever the stack lists it. */
export class Prometheus extends pulumi.ComponentResource implements ToolComponent {
  readonly monitoring: MonitoringStack;
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Prometheus", name, {}, opts);
    this.monitoring = createMonitoringStack({ name, context, parent: this });
    // Grafana's outputs and client settings are the grafana tool's when the stack lists it.
    const grafanaListed = context.stack.some((tool) => tool.name === "grafana");
    this.outputs = stringMap({ release: release(this.monitoring), namespace: NAMESPACE, ...prometheusOutputs(this.monitoring), ...(grafanaListed ? {} : grafanaOutputs(this.monitoring)) });
    this.env = stringMap({
      PROMETHEUS_URL: serviceUrl(PROMETHEUS_SERVICE, NAMESPACE, PROMETHEUS_PORT),
      ALERTMANAGER_URL: serviceUrl(ALERTMANAGER_SERVICE, NAMESPACE, ALERTMANAGER_PORT),
      ...(grafanaListed ? {} : grafanaEnv(this.monitoring)),
    });
    if (!grafanaListed) this.secretEnv = pulumi.secret(stringMap({ GRAFANA_PASSWORD: this.monitoring.grafanaPassword }));
    this.localAccess = {
      namespace: NAMESPACE,
      service: PROMETHEUS_SERVICE,
      ports: [{ local: PROMETHEUS_PORT, remote: PROMETHEUS_PORT }],
      env: { PROMETHEUS_URL: localUrl(PROMETHEUS_PORT) },
    };
    this.registerOutputs({ outputs: this.outputs });
  }
}

function grafanaEnv(stack: MonitoringStack): Record<string, string> {
  return { GRAFANA_URL: stack.externalUrl ?? GRAFANA_IN_CLUSTER, GRAFANA_USER: stack.grafana.admin_user };
}

/**
 * Grafana: part of the prometheus tool's release when the stack lists prometheus (its params go
 * into that release), else the owner of the same release on its own.
 */
export class Grafana extends pulumi.ComponentResource implements ToolComponent {
  readonly monitoring: MonitoringStack;
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Grafana", name, {}, opts);
    const owner = context.peers.get("prometheus");
    this.monitoring = owner instanceof Prometheus ? owner.monitoring : createMonitoringStack({ name, context, parent: this });
    const ownsRelease = !(owner instanceof Prometheus);
    this.outputs = stringMap({
      release: release(this.monitoring),
      namespace: NAMESPACE,
      ...grafanaOutputs(this.monitoring),
      ...(ownsRelease ? prometheusOutputs(this.monitoring) : {}),
    });
    this.env = stringMap(grafanaEnv(this.monitoring));
    this.secretEnv = pulumi.secret(stringMap({ GRAFANA_PASSWORD: this.monitoring.grafanaPassword }));
    if (!this.monitoring.externalUrl) {
      this.localAccess = { namespace: NAMESPACE, service: GRAFANA_SERVICE, ports: [{ local: GRAFANA_LOCAL_PORT, remote: GRAFANA_PORT }], env: { GRAFANA_URL: localUrl(GRAFANA_LOCAL_PORT) } };
    }
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const prometheus: ToolComponentModule = {
  links: MONITORED_TOOLS,
  create: (name, context) => new Prometheus(name, context, toolComponentOptions(context)),
};

/** Created after prometheus when both are listed: it then adds its params to prometheus' release. */
export const grafana: ToolComponentModule = {
  links: ["prometheus", ...MONITORED_TOOLS],
  create: (name, context) => new Grafana(name, context, toolComponentOptions(context)),
};

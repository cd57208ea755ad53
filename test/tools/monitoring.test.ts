import { strict as assert } from "node:assert";
import { CHART_CRDS } from "../../components/base/chart-crds";
import { alertmanagerConfig } from "../../components/tools/monitoring/alertmanager";
import { dashboardJson, DASHBOARDS } from "../../components/tools/monitoring/dashboards";
import { CAPACITY_WITHOUT_KARPENTER, grafanaChecks, prometheusChecks } from "../../components/tools/monitoring/checks";
import { prometheusParams } from "../../components/tools/monitoring/params";
import type { RenderResult, RenderedResource } from "../../src/engine/render";
import { parse } from "yaml";
import { chartFixture, fixtureVersion, unknownKeysOf } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { checkAgainstUpstreamSchema } from "../helpers/kube-schemas";
import { childrenOf, json, named, ofType, renderSpec } from "../helpers/render";
import { errorsOf, specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CR = (kind: string) => `kubernetes:monitoring.coreos.com/v1:${kind}`;
const SLACK_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerts/slack-AbCdEf";
const HOOK_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:alerts/pager-GhIjKl";
const EXPOSE = '{host: grafana.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"}';
const RECEIVERS = `[{name: ops-slack, type: slack, url_secret_arn: "${SLACK_ARN}", channel: "#alerts"}, {name: pager, type: webhook, url_secret_arn: "${HOOK_ARN}", url_secret_key: url, severities: [critical]}]`;

const BOTH = stackWith({ monitoring: ["prometheus", "grafana"] });
const FULL = stackWith({
  monitoring: [`{prometheus: {retention: 30d, storage_gb: 100, receivers: ${RECEIVERS}}}`, `{grafana: {admin_user: ops, expose: ${EXPOSE}}}`],
  model_serving: ["nvidia-triton"],
  runtime_engine: ["ray"],
});

const values = (result: RenderResult, name: string) => named(result, name, RELEASE).inputs.values as Record<string, any>;
const monitoringChildren = (result: RenderResult, tool: "Prometheus" | "Grafana", name: string) => childrenOf(result, `platinfra:tools:${tool}::${name}`);

/** Every key path set, checked against kube-prometheus-stack 88.5.3's defaults and its subcharts' (test/helpers/chart-keys.ts). */
const unknownKeys = (releaseValues: Record<string, any>): string[] => unknownKeysOf("kube-prometheus-stack", releaseValues);

describe("prometheus and grafana: one kube-prometheus-stack release", function () {
  this.timeout(60_000);
  let both: RenderResult;
  let prometheusOnly: RenderResult;
  let grafanaOnly: RenderResult;
  let full: RenderResult;
  before(async () => {
    [both, prometheusOnly, grafanaOnly, full] = await Promise.all(
      [BOTH, stackWith({ monitoring: ["prometheus"] }), stackWith({ alerting: ["grafana"] }), FULL].map((text) => renderSpec(specOf(text))),
    );
  });

  it("listing both tools, or either one, installs exactly one release of kube-prometheus-stack 88.5.3 (Grafana inside)", () => {
    for (const [result, owner] of [[both, "prometheus"], [prometheusOnly, "prometheus"], [grafanaOnly, "grafana"], [full, "prometheus"]] as const) {
      const releases = ofType(result, RELEASE).filter((release) => release.inputs.chart === "kube-prometheus-stack" || String(release.inputs.chart).includes("grafana"));
      assert.deepEqual(releases.map((release) => release.name), [owner]);
      const inputs = releases[0].inputs as Record<string, any>;
      assert.deepEqual([inputs.chart, inputs.version, inputs.repositoryOpts.repo, inputs.name, inputs.namespace, inputs.skipCrds, inputs.atomic], [
        "kube-prometheus-stack", "88.5.3", "https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack", "monitoring", true, true,
      ]);
      assert.equal(inputs.version, fixtureVersion("kube-prometheus-stack"));
      assert.equal(inputs.values.grafana.enabled, true);
    }
    assert.equal(chartFixture("grafana").version, "12.11.1");
  });

  it("the owner creates exactly the namespace, CRDs, Secrets, release and the add-ons' monitors and dashboards; grafana beside it creates nothing", () => {
    const crds = Object.keys(CHART_CRDS.kubePrometheusStack.files).map((kind) => `kubernetes:yaml/v2:ConfigFile prometheus-crds-${kind}`);
    assert.deepEqual(monitoringChildren(both, "Prometheus", "prometheus"), [
      "kubernetes:core/v1:ConfigMap prometheus-dashboard-aws-load-balancer-controller",
      "kubernetes:core/v1:ConfigMap prometheus-dashboard-karpenter",
      "kubernetes:core/v1:Namespace prometheus-namespace",
      "kubernetes:core/v1:Secret prometheus-alertmanager-config",
      "kubernetes:core/v1:Secret prometheus-grafana-admin",
      `${RELEASE} prometheus`,
      `${CR("PodMonitor")} prometheus-monitor-aws-load-balancer-controller`,
      `${CR("ServiceMonitor")} prometheus-monitor-karpenter`,
      ...crds,
      "random:index/randomPassword:RandomPassword prometheus-grafana-admin-admin-password",
    ].sort());
    assert.deepEqual(monitoringChildren(both, "Grafana", "grafana"), []);
    assert.equal(monitoringChildren(grafanaOnly, "Grafana", "grafana").filter((child) => child.startsWith(RELEASE)).length, 1);
  });

  it("full: receivers synced from Secrets Manager through a role naming exactly their secrets; Triton and Ray monitors; Grafana's ingress", () => {
    const children = monitoringChildren(full, "Prometheus", "prometheus");
    for (const child of [
      "kubernetes:external-secrets.io/v1:ExternalSecret prometheus-alertmanager-receivers",
      "kubernetes:external-secrets.io/v1:SecretStore prometheus-secret-store",
      "platinfra:base:ServiceAccountRole prometheus-alertmanager-irsa",
      `${CR("PodMonitor")} prometheus-monitor-triton`,
      `${CR("PodMonitor")} prometheus-monitor-ray-nodes`,
      `${CR("ServiceMonitor")} prometheus-monitor-kuberay-operator`,
      "kubernetes:core/v1:ConfigMap prometheus-dashboard-nvidia-triton",
      "kubernetes:core/v1:ConfigMap prometheus-dashboard-ray",
      "kubernetes:networking.k8s.io/v1:Ingress prometheus-ingress",
    ]) assert.ok(children.includes(child), child);
    const sa = named(full, "prometheus-alertmanager-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs as any;
    assert.deepEqual([sa.metadata.name, sa.metadata.namespace], ["alertmanager-secrets", "monitoring"]);
    const trust = json(named(full, "prometheus-alertmanager-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.ok(Object.values(trust).includes("system:serviceaccount:monitoring:alertmanager-secrets"), JSON.stringify(trust));
    assert.deepEqual(json(named(full, "prometheus-alertmanager-irsa-policy").inputs.policy).Statement, [
      { Sid: "ReceiverUrl0", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [SLACK_ARN] },
      { Sid: "ReceiverUrl1", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [HOOK_ARN] },
    ]);
    const externalSecret = named(full, "prometheus-alertmanager-receivers").inputs as Record<string, any>;
    assert.deepEqual(externalSecret.spec, {
      refreshInterval: "1h",
      secretStoreRef: { name: "prometheus-aws", kind: "SecretStore" },
      target: { name: "alertmanager-receivers", creationPolicy: "Owner" },
      data: [
        { secretKey: "ops-slack", remoteRef: { key: SLACK_ARN } },
        { secretKey: "pager", remoteRef: { key: HOOK_ARN, property: "url" } },
      ],
    });
    const store = named(full, "prometheus-secret-store").inputs as Record<string, any>;
    assert.deepEqual(store.spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "alertmanager-secrets" } } });
  });

  it("values: CRDs off, control-plane monitors off, every selector open, gp3 volumes, Grafana admin from platinfra's Secret, namespaced sidecars", () => {
    const kps = values(full, "prometheus");
    assert.deepEqual(unknownKeys(kps), []);
    assert.deepEqual(unknownKeys(values(grafanaOnly, "grafana")), []);
    assert.deepEqual(kps.crds, { enabled: false, upgradeJob: { enabled: false } });
    assert.deepEqual([kps.kubeControllerManager, kps.kubeScheduler, kps.kubeEtcd, kps.kubeProxy], Array(4).fill({ enabled: false }));
    const spec = kps.prometheus.prometheusSpec;
    for (const selector of ["serviceMonitor", "podMonitor", "rule", "probe", "scrapeConfig"]) assert.equal(spec[`${selector}SelectorNilUsesHelmValues`], false, selector);
    assert.deepEqual([spec.retention, spec.retentionSize], ["30d", "90GB"]);
    assert.deepEqual(spec.storageSpec, { volumeClaimTemplate: { spec: { storageClassName: "gp3-encrypted", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "100Gi" } } } } });
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: "Delete", whenScaled: "Delete" });
    assert.deepEqual(spec.resources, { requests: { cpu: "250m", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    const alertmanager = kps.alertmanager.alertmanagerSpec;
    assert.deepEqual([alertmanager.useExistingSecret, alertmanager.secrets], [true, ["alertmanager-receivers"]]);
    assert.equal(alertmanager.storage.volumeClaimTemplate.spec.resources.requests.storage, "2Gi");
    assert.equal(values(both, "prometheus").alertmanager.alertmanagerSpec.secrets, undefined);
    assert.deepEqual(kps.grafana, {
      enabled: true,
      replicas: 1,
      admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
      persistence: { enabled: true, type: "pvc", storageClassName: "gp3-encrypted", accessModes: ["ReadWriteOnce"], size: "10Gi" },
      deploymentStrategy: { type: "Recreate" },
      rbac: { namespaced: true },
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
      sidecar: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } }, dashboards: { searchNamespace: "monitoring" }, datasources: { searchNamespace: "monitoring" } },
      "grafana.ini": {
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
        server: { domain: "grafana.example.com", root_url: "https://grafana.example.com" },
        security: { cookie_secure: true },
      },
    });
    assert.deepEqual(values(both, "prometheus").grafana["grafana.ini"], { users: { allow_sign_up: false }, "auth.anonymous": { enabled: false } });
    // Fargate's taint is tolerated by the chart: node affinity keeps the hostNetwork DaemonSet off Fargate nodes.
    assert.deepEqual(kps["prometheus-node-exporter"], {
      resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "128Mi" } },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "eks.amazonaws.com/compute-type", operator: "NotIn", values: ["fargate"] }] }] } } },
    });
  });

  it("the unknown-key check catches a misspelt key (the check can fail)", () => {
    assert.deepEqual(unknownKeys({ grafana: { persistance: { enabled: true } }, prometheus: { prometheusSpecs: { retention: "1d" } } }), ["grafana.persistance.enabled", "prometheus.prometheusSpecs.retention"]);
  });

  it("orders: CRDs, then the Secrets, then the release; monitors after the CRDs and the tool they watch", () => {
    const release = named(full, "prometheus", RELEASE);
    for (const crd of ofType(full, "kubernetes:yaml/v2:ConfigFile").filter((file) => file.name.startsWith("prometheus-crds-"))) {
      assert.ok(waitsFor(full, release, crd), crd.name);
      assert.ok(waitsFor(full, named(full, "prometheus-monitor-triton"), crd), crd.name);
      assert.equal((crd.inputs as any).file, CHART_CRDS.kubePrometheusStack.files[crd.name.replace("prometheus-crds-", "") as keyof typeof CHART_CRDS.kubePrometheusStack.files]);
    }
    for (const secret of ["prometheus-grafana-admin", "prometheus-alertmanager-config", "prometheus-alertmanager-receivers"]) assert.ok(waitsFor(full, release, named(full, secret)), secret);
    assert.ok(waitsFor(full, named(full, "prometheus-monitor-triton"), named(full, "nvidia-triton-deployment", "kubernetes:apps/v1:Deployment")));
    assert.ok(waitsFor(full, named(full, "prometheus-monitor-ray-nodes"), named(full, "ray-cluster", "kubernetes:ray.io/v1:RayCluster")));
    assert.ok(Object.values(CHART_CRDS.kubePrometheusStack.files).every((url) => url.includes("/ea930baeebeba39f56d6b44e351f23b2a072a600/charts/kube-prometheus-stack/charts/crds/crds/crd-")));
  });

  it("monitors: the namespaces, selectors and port names of the pinned charts and platinfra's manifests", () => {
    const spec = (name: string) => (named(full, `prometheus-monitor-${name}`).inputs as any);
    assert.deepEqual(spec("triton").metadata, { name: "triton", namespace: "triton", labels: { "app.kubernetes.io/managed-by": "platinfra" } });
    assert.deepEqual(spec("triton").spec, {
      selector: { matchLabels: { "app.kubernetes.io/name": "triton" } },
      namespaceSelector: { matchNames: ["triton"] },
      podMetricsEndpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
    });
    assert.deepEqual(spec("ray-nodes").spec.podMetricsEndpoints[0].relabelings, [{ sourceLabels: ["__meta_kubernetes_pod_label_ray_io_cluster"], targetLabel: "ray_io_cluster" }]);
    assert.deepEqual(spec("kuberay-operator").spec.endpoints, [{ port: "http", path: "/metrics", interval: "30s" }]);
    const karpenter = named(both, "prometheus-monitor-karpenter").inputs as any;
    assert.deepEqual([karpenter.metadata.namespace, karpenter.spec.selector.matchLabels, karpenter.spec.endpoints[0].port], ["kube-system", { "app.kubernetes.io/name": "karpenter", "app.kubernetes.io/instance": "karpenter" }, "http-metrics"]);
    const lbc = named(both, "prometheus-monitor-aws-load-balancer-controller").inputs as any;
    assert.deepEqual([lbc.kind, lbc.spec.podMetricsEndpoints[0].port], ["PodMonitor", "metrics-server"]);
    // The pods they select carry those labels and ports.
    const triton = named(full, "nvidia-triton-deployment", "kubernetes:apps/v1:Deployment").inputs as any;
    assert.equal(triton.spec.template.metadata.labels["app.kubernetes.io/name"], "triton");
    assert.ok(triton.spec.template.spec.containers[0].ports.some((port: any) => port.name === "metrics" && port.containerPort === 8002));
    const ray = named(full, "ray-cluster").inputs as any;
    assert.ok(ray.spec.headGroupSpec.template.spec.containers[0].ports.some((port: any) => port.name === "metrics"));
  });

  it("every monitor validates against kube-prometheus-stack 88.5.3's CRD schema; a wrong field does not", async () => {
    const monitors = full.resources.filter((resource) => resource.type.startsWith("kubernetes:monitoring.coreos.com/"));
    assert.equal(monitors.length, 5);
    for (const monitor of monitors) assert.deepEqual(await checkAgainstUpstreamSchema(monitor), { status: "valid" }, monitor.name);
    const triton = named(full, "prometheus-monitor-triton");
    const broken = { ...triton, inputs: { ...triton.inputs, spec: { ...(triton.inputs as any).spec, podMetricsEndpoints: [{ port: "metrics", scrapeEvery: "30s" }] } } };
    assert.equal((await checkAgainstUpstreamSchema(broken)).status, "invalid");
  });

  it("dashboards: ConfigMaps in monitoring labelled for the sidecar, valid JSON on the chart's Prometheus data source", () => {
    const triton = named(full, "prometheus-dashboard-nvidia-triton").inputs as any;
    assert.deepEqual(triton.metadata, { name: "platinfra-triton", namespace: "monitoring", labels: { grafana_dashboard: "1", "app.kubernetes.io/managed-by": "platinfra" } });
    const model = JSON.parse(triton.data["platinfra-triton.json"]);
    assert.equal(model.uid, "platinfra-triton");
    assert.deepEqual(model.panels[0].targets, [{ refId: "A", datasource: { type: "prometheus", uid: "prometheus" }, expr: 'sum by (model) (rate(nv_inference_request_success{namespace="triton"}[5m]))', legendFormat: "{{model}}" }]);
    for (const dashboard of DASHBOARDS) {
      const parsed = JSON.parse(dashboardJson(dashboard));
      assert.deepEqual(parsed.panels.map((panel: any) => panel.id), dashboard.panels.map((_, index) => index + 1));
      assert.ok(dashboardJson(dashboard).length < 256 * 1024);
    }
  });

  it("the Alertmanager configuration: routes per receiver, URLs only as file paths of the mounted Secret", () => {
    const receivers = prometheusParams.parse(parse(`receivers: ${RECEIVERS}`)).receivers;
    assert.deepEqual(parse(alertmanagerConfig(receivers)), {
      route: {
        receiver: "null",
        group_by: ["namespace", "alertname"],
        group_wait: "30s",
        group_interval: "5m",
        repeat_interval: "12h",
        routes: [
          { receiver: "null", matchers: ['alertname =~ "Watchdog|InfoInhibitor"'] },
          { receiver: "ops-slack", matchers: ['severity =~ "critical|warning"'], continue: true },
          { receiver: "pager", matchers: ['severity =~ "critical"'], continue: true },
        ],
      },
      inhibit_rules: [
        { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] },
        { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ["namespace"] },
      ],
      receivers: [
        { name: "null" },
        { name: "ops-slack", slack_configs: [{ api_url_file: "/etc/alertmanager/secrets/alertmanager-receivers/ops-slack", send_resolved: true, channel: "#alerts" }] },
        { name: "pager", webhook_configs: [{ url_file: "/etc/alertmanager/secrets/alertmanager-receivers/pager", send_resolved: true }] },
      ],
    });
    const secret = named(full, "prometheus-alertmanager-config").inputs as any;
    assert.equal(secret.metadata.name, "alertmanager-kube-prometheus-stack-alertmanager");
    // The provider records every Secret's data as secret; its content is the builder's, checked above.
    assert.equal(secret.stringData, "[secret]");
    assert.deepEqual(parse(alertmanagerConfig([])).receivers, [{ name: "null" }]);
  });

  it("no secret in plain text: the admin password only in Secrets and secret outputs; receiver URLs never reach platinfra", () => {
    assert.doesNotMatch(JSON.stringify(full.resources.map((resource) => resource.inputs)), /mock-prometheus-grafana-admin-admin-password/);
    assert.equal((named(full, "prometheus-grafana-admin").inputs as any).stringData, "[secret]");
    assert.doesNotMatch(JSON.stringify(values(full, "prometheus")), /password"?:"(?!admin-password)/);
    assert.doesNotMatch(JSON.stringify(full.outputs), /mock-prometheus-grafana-admin/);
  });

  it("outputs: in-cluster URLs, port-forwards, the external URL when exposed; the password only in secretEnv", () => {
    const tools = full.outputs.tools as Record<string, Record<string, string>>;
    assert.deepEqual(tools.prometheus, {
      release: "kube-prometheus-stack 88.5.3 in namespace monitoring, owned by the prometheus tool: one release for prometheus and grafana",
      namespace: "monitoring",
      prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
      prometheusLocalAccess: "kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090:9090, then http://localhost:9090",
      alertmanagerUrl: "http://kube-prometheus-stack-alertmanager.monitoring.svc.cluster.local:9093",
      alertmanagerLocalAccess: "kubectl -n monitoring port-forward svc/kube-prometheus-stack-alertmanager 9093:9093, then http://localhost:9093",
      receivers: "ops-slack (slack: critical, warning); pager (webhook: critical)",
      monitors: "triton/triton (PodMonitor), ray/ray-nodes (PodMonitor), ray/kuberay-operator (ServiceMonitor), kube-system/karpenter (ServiceMonitor), kube-system/aws-load-balancer-controller (PodMonitor)",
      addMonitoring: 'a ServiceMonitor or PodMonitor in any namespace (no label needed), and dashboards as ConfigMaps in monitoring labelled grafana_dashboard: "1"',
    });
    assert.deepEqual(tools.grafana, {
      release: "kube-prometheus-stack 88.5.3 in namespace monitoring, owned by the prometheus tool: one release for prometheus and grafana",
      namespace: "monitoring",
      grafanaUrl: "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local:80",
      grafanaExternalUrl: "https://grafana.example.com",
      loadBalancerHostname: tools.grafana.loadBalancerHostname,
      grafanaAdminUser: "ops",
      grafanaAdminPassword: "GRAFANA_PASSWORD in `platinfra outputs --env` (secret), or kubectl -n monitoring get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d",
      dashboards: "Triton Inference Server, Ray cluster, Karpenter, AWS Load Balancer Controller",
    });
    assert.match(tools.grafana.loadBalancerHostname, /elb\.amazonaws\.com$/);
    const env = full.outputs.env as Record<string, string>;
    assert.deepEqual([env.PROMETHEUS_URL, env.ALERTMANAGER_URL, env.GRAFANA_URL, env.GRAFANA_USER], [
      "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090", "http://kube-prometheus-stack-alertmanager.monitoring.svc.cluster.local:9093", "https://grafana.example.com", "ops",
    ]);
    assert.equal(full.outputs.secretEnv, "[secret]");
    const local = both.outputs.local as Record<string, { service: string; ports: unknown; env: unknown }>;
    assert.deepEqual(local.grafana, { namespace: "monitoring", service: "kube-prometheus-stack-grafana", ports: [{ local: 3000, remote: 80 }], env: { GRAFANA_URL: "http://localhost:3000" } });
    assert.deepEqual(local.prometheus, { namespace: "monitoring", service: "kube-prometheus-stack-prometheus", ports: [{ local: 9090, remote: 9090 }], env: { PROMETHEUS_URL: "http://localhost:9090" } });
  });

  it("prometheus alone shows Grafana's outputs too; grafana alone shows Prometheus'", () => {
    const alone = prometheusOnly.outputs.tools as Record<string, Record<string, string>>;
    assert.equal(alone.prometheus.grafanaLocalAccess, "kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80, then http://localhost:3000");
    assert.equal(alone.prometheus.grafanaAdminUser, "admin");
    assert.equal((prometheusOnly.outputs.env as Record<string, string>).GRAFANA_URL, "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local:80");
    const grafana = grafanaOnly.outputs.tools as Record<string, Record<string, string>>;
    assert.equal(grafana.grafana.prometheusUrl, "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090");
    assert.match(grafana.grafana.release, /owned by the grafana tool/);
  });

  it("params are validated with positions", () => {
    const text = stackWith({ monitoring: ['{prometheus: {retention: ten, storage_gb: 0, receivers: [{name: a, type: email, url_secret_arn: "https://hooks.slack.com/x"}, {name: b, type: webhook, url_secret_arn: "' + HOOK_ARN + '", channel: "#x"}]}}'] });
    assert.deepEqual(errorsOf(text), [
      'stack.yaml:9:41: stack.monitoring[0].prometheus.retention: retention "ten" is not a duration — expected e.g. "10d", "12h" or "4w"',
      "stack.yaml:9:58: stack.monitoring[0].prometheus.storage_gb: received the number 0 — must be at least 1",
      'stack.yaml:9:89: stack.monitoring[0].prometheus.receivers[0].type: receiver type "email" is not supported — use slack or webhook',
      'stack.yaml:9:112: stack.monitoring[0].prometheus.receivers[0].url_secret_arn: url_secret_arn "https://hooks.slack.com/x" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>',
      'stack.yaml:9:268: stack.monitoring[0].prometheus.receivers[1].channel: channel is a Slack setting — a webhook receiver takes only its URL; remove channel',
    ]);
    const twice = stackWith({ monitoring: [`{prometheus: {receivers: [{name: a, type: webhook, url_secret_arn: "${HOOK_ARN}"}, {name: a, type: webhook, url_secret_arn: "${HOOK_ARN}"}]}}`] });
    assert.deepEqual(errorsOf(twice), ['stack.yaml:9:167: stack.monitoring[0].prometheus.receivers[1].name: receiver name "a" is used twice — give each receiver its own name']);
    const grafana = stackWith({ monitoring: ["{grafana: {admin_user: A, password: x}}"] });
    assert.equal(errorsOf(grafana).length, 2);
  });
});

export type { RenderedResource };

describe("prometheus and grafana: validate-time capacity warning", () => {
  const karpenter = specOf(stackWith({ monitoring: ["prometheus", "grafana"] }));
  const none = specOf(stackWith({ monitoring: ["prometheus", "grafana"] }).replace("deployment:\n", "deployment:\n  autoscaling: none\n"));
  const input = (deployment: typeof none.deployment, tools: string[]) => ({ params: {}, roles: ["monitoring" as const], deployment, tools });

  it("warns once (prometheus when listed, else grafana) with autoscaling: none, never with Karpenter", () => {
    assert.equal(none.deployment.autoscaling, "none");
    const warning = [{ severity: "warning", message: CAPACITY_WITHOUT_KARPENTER }];
    assert.deepEqual(prometheusChecks(input(none.deployment, ["prometheus", "grafana"])), warning);
    assert.deepEqual(grafanaChecks(input(none.deployment, ["prometheus", "grafana"])), []);
    assert.deepEqual(grafanaChecks(input(none.deployment, ["grafana"])), warning);
    assert.deepEqual(prometheusChecks(input(karpenter.deployment, ["prometheus", "grafana"])), []);
    assert.deepEqual(grafanaChecks(input(karpenter.deployment, ["grafana"])), []);
  });
});

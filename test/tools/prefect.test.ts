import { strict as assert } from "node:assert";
import * as path from "node:path";
import { prefect, prefectCommands } from "../../components/tools/prefect/index";
import { prefectParams } from "../../components/tools/prefect/params";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";
import { fakeMlflowWithAuth } from "../helpers/peers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-prefect-db-AbCdEf";
const IN_CLUSTER_API = "http://prefect-server.prefect.svc.cluster.local:4200/api";
const AUTH = { enabled: true, existingSecret: "prefect-auth" };

const IN_CLUSTER_MLFLOW = "http://mlflow.mlflow.svc.cluster.local:5000";


const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const prefectOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).prefect;
const serverValues = (result: RenderResult) => named(result, "prefect-server", RELEASE).inputs.values as Record<string, any>;
const workerValues = (result: RenderResult) => named(result, "prefect-worker", RELEASE).inputs.values as Record<string, any>;
const jobTemplateOf = (result: RenderResult) => JSON.parse(workerValues(result).worker.config.baseJobTemplate.configuration) as Record<string, any>;

/** Every string value, with its path (list items by index). */
function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
}

describe("prefect", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    withMlflow = await renderWithTools(stackWith({ pipelining: ["prefect"], experiment_tracker: ["mlflow"] }), { prefect, mlflow: fakeMlflowWithAuth() }, { prefect: prefectParams.parse({}) });
    plain = await renderWithTools(stackWith({ pipelining: ["prefect"] }), { prefect }, { prefect: prefectParams.parse({}) });
    const expose = { host: "prefect.example.com", certificate_arn: CERTIFICATE };
    exposed = await renderWithTools(stackWith({ pipelining: ["prefect"] }), { prefect }, { prefect: prefectParams.parse({ expose, work_pool: "gpu-pool" }) });
  });

  it("creates exactly its namespace, PostgreSQL, IRSA role, synced DB secret, auth secrets, server and worker releases", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Prefect::prefect"), [
      "kubernetes:core/v1:Namespace prefect-namespace",
      "kubernetes:core/v1:Secret prefect-admin",
      "kubernetes:core/v1:Secret prefect-auth",
      "kubernetes:external-secrets.io/v1:ExternalSecret prefect-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore prefect-secret-store",
      "kubernetes:helm.sh/v3:Release prefect-server",
      "kubernetes:helm.sh/v3:Release prefect-worker",
      "platinfra:base:Bucket prefect-flows",
      "platinfra:base:Database prefect-db",
      "platinfra:base:ServiceAccountRole prefect-flows-irsa",
      "platinfra:base:ServiceAccountRole prefect-irsa",
      "random:index/randomPassword:RandomPassword prefect-admin-password",
    ]);
    assert.deepEqual(childrenOf(exposed, "platinfra:tools:Prefect::prefect").filter((child) => child.includes("Ingress")), ["kubernetes:networking.k8s.io/v1:Ingress prefect-ingress"]);
  });

  it("pins both charts at 2026.8.18172642 from prefecthq.github.io and the images the charts' release job pins for 3.8.3", () => {
    for (const [release, chart] of [["prefect-server", "prefect-server"], ["prefect-worker", "prefect-worker"]]) {
      const inputs = named(plain, release, RELEASE).inputs;
      assert.deepEqual([inputs.chart, inputs.version, inputs.repositoryOpts, inputs.namespace, inputs.name], [chart, "2026.8.18172642", { repo: "https://prefecthq.github.io/prefect-helm" }, "prefect", release]);
      assert.equal((chartFixture(chart) as unknown as { appVersion: string }).appVersion, "3.8.3");
    }
    assert.deepEqual(serverValues(plain).global, { prefect: { image: { repository: "prefecthq/prefect", prefectTag: "3.8.3-python3.11", pullPolicy: "IfNotPresent" } } });
    assert.deepEqual(workerValues(plain).worker.image, { repository: "prefecthq/prefect", prefectTag: "3.8.3-python3.11-kubernetes", pullPolicy: "IfNotPresent" });
  });

  it("sets only values keys the charts' fixtures declare", () => {
    for (const result of [plain, exposed]) {
      for (const [chart, chartValues] of [["prefect-server", serverValues(result)], ["prefect-worker", workerValues(result)]] as const) {
        const fixture = chartFixture(chart);
        assert.deepEqual(valuesKeyPaths(chartValues).filter((keyPath) => !isKnownKeyPath(fixture, keyPath)), [], chart);
      }
    }
    assert.deepEqual(valuesKeyPaths(serverValues(plain)).sort(), [
      "global.prefect.image.prefectTag",
      "global.prefect.image.pullPolicy",
      "global.prefect.image.repository",
      "ingress.enabled",
      "postgresql.enabled",
      "redis.enabled",
      "secret.create",
      "secret.name",
      "server.basicAuth.enabled",
      "server.basicAuth.existingSecret",
      "server.podAnnotations.secret\\.reloader\\.stakater\\.com/reload",
      "server.replicaCount",
      "server.resources.limits.cpu",
      "server.resources.limits.memory",
      "server.resources.requests.cpu",
      "server.resources.requests.memory",
      "server.uiConfig.prefectUiApiUrl",
      "service.port",
      "service.targetPort",
      "service.type",
      "serviceAccount.create",
      "serviceAccount.name",
      "sqlite.enabled",
    ]);
  });

  it("PostgreSQL on RDS, private, with an RDS-managed password", () => {
    const db = named(plain, "prefect-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.port, db.publiclyAccessible, db.manageMasterUserPassword, db.instanceClass], ["postgres", "prefect", 5432, false, true, "db.t4g.small"]);
    assert.equal(db.password, undefined);
  });

  it("the asyncpg URL (password inside, ssl=require) is rendered by External Secrets under the key the chart reads", () => {
    const external = named(plain, "prefect-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "prefect-db", namespace: "prefect" });
    assert.deepEqual(external.spec.target.template, {
      engineVersion: "v2",
      mergePolicy: "Merge",
      data: { "connection-string": "postgresql+asyncpg://{{ .username | urlquery }}:{{ .password | urlquery }}@prefect-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432/prefect?ssl=require" },
    });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "prefect-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "prefect-server" } } });
  });

  it("the server reads that Secret (no chart Secret, no bundled PostgreSQL/Redis/SQLite) and restarts when it or the auth Secret changes", () => {
    // charts/prefect-server/templates/_helpers.tpl server.database-env: no externalDatabase → secretKeyRef
    // {secret.name, connection-string}; secret.yaml creates nothing with secret.create false.
    const chart = serverValues(plain);
    assert.deepEqual([chart.secret, chart.postgresql, chart.redis, chart.sqlite], [{ create: false, name: "prefect-db" }, { enabled: false }, { enabled: false }, { enabled: false }]);
    assert.deepEqual(chart.server.podAnnotations, { "secret.reloader.stakater.com/reload": "prefect-db,prefect-auth" });
    assert.deepEqual(chart.serviceAccount, { create: false, name: "prefect-server" });
    assert.equal(chart.server.replicaCount, 1);
  });

  it("basic auth always on for the server and the worker, from one generated Secret (no first visitor finds it open)", () => {
    for (const result of [plain, exposed]) {
      assert.deepEqual(serverValues(result).server.basicAuth, AUTH);
      assert.deepEqual(workerValues(result).worker.selfHostedServerApiConfig.basicAuth, AUTH);
    }
    const password = named(plain, "prefect-admin-password", "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([password.length, password.special], [32, false]);
    const auth = named(plain, "prefect-auth", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(auth.metadata, { name: "prefect-auth", namespace: "prefect" });
    assert.equal(auth.stringData, "[secret]");
    const admin = named(plain, "prefect-admin", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual([admin.metadata, admin.stringData], [{ name: "prefect-admin", namespace: "prefect" }, "[secret]"]);
    const server = named(plain, "prefect-server", RELEASE);
    assert.ok(server.dependencies?.includes(named(plain, "prefect-auth", "kubernetes:core/v1:Secret").urn), "the server waits for its auth Secret");
  });

  it("no secret anywhere in either release's values: only Secret names", () => {
    for (const result of [plain, exposed]) {
      for (const chartValues of [serverValues(result), workerValues(result)]) {
        assert.deepEqual(stringLeaves(chartValues).filter(([, value]) => /admin:|password|postgres(ql)?(\+asyncpg)?:\/\//i.test(value)), []);
        assert.doesNotMatch(JSON.stringify(chartValues), /\[secret\]|authString/);
      }
    }
  });

  it("the worker: a Kubernetes worker on the work pool, against the server's in-cluster API, installing nothing at start", () => {
    const { config, ...rest } = workerValues(plain).worker;
    assert.deepEqual(rest, {
      image: { repository: "prefecthq/prefect", prefectTag: "3.8.3-python3.11-kubernetes", pullPolicy: "IfNotPresent" },
      apiConfig: "selfHostedServer",
      // With an existing Secret the chart also sets PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_NAME/_KEY
      // (deployment.yaml): flow-run Jobs read the string through a secretKeyRef, not from their manifests.
      selfHostedServerApiConfig: { apiUrl: IN_CLUSTER_API, basicAuth: AUTH },
      replicaCount: 1,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      podAnnotations: { "secret.reloader.stakater.com/reload": "prefect-auth" },
    });
    assert.deepEqual(Object.keys(config).sort(), ["baseJobTemplate", "installPolicy", "type", "workPool"]);
    assert.deepEqual([config.workPool, config.type, config.installPolicy], ["kubernetes", "kubernetes", "never"]);
    assert.equal(workerValues(exposed).worker.config.workPool, "gpu-pool");
    assert.equal(workerValues(exposed).worker.selfHostedServerApiConfig.apiUrl, IN_CLUSTER_API, "pods never go through the ALB");
    const worker = named(plain, "prefect-worker", RELEASE);
    assert.ok(worker.dependencies?.includes(named(plain, "prefect-server", RELEASE).urn), "the worker starts after the server");
  });

  it("the work pool's base job template: flow runs default to namespace prefect and account prefect-flows, every placeholder declared", () => {
    const template = jobTemplateOf(plain);
    const variables = template.variables.properties;
    assert.deepEqual([variables.namespace.default, variables.service_account_name.default], ["prefect", "prefect-flows"]);
    // The names prefect-kubernetes 0.7.12's KubernetesWorkerVariables declares, less cluster_config (in-cluster config).
    assert.deepEqual(Object.keys(variables).sort(), [
      "annotations", "backoff_limit", "command", "cpu_limit", "cpu_request", "env", "finished_job_ttl", "image", "image_pull_policy",
      "job_watch_timeout_seconds", "labels", "memory_limit", "memory_request", "name", "namespace", "pod_watch_timeout_seconds",
      "service_account_name", "stream_output",
    ]);
    // The server refuses a template using a variable the schema lacks (prefect server/schemas/actions.py validate_base_job_template).
    const placeholders = [...JSON.stringify(template.job_configuration).matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((match) => match[1]);
    // …and each variable is used somewhere (a job variable nothing reads would be silently ignored).
    assert.deepEqual([...new Set(placeholders)].sort(), Object.keys(variables).sort());
    assert.deepEqual(Object.keys(template.job_configuration).sort(), ["annotations", "command", "env", "job_manifest", "job_watch_timeout_seconds", "labels", "name", "namespace", "pod_watch_timeout_seconds", "stream_output"]);
    const manifest = template.job_configuration.job_manifest;
    assert.deepEqual([manifest.apiVersion, manifest.kind, manifest.metadata.namespace], ["batch/v1", "Job", "{{ namespace }}"]);
    const pod = manifest.spec.template.spec;
    assert.deepEqual([pod.restartPolicy, pod.parallelism, pod.completions, pod.serviceAccountName, pod.containers.length, pod.containers[0].name], ["Never", 1, 1, "{{ service_account_name }}", 1, "prefect-job"]);
    assert.equal(pod.containers[0].env, "{{ env }}", "no peer: the worker's env only");
    assert.ok(ofType(plain, "kubernetes:core/v1:Secret").every((secret) => secret.name !== "prefect-mlflow-client"));
  });

  it("with MLflow in the stack, flow-run pods get its in-cluster URI and credentials (password through a Secret in prefect's namespace)", () => {
    const container = jobTemplateOf(withMlflow).job_configuration.job_manifest.spec.template.spec.containers[0];
    assert.deepEqual(container.env, [
      { name: "MLFLOW_TRACKING_URI", value: IN_CLUSTER_MLFLOW },
      { name: "MLFLOW_TRACKING_USERNAME", value: "admin" },
      { name: "MLFLOW_TRACKING_PASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-client", key: "MLFLOW_TRACKING_PASSWORD" } } },
    ]);
    assert.doesNotMatch(workerValues(withMlflow).worker.config.baseJobTemplate.configuration, /mlflow-password-value|\[secret\]/);
    const secret = named(withMlflow, "prefect-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual([(secret.inputs as any).metadata, (secret.inputs as any).stringData], [{ name: "mlflow-client", namespace: "prefect" }, "[secret]"]);
    assert.ok(named(withMlflow, "prefect-worker", RELEASE).dependencies?.includes(secret.urn), "the worker waits for the Secret its flow runs read");
    assert.deepEqual(prefect.links, ["mlflow", "wandb"]);
  });

  it("the IRSA role trusts prefect:prefect-server and names only the database secret", () => {
    const trusted = Object.values(json(named(plain, "prefect-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:prefect:prefect-server"]);
    const statements = json(named(plain, "prefect-irsa-policy").inputs.policy).Statement;
    assert.deepEqual([...new Set(statements.flatMap((statement: any) => [statement.Resource].flat()))], [SECRET_ARN]);
  });

  it("flow runs: their own service account, whose IRSA role names only the flows bucket", () => {
    const bucketArn = `arn:aws:s3:::${named(plain, "prefect-flows", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const trusted = Object.values(json(named(plain, "prefect-flows-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:prefect:prefect-flows"]);
    const statements = json(named(plain, "prefect-flows-irsa-policy").inputs.policy).Statement;
    assert.deepEqual([...new Set(statements.flatMap((statement: any) => [statement.Resource].flat()))].sort(), [bucketArn, `${bucketArn}/*`]);
  });

  it("in-cluster by default: no ingress; env and pods use the Service, the laptop the port-forward", () => {
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.deepEqual(serverValues(plain).service, { type: "ClusterIP", port: 4200, targetPort: 4200 });
    assert.equal(serverValues(plain).server.uiConfig.prefectUiApiUrl, "http://localhost:4200/api");
    assert.deepEqual(plain.outputs.env, { PREFECT_API_URL: IN_CLUSTER_API });
    assert.equal(plain.outputs.secretEnv, "[secret]");
    assert.deepEqual(plain.outputs.local, {
      prefect: { namespace: "prefect", service: "prefect-server", ports: [{ local: 4200, remote: 4200 }], env: { PREFECT_API_URL: "http://localhost:4200/api" } },
    });
    const outputs = prefectOutputs(plain);
    assert.deepEqual(
      [outputs.url, outputs.apiUrl, outputs.inClusterApiUrl, outputs.workPool, outputs.flowRunNamespace, outputs.flowServiceAccount, outputs.flowsBucket, outputs.adminUsername],
      ["http://localhost:4200", "http://localhost:4200/api", IN_CLUSTER_API, "kubernetes", "prefect", "prefect-flows", named(plain, "prefect-flows", "aws:s3/bucket:Bucket").inputs.bucket, "admin"],
    );
    assert.deepEqual(outputs.commands, [
      "kubectl port-forward -n prefect svc/prefect-server 4200:4200",
      `eval "$(platinfra outputs stack.yaml --env --local --show-secrets)"   # PREFECT_API_URL and PREFECT_API_AUTH_STRING (admin:<password>, also what the UI's login asks for)`,
      `prefect deploy ./flows.py:my_flow --name my-flow --pool kubernetes --job-variable image=IMAGE_WITH_YOUR_CODE   # or my_flow.deploy("my-flow", work_pool_name="kubernetes", image=...); runs in namespace prefect as prefect-flows`,
    ]);
  });

  it("exposed: an HTTPS-only ALB checking /api/health; the UI and env use the public URL", () => {
    const ingress = named(exposed, "prefect-ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/api/health");
    assert.deepEqual(ingress.spec.rules, [
      { host: "prefect.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "prefect-server", port: { number: 4200 } } } }] } },
    ]);
    assert.equal(serverValues(exposed).server.uiConfig.prefectUiApiUrl, "https://prefect.example.com/api");
    assert.deepEqual(exposed.outputs.env, { PREFECT_API_URL: "https://prefect.example.com/api" });
    assert.equal((exposed.outputs.local as Record<string, unknown>).prefect, undefined);
    assert.equal(prefectOutputs(exposed).workPool, "gpu-pool");
    assert.deepEqual(prefectCommands({ workPool: "gpu-pool" }), [
      `eval "$(platinfra outputs stack.yaml --env --show-secrets)"   # PREFECT_API_URL and PREFECT_API_AUTH_STRING (admin:<password>, also what the UI's login asks for)`,
      `prefect deploy ./flows.py:my_flow --name my-flow --pool gpu-pool --job-variable image=IMAGE_WITH_YOUR_CODE   # or my_flow.deploy("my-flow", work_pool_name="gpu-pool", image=...); runs in namespace prefect as prefect-flows`,
    ]);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(prefectParams.parse({}), { work_pool: "kubernetes", worker: {}, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    assert.deepEqual(paramsErrors(prefectParams, { work_pool: "My Pool", database: { storage_gb: 5 }, replicas: 2 }), [
      'work_pool: "My Pool" is not a work pool name — use lowercase letters, digits and "-" (e.g. kubernetes)',
      "database.storage_gb: Too small: expected number to be >=20",
      ': Unrecognized key: "replicas"',
    ]);
  });
});

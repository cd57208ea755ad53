import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import { LUIGI_IMAGE, LUIGI_VERSION, TASK_HISTORY_PACKAGES, luigi, schedulerCommand } from "../../components/tools/luigi/index";
import { clientConfig, schedulerConfig } from "../../components/tools/luigi/config";
import { DATABASE_DEFAULTS, DATABASE_WITHOUT_HISTORY, EXPOSE_REFUSED, luigiParams } from "../../components/tools/luigi/params";
import type { RenderResult } from "../../src/engine/render";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { errorsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-luigi-db-AbCdEf";
const SCHEDULER_URL = "http://luigid.luigi.svc.cluster.local:8082";
const PLAIN = stackWith({ pipelining: ["luigi"] });

const render = (params: unknown) => renderWithTools(PLAIN, { luigi }, { luigi: luigiParams.parse(params) });
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Luigi::luigi");
const deployment = (result: RenderResult) => named(result, "luigi-deployment", "kubernetes:apps/v1:Deployment").inputs as Record<string, any>;
const pod = (result: RenderResult) => deployment(result).spec.template.spec;
const container = (result: RenderResult) => pod(result).containers[0];
const messages = (input: unknown) => paramsErrors(luigiParams, input);

describe("luigi config files", () => {
  it("the scheduler's luigi.cfg: no history, or history in the database named by the environment (no URL in the file)", () => {
    assert.equal(schedulerConfig(false), "[scheduler]\nrecord_task_history = False\n");
    assert.equal(schedulerConfig(true), "[scheduler]\nrecord_task_history = True\n\n[task_history]\ndb_connection = ${LUIGI_TASK_HISTORY_DB}\n");
  });

  it("the client's luigi.cfg points workers at the scheduler", () => {
    assert.equal(clientConfig(SCHEDULER_URL), `[core]\nscheduler_url = ${SCHEDULER_URL}\n`);
  });

  it("the start command installs the pinned Luigi (and the history drivers only when recording) and runs luigid in the foreground", () => {
    assert.deepEqual([LUIGI_VERSION, LUIGI_IMAGE], ["3.8.1", "python:3.12-slim-bookworm"]);
    const install = "pip install --user --no-cache-dir --disable-pip-version-check --quiet";
    const run = "exec luigid --port 8082 --state-path /state/luigi-state.pickle";
    assert.equal(schedulerCommand(false), `${install} luigi==3.8.1 && ${run}`);
    assert.equal(schedulerCommand(true), `${install} luigi==3.8.1 sqlalchemy==1.4.54 psycopg2-binary==2.9.10 && ${run}`);
    assert.deepEqual(TASK_HISTORY_PACKAGES, ["sqlalchemy==1.4.54", "psycopg2-binary==2.9.10"]);
  });
});

describe("luigi", () => {
  let plain: RenderResult;
  let history: RenderResult;
  before(async () => {
    plain = await render({});
    history = await render({ task_history: true, database: { instance_class: "db.t4g.small" }, state_storage_gb: 5, resources: { requests: { cpu: "250m", memory: "512Mi" } } });
  });

  it("creates exactly its namespace, config, state volume, Deployment and Service (no Helm, no ingress, no database)", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:apps/v1:Deployment luigi-deployment",
      "kubernetes:core/v1:ConfigMap luigi-config",
      "kubernetes:core/v1:Namespace luigi-namespace",
      "kubernetes:core/v1:PersistentVolumeClaim luigi-state",
      "kubernetes:core/v1:Service luigi-service",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal(ofType(plain, "aws:rds/instance:Instance").length, 0);
    assert.equal((named(plain, "luigi-namespace").inputs.metadata as any).name, "luigi");
  });

  it("with task_history: adds the PostgreSQL database, the IRSA role reading its secret, and the synced Secret", async () => {
    assert.deepEqual(children(history), [
      "kubernetes:apps/v1:Deployment luigi-deployment",
      "kubernetes:core/v1:ConfigMap luigi-config",
      "kubernetes:core/v1:Namespace luigi-namespace",
      "kubernetes:core/v1:PersistentVolumeClaim luigi-state",
      "kubernetes:core/v1:Service luigi-service",
      "kubernetes:external-secrets.io/v1:ExternalSecret luigi-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore luigi-secret-store",
      "platinfra:base:Database luigi-db",
      "platinfra:base:ServiceAccountRole luigi-irsa",
    ]);
    const defaults = named(await render({ task_history: true }), "luigi-db", "aws:rds/instance:Instance").inputs as any;
    assert.deepEqual([defaults.instanceClass, defaults.allocatedStorage], ["db.t4g.micro", 20]);
    const db = named(history, "luigi-db", "aws:rds/instance:Instance").inputs as any;
    assert.deepEqual([db.engine, db.dbName, db.instanceClass, db.allocatedStorage, db.publiclyAccessible, db.storageEncrypted], ["postgres", "luigi", "db.t4g.small", 20, false, true]);
    const policy = json(named(history, "luigi-irsa-policy").inputs.policy).Statement;
    assert.deepEqual(policy, [{ Sid: "DatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [SECRET_ARN] }]);
    const trust = json(named(history, "luigi-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:luigi:luigid"]);
  });

  it("the Secret holds the SQLAlchemy URL rendered by External Secrets (password escaped, TLS required), as the luigid service account", () => {
    const external = named(history, "luigi-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "luigi-task-history-db", namespace: "luigi" });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    const address = String((named(history, "luigi-db", "aws:rds/instance:Instance").inputs as any).identifier);
    assert.equal(address, "demo-dev-luigi");
    assert.match(external.spec.target.template.data.url, /^postgresql:\/\/\{\{ \.username \| urlquery \}\}:\{\{ \.password \| urlquery \}\}@[^/]+:5432\/luigi\?sslmode=require$/);
    assert.deepEqual((named(history, "luigi-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "luigid" } } });
  });

  it("one scheduler, replaced by Recreate, restarted by Reloader when the password rotates (history only)", () => {
    for (const result of [plain, history]) {
      const spec = deployment(result).spec;
      assert.deepEqual([spec.replicas, spec.strategy], [1, { type: "Recreate" }]);
      assert.deepEqual(spec.selector, { matchLabels: { "app.kubernetes.io/name": "luigid" } });
    }
    assert.equal(deployment(plain).metadata.annotations, undefined);
    assert.deepEqual(deployment(history).metadata.annotations, { "secret.reloader.stakater.com/reload": "luigi-task-history-db" });
  });

  it("the container: pinned image, command, config path, probes on the HTTP port, non-root with a read-only root filesystem", () => {
    const server = container(plain);
    assert.equal(server.image, "python:3.12-slim-bookworm");
    assert.deepEqual(server.command, ["sh", "-c", schedulerCommand(false)]);
    assert.deepEqual(server.env, [
      { name: "HOME", value: "/tmp" },
      { name: "PYTHONUSERBASE", value: "/tmp/.local" },
      { name: "PATH", value: "/tmp/.local/bin:/usr/local/bin:/usr/bin:/bin" },
      { name: "LUIGI_CONFIG_PATH", value: "/config/luigi.cfg" },
    ]);
    assert.deepEqual(server.ports, [{ name: "http", containerPort: 8082 }]);
    const probe = (failureThreshold: number) => ({ httpGet: { path: "/", port: "http" }, periodSeconds: 10, failureThreshold });
    assert.deepEqual([server.startupProbe, server.readinessProbe, server.livenessProbe], [probe(30), probe(3), probe(3)]);
    assert.deepEqual(server.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(server.resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    assert.deepEqual(server.volumeMounts, [
      { name: "config", mountPath: "/config", readOnly: true },
      { name: "state", mountPath: "/state" },
      { name: "scratch", mountPath: "/tmp" },
    ]);
    const spec = pod(plain);
    assert.deepEqual(spec.securityContext, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    assert.equal(spec.automountServiceAccountToken, false);
    assert.equal(spec.serviceAccountName, undefined);
    assert.deepEqual(spec.volumes, [
      { name: "config", configMap: { name: "luigid-config" } },
      { name: "state", persistentVolumeClaim: { claimName: "luigid-state" } },
      { name: "scratch", emptyDir: {} },
    ]);
  });

  it("with task_history: the history drivers are installed and the URL comes from the synced Secret; params reach the pod", () => {
    const server = container(history);
    assert.deepEqual(server.command, ["sh", "-c", schedulerCommand(true)]);
    assert.deepEqual(server.env[4], { name: "LUIGI_TASK_HISTORY_DB", valueFrom: { secretKeyRef: { name: "luigi-task-history-db", key: "url" } } });
    assert.equal(server.env.length, 5);
    assert.deepEqual(server.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    assert.deepEqual((named(history, "luigi-config").inputs as any).data, { "luigi.cfg": schedulerConfig(true) });
    assert.deepEqual((named(plain, "luigi-config").inputs as any).metadata, { name: "luigid-config", namespace: "luigi" });
    assert.deepEqual((named(plain, "luigi-config").inputs as any).data, { "luigi.cfg": schedulerConfig(false) });
  });

  it("the state volume: an encrypted gp3 claim, 1 GiB by default, not awaited (it binds when the pod is scheduled)", () => {
    const claim = (result: RenderResult) => named(result, "luigi-state", "kubernetes:core/v1:PersistentVolumeClaim").inputs as any;
    assert.deepEqual(claim(plain), {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "luigid-state", namespace: "luigi", annotations: { "pulumi.com/skipAwait": "true" } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3-encrypted", resources: { requests: { storage: "1Gi" } } },
    });
    assert.equal(claim(history).spec.resources.requests.storage, "5Gi");
  });

  it("the Service: ClusterIP only, port 8082", () => {
    const service = named(plain, "luigi-service").inputs as any;
    assert.deepEqual(service.metadata, { name: "luigid", namespace: "luigi" });
    assert.deepEqual(service.spec, { type: "ClusterIP", selector: { "app.kubernetes.io/name": "luigid" }, ports: [{ name: "http", port: 8082, targetPort: "http" }] });
  });

  it("no secret appears in plain text in any recorded input or output", () => {
    const text = JSON.stringify(history);
    assert.doesNotMatch(text, /postgresql:\/\/[^{"]*:[^{"]*@/);
    assert.doesNotMatch(JSON.stringify(named(history, "luigi-config").inputs), /postgres|password/);
    assert.doesNotMatch(JSON.stringify(deployment(history)), /password/);
    assert.equal(ofType(history, "kubernetes:core/v1:Secret").length, 0);
  });

  it("outputs: the in-cluster scheduler URL, the client config, a run example; env and port-forward for laptops", () => {
    assert.deepEqual((plain.outputs.tools as any).luigi, {
      schedulerUrl: SCHEDULER_URL,
      clientConfig: `[core]\nscheduler_url = ${SCHEDULER_URL}\n`,
      runExample: `luigi --module my_tasks MyTask --scheduler-url ${SCHEDULER_URL}`,
      taskHistory: "off (set params.task_history: true to record it in PostgreSQL on RDS)",
    });
    assert.equal((history.outputs.tools as any).luigi.taskHistory, `${SCHEDULER_URL}/history`);
    assert.deepEqual(plain.outputs.env, { LUIGI_SCHEDULER_URL: SCHEDULER_URL });
    assert.deepEqual((plain.outputs as any).local.luigi, { namespace: "luigi", service: "luigid", ports: [{ local: 8082, remote: 8082 }], env: { LUIGI_SCHEDULER_URL: "http://localhost:8082" } });
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(luigiParams.parse({}), { task_history: false, state_storage_gb: 1 });
    assert.deepEqual(DATABASE_DEFAULTS, { instance_class: "db.t4g.micro", storage_gb: 20 });
    assert.deepEqual(luigiParams.parse({ task_history: true, database: {} }), { task_history: true, database: { instance_class: "db.t4g.micro", storage_gb: 20 }, state_storage_gb: 1 });
    assert.deepEqual(messages({ expose: { host: "luigi.example.com" } }), [`expose: ${EXPOSE_REFUSED}`]);
    assert.deepEqual(messages({ database: { instance_class: "db.t4g.small" } }), [`database: ${DATABASE_WITHOUT_HISTORY}`]);
    assert.deepEqual(messages({ task_history: "yes", state_storage_gb: 0, database: { instance_class: "t4g.small", storage_gb: 5 } }), [
      "task_history: Invalid input: expected boolean, received string",
      'database.instance_class: "t4g.small" is not an RDS instance class — expected e.g. db.t4g.micro',
      "database.storage_gb: Too small: expected number to be >=20",
      "state_storage_gb: Too small: expected number to be >=1",
    ]);
  });

  it("params errors carry the file position and spec path", () => {
    const text = PLAIN.replace("pipelining: [luigi]", "pipelining: [{luigi: {state_storage_gb: 0, expose: {host: luigi.example.com}}}]");
    assert.deepEqual(errorsOf(text), [
      "stack.yaml:9:43: stack.pipelining[0].luigi.state_storage_gb: received the number 0 — must be at least 1",
      `stack.yaml:9:54: stack.pipelining[0].luigi.expose: ${EXPOSE_REFUSED}`,
    ]);
  });
});

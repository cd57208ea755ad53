import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createToolDatabase, databaseUrlTemplate, secretReadStatement, syncDatabaseSecret, type SyncedSecret } from "../shared/database";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { placement } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { clientConfig, schedulerConfig, TASK_HISTORY_URL_ENV } from "./config";
import { DATABASE_DEFAULTS, luigiParams, type LuigiParams } from "./params";

/**
 * Luigi's latest release (spotify/luigi tag v3.8.1, luigi/__version__.py). Luigi publishes no
 * container image, so the scheduler installs this version from PyPI into the official Python image
 * at start (Luigi 3.8 supports Python 3.10–3.13, pyproject.toml).
 */
export const LUIGI_VERSION = "3.8.1";
export const LUIGI_IMAGE = "python:3.12-slim-bookworm";
/**
 * The task history's driver stack: luigi's db_task_history uses SQLAlchemy's 1.x API (raw-string
 * `execute` in its schema upgrade, removed in 2.0; luigi tests against `sqlalchemy<1.4`), so the
 * last 1.x series, which has wheels for this Python; psycopg2 is what a `postgresql://` URL loads.
 */
export const TASK_HISTORY_PACKAGES = ["sqlalchemy==1.4.54", "psycopg2-binary==2.9.10"];

const NAMESPACE = "luigi";
/** The Kubernetes name of the Deployment, its Service and the scheduler's address. */
const APP = "luigid";
const PORT = 8082;
const UID = 1000;
const SCRATCH = "/tmp";
const STATE_DIR = "/state";
const STATE_FILE = `${STATE_DIR}/luigi-state.pickle`;
const CONFIG_DIR = "/config";
const CONFIG_MAP = "luigid-config";
const STATE_CLAIM = "luigid-state";
/** The encrypted gp3 class the cluster add-ons create (components/base/cluster-addons.ts). */
const STORAGE_CLASS = "gp3-encrypted";
/** The service account External Secrets reads the database password as (task history only). */
const SERVICE_ACCOUNT = "luigid";
const DB_SECRET = "luigi-task-history-db";
/** A scheduler holds task graphs in memory: small for most teams, limits for large graphs. */
const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/**
 * The Luigi central scheduler (luigid): one pod (a second scheduler would split the workers), its
 * state file on an encrypted gp3 volume, and optionally a task history database on RDS. Plain
 * Kubernetes objects, as Luigi publishes neither a chart nor an image. luigid has no
 * authentication, so it listens inside the cluster only (`expose` is refused at validate).
 */
export class Luigi extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Luigi", name, {}, opts);
    const params = luigiParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const history = params.task_history ? this.createTaskHistory(scope, namespace, params) : undefined;
    const config = this.createConfig(name, namespace, params.task_history);
    const claim = this.createStateClaim(name, namespace, params.state_storage_gb);
    this.createDeployment(name, { context, params, history, dependsOn: [config, claim, ...(history ? [history.externalSecret] : [])] });
    this.createService(name, namespace);

    const schedulerUrl = serviceUrl(APP, NAMESPACE, PORT);
    this.outputs = stringMap({
      schedulerUrl,
      clientConfig: clientConfig(schedulerUrl),
      runExample: `luigi --module my_tasks MyTask --scheduler-url ${schedulerUrl}`,
      taskHistory: params.task_history ? `${schedulerUrl}/history` : "off (set params.task_history: true to record it in PostgreSQL on RDS)",
    });
    // Luigi reads no environment variable for the scheduler: pass it as `--scheduler-url "$LUIGI_SCHEDULER_URL"`.
    this.env = stringMap({ LUIGI_SCHEDULER_URL: schedulerUrl });
    this.localAccess = { namespace: NAMESPACE, service: APP, ports: [{ local: PORT, remote: PORT }], env: { LUIGI_SCHEDULER_URL: localUrl(PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * PostgreSQL on RDS, its managed password synced into a Secret with the whole SQLAlchemy URL
   * (`url`), rendered by External Secrets in the cluster: the password never reaches the state.
   */
  private createTaskHistory(scope: ToolScope, namespace: ToolNamespace, params: LuigiParams): SyncedSecret {
    const settings = params.database ?? DATABASE_DEFAULTS;
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "luigi", settings });
    const role = createToolRole(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] });
    return syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [role],
      template: { url: databaseUrlTemplate(database, "postgresql", "?sslmode=require") },
    });
  }

  private createConfig(name: string, namespace: ToolNamespace, taskHistory: boolean): k8s.core.v1.ConfigMap {
    return new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: CONFIG_MAP, namespace: NAMESPACE }, data: { "luigi.cfg": schedulerConfig(taskHistory) } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  private createStateClaim(name: string, namespace: ToolNamespace, sizeGb: number): k8s.core.v1.PersistentVolumeClaim {
    return new k8s.core.v1.PersistentVolumeClaim(
      `${name}-state`,
      {
        // The volume binds only once the pod is scheduled (WaitForFirstConsumer): Pulumi must not wait for it here.
        metadata: { name: STATE_CLAIM, namespace: NAMESPACE, annotations: { "pulumi.com/skipAwait": "true" } },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: STORAGE_CLASS, resources: { requests: { storage: `${sizeGb}Gi` } } },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * One replica, replaced by Recreate: the state volume attaches to one node at a time, and two
   * schedulers would each hold half the workers. Reloader restarts it when the database password
   * rotates (luigid reads the URL at start).
   */
  private createDeployment(name: string, args: { context: ToolContext; params: LuigiParams; history?: SyncedSecret; dependsOn: pulumi.Resource[] }): k8s.apps.v1.Deployment {
    const labels = { "app.kubernetes.io/name": APP, "app.kubernetes.io/managed-by": "platinfra" };
    return new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: APP, namespace: NAMESPACE, labels, ...(args.history ? { annotations: args.history.podAnnotations } : {}) },
        spec: {
          replicas: 1,
          strategy: { type: "Recreate" },
          selector: { matchLabels: { "app.kubernetes.io/name": APP } },
          template: { metadata: { labels }, spec: schedulerPod(args.context, args.params) },
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
  }

  private createService(name: string, namespace: ToolNamespace): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: APP, namespace: NAMESPACE },
        spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": APP }, ports: [{ name: "http", port: PORT, targetPort: "http" }] },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

/** Installs the pinned Luigi (and the task history's drivers) for this user, then runs the scheduler in the foreground. */
export function schedulerCommand(taskHistory: boolean): string {
  const packages = [`luigi==${LUIGI_VERSION}`, ...(taskHistory ? TASK_HISTORY_PACKAGES : [])].join(" ");
  return `pip install --user --no-cache-dir --disable-pip-version-check --quiet ${packages} && exec luigid --port ${PORT} --state-path ${STATE_FILE}`;
}

function schedulerPod(context: ToolContext, params: LuigiParams): k8s.types.input.core.v1.PodSpec {
  const probe = (failureThreshold: number) => ({ httpGet: { path: "/", port: "http" }, periodSeconds: 10, failureThreshold });
  return {
    // luigid calls neither the Kubernetes API nor AWS.
    automountServiceAccountToken: false,
    // fsGroup: the new EBS volume is root-owned; the group makes it writable for the scheduler's user.
    securityContext: { runAsNonRoot: true, runAsUser: UID, runAsGroup: UID, fsGroup: UID, seccompProfile: { type: "RuntimeDefault" } },
    ...placement(context, false),
    containers: [
      {
        name: APP,
        image: LUIGI_IMAGE,
        command: ["sh", "-c", schedulerCommand(params.task_history)],
        env: [
          { name: "HOME", value: SCRATCH },
          { name: "PYTHONUSERBASE", value: `${SCRATCH}/.local` },
          { name: "PATH", value: `${SCRATCH}/.local/bin:/usr/local/bin:/usr/bin:/bin` },
          { name: "LUIGI_CONFIG_PATH", value: `${CONFIG_DIR}/luigi.cfg` },
          ...(params.task_history ? [{ name: TASK_HISTORY_URL_ENV, valueFrom: { secretKeyRef: { name: DB_SECRET, key: "url" } } }] : []),
        ],
        ports: [{ name: "http", containerPort: PORT }],
        // The first start installs Luigi from PyPI: allow it 5 minutes before liveness counts.
        startupProbe: probe(30),
        readinessProbe: probe(3),
        livenessProbe: probe(3),
        resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        volumeMounts: [
          { name: "config", mountPath: CONFIG_DIR, readOnly: true },
          { name: "state", mountPath: STATE_DIR },
          { name: "scratch", mountPath: SCRATCH },
        ],
      },
    ],
    // luigid saves its state when it stops (SIGTERM): give it time to write.
    terminationGracePeriodSeconds: 60,
    volumes: [
      { name: "config", configMap: { name: CONFIG_MAP } },
      { name: "state", persistentVolumeClaim: { claimName: STATE_CLAIM } },
      { name: "scratch", emptyDir: {} },
    ],
  };
}

export const luigi: ToolComponentModule = {
  links: [],
  create: (name, context) => new Luigi(name, context, toolComponentOptions(context)),
};

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, databaseUrlTemplate, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { airflowParams } from "./params";
import { ADMIN_SECRET, ADMIN_USERNAME, API_PORT, API_SERVICE, DATABASE_NAME, DB_SECRET, FERNET_SECRET, KEYS_SECRET, LOG_PREFIX, NAMESPACE, RELEASE, SERVICE_ACCOUNT, airflowValues } from "./values";

/** The laptop's end of the port-forward: the API server's own port, no root needed. */
const LOCAL_PORT = 8080;

/**
 * Apache Airflow (pipelining) with the KubernetesExecutor: API server (UI), scheduler, DAG
 * processor and triggerer, one pod per task; the metadata database on RDS PostgreSQL (its URL
 * rendered in-cluster from the synced password), task logs in S3 through IRSA, generated fernet
 * key, API secret key and JWT secret, and an admin created at deploy time (FAB login, always on).
 * With MLflow in the stack, task pods get its in-cluster tracking settings (`peerPodEnv`).
 */
export class Airflow extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Airflow", name, {}, opts);
    const params = airflowParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const logs = createToolBucket(scope, "logs");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: DATABASE_NAME, settings: params.database });
    const role = this.createRole(scope, namespace, logs, database);
    const credentials = syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [role],
      template: { connection: databaseUrlTemplate(database, "postgresql", "?sslmode=require") },
    });
    const keys = createGeneratedSecret(scope, { namespace, purpose: "keys", secretName: KEYS_SECRET, generated: { "api-secret-key": 32, "jwt-secret": 64 } });
    const fernet = this.createFernetSecret(scope, namespace);
    const admin = createGeneratedSecret(scope, { namespace, purpose: "admin", secretName: ADMIN_SECRET, generated: { password: 32 }, plain: { username: ADMIN_USERNAME } });
    const publicUrl = params.expose ? `https://${params.expose.host}` : undefined;
    // Task pods log runs to MLflow when the stack has it (the Secret they read lives in airflow's namespace).
    const trackers = trackerPodEnv(scope, namespace);
    const values = airflowValues({ params, logBucket: logs.name, annotations: credentials.podAnnotations, ...(publicUrl ? { publicUrl } : {}), ...(trackers ? { taskEnv: trackers.env } : {}) });
    const release = helmRelease(
      name,
      { chart: CHARTS.airflow, releaseName: RELEASE, namespace: NAMESPACE, values },
      { parent: this, dependsOn: [namespace.resource, role, credentials.externalSecret, keys.secret, fernet, admin.secret, ...(trackers?.dependsOn ?? [])] },
    );
    const exposed = params.expose
      ? createIngress(scope, { namespace, serviceName: API_SERVICE, port: API_PORT, expose: params.expose, healthCheckPath: "/api/v2/monitor/health", dependsOn: [release] })
      : undefined;

    const apiUrl = serviceUrl(API_SERVICE, NAMESPACE, API_PORT);
    const portForward = `kubectl --namespace ${NAMESPACE} port-forward service/${API_SERVICE} ${LOCAL_PORT}:${API_PORT}`;
    this.outputs = stringMap({
      uiUrl: publicUrl ?? localUrl(LOCAL_PORT),
      ...(publicUrl ? {} : { portForward }),
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      apiServerUrl: apiUrl,
      adminUsername: ADMIN_USERNAME,
      remoteLogs: pulumi.interpolate`s3://${logs.name}/${LOG_PREFIX}`,
      databaseEndpoint: database.endpoint,
    });
    this.env = stringMap({ AIRFLOW_URL: publicUrl ?? apiUrl, AIRFLOW_USERNAME: ADMIN_USERNAME });
    this.secretEnv = pulumi.secret(stringMap({ AIRFLOW_PASSWORD: admin.values.password }));
    if (!publicUrl) {
      this.localAccess = { namespace: NAMESPACE, service: API_SERVICE, ports: [{ local: LOCAL_PORT, remote: API_PORT }], env: { AIRFLOW_URL: localUrl(LOCAL_PORT) } };
    }
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Airflow's fernet key encrypts connections and variables in the database. Fernet wants 32
   * random bytes in url-safe base64 with padding (44 characters); RandomId's b64Url has no
   * padding (43), so the one `=` is added. Secret in state, generated once.
   */
  private createFernetSecret(scope: ToolScope, namespace: ToolNamespace): k8s.core.v1.Secret {
    const bytes = new random.RandomId(`${scope.name}-fernet-key`, { byteLength: 32 }, { parent: this, additionalSecretOutputs: ["b64Url", "b64Std", "hex", "dec", "id"] });
    return new k8s.core.v1.Secret(
      `${scope.name}-fernet-key`,
      { metadata: { name: FERNET_SECRET, namespace: namespace.name }, stringData: { "fernet-key": pulumi.secret(pulumi.interpolate`${bytes.b64Url}=`) } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * One role for every Airflow pod: task pods write logs (boto3's default chain → web identity),
   * the API server, scheduler, DAG processor and triggerer read them, and the secret sync reads
   * the database password.
   */
  private createRole(scope: ToolScope, namespace: ToolNamespace, logs: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([logs.arn], "readwrite", "TaskLogs"), secretReadStatement(database.masterUserSecretArn)],
    });
  }
}

export const airflow: ToolComponentModule = {
  links: TRACKERS,
  create: (name, context) => new Airflow(name, context, toolComponentOptions(context)),
};

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../base/bucket";
import { CHARTS } from "../base/charts";
import type { Database } from "../base/database";
import { helmRelease } from "../base/helm";
import type { ServiceAccountRole } from "../base/service-account-role";
import {
  bucketStatements,
  createIngress,
  createNamespace,
  createToolBucket,
  createToolDatabase,
  createToolRole,
  secretReadStatement,
  localUrl,
  serviceUrl,
  syncDatabaseSecret,
  toolComponentOptions,
  type ToolNamespace,
  type ToolScope,
} from "./common";
import type { ToolContext } from "./context";
import { resourcesWithDefaults } from "./params-common";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "./types";
import { zenmlParams, type ZenmlParams } from "./zenml.params";

/** The ZenML server image (zenmldocker/zenml-server): its tag is the chart's version, as the chart defaults to. */
export const ZENML_IMAGE = { repository: "zenmldocker/zenml-server", tag: "0.98.0" };
const NAMESPACE = "zenml";
const SERVICE_ACCOUNT = "zenml";
/** The chart names its Service (and Deployment) after the release when the release name contains "zenml". */
const RELEASE = "zenml";
const PORT = 80;
const DB_SECRET = "zenml-db";
/** Where pipeline pods run, as the service account that may use the artifact store. */
export const PIPELINES = { namespace: "zenml-pipelines", serviceAccount: "zenml-pipelines" };
/** An idle web server uses a few millicores; memory is what its workers hold at rest. */
const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

/**
 * The ZenML server (pipelining): MySQL on RDS (ZenML's server database; the password synced from
 * Secrets Manager, never in state or values), an S3 artifact store reached through IRSA, and a
 * namespace with its own IRSA service account where the Kubernetes orchestrator runs pipelines.
 * ZenML's own login is always on, in-cluster or exposed: the chart's default auth scheme.
 */
export class Zenml extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Zenml", name, {}, opts);
    const params = zenmlParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const serverUrl = params.expose ? `https://${params.expose.host}` : serviceUrl(RELEASE, NAMESPACE, PORT);

    const namespace = createNamespace(scope, NAMESPACE);
    const artifacts = createToolBucket(scope, "artifacts");
    const database = createToolDatabase(scope, { engine: "mysql", databaseName: "zenml", instanceClass: params.database.instance_class, storage: params.database.storage_gb });
    const role = this.createServerRole(scope, namespace, artifacts, database);
    const credentials = syncDatabaseSecret(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, database, secretName: DB_SECRET, dependsOn: [role] });
    const release = helmRelease(
      name,
      { chart: CHARTS.zenml, releaseName: RELEASE, namespace: NAMESPACE, values: zenmlValues({ params, database, serverUrl }) },
      { parent: this, dependsOn: [namespace.resource, role, credentials] },
    );
    const exposed = params.expose ? createIngress(scope, { namespace, serviceName: RELEASE, port: PORT, expose: params.expose, healthCheckPath: "/health", dependsOn: [release] }) : undefined;
    this.createPipelineRuntime(name, context, artifacts);

    const artifactStore = pulumi.interpolate`s3://${artifacts.name}`;
    const mlflowEnv = context.peers.get("mlflow")?.env;
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = pulumi.output({
      serverUrl,
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      artifactStore,
      databaseEndpoint: database.endpoint,
      pipelinesNamespace: PIPELINES.namespace,
      commands: pulumi
        .all([artifactStore, context.platform.cluster.name, mlflowEnv ?? pulumi.output(undefined)])
        .apply(([store, cluster, mlflow]) => zenmlCommands({ serverUrl, artifactStore: store, cluster, region: context.platform.region, mlflow })),
    });
    this.env = pulumi.output<Record<string, string>>({ ZENML_STORE_URL: serverUrl });
    // The Service listens on 80, which a laptop may not bind without root: forward 8080 instead.
    if (!params.expose) this.localAccess = { namespace: NAMESPACE, service: RELEASE, ports: [{ local: 8080, remote: PORT }], env: { ZENML_STORE_URL: localUrl(8080) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * The server reads and writes artifacts (visualizations, metadata) and reads its database secret.
   * Platinfra creates the service account, not the chart: the chart's database migration is a
   * pre-install hook needing the synced password, whose sync authenticates as this very account —
   * a chart-created one would only appear after the hook, and the first install would deadlock.
   */
  private createServerRole(scope: ToolScope, namespace: ToolNamespace, artifacts: Bucket, database: Database): ServiceAccountRole {
    return createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: [...bucketStatements([artifacts.arn], "readwrite", "Artifacts"), secretReadStatement(database.masterUserSecretArn)],
    });
  }

  /**
   * The orchestrator's namespace and its service account: pipeline pods read and write the artifact
   * store through IRSA, and the orchestrator pod (same account) may start step pods there ("edit",
   * in that namespace only — what ZenML would otherwise grant an account it creates itself).
   */
  private createPipelineRuntime(name: string, context: ToolContext, artifacts: Bucket): void {
    const scope: ToolScope = { name: `${name}-pipelines`, context, parent: this };
    const namespace = createNamespace(scope, PIPELINES.namespace);
    createToolRole(scope, { namespace, serviceAccount: PIPELINES.serviceAccount, statements: bucketStatements([artifacts.arn], "readwrite", "Artifacts") });
    new k8s.rbac.v1.RoleBinding(
      `${scope.name}-edit`,
      {
        metadata: { name: PIPELINES.serviceAccount, namespace: PIPELINES.namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "ServiceAccount", name: PIPELINES.serviceAccount, namespace: PIPELINES.namespace }],
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

/**
 * The chart's values: every key exists in the chart's defaults (checked in the tests). The database
 * URL carries the user but never the password: ZENML_STORE_PASSWORD comes from the synced Secret.
 */
export function zenmlValues(args: { params: ZenmlParams; database: Pick<Database, "address" | "port" | "username" | "databaseName">; serverUrl: string }): Record<string, unknown> {
  const { params, database } = args;
  return {
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
    server: {
      replicaCount: params.replicas,
      image: { ...ZENML_IMAGE, pullPolicy: "IfNotPresent" },
      serverURL: args.serverUrl,
      analyticsOptIn: false,
      database: { url: pulumi.interpolate`mysql://${database.username}@${database.address}:${database.port}/${database.databaseName}` },
      environmentSecretKeyRefs: [{ name: "ZENML_STORE_PASSWORD", secretName: DB_SECRET, secretKey: "password" }],
      // The chart's own ingress defaults to nginx; exposure is platinfra's HTTPS-only ALB instead.
      ingress: { enabled: false },
    },
  };
}

/** The peer MLflow's client settings, as its `env` gives them. */
type MlflowEnv = Record<string, string> | undefined;

/**
 * The zenml CLI lines that register this deployment as the active stack: the S3 artifact store, the
 * cluster as Kubernetes orchestrator and, when the stack has MLflow, MLflow as experiment tracker.
 * Not exposed, the server URL is in-cluster: log in through `kubectl port-forward` or from a pod.
 */
export function zenmlCommands(args: { serverUrl: string; artifactStore: string; cluster: string; region: string; mlflow?: MlflowEnv }): string[] {
  const { serverUrl, artifactStore, cluster, region, mlflow } = args;
  const tracker = mlflow?.MLFLOW_TRACKING_URI ? mlflowTrackerCommands(mlflow.MLFLOW_TRACKING_URI, mlflow.MLFLOW_TRACKING_USERNAME) : [];
  return [
    `aws eks update-kubeconfig --name ${cluster} --region ${region} --alias ${cluster}`,
    `zenml login ${serverUrl}`,
    `zenml artifact-store register s3_store --flavor=s3 --path=${artifactStore}`,
    `zenml orchestrator register eks --flavor=kubernetes --kubernetes_context=${cluster} --kubernetes_namespace=${PIPELINES.namespace} --service_account_name=${PIPELINES.serviceAccount} --step_pod_service_account_name=${PIPELINES.serviceAccount}`,
    ...tracker,
    `zenml stack register platinfra -a s3_store -o eks${tracker.length > 0 ? " -e mlflow" : ""} --set`,
  ];
}

/**
 * ZenML requires credentials for any remote tracking URI. With MLflow's basic auth on, they go into a
 * ZenML secret (the password from `platinfra outputs --env --show-secrets`, never printed here);
 * with it off (in-cluster), MLflow ignores whatever is sent, so a placeholder satisfies ZenML.
 */
function mlflowTrackerCommands(uri: string, username?: string): string[] {
  const register = `zenml experiment-tracker register mlflow --flavor=mlflow --tracking_uri=${uri}`;
  if (!username) return [`${register} --tracking_username=platinfra --tracking_password=unused`];
  return [
    `zenml secret create mlflow_tracking --username=${username} --password="$MLFLOW_TRACKING_PASSWORD"`,
    `${register} --tracking_username={{mlflow_tracking.username}} --tracking_password={{mlflow_tracking.password}}`,
  ];
}

export const zenml: ToolComponentModule = {
  links: ["mlflow"],
  create: (name, context) => new Zenml(name, context, toolComponentOptions(context)),
};

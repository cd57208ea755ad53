import type * as k8s from "@pulumi/kubernetes";
import { stringify as stringifyYaml } from "yaml";
import type { Resources } from "../shared/params";

/**
 * The kustomize overlay platinfra deploys Kubeflow Pipelines with: the official manifests of one
 * pinned release (remote bases at its tag), without the bundled MySQL and object store, and patched
 * for RDS MySQL and S3 through IRSA. Pure data: index.ts writes it to a directory that the
 * Kubernetes provider's kustomize builds at deploy time.
 */

/** The pinned Kubeflow Pipelines release (kubeflow/pipelines tag); its images carry the same tag. */
export const KFP_VERSION = "2.17.0";
export const NAMESPACE = "kubeflow";
/** The Secret every KFP workload reads the database credentials from (upstream's name, synced here). */
export const DB_SECRET = "mysql-secret";
/** The key of `DB_SECRET` holding ML Metadata's connection config (it takes TLS options only from a file). */
export const MLMD_CONFIG_KEY = "mlmd-config";
/** RDS creates this one; the API server and ML Metadata create theirs (KFP's default names). */
export const PIPELINE_DB = "mlpipeline";
export const METADATA_DB = "metadb";

/** Upstream's service accounts: the API server, the UI, and the pods of every pipeline run. */
export const API_SERVER_SERVICE_ACCOUNT = "ml-pipeline";
export const UI_SERVICE_ACCOUNT = "ml-pipeline-ui";
export const RUNNER_SERVICE_ACCOUNT = "pipeline-runner";

export const API_SERVICE = "ml-pipeline";
export const API_PORT = 8888;
export const UI_SERVICE = "ml-pipeline-ui";
export const UI_PORT = 80;

/** What a rendered overlay needs to know about this stack. */
export interface OverlaySettings {
  region: string;
  bucket: string;
  database: { host: string; port: number };
  roleArns: { apiServer: string; ui: string; runner: string };
  /** Pod annotations of the workloads reading `DB_SECRET` (Reloader). */
  reloadAnnotations: Record<string, string>;
  apiServerResources: Required<Resources>;
  /** Variables for every pipeline step's containers (a peer's settings, secrets by secretKeyRef). @default none */
  stepEnv?: k8s.types.input.core.v1.EnvVar[];
}

/**
 * How long kustomize may take over each git command fetching a remote base. Its default (27 s) is
 * short for a shallow fetch of the whole kubeflow/pipelines tree (~47 MB at 2.17.0) on a slow
 * runner, and a timeout fails `up` at the Directory after the database was created; upstream's own
 * third-party/argo base raises it for the same reason (`timeout=60s`).
 */
export const FETCH_TIMEOUT = "180s";

/** A folder of kubeflow/pipelines' kustomize tree at the pinned tag, as a kustomize remote base. */
export function remoteBase(folder: string): string {
  return `https://github.com/kubeflow/pipelines/manifests/kustomize/${folder}?ref=${KFP_VERSION}&timeout=${FETCH_TIMEOUT}`;
}

/**
 * The upstream folders deployed: the CRDs (KFP's and Argo's, minimal), the pipeline services, ML
 * Metadata and KFP's Argo Workflows controller — env/platform-agnostic without base/installs/generic's
 * MySQL Secret and v1 cache webhook, third-party/mysql and third-party/seaweedfs.
 */
export const UPSTREAM_FOLDERS = [
  "base/pipeline/cluster-scoped",
  "third-party/argo/installs/namespace/cluster-scoped",
  "base/pipeline",
  "base/metadata/base",
  "third-party/argo/installs/namespace",
] as const;

/** The S3 endpoint of the region (virtual host and path style both served). */
export function s3Endpoint(region: string): string {
  return `s3.${region}.amazonaws.com`;
}

/** Where v2 pipelines write their artifacts unless a pipeline names another root. */
export function pipelineRoot(bucket: string): string {
  return `s3://${bucket}/v2/artifacts`;
}

/**
 * pipeline-install-config as upstream's base/installs/generic has it (every key some workload reads),
 * pointed at RDS and the bucket. ConMaxLifeTime stays below RDS' idle-connection cut.
 */
export function installConfig(settings: OverlaySettings): Record<string, string> {
  return {
    appName: "pipeline",
    appVersion: KFP_VERSION,
    dbType: "mysql",
    mysqlHost: settings.database.host,
    mysqlPort: String(settings.database.port),
    mlmdDb: METADATA_DB,
    cacheDb: "cachedb",
    pipelineDb: PIPELINE_DB,
    bucketName: settings.bucket,
    defaultPipelineRoot: pipelineRoot(settings.bucket),
    autoUpdatePipelineDefaultVersion: "true",
    cronScheduleTimezone: "UTC",
    ConMaxLifeTime: "120s",
    LOG_LEVEL: "info",
    ARTIFACTS_PROXY_ENABLED: "false",
    defaultSecurityContextRunAsUser: "",
    defaultSecurityContextRunAsGroup: "",
    defaultSecurityContextRunAsNonRoot: "",
    defaultSecurityContextHostUsers: "",
    BLOCK_V1_PIPELINES: "false",
    V1_ALLOWED_NAMESPACES: "",
  };
}

/**
 * go-sql-driver's TLS mode for the API server: RDS for MySQL 8.4 requires TLS. "skip-verify"
 * encrypts without checking the certificate: the driver only trusts the system roots, which do not
 * hold the RDS CA, and KFP has no setting for a CA file.
 */
export const MYSQL_EXTRA_PARAMS = { tls: "skip-verify" };

/**
 * ML Metadata's connection config (text protobuf), rendered by External Secrets with the synced
 * credentials: its server takes TLS options only from this file, never from flags. Any `ssl_options`
 * make its client (MariaDB Connector/C 3.0.8: mysql_ssl_set sets MYSQL_OPT_SSL_ENFORCE) require
 * TLS; no CA is named, because a CA path that fails to load aborts the handshake and the image
 * (ubuntu:20.04 with tzdata only) holds no CA files — so the certificate is not verified.
 * Backslashes and quotes are escaped for the text format (RDS passwords may hold backslashes).
 */
export function mlmdConfigTemplate(database: { host: string; port: number }): string {
  const escaped = (field: string) => `{{ .${field} | replace "\\\\" "\\\\\\\\" | replace "\\"" "\\\\\\"" }}`;
  return [
    "connection_config {",
    "  mysql {",
    `    host: "${database.host}"`,
    `    port: ${database.port}`,
    `    database: "${METADATA_DB}"`,
    `    user: "${escaped("username")}"`,
    `    password: "${escaped("password")}"`,
    "    ssl_options { verify_server_cert: false }",
    "  }",
    "}",
    "migration_options { enable_upgrade_migration: true }",
    "",
  ].join("\n");
}

/** Where ML Metadata's server reads `MLMD_CONFIG_KEY`. */
export const MLMD_CONFIG_PATH = "/etc/mlmd/config.pbtxt";

const deleteEnv = (name: string) => ({ name, $patch: "delete" });
/**
 * An env entry emptied: its upstream `valueFrom` removed (null deletes a field in a strategic merge).
 * The API server needs its access keys set and empty, not absent: its image's config.json defaults
 * them to MinIO's ("minio"/"minio123"), and only empty keys make it use the AWS default credential
 * chain (IRSA web identity) — backend/src/apiserver/client_manager/client_manager.go loadAWSConfig.
 */
const emptyEnv = (name: string) => ({ name, value: "", valueFrom: null });
/** Upstream's env entries reading the object store's access keys (mlpipeline-minio-artifact, which is not deployed): IRSA instead. */
const MINIO_KEYS = { apiServer: ["OBJECTSTORECONFIG_ACCESSKEY", "OBJECTSTORECONFIG_SECRETACCESSKEY"], ui: ["MINIO_ACCESS_KEY", "MINIO_SECRET_KEY"] };

/** A strategic-merge patch of one upstream Deployment's pod. */
function deploymentPatch(name: string, template: Record<string, unknown>, annotations: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name }, spec: { template: { ...(Object.keys(annotations).length ? { metadata: { annotations } } : {}), spec: template } } };
}

/** The API server: RDS over TLS (password from the synced Secret), S3 through its IRSA role, no static keys. */
function apiServerPatch(settings: OverlaySettings): Record<string, unknown> {
  const env = [
    { name: "OBJECTSTORECONFIG_HOST", value: s3Endpoint(settings.region) },
    { name: "OBJECTSTORECONFIG_PORT", value: "" },
    { name: "OBJECTSTORECONFIG_SECURE", value: "true" },
    { name: "OBJECTSTORECONFIG_REGION", value: settings.region },
    { name: "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", value: JSON.stringify(MYSQL_EXTRA_PARAMS) },
    ...MINIO_KEYS.apiServer.map(emptyEnv),
  ];
  return deploymentPatch("ml-pipeline", { containers: [{ name: "ml-pipeline-api-server", env, resources: settings.apiServerResources }] }, settings.reloadAnnotations);
}

/** ML Metadata: its connection from the mounted config file (TLS), no password on the command line. */
function metadataPatch(settings: OverlaySettings): Record<string, unknown> {
  const args = ["--grpc_port=8080", `--metadata_store_server_config_file=${MLMD_CONFIG_PATH}`, "--grpc_channel_arguments=grpc.max_metadata_size=16384,grpc.max_receive_message_length=104857600,grpc.max_send_message_length=104857600"];
  return deploymentPatch(
    "metadata-grpc-deployment",
    {
      containers: [
        {
          name: "container",
          args,
          env: ["DBCONFIG_USER", "DBCONFIG_PASSWORD"].map(deleteEnv),
          volumeMounts: [{ name: MLMD_CONFIG_KEY, mountPath: "/etc/mlmd", readOnly: true }],
        },
      ],
      volumes: [{ name: MLMD_CONFIG_KEY, secret: { secretName: DB_SECRET, items: [{ key: MLMD_CONFIG_KEY, path: "config.pbtxt" }] } }],
    },
    settings.reloadAnnotations,
  );
}

/** The UI reads artifacts and archived logs from S3 with its IRSA role (AWS default credential chain). */
function uiPatch(settings: OverlaySettings): Record<string, unknown> {
  const env = [
    { name: "AWS_REGION", value: settings.region },
    { name: "ARGO_ARCHIVE_ARTIFACTORY", value: "s3" },
    { name: "ARGO_ARCHIVE_BUCKETNAME", value: settings.bucket },
    ...MINIO_KEYS.ui.map(deleteEnv),
  ];
  return deploymentPatch("ml-pipeline-ui", { containers: [{ name: "ml-pipeline-ui", env }] });
}

/** The v2 launcher and driver (in run pods, as pipeline-runner): S3 in the region, credentials from the environment (IRSA). */
export function launcherProviders(region: string): Record<string, unknown> {
  return { s3: { default: { endpoint: "s3.amazonaws.com", region, credentials: { fromEnv: true } } } };
}

/** Argo's artifact repository (logs of every step, v1 artifacts): the bucket through the pods' IRSA role. */
export function argoArtifactRepository(settings: Pick<OverlaySettings, "region" | "bucket">): Record<string, unknown> {
  return {
    archiveLogs: true,
    s3: {
      endpoint: "s3.amazonaws.com",
      region: settings.region,
      bucket: settings.bucket,
      // Upstream's layout: the UI derives an artifact's namespace from the "private-artifacts/<namespace>/" prefix.
      keyFormat: "private-artifacts/{{workflow.namespace}}/{{workflow.name}}/{{workflow.creationTimestamp.Y}}/{{workflow.creationTimestamp.m}}/{{workflow.creationTimestamp.d}}/{{pod.name}}",
      useSDKCreds: true,
    },
  };
}

/**
 * KFP's workflow defaults (third-party/argo/base/workflow-controller-configmap-patch.yaml at the tag:
 * one-hour TTL, two retries on error — kept, as the key is replaced whole) with `env` added to every
 * container and script step. Argo strategic-merges the defaults of a step's own type into it (env by
 * name: the step's own value wins). Keep in step with upstream when KFP_VERSION moves.
 */
export function workflowDefaults(env: k8s.types.input.core.v1.EnvVar[]): Record<string, unknown> {
  const hour = 3600;
  return {
    spec: {
      ttlStrategy: { secondsAfterCompletion: hour, secondsAfterSuccess: hour, secondsAfterFailure: hour },
      templateDefaults: { retryStrategy: { limit: "2", retryPolicy: "OnError" }, container: { env }, script: { env } },
    },
  };
}

/** Argo's controller config: the artifact repository always; the workflow defaults when steps get a peer's settings. */
function controllerConfig(settings: OverlaySettings): Record<string, string> {
  return {
    artifactRepository: stringify(argoArtifactRepository(settings)),
    ...(settings.stepEnv ? { workflowDefaults: stringify(workflowDefaults(settings.stepEnv)) } : {}),
  };
}

function configMapPatch(name: string, data: Record<string, string>): Record<string, unknown> {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
}

function roleAnnotationPatch(serviceAccount: string, roleArn: string): Record<string, unknown> {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: serviceAccount, annotations: { "eks.amazonaws.com/role-arn": roleArn } } };
}

/** Every patch of the overlay, as objects (tests read them; the kustomization holds them as YAML). */
export function overlayPatches(settings: OverlaySettings): Record<string, unknown>[] {
  return [
    apiServerPatch(settings),
    metadataPatch(settings),
    uiPatch(settings),
    configMapPatch("kfp-launcher", { defaultPipelineRoot: pipelineRoot(settings.bucket), providers: stringify(launcherProviders(settings.region)) }),
    configMapPatch("workflow-controller-configmap", controllerConfig(settings)),
    roleAnnotationPatch(API_SERVER_SERVICE_ACCOUNT, settings.roleArns.apiServer),
    roleAnnotationPatch(UI_SERVICE_ACCOUNT, settings.roleArns.ui),
    roleAnnotationPatch(RUNNER_SERVICE_ACCOUNT, settings.roleArns.runner),
  ];
}

/** YAML with multi-line strings as literal blocks (what a reader of the written files expects). */
function stringify(value: unknown): string {
  return stringifyYaml(value, { blockQuote: "literal" });
}

/** The overlay's kustomization.yaml, as an object. */
export function kustomization(settings: OverlaySettings): Record<string, unknown> {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    namespace: NAMESPACE,
    resources: UPSTREAM_FOLDERS.map(remoteBase),
    labels: [{ pairs: { "app.kubernetes.io/managed-by": "platinfra" } }],
    configMapGenerator: [
      {
        name: "pipeline-install-config",
        literals: Object.entries(installConfig(settings)).map(([key, value]) => `${key}=${value}`),
        options: { disableNameSuffixHash: true },
      },
    ],
    patches: overlayPatches(settings).map((patch) => ({ patch: stringify(patch) })),
  };
}

/** The kustomization as written to disk. */
export function kustomizationYaml(settings: OverlaySettings): string {
  return stringify(kustomization(settings));
}

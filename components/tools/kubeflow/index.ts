import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../../../src/errors";
import type { Bucket } from "../../base/bucket";
import type { Database } from "../../base/database";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { trackerPodEnv, TRACKERS, type PeerPodEnv } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import {
  API_PORT,
  API_SERVER_SERVICE_ACCOUNT,
  API_SERVICE,
  DB_SECRET,
  KFP_VERSION,
  kustomizationYaml,
  MLMD_CONFIG_KEY,
  mlmdConfigTemplate,
  NAMESPACE,
  type OverlaySettings,
  PIPELINE_DB,
  pipelineRoot,
  RUNNER_SERVICE_ACCOUNT,
  UI_PORT,
  UI_SERVICE,
  UI_SERVICE_ACCOUNT,
} from "./manifests";
import { kubeflowParams, type KubeflowParams } from "./params";

/** Only External Secrets runs as this account: it reads the RDS-managed credentials and nothing else. */
export const DATABASE_SERVICE_ACCOUNT = "kubeflow-database";
/** The laptop's end of the UI port-forward (the UI also proxies the API, so the SDK uses it too). */
export const LOCAL_PORT = 8080;
/** The API server's request when the params give none: upstream's own (250m / 500Mi). */
const API_SERVER_DEFAULTS = { requests: { cpu: "250m", memory: "500Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/**
 * ML Metadata's MySQL client (MLMD 1.14, google/ml-metadata#178) cannot authenticate with
 * caching_sha2_password, the plugin RDS for MySQL 8.4 gives the master user by default.
 */
const MYSQL_PARAMETERS = { authentication_policy: "*:mysql_native_password" };

/**
 * Kubeflow Pipelines (pipelining), standalone: the official kustomize manifests of one pinned
 * release, built by the Kubernetes provider at deploy time, with MySQL on RDS (password synced,
 * TLS) and artifacts in S3 through IRSA instead of the bundled MySQL and object store. Standalone
 * KFP has no authentication: it stays inside the cluster (validate refuses `expose`). With MLflow in
 * the stack, every pipeline step gets its in-cluster tracking settings.
 */
export class Kubeflow extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Kubeflow", name, {}, opts);
    const params = kubeflowParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };

    const namespace = createNamespace(scope, NAMESPACE);
    const artifacts = createToolBucket(scope, "artifacts");
    const database = createToolDatabase(scope, {
      engine: "mysql",
      databaseName: PIPELINE_DB,
      settings: params.database,
      parameters: MYSQL_PARAMETERS,
    });
    const roles = this.createRoles(scope, namespace, artifacts, database);
    const credentials = syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: DATABASE_SERVICE_ACCOUNT,
      database,
      secretName: DB_SECRET,
      dependsOn: [roles.database],
      template: { [MLMD_CONFIG_KEY]: pulumi.all([database.address, database.port]).apply(([host, port]) => mlmdConfigTemplate({ host, port })) },
    });
    // Pipeline steps log to MLflow when the stack has it: they run in this namespace, where the Secret goes.
    const trackers = trackerPodEnv(scope, namespace);
    const overlay = this.overlaySettings(context, params, artifacts, database, roles, credentials.podAnnotations, trackers).apply(writeOverlay);
    new k8s.kustomize.v2.Directory(
      name,
      { directory: overlay, namespace: NAMESPACE, resourcePrefix: name },
      { parent: this, dependsOn: [namespace.resource, roles.apiServer, roles.ui, roles.runner, credentials.externalSecret, ...(trackers?.dependsOn ?? [])] },
    );

    const apiUrl = serviceUrl(API_SERVICE, NAMESPACE, API_PORT);
    const forward = `kubectl port-forward -n ${NAMESPACE} svc/${UI_SERVICE} ${LOCAL_PORT}:${UI_PORT}`;
    const commands = [
      `${forward}   # the UI at ${localUrl(LOCAL_PORT)}, which also proxies the API`,
      `eval "$(platinfra outputs stack.yaml --env --local)"   # KF_PIPELINES_ENDPOINT=${localUrl(LOCAL_PORT)}`,
      "pip install kfp",
      // kfp.Client() reads KF_PIPELINES_ENDPOINT; the API server uploads its tutorial pipelines at first start.
      `python -c 'import kfp; print([p.display_name for p in kfp.Client().list_pipelines().pipelines or []])'`,
    ];
    this.dataBuckets = [{ name: artifacts.name, arn: artifacts.arn }];
    this.outputs = pulumi.output({
      version: KFP_VERSION,
      apiUrl,
      uiUrl: localUrl(LOCAL_PORT),
      portForward: forward,
      apiPortForward: `kubectl port-forward -n ${NAMESPACE} svc/${API_SERVICE} ${API_PORT}:${API_PORT}`,
      pipelineRoot: artifacts.name.apply(pipelineRoot),
      artifactBucket: artifacts.name,
      databaseEndpoint: database.endpoint,
      runnerServiceAccount: RUNNER_SERVICE_ACCOUNT,
      commands,
    });
    // Pods (and a laptop through `outputs --env --local`): the kfp SDK reads KF_PIPELINES_ENDPOINT.
    this.env = stringMap({ KF_PIPELINES_ENDPOINT: apiUrl });
    this.localAccess = { namespace: NAMESPACE, service: UI_SERVICE, ports: [{ local: LOCAL_PORT, remote: UI_PORT }], env: { KF_PIPELINES_ENDPOINT: localUrl(LOCAL_PORT) } };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Upstream's manifests create the service accounts; platinfra names them in the roles and the
   * overlay annotates them. The API server and the run pods read and write the bucket (pipeline
   * packages, artifacts, logs), the UI only reads it; only the secret sync reads the password.
   */
  private createRoles(scope: ToolScope, namespace: ToolNamespace, artifacts: Bucket, database: Database) {
    const bucketRole = (role: string, serviceAccount: string, access: "read" | "readwrite") =>
      createToolRole(scope, { role, namespace, serviceAccount, statements: bucketStatements([artifacts.arn], access, "Artifacts"), createServiceAccount: false });
    return {
      apiServer: bucketRole("api-server", API_SERVER_SERVICE_ACCOUNT, "readwrite"),
      ui: bucketRole("ui", UI_SERVICE_ACCOUNT, "read"),
      runner: bucketRole("runner", RUNNER_SERVICE_ACCOUNT, "readwrite"),
      database: createToolRole(scope, { role: "database", namespace, serviceAccount: DATABASE_SERVICE_ACCOUNT, statements: [secretReadStatement(database.masterUserSecretArn)] }),
    };
  }

  private overlaySettings(
    context: ToolContext,
    params: KubeflowParams,
    artifacts: Bucket,
    database: Database,
    roles: Record<"apiServer" | "ui" | "runner", ServiceAccountRole>,
    reloadAnnotations: Record<string, string>,
    trackers: PeerPodEnv | undefined,
  ): pulumi.Output<OverlaySettings> {
    const { region } = context.platform;
    const apiServerResources = resourcesWithDefaults(params.api_server.resources, API_SERVER_DEFAULTS);
    return pulumi
      .all([artifacts.name, database.address, database.port, roles.apiServer.roleArn, roles.ui.roleArn, roles.runner.roleArn, trackers?.env])
      .apply(([bucket, host, port, apiServer, ui, runner, stepEnv]) => ({
        region,
        bucket,
        database: { host, port },
        roleArns: { apiServer, ui, runner },
        reloadAnnotations,
        apiServerResources,
        ...(stepEnv ? { stepEnv } : {}),
      }));
  }
}

/**
 * Writes the overlay where the provider's kustomize reads it: a folder named after its content, so
 * a changed overlay is a new path (the Directory re-renders) and an unchanged one is the same input.
 */
export function writeOverlay(settings: OverlaySettings, root: string = overlayRoot()): string {
  const text = kustomizationYaml(settings);
  const digest = crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
  const directory = path.join(privateFolder(root), digest);
  fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(directory, "kustomization.yaml"), text);
  return directory;
}

/** The user's own folder under the temp dir: a shared /tmp must not let another user swap the manifests applied. */
function overlayRoot(): string {
  const uid = process.getuid?.();
  return path.join(os.tmpdir(), uid === undefined ? "platinfra-kubeflow" : `platinfra-kubeflow-${uid}`);
}

/**
 * Creates `root` for this user only, or accepts it when it already is: a folder (not a link) owned
 * by this user that nobody else can write to. Anything else could let another local user replace the
 * kustomization between its writing and the provider's reading — refused.
 */
function privateFolder(root: string): string {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  if (uid === undefined) return root; // Windows: the temp dir is the user's own.
  const stat = fs.lstatSync(root);
  if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o022) !== 0) {
    throw new PlatinfraError("KUBEFLOW_OVERLAY_FOLDER_UNSAFE", `${root} (where kubeflow's kustomize overlay is written) is not a folder of this user that only this user can write to`, {
      hints: [`remove ${root} (or make it yours with mode 700) and run again`],
    });
  }
  return root;
}

export const kubeflow: ToolComponentModule = {
  links: TRACKERS,
  create: (name, context) => new Kubeflow(name, context, toolComponentOptions(context)),
};

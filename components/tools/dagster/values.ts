import type * as pulumi from "@pulumi/pulumi";
import type { Database } from "../../base/database";
import { resourcesWithDefaults } from "../shared/params";
import type { DagsterParams, UserCode } from "./params";
import type { RunEnvironment } from "./run-env";

/**
 * The Dagster release platinfra pins: chart, webserver/daemon image and the instance's libraries
 * are released together under one version (the chart's `version` is the Dagster release).
 */
export const DAGSTER_VERSION = "1.13.27";
/** The image the chart defaults to for the webserver and daemon; it ships dagster-k8s, dagster-postgres and dagster-aws. */
export const DAGSTER_IMAGE = { repository: "docker.io/dagster/dagster-celery-k8s", tag: DAGSTER_VERSION, pullPolicy: "IfNotPresent" };
export const NAMESPACE = "dagster";
export const RELEASE = "dagster";
/** One account for the webserver, daemon, code server and run pods: the chart hands it to the K8sRunLauncher too. */
export const SERVICE_ACCOUNT = "dagster";
/** The chart names the webserver's Service `<release>-<dagsterWebserver.nameOverride>`. */
export const WEBSERVER_SERVICE = "dagster-dagster-webserver";
export const WEBSERVER_PORT = 80;
/** The laptop's end of the port-forward: `dagster dev`'s usual port, no root needed. */
export const LOCAL_PORT = 3000;
export const DB_SECRET = "dagster-postgresql";
/**
 * The key every Dagster container reads the database password from: the chart's webserver,
 * daemon and migration Job, and the run pods dagster-k8s builds (DAGSTER_PG_PASSWORD_SECRET_KEY,
 * a constant), whatever `global.postgresqlSecretPasswordKey` says.
 */
export const PASSWORD_KEY = "postgresql-password";
export const DATABASE_NAME = "dagster";
export const LOG_PREFIX = "compute-logs";
/** The code server's gRPC port (the chart's example value). */
export const USER_CODE_PORT = 3030;
/** An idle webserver or daemon uses a few millicores; memory is what the Python process holds. */
export const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };
export const USER_CODE_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/**
 * Each run pod's container, unless a job's `dagster-k8s/config` tag says otherwise. Set through the
 * launcher's `run_k8s_config.container_config`, because dagster-k8s (K8sContainerContext.merge)
 * replaces the launcher's plain `resources` with the code location's — and the chart hands every
 * run the code server's own resources (includeConfigInLaunchedRuns), which are sized for an idle
 * gRPC server, not for a run.
 */
export const RUN_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };

/**
 * The chart's values: every key exists in the chart's defaults (checked in the tests). The
 * database password only ever travels as the synced Secret's name; the username (RDS's master
 * user, not a secret) is written into dagster.yaml, so run pods, which get only the password
 * from the Secret, read the same instance config. Compute logs go to S3 with boto3's default
 * chain: the service account's web identity.
 */
export function dagsterValues(args: {
  params: DagsterParams;
  database: Pick<Database, "address" | "port" | "username">;
  logBucket: pulumi.Input<string>;
  /** Reloader annotations: the webserver and daemon restart when the password rotates. */
  podAnnotations: Record<string, string>;
  /** Settings for run pods (e.g. MLflow's): plain `KEY=value` pairs and whole Secrets. */
  runEnv?: RunEnvironment;
}): Record<string, unknown> {
  const { params, database } = args;
  const resources = resourcesWithDefaults(params.resources, DEFAULT_RESOURCES);
  // Taken whole when given: defaults mixed in could put a limit under the request (the pod is refused).
  const runResources = params.run_resources ?? RUN_RESOURCES;
  return {
    global: { postgresqlSecretName: DB_SECRET, postgresqlSecretUsernameKey: "", postgresqlSecretPasswordKey: PASSWORD_KEY, serviceAccountName: SERVICE_ACCOUNT },
    // platinfra creates the account with its IRSA role before the release (the secret sync needs it first).
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    generatePostgresqlPasswordSecret: false,
    postgresql: {
      enabled: false,
      postgresqlHost: database.address,
      postgresqlUsername: database.username,
      postgresqlDatabase: DATABASE_NAME,
      postgresqlParams: { sslmode: "require" },
      service: { port: database.port },
    },
    dagsterWebserver: { replicaCount: params.replicas, image: DAGSTER_IMAGE, annotations: args.podAnnotations, resources },
    dagsterDaemon: { image: DAGSTER_IMAGE, annotations: args.podAnnotations, resources },
    runLauncher: {
      type: "K8sRunLauncher",
      config: {
        k8sRunLauncher: {
          imagePullPolicy: "IfNotPresent",
          runK8sConfig: { containerConfig: { resources: runResources } },
          ...(args.runEnv ? { envVars: args.runEnv.envVars, envSecrets: args.runEnv.envSecrets } : {}),
        },
      },
    },
    computeLogManager: { type: "S3ComputeLogManager", config: { s3ComputeLogManager: { bucket: args.logBucket, prefix: LOG_PREFIX } } },
    // `enabled` writes workspace.yaml and passes `-w` to the webserver and daemon; without it they start with no
    // workspace argument and exit ("No arguments given…"). With no code location the file says `load_from: []`
    // (the chart's example deployment replaced by the empty list) and the subchart stays off.
    "dagster-user-deployments": params.user_code
      ? { enabled: true, enableSubchart: true, deployments: [userDeployment(params.user_code, args.podAnnotations)] }
      : { enabled: true, enableSubchart: false, deployments: [] },
    telemetry: { enabled: false },
  };
}

/**
 * The one code location: `dagster api grpc` on the image, its config carried into the runs it
 * launches. The code server reads the database password too (the subchart's deployment-user.yaml
 * sets DAGSTER_PG_PASSWORD from `postgresql-password`), so it restarts on rotation like the rest.
 */
function userDeployment(code: UserCode, annotations: Record<string, string>): Record<string, unknown> {
  const [repository, tag] = splitImage(code.image);
  return {
    name: code.name,
    image: { repository, tag, pullPolicy: "IfNotPresent" },
    dagsterApiGrpcArgs: code.module ? ["--module-name", code.module] : ["--package-name", code.package],
    port: USER_CODE_PORT,
    includeConfigInLaunchedRuns: { enabled: true },
    resources: USER_CODE_RESOURCES,
    annotations,
  };
}

/** `registry[:port]/repository:tag` → [repository with registry, tag] (params only allow tagged images). */
export function splitImage(image: string): [string, string] {
  const colon = image.lastIndexOf(":");
  return [image.slice(0, colon), image.slice(colon + 1)];
}

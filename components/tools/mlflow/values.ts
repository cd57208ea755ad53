import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../../base/database";
import type { MlflowParams } from "./params";
import { AUTH_DATABASE, authDatabaseInitContainer, mlflowAllowedHosts, mlflowCorsOrigins } from "./access";
import { resourcesWithDefaults } from "../shared/params";

/** The MLflow server image: the chart's own (burakince/mlflow), at the chart's app version. */
export const MLFLOW_IMAGE = { repository: "burakince/mlflow", tag: "3.15.1" };
export const NAMESPACE = "mlflow";
export const SERVICE_ACCOUNT = "mlflow";
/** The chart names its Service after the release ("mlflow"). */
export const SERVICE = "mlflow";
export const PORT = 5000;
/** The laptop's end of the port-forward: not 5000, which macOS's AirPlay Receiver holds. */
export const LOCAL_PORT = 5001;
export const DB_SECRET = "mlflow-db";
export const ADMIN_SECRET = "mlflow-admin";
/** platinfra's Secret for basic auth's own database role (generated password). */
export const AUTH_DB_SECRET = "mlflow-auth-db";
/** An idle web server uses a few millicores; memory is what its workers hold at rest. */
export const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

/** The chart's values: every key exists in chart 1.11.5's defaults (checked in the tests). */
export function mlflowValues(args: {
  params: MlflowParams;
  bucket: pulumi.Input<string>;
  database: Pick<Database, "address" | "port">;
  auth: boolean;
  /** Annotations that let Reloader roll the server when its database Secret changes. */
  podAnnotations: Record<string, string>;
}): Record<string, unknown> {
  const { params } = args;
  return {
    image: MLFLOW_IMAGE,
    replicaCount: params.replicas,
    podAnnotations: args.podAnnotations,
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
    // platinfra creates the account (with the IRSA role) before the release.
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    service: { type: "ClusterIP", port: PORT },
    serverAllowedHosts: mlflowAllowedHosts({ name: SERVICE, namespace: NAMESPACE, port: PORT }, params.expose),
    ...(params.expose ? { corsAllowedOrigins: mlflowCorsOrigins(params.expose) } : {}),
    backendStore: {
      databaseMigration: true,
      databaseConnectionCheck: true,
      postgres: { enabled: true, host: args.database.address, port: args.database.port, database: "mlflow" },
      existingDatabaseSecret: { name: DB_SECRET, usernameKey: "username", passwordKey: "password" },
    },
    artifactRoot: { proxiedArtifactStorage: true, s3: { enabled: true, bucket: args.bucket, path: "artifacts" } },
    ...(args.auth ? authValues(args.database) : {}),
  };
}

/**
 * Basic auth with its user database in PostgreSQL on the tool's RDS instance (writable, shared by
 * every replica), created by an init container; the chart reads both passwords from Secrets.
 */
function authValues(database: Pick<Database, "address" | "port">): Record<string, unknown> {
  const secretKeys = { usernameKey: "username", passwordKey: "password" };
  return {
    auth: {
      enabled: true,
      existingAdminSecret: { name: ADMIN_SECRET, ...secretKeys },
      postgres: { enabled: true, host: database.address, port: database.port, database: AUTH_DATABASE.name, existingSecret: { name: AUTH_DB_SECRET, ...secretKeys } },
    },
    initContainers: [authDatabaseInitContainer({ image: MLFLOW_IMAGE, database, masterSecret: DB_SECRET, authSecret: AUTH_DB_SECRET })],
  };
}


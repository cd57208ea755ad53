import { resourcesWithDefaults } from "../shared/params";
import type { LakefsParams } from "./params";

/**
 * The lakeFS image: 1.86.0, newer than chart 1.12.16's default community tag (values.yaml
 * `image.community.tag` 1.84.0). lakeFS 1.84.0 lets anyone without credentials overwrite the
 * communication preferences stored at setup and send a forged telemetry event with the
 * installation's ID (POST /setup_comm_prefs had no setup-state check); 1.84.1 fixed it (#10499),
 * 1.86.0 also fixes S3-gateway repository listing without fs:ListRepositories
 * (GHSA-gf2q-q6wc-x7fm). 1.86.x is the last Apache-2.0 line: 1.87.0 moved lakeFS to the Business
 * Source License 1.1. The chart's templates take only the tag from here (lakeFS 1.x keeps its
 * configuration compatible); its appVersion (1.97.0) is a chart-release counter, not a lakeFS
 * version. The repository is the chart's default for the community edition.
 */
export const LAKEFS_IMAGE = { repository: "treeverse/lakefs", tag: "1.86.0" };
export const NAMESPACE = "lakefs";
export const SERVICE_ACCOUNT = "lakefs";
/** The chart names its Service and Deployment after the release when the release name contains "lakefs". */
export const RELEASE = "lakefs";
/** The Service's port: the container's, not the chart's 80, so a laptop's port-forward binds it without root. */
export const PORT = 8000;
/** The synced database credentials, with the whole connection URL rendered in the cluster. */
export const DB_SECRET = "lakefs-db";
export const DB_URL_KEY = "connection-string";
/** platinfra's own Secret for the server: generated keys and the initial admin's credentials. */
export const SERVER_SECRET = "lakefs-server-credentials";
export const SERVER_KEYS = {
  encrypt: "auth-encrypt-secret-key",
  signing: "blockstore-signing-secret-key",
  adminUser: "admin-user-name",
  accessKeyId: "admin-access-key-id",
  secretAccessKey: "admin-secret-access-key",
} as const;
/** The initial admin created at deploy time (lakeFS's own setup page would let the first visitor choose). */
export const LAKEFS_ADMIN_USERNAME = "admin";
/** An idle server uses a few millicores; memory is mostly its metadata caches. */
export const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/** A container env var read from a key of a Secret. */
export function secretEnv(name: string, secret: string, key: string) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/**
 * lakeFS's configuration without a secret in it (the chart puts `lakefsConfig` in a ConfigMap):
 * PostgreSQL metadata, the S3 block store with no static keys (the AWS SDK's default chain then
 * uses the IRSA web identity), usage statistics off. Secrets come as LAKEFS_* env vars instead.
 */
export function lakefsConfig(region: string): string {
  return [
    "database:",
    "  type: postgres",
    "blockstore:",
    "  type: s3",
    "  s3:",
    `    region: ${region}`,
    "stats:",
    "  enabled: false",
    "",
  ].join("\n");
}

/**
 * Env vars every lakeFS process (server and setup Job) reads from Secrets: the database URL
 * (password included, rendered by External Secrets: never in values or state) and the signing key
 * of presigned links (lakeFS's default is a published constant). The chart itself passes the
 * encryption key from `existingSecret`.
 */
export function secretEnvVars() {
  return [
    secretEnv("LAKEFS_DATABASE_POSTGRES_CONNECTION_STRING", DB_SECRET, DB_URL_KEY),
    secretEnv("LAKEFS_BLOCKSTORE_SIGNING_SECRET_KEY", SERVER_SECRET, SERVER_KEYS.signing),
  ];
}

/**
 * The chart's values: every key exists in the chart's defaults (checked in the tests).
 * `existingSecret` names platinfra's Secret for the auth encryption key; its
 * `databaseConnectionString` key stays unset so the chart emits no URL of its own, and the URL
 * comes from the synced database Secret through `extraEnvVars`.
 */
export function lakefsValues(args: { params: LakefsParams; region: string; podAnnotations: Record<string, string> }): Record<string, unknown> {
  const { params } = args;
  return {
    replicaCount: params.replicas,
    image: { community: { tag: LAKEFS_IMAGE.tag }, pullPolicy: "IfNotPresent" },
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    podAnnotations: args.podAnnotations,
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
    service: { type: "ClusterIP", port: PORT },
    // The chart's own ingress is not used: exposure is platinfra's HTTPS-only ALB.
    ingress: { enabled: false },
    lakefsConfig: lakefsConfig(args.region),
    existingSecret: SERVER_SECRET,
    secretKeys: { authEncryptSecretKey: SERVER_KEYS.encrypt, databaseConnectionString: null },
    extraEnvVars: secretEnvVars(),
  };
}

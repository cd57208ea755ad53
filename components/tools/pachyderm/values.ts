import * as pulumi from "@pulumi/pulumi";
import { resourcesWithDefaults } from "../shared/params";
import type { PachydermParams } from "./params";

/**
 * Pachyderm 2.11.6 images: pachd, worker and console (pachyderm/haberdashery) at the release's
 * version — the chart's appVersion, which its release job sets to the tag (`helm package
 * --app-version`), and the tag its release pipeline pushes. etcd and pgbouncer keep the chart's own
 * images (pachyderm/etcd v3.5.12, pachyderm/pgbouncer 1.16.2).
 */
export const PACHYDERM_VERSION = "2.11.6";
export const NAMESPACE = "pachyderm";
export const RELEASE = "pachyderm";
/**
 * The chart's fixed names: pachd's Service and service account (its RoleBinding names the subject
 * `pachyderm` whatever `pachd.serviceAccount.name` says), the workers' service account, the console's Service.
 */
export const PACHD_SERVICE = "pachd";
export const PACHD_SERVICE_ACCOUNT = "pachyderm";
export const WORKER_SERVICE_ACCOUNT = "pachyderm-worker";
/** Only the External Secrets sync of the RDS master's credentials runs as this one (no Pachyderm pod does). */
export const DATABASE_SERVICE_ACCOUNT = "pachyderm-database";
export const CONSOLE_SERVICE = "console";
/** pachd's gRPC port on its Service (pachctl), and the console's (its UI and GraphQL API). */
export const PACHD_PORT = 30650;
export const CONSOLE_PORT = 4000;
/** etcd's volume: the platform's default class, gp3 and encrypted (named, so it stays so if the default changes). */
export const STORAGE_CLASS = "gp3-encrypted";
/** The RDS master's credentials, synced: only the database setup Job reads them. */
export const MASTER_SECRET = "pachyderm-db-master";
/** platinfra's generated Secret: Pachyderm's own database password and the console's OAuth client secret. */
export const CREDENTIALS_SECRET = "pachyderm-credentials";
export const CREDENTIAL_KEYS = { dbPassword: "postgresql-password", consoleOauth: "OAUTH_CLIENT_SECRET" } as const;
/** Pachyderm's database role and its two databases (the one RDS creates, and its identity service's). */
export const DATABASE = { user: "pachyderm", name: "pachyderm", identity: "dex" } as const;

/** How clients authenticate to pgbouncer, and what its userlist holds (see postgresqlValues). */
export const PGBOUNCER_AUTH_TYPE = "scram-sha-256";

/** Sizes for a small cluster; the chart sets none (pods with no requests get evicted first). */
export const DEFAULT_RESOURCES = {
  pachd: { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } },
  etcd: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
  pgbouncer: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  console: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
};

/**
 * Pachyderm's object store: the S3 URL pachd and the pipeline workers' storage sidecars read
 * (STORAGE_URL). pachd's Amazon client takes its region from the URL's `region` parameter and no
 * keys: with the chart's `amazon.id`/`secret` empty, aws-sdk-go's session falls through the empty
 * AWS_ACCESS_KEY_ID to the web identity token EKS injects for the service account (IRSA).
 */
export function storageUrl(bucket: string, region: string): string {
  return `s3://${bucket}?region=${region}`;
}

/**
 * The chart's values: every key exists in chart 2.11.6's defaults (checked in the tests), except
 * `global.postgresql.ssl`, which its templates read without declaring it.
 */
export function pachydermValues(args: {
  params: PachydermParams;
  region: string;
  bucket: pulumi.Input<string>;
  storageUrl: pulumi.Input<string>;
  database: { address: pulumi.Input<string>; port: pulumi.Input<number> };
  /**
   * Stable across upgrades: pachctl contexts remember it and refuse a cluster whose ID changed (the
   * chart draws a new one on every render). The data bucket's name: unique, and it lives as long as
   * the data does.
   */
  clusterDeploymentId: pulumi.Input<string>;
}): Record<string, unknown> {
  const { params } = args;
  return {
    deployTarget: "AMAZON",
    global: { postgresql: postgresqlValues(args.database) },
    // RDS instead of the bundled Bitnami PostgreSQL.
    postgresql: { enabled: false },
    pachd: {
      image: { tag: PACHYDERM_VERSION },
      resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES.pachd),
      clusterDeploymentID: args.clusterDeploymentId,
      // Created by platinfra with their IRSA roles, before the release (the secret sync runs as pachd's).
      serviceAccount: { create: false, name: PACHD_SERVICE_ACCOUNT },
      worker: { serviceAccount: { create: false, name: WORKER_SERVICE_ACCOUNT } },
      storage: { backend: "AMAZON", storageURL: args.storageUrl, amazon: { bucket: args.bucket, region: args.region } },
      service: { type: "ClusterIP" },
      // Enterprise-only (needs a licence); said explicitly rather than left to the chart's `true`.
      activateAuth: false,
      // No bundled Loki (pod logs stay in Kubernetes), no usage reports to Pachyderm.
      lokiDeploy: false,
      lokiLogging: false,
      metrics: { enabled: false },
    },
    pgbouncer: { resources: DEFAULT_RESOURCES.pgbouncer },
    etcd: { storageClass: STORAGE_CLASS, storageSize: `${params.etcd.storage_gb}Gi`, resources: DEFAULT_RESOURCES.etcd },
    console: {
      enabled: params.console,
      image: { tag: PACHYDERM_VERSION },
      resources: DEFAULT_RESOURCES.console,
      // platinfra's generated value instead of a random one the chart redraws on every upgrade.
      config: { oauthClientSecretSecretName: CREDENTIALS_SECRET, disableTelemetry: true },
    },
    // Port-forwards reach pachd and the console directly: no Envoy proxy (512Mi) in front of them.
    proxy: { enabled: false },
    // The mock identity provider's well-known admin/password is only for demos.
    oidc: { mockIDP: false },
  };
}

/**
 * pachd, its pipeline workers and pgbouncer all read Pachyderm's own role's password from
 * platinfra's Secret (pachd's template and pgbouncer's use the same existing-secret pair; workers
 * copy pachd's reference). pachd connects directly with sslmode=require (`ssl`), pgbouncer with
 * `postgresqlSSL`; the chart's insecure default password is cleared.
 *
 * pgbouncer's auth type is SCRAM, not the chart's md5: with md5 its entrypoint (etc/pgbouncer/
 * entrypoint.sh) writes only the md5 hash of the password into its userlist, and pgbouncer
 * (1.16, src/proto.c login_scram_sha_256) cannot answer a SCRAM challenge from an md5 hash. RDS
 * PostgreSQL 14+ stores passwords as SCRAM (password_encryption's default), so every pooled
 * connection — pachd's, the workers', dex's — would fail. With scram-sha-256 the userlist holds the
 * password itself (in the pod's /tmp only) and pgbouncer speaks SCRAM both to clients and to RDS.
 */
function postgresqlValues(database: { address: pulumi.Input<string>; port: pulumi.Input<number> }): Record<string, unknown> {
  return {
    postgresqlHost: database.address,
    // A string: the chart's values.schema.json types it so, and Helm validates values against it.
    postgresqlPort: pulumi.interpolate`${database.port}`,
    postgresqlUsername: DATABASE.user,
    postgresqlAuthType: PGBOUNCER_AUTH_TYPE,
    postgresqlPassword: "",
    postgresqlExistingSecretName: CREDENTIALS_SECRET,
    postgresqlExistingSecretKey: CREDENTIAL_KEYS.dbPassword,
    postgresqlDatabase: DATABASE.name,
    identityDatabaseFullNameOverride: DATABASE.identity,
    postgresqlSSL: "require",
    ssl: true,
  };
}

import type * as pulumi from "@pulumi/pulumi";

/* Names and Helm values of self-managed W&B: the operator chart's, and the W&B chart's the operator installs. */

export const NAMESPACE = "wandb";
/** The WeightsAndBiases resource: the operator installs the W&B chart as a Helm release of this name. */
export const RELEASE = "wandb";
/** The app (UI and API) Service the W&B chart names `<release>-app` (wandb-base fullname), on port 8080. */
export const APP_SERVICE = "wandb-app";
export const APP_PORT = 8080;
/**
 * The port-forward's local port, which is also W&B's URL (global.host) when not exposed: the UI's
 * links must work through the forward. Not 8080, which Airflow, Kubeflow and ZenML take.
 */
export const LOCAL_PORT = 8060;
/** The pods that read and write the bucket (templates' `wandb.bucketEnvs`: app and parquet; api, glue, filestream… stay off). */
export const SERVICE_ACCOUNTS = { app: "wandb-app", parquet: "wandb-parquet" } as const;
export const LICENSE_SECRET = "wandb-license";
export const LICENSE_KEY = "license";
export const DB_SECRET = "wandb-mysql";
export const REDIS_SECRET = "wandb-redis";
export const REDIS_PASSWORD_KEY = "REDIS_PASSWORD";

/** The operator's image, pinned (the chart's default is `latest` with pullPolicy Always): wandb/operator v1.22.0, the newest v1 release. */
export const OPERATOR_IMAGE = { repository: "wandb/controller", tag: "1.22.0" } as const;
/** The W&B chart the operator installs from the WeightsAndBiases resource (its `spec.chart`, a repository release). */
export const APP_CHART = { url: "https://charts.wandb.ai", name: "operator-wandb", version: "0.43.8" } as const;

/**
 * The operator: pinned image; Roles in its own namespace only (upstream's default is a ClusterRole
 * that may create ClusterRoles); connected (not airgapped), so with the licence it asks W&B's
 * deployer for the server versions of the licence's release channel.
 */
export function operatorValues() {
  return {
    image: { repository: OPERATOR_IMAGE.repository, tag: OPERATOR_IMAGE.tag, pullPolicy: "IfNotPresent" },
    namespaceIsolation: { enabled: true },
    airgapped: false,
  };
}

export interface WandbValuesArgs {
  /** The URL users reach W&B at (global.host): the exposed host, or the port-forward. */
  host: string;
  bucket: pulumi.Input<string>;
  region: string;
  database: { address: pulumi.Input<string>; port: pulumi.Input<number>; databaseName: string; username: string };
  redis: { host: pulumi.Input<string>; port: pulumi.Input<number> };
  podAnnotations: Record<string, string>;
  /** W&B's own sign-in through the OIDC provider the ALB uses (exposed with auth oidc only). */
  oidc?: WandbOidc;
}

/**
 * W&B's OIDC login (global.auth.oidc, operator-wandb 0.43.8): templates/api.yaml and local.yaml put
 * clientId, authMethod and issuer into GORILLA_OIDC_* / OIDC_*, and `wandb.oidcEnvs` (_env.tpl) gives
 * the api and app pods GORILLA_OIDC_SECRET and OIDC_SECRET from Secret `secretName`, key `secretKey`.
 */
export interface WandbOidc {
  clientId: string;
  issuer: string;
  secretName: string;
  secretKey: string;
}

/**
 * W&B's authorization-code flow with PKCE (W&B docs, "Configure SSO with OIDC"; its other flow,
 * implicit with form post, needs the implicit grant): the grant the ALB's client already has.
 */
export const OIDC_AUTH_METHOD = "pkce";

/**
 * The W&B chart's values (the resource's `spec.values`). Secrets only by reference: the licence,
 * the URL-escaped MySQL password and the Redis token are Secrets platinfra creates. The chart's
 * bundled MySQL, Redis, OpenTelemetry agent (a ClusterRole and a DaemonSet) and exporters stay off;
 * its Ingress too (platinfra's has the ALB sign-in); the console's ClusterRole becomes a Role.
 */
export function wandbValues(args: WandbValuesArgs) {
  return {
    global: {
      host: args.host,
      cloudProvider: "aws",
      size: "small",
      licenseSecret: { name: LICENSE_SECRET, key: LICENSE_KEY },
      mysql: {
        host: args.database.address,
        port: args.database.port,
        database: args.database.databaseName,
        user: args.database.username,
        passwordSecret: { name: DB_SECRET, passwordKey: "MYSQL_PASSWORD" },
      },
      defaultBucket: { provider: "s3", name: args.bucket, region: args.region, path: "", kmsKey: "" },
      // ElastiCache with in-transit encryption and an AUTH token.
      redis: { host: args.redis.host, port: args.redis.port, params: { tls: "true" }, secret: { secretName: REDIS_SECRET, secretKey: REDIS_PASSWORD_KEY } },
      pod: { annotations: args.podAnnotations },
      // W&B publishes x86 images only.
      nodeSelector: { "kubernetes.io/arch": "amd64" },
      // Where the console looks for the operator (templates/console.yaml OPERATOR_NAMESPACE): ours runs beside W&B, not in `default`.
      operator: { namespace: NAMESPACE },
      ...(args.oidc ? { auth: { oidc: oidcValues(args.oidc) } } : {}),
    },
    ingress: { install: false },
    mysql: { install: false },
    redis: { install: false },
    otel: { install: false },
    prometheus: { install: false },
    console: { role: { type: "Role" } },
    // Subjects for weave-trace (off): a non-empty map makes the chart bind system:unauthenticated cluster-wide (templates/oidc.yaml).
    app: { internalJWTMap: [], serviceAccount: { create: false, name: SERVICE_ACCOUNTS.app } },
    parquet: { serviceAccount: { create: false, name: SERVICE_ACCOUNTS.parquet } },
  };
}

/** The client secret by reference only: `secret` stays empty, so the chart creates no Secret of its own (templates/oidc.yaml). */
function oidcValues(oidc: WandbOidc) {
  return { clientId: oidc.clientId, issuer: oidc.issuer, authMethod: OIDC_AUTH_METHOD, oidcSecret: { name: oidc.secretName, secretKey: oidc.secretKey } };
}

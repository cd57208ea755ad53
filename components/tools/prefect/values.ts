import type * as pulumi from "@pulumi/pulumi";
import { reloadOnSecretChange } from "../../base/reloader";
import { resourcesWithDefaults } from "../shared/params";
import type { PrefectParams } from "./params";

/** The chart release job's image tags for appVersion 3.8.3 (the charts' own defaults, pinned here). */
export const PREFECT_IMAGE = { repository: "prefecthq/prefect", serverTag: "3.8.3-python3.11", workerTag: "3.8.3-python3.11-kubernetes" };
export const NAMESPACE = "prefect";
/** The server chart names its Deployment and Service `prefect-server` (its fullnameOverride). */
export const SERVER_RELEASE = "prefect-server";
export const WORKER_RELEASE = "prefect-worker";
export const SERVER_SERVICE_ACCOUNT = "prefect-server";
export const PORT = 4200;
/** Flow-run pods' service account: its IRSA role reaches the flows bucket only. */
export const FLOW_SERVICE_ACCOUNT = "prefect-flows";
/** The synced database credentials, with the whole asyncpg URL rendered in the cluster. */
export const DB_SECRET = "prefect-db";
/** The key the server chart reads PREFECT_SERVER_DATABASE_CONNECTION_URL from (templates/_helpers.tpl). */
export const DB_URL_KEY = "connection-string";
/** The basic-auth string `admin:<password>` shared by server and worker; both charts read key `auth-string`. */
export const AUTH_SECRET = "prefect-auth";
export const AUTH_KEY = "auth-string";
/** The generated admin password on its own (the source of the auth string; the UI's login asks for the whole `admin:<password>`). */
export const ADMIN_SECRET = "prefect-admin";
export const ADMIN_USERNAME = "admin";
export const SERVER_RESOURCES = { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/** The worker chart's defaults: it streams every flow run's output and runs the Kubernetes observer, so no lower limit. */
export const WORKER_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/** The API under a base URL, as Prefect clients want it. */
export function apiUrl(baseUrl: string): string {
  return `${baseUrl}/api`;
}

/**
 * The server chart's values (every key checked against the chart's fixture in the tests). The
 * database URL comes from the synced Secret (`secret.create: false` + `secret.name`: the chart's
 * default branch reads key `connection-string` of it, in the server container — the only one
 * reaching the database, as migrations run on start with background services in-process). The
 * bundled PostgreSQL, Redis and SQLite stay off. Basic auth is always on, from platinfra's Secret.
 */
export function serverValues(args: { params: PrefectParams; uiApiUrl: string; podAnnotations: Record<string, string> }): Record<string, unknown> {
  return {
    global: { prefect: { image: { repository: PREFECT_IMAGE.repository, prefectTag: PREFECT_IMAGE.serverTag, pullPolicy: "IfNotPresent" } } },
    server: {
      basicAuth: { enabled: true, existingSecret: AUTH_SECRET },
      // The URL the browser's UI calls: the exposed host or the laptop's port-forward.
      uiConfig: { prefectUiApiUrl: args.uiApiUrl },
      replicaCount: 1,
      resources: resourcesWithDefaults(args.params.resources, SERVER_RESOURCES),
      podAnnotations: args.podAnnotations,
    },
    serviceAccount: { create: false, name: SERVER_SERVICE_ACCOUNT },
    service: { type: "ClusterIP", port: PORT, targetPort: PORT },
    // Exposure is platinfra's HTTPS-only ALB, not the chart's ingress or gateway.
    ingress: { enabled: false },
    secret: { create: false, name: DB_SECRET },
    postgresql: { enabled: false },
    redis: { enabled: false },
    sqlite: { enabled: false },
  };
}

/**
 * The worker chart's values: a Kubernetes-type worker serving `work_pool` against the server's
 * in-cluster API, with the same basic-auth string (its deployment.yaml reads key `auth-string` of
 * `selfHostedServerApiConfig.basicAuth.existingSecret`, and with an existing Secret also sets
 * PREFECT_INTEGRATIONS_KUBERNETES_WORKER_API_AUTH_STRING_SECRET_NAME/_KEY, so flow-run Jobs get the
 * string as a secretKeyRef, never in their manifests). `installPolicy: never`: the image already
 * holds prefect-kubernetes, and a worker should not pip-install at start. `baseJobTemplate`: the
 * work pool's template as JSON (see job-template.ts).
 */
export function workerValues(args: { params: PrefectParams; inClusterApiUrl: string; baseJobTemplate: pulumi.Input<string> }): Record<string, unknown> {
  return {
    worker: {
      image: { repository: PREFECT_IMAGE.repository, prefectTag: PREFECT_IMAGE.workerTag, pullPolicy: "IfNotPresent" },
      apiConfig: "selfHostedServer",
      selfHostedServerApiConfig: { apiUrl: args.inClusterApiUrl, basicAuth: { enabled: true, existingSecret: AUTH_SECRET } },
      config: { workPool: args.params.work_pool, type: "kubernetes", installPolicy: "never", baseJobTemplate: { configuration: args.baseJobTemplate } },
      replicaCount: 1,
      resources: resourcesWithDefaults(args.params.worker.resources, WORKER_RESOURCES),
      // The auth string is read at start: a replaced Secret restarts the worker (Reloader).
      podAnnotations: reloadOnSecretChange([AUTH_SECRET]),
    },
  };
}

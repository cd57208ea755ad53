import type * as k8s from "@pulumi/kubernetes";
import { resourcesWithDefaults } from "../shared/params";
import type { ArgoParams } from "./params";

/** The chart's own namespace: controller, server, the CRD install Job and the archive's DB Secret. */
export const NAMESPACE = "argo";
/** Where workflows run: their service account (IRSA for the artifact bucket) and the chart's workflow Role. */
export const WORKFLOWS_NAMESPACE = "argo-workflows";
/** The release name contains the chart's name, so the chart names things after it: `argo-workflows-server`, … */
export const RELEASE = "argo-workflows";
export const SERVER_SERVICE = `${RELEASE}-server`;
/** The server's port (the chart's `server.servicePort`), plain HTTP: `server.secure` stays false (the chart's default). */
export const PORT = 2746;
/** The chart's default workflow service account name, which its workflow Role binds; platinfra creates it with IRSA. */
export const WORKFLOW_SERVICE_ACCOUNT = "argo-workflow";
/** The server's service account: created by the chart, annotated with a read-only IRSA role (UI artifact downloads). */
export const SERVER_SERVICE_ACCOUNT = "argo-server";
/** Only the External Secrets sync of the archive's credentials runs as this one. */
export const DATABASE_SERVICE_ACCOUNT = "argo-database";
/** The synced archive credentials (`username`, `password`): controller and server read them through the API. */
export const DB_SECRET = "argo-postgres";
export const DB_NAME = "argo";
/** The archive table (Argo's default name, set explicitly: the chart's example config requires it). */
export const ARCHIVE_TABLE = "argo_workflows";
/** A user's token for the API and UI (client auth): a service account bound to submit/list in the workflows namespace. */
export const SUBMITTER = "argo-submitter";
export const SUBMITTER_TOKEN_SECRET = `${SUBMITTER}.service-account-token`;
/** The chart's image tag default is its appVersion; pinned here so a chart bump never changes it silently. */
export const ARGO_VERSION = "v4.0.6";

const CONTROLLER_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1", memory: "512Mi" } };
const SERVER_RESOURCES = { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/**
 * The workflow archive in RDS PostgreSQL. Controller and server read `userNameSecret` and
 * `passwordSecret` from the Kubernetes API in their own namespace at start (the chart grants the
 * server `get` on exactly these Secret names): no password in values or state.
 */
export function persistence(database: { host: string; port: number }) {
  return {
    archive: true,
    postgresql: {
      host: database.host,
      port: database.port,
      database: DB_NAME,
      tableName: ARCHIVE_TABLE,
      userNameSecret: { name: DB_SECRET, key: "username" },
      passwordSecret: { name: DB_SECRET, key: "password" },
      ssl: true,
      sslMode: "require",
    },
  };
}

/**
 * The chart's values (every key checked against the chart's defaults in the tests). Artifacts go
 * to S3 with `useSDKCreds`: the AWS SDK's default chain, so the workflow pod's IRSA web identity.
 */
export function argoValues(args: {
  params: ArgoParams;
  region: string;
  bucket: string;
  database: { host: string; port: number };
  serverRoleArn: string;
  podAnnotations: Record<string, string>;
  /** Extra variables for the main container of every workflow step (a peer's settings, secrets by secretKeyRef). @default none */
  workflowEnv?: k8s.types.input.core.v1.EnvVar[];
}): Record<string, unknown> {
  const { params } = args;
  return {
    images: { tag: ARGO_VERSION, pullPolicy: "IfNotPresent" },
    // Full CRDs, applied by the chart's pre-install/pre-upgrade hook Job (server-side apply): upgraded with the chart, kept on uninstall.
    crds: { install: true, keep: true, full: true },
    workflow: { serviceAccount: { create: false, name: WORKFLOW_SERVICE_ACCOUNT }, rbac: { create: true } },
    controller: {
      workflowNamespaces: [WORKFLOWS_NAMESPACE],
      // A workflow submitted without --serviceaccount would run as `default`: no workflow Role (the executor can't
      // write its WorkflowTaskResults) and no IRSA for the artifact bucket. Default it to the account that has both.
      workflowDefaults: { spec: { serviceAccountName: WORKFLOW_SERVICE_ACCOUNT, ...(args.workflowEnv ? { templateDefaults: stepEnvDefaults(args.workflowEnv) } : {}) } },
      persistence: persistence(args.database),
      podAnnotations: args.podAnnotations,
      resources: resourcesWithDefaults(params.controller.resources, CONTROLLER_RESOURCES),
    },
    artifactRepository: {
      s3: { bucket: args.bucket, endpoint: "s3.amazonaws.com", region: args.region, insecure: false, useSDKCreds: true },
    },
    server: {
      // Client auth only: every request carries a Kubernetes bearer token; never `server` (the server's own identity for all).
      authModes: ["client"],
      secure: false,
      serviceType: "ClusterIP",
      // The server reads the archive too (it lists archived workflows): it restarts with the controller on rotation.
      podAnnotations: args.podAnnotations,
      serviceAccount: { create: true, name: SERVER_SERVICE_ACCOUNT, annotations: { "eks.amazonaws.com/role-arn": args.serverRoleArn } },
      resources: resourcesWithDefaults(params.server.resources, SERVER_RESOURCES),
    },
  };
}

/**
 * Template defaults giving every container and script step these variables. The controller
 * strategic-merges the defaults of a step's own type into it (env by name: a step's own value
 * wins) and drops the other types' (v4.0.6 workflow/controller/operator.go mergedTemplateDefaultsInto).
 */
export function stepEnvDefaults(env: k8s.types.input.core.v1.EnvVar[]): Record<string, unknown> {
  return { container: { env }, script: { env } };
}

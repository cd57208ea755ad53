import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../../base/database";
import { alsoReloadOnSecretChange } from "../../base/reloader";
import { resourcesWithDefaults } from "../shared/params";
import type { FlyteParams } from "./params";
import type { TaskEnvValues } from "./task-env";

/** flyte-binary v1.16.8's own images (the chart's defaults, published by flyteorg/flyte's release workflow). */
export const FLYTE_IMAGE = { repository: "cr.flyte.org/flyteorg/flyte-binary-release", tag: "v1.16.8" };
export const COPILOT_IMAGE = { repository: "cr.flyte.org/flyteorg/flytecopilot-release", tag: "v1.16.8" };
export const NAMESPACE = "flyte";
export const RELEASE = "flyte";
export const SERVICE_ACCOUNT = "flyte";
/** The chart names its Deployment `<release>-flyte-binary`. */
export const DEPLOYMENT = "flyte-flyte-binary";
/** The chart names its Services `<release>-flyte-binary-{http,grpc}`. */
export const HTTP_SERVICE = "flyte-flyte-binary-http";
export const GRPC_SERVICE = "flyte-flyte-binary-grpc";
export const HTTP_PORT = 8088;
export const GRPC_PORT = 8089;
export const DB_SECRET = "flyte-db";
/** Where the synced database password is mounted; flyteadmin and datacatalog read it at start (passwordPath). */
export const DB_PASSWORD_DIR = "/etc/flyte/db";
/** The Secret's key holding the password as a quoted value of a libpq keyword/value DSN (see `DSN_PASSWORD_TEMPLATE`). */
export const DSN_PASSWORD_KEY = "dsn-password";
/**
 * flyteadmin and datacatalog paste the file's content unquoted into `host=… password=<it> …`
 * (v1.16.8 flyteadmin/pkg/repositories/database.go, datacatalog/pkg/repositories/config/postgres.go).
 * RDS-generated passwords may hold a space, a backslash or a leading quote, which that string cannot
 * carry raw: External Secrets writes it single-quoted, backslashes and quotes escaped, as libpq (pgx) reads it.
 */
export const DSN_PASSWORD_TEMPLATE = String.raw`'{{ .password | replace "\\" "\\\\" | replace "'" "\\'" }}'`;
/** Admin, propeller, datacatalog and the scheduler in one process: a few hundred MiB at rest. */
export const DEFAULT_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } };

/**
 * The templates flyteadmin's cluster resource controller applies to every project-domain namespace
 * (`{{ namespace }}` is its own placeholder, not Helm's). The chart's default has only the
 * Namespace: task pods then run as an unannotated `default` service account and fall back to the
 * node role, which they cannot reach (IMDS hop limit 1). The controller patches the existing
 * `default` account, so the annotation lands in namespaces Kubernetes created it in first.
 */
export function clusterResourceTemplates(taskRoleArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return {
    "001_namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '{{ namespace }}'\n",
    "002_serviceaccount.yaml": pulumi.interpolate`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: '{{ namespace }}'\n  annotations:\n    eks.amazonaws.com/role-arn: ${taskRoleArn}\n`,
  };
}

/** The chart's values: every key exists in flyte-binary v1.16.8's defaults (checked in the tests). */
export function flyteValues(args: {
  params: FlyteParams;
  region: string;
  metadataBucket: pulumi.Input<string>;
  rawDataBucket: pulumi.Input<string>;
  database: Pick<Database, "address" | "port" | "username" | "databaseName">;
  taskRoleArn: pulumi.Input<string>;
  /** Annotations that let Reloader roll the server when its database Secret changes. */
  podAnnotations: Record<string, string>;
  /** A peer's settings for task pods (`taskEnvValues`). @default none: task pods get only Flyte's own */
  taskEnv?: TaskEnvValues;
}): Record<string, unknown> {
  const { params, taskEnv } = args;
  return {
    "flyte-core-components": { admin: { seedProjects: params.projects, seedProjectsWithDetails: params.projects.map((name) => ({ name, description: `${name} (created by platinfra)` })) } },
    configuration: {
      // No `password`: the chart would write it into a Secret of the release (and Pulumi state). The file comes from the synced Secret.
      database: { username: args.database.username, host: args.database.address, port: args.database.port, dbname: args.database.databaseName, options: "sslmode=require", passwordPath: `${DB_PASSWORD_DIR}/password` },
      storage: {
        metadataContainer: args.metadataBucket,
        userDataContainer: args.rawDataBucket,
        provider: "s3",
        // iam: the AWS default credential chain, i.e. the IRSA web identity token.
        providerConfig: { s3: { region: args.region, authType: "iam" } },
      },
      "co-pilot": { image: COPILOT_IMAGE },
      ...(taskEnv ? { inline: taskEnv.inline } : {}),
    },
    clusterResourceTemplates: { inline: { ...clusterResourceTemplates(args.taskRoleArn), ...taskEnv?.templates } },
    deployment: {
      image: FLYTE_IMAGE,
      resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
      podAnnotations: taskEnv?.serverSecrets.length ? alsoReloadOnSecretChange(args.podAnnotations, taskEnv.serverSecrets) : args.podAnnotations,
      extraVolumes: [{ name: "db-password", secret: { secretName: DB_SECRET, items: [{ key: DSN_PASSWORD_KEY, path: "password" }] } }],
      extraVolumeMounts: [{ name: "db-password", mountPath: DB_PASSWORD_DIR, readOnly: true }],
      ...(taskEnv?.serverEnv.length ? { extraEnvVars: taskEnv.serverEnv } : {}),
    },
    // platinfra creates the account (with the IRSA role) before the release.
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    service: { type: "ClusterIP" },
  };
}

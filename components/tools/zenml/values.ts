import * as pulumi from "@pulumi/pulumi";
import type { Database } from "../../base/database";
import { resourcesWithDefaults } from "../shared/params";
import { SERVER_PORT } from "./commands";
import type { ZenmlParams } from "./params";

/** The ZenML server image (zenmldocker/zenml-server): its tag is the chart's version, as the chart defaults to. */
export const ZENML_IMAGE = { repository: "zenmldocker/zenml-server", tag: "0.98.0" };
export const NAMESPACE = "zenml";
export const SERVICE_ACCOUNT = "zenml";
/** The chart names its Service (and Deployment) after the release when the release name contains "zenml". */
export const RELEASE = "zenml";
export const PORT = SERVER_PORT;
export const DB_SECRET = "zenml-db";
/** platinfra's own Secret for the server: the generated admin password and secrets-store key. */
export const SERVER_SECRET = "zenml-server-credentials";
/** The admin the server is activated with during the deployment (ZenML's own default is `default`). */
export const ZENML_ADMIN_USERNAME = "admin";
/** Pipeline images kept in ECR (older ones expire): enough to re-run recent pipeline versions. */
export const KEEP_IMAGES = 100;
/** An idle web server uses a few millicores; memory is what its workers hold at rest. */
export const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

/**
 * The chart's values: every key exists in the chart's defaults (checked in the tests). The database
 * URL carries the user but never the password: `passwordSecretRef` names the synced Secret, which
 * both the server and the chart's pre-install migration Job read (`environmentSecretKeyRefs` reach
 * the server only). TLS to MySQL is on (8.4 on RDS requires it). The server activates itself with
 * the generated admin password, and encrypts the SQL secrets store with the generated key.
 */
export function zenmlValues(args: {
  params: ZenmlParams;
  database: Pick<Database, "address" | "port" | "username" | "databaseName">;
  serverUrl: string;
  /** Annotations that let Reloader roll the server when its database Secret changes. */
  podAnnotations: Record<string, string>;
}): Record<string, unknown> {
  const { params, database } = args;
  return {
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    podAnnotations: args.podAnnotations,
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
    server: {
      replicaCount: params.replicas,
      image: { ...ZENML_IMAGE, pullPolicy: "IfNotPresent" },
      serverURL: args.serverUrl,
      // 8080, not the chart's 80: a laptop's port-forward binds the same port without root (see zenml-commands).
      service: { port: PORT },
      analyticsOptIn: false,
      database: {
        url: pulumi.interpolate`mysql://${database.username}@${database.address}:${database.port}/${database.databaseName}`,
        passwordSecretRef: { name: DB_SECRET, key: "password" },
        ssl: true,
      },
      secretsStore: { enabled: true, type: "sql" },
      // All four from one Secret, never `server.environment`: the chart also hands `environment` to its
      // migration Job, which initializes the store too and would activate the server there — with
      // ZenML's default (empty) admin password, the password not being in `environment`.
      environmentSecretKeyRefs: [
        { name: "ZENML_SERVER_AUTO_ACTIVATE", secretName: SERVER_SECRET, secretKey: "auto-activate" },
        { name: "ZENML_DEFAULT_USER_NAME", secretName: SERVER_SECRET, secretKey: "admin-username" },
        { name: "ZENML_DEFAULT_USER_PASSWORD", secretName: SERVER_SECRET, secretKey: "admin-password" },
        { name: "ZENML_SECRETS_STORE_ENCRYPTION_KEY", secretName: SERVER_SECRET, secretKey: "encryption-key" },
      ],
      // The chart's own ingress defaults to nginx; exposure is platinfra's HTTPS-only ALB instead.
      ingress: { enabled: false },
    },
  };
}


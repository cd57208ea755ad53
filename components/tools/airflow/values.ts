import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { resourcesWithDefaults } from "../shared/params";
import type { AirflowParams } from "./params";

/** Airflow 3.2.2, the version chart 1.22.0 defaults to: pinned so an upgrade of the chart never changes it silently. */
export const AIRFLOW_VERSION = "3.2.2";
export const AIRFLOW_IMAGE = { repository: "apache/airflow", tag: AIRFLOW_VERSION, pullPolicy: "IfNotPresent" };
export const NAMESPACE = "airflow";
export const RELEASE = "airflow";
/**
 * One IRSA account for every Airflow pod that touches the logs bucket or the database secret: the
 * scheduler, API server, DAG processor and triggerer read task logs, task pods write them, and
 * External Secrets reads the RDS password with it.
 */
export const SERVICE_ACCOUNT = "airflow";
/** The chart names the API server's Service `<release>-api-server` (useStandardNaming off). */
export const API_SERVICE = "airflow-api-server";
export const API_PORT = 8080;
export const DATABASE_NAME = "airflow";
/** Synced from RDS: `username`, `password` and `connection` (the SQLAlchemy URL the chart reads from `data.metadataSecretName`). */
export const DB_SECRET = "airflow-metadata";
/** Generated here: `api-secret-key` and `jwt-secret`, the key names the chart reads. */
export const KEYS_SECRET = "airflow-keys";
/** Generated here: `fernet-key` (Fernet wants url-safe base64 of 32 bytes, so not the alphanumeric generator). */
export const FERNET_SECRET = "airflow-fernet-key";
/** Generated here: the admin's `username` and `password`, read only by the create-user Job (mounted as a file). */
export const ADMIN_SECRET = "airflow-admin";
export const ADMIN_USERNAME = "admin";
const ADMIN_PASSWORD_DIR = "/opt/airflow/admin-credentials";
export const LOG_PREFIX = "logs";
export const DEFAULT_RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

/**
 * The chart's values (every key checked against the chart's defaults in the tests). No secret is
 * in them: the database URL, fernet key, API secret key, JWT secret and admin password travel as
 * Secret names only. KubernetesExecutor: no Redis, no Celery workers, one pod per task.
 */
export function airflowValues(args: {
  params: AirflowParams;
  logBucket: pulumi.Input<string>;
  /** Reloader annotations: the long-running components restart when the database password rotates. */
  annotations: Record<string, string>;
  /** The public URL when exposed: Airflow builds links and redirects from it. */
  publicUrl?: string;
  /** Extra variables for task pods only (a peer's settings, secrets by secretKeyRef). @default none */
  taskEnv?: pulumi.Input<k8s.types.input.core.v1.EnvVar[]>;
}): Record<string, unknown> {
  const resources = resourcesWithDefaults(args.params.resources, DEFAULT_RESOURCES);
  const account = { serviceAccount: { create: false, name: SERVICE_ACCOUNT } };
  const component = { ...account, annotations: args.annotations, resources };
  return {
    executor: "KubernetesExecutor",
    airflowVersion: AIRFLOW_VERSION,
    defaultAirflowTag: AIRFLOW_VERSION,
    images: { airflow: AIRFLOW_IMAGE },
    postgresql: { enabled: false },
    redis: { enabled: false },
    pgbouncer: { enabled: false },
    // Nothing in the stack scrapes StatsD metrics: no idle exporter pod.
    statsd: { enabled: false },
    data: { metadataSecretName: DB_SECRET },
    fernetKeySecretName: FERNET_SECRET,
    apiSecretKeySecretName: KEYS_SECRET,
    jwtSecretName: KEYS_SECRET,
    apiServer: { ...component, replicas: args.params.replicas },
    scheduler: component,
    dagProcessor: component,
    // No 100Gi log volume per triggerer (the chart's default StatefulSet): logs go to S3, and a PVC would
    // outlive destroy and hold the release's wait on a storage class.
    triggerer: { ...component, persistence: { enabled: false } },
    // Task pods: the deprecated `workers.serviceAccount` and its `workers.kubernetes` successor both set, whichever the pod template reads.
    // `workers.kubernetes.env` reaches only the pod template's task container (plain values and secretKeyRefs alike),
    // not the scheduler or API server, as the top-level `env`/`secret` lists would.
    workers: { ...account, kubernetes: { ...account, ...(args.taskEnv ? { env: args.taskEnv } : {}) } },
    // Plain Jobs, not post-install hooks: Helm (atomic, so --wait) runs post-install hooks only after
    // every Deployment is ready, and every Airflow pod's init container waits for the migration — a
    // deadlock until the timeout (apache/airflow#11979). The Jobs retry until the database is ready.
    migrateDatabaseJob: { ...account, useHelmHooks: false },
    createUserJob: createUserJob(),
    ...(args.params.dags ? { dags: { gitSync: gitSync(args.params.dags) } } : {}),
    config: {
      logging: {
        remote_logging: "True",
        remote_base_log_folder: pulumi.interpolate`s3://${args.logBucket}/${LOG_PREFIX}`,
        // No such connection exists: the Amazon provider then uses boto3's default chain, i.e. the pod's web identity (IRSA).
        remote_log_conn_id: "aws_default",
      },
      ...(args.publicUrl ? { api: { base_url: args.publicUrl } } : {}),
    },
  };
}

/** git-sync sidecars pulling the DAGs repository (the chart mounts them where each component reads DAGs). */
function gitSync(dags: NonNullable<AirflowParams["dags"]>): Record<string, unknown> {
  // git-sync v4 reads `ref` (the chart's default is `v2-2-stable`); `branch` feeds the v3 variable.
  return { enabled: true, repo: dags.repo, branch: dags.branch, ref: dags.branch, ...(dags.sub_path ? { subPath: dags.sub_path } : {}) };
}

/**
 * The admin account, created by the chart's post-install/post-upgrade hook (after the database
 * migration) so no first visitor can claim the instance. The chart's default args pass the
 * password from Helm values; here the job reads it from the admin Secret, mounted into this job
 * alone (`createUserJob.env` only renders plain name/value pairs, and the top-level `secret` list
 * would hand it to every Airflow pod, task pods included).
 */
function createUserJob(): Record<string, unknown> {
  return {
    serviceAccount: { create: false, name: SERVICE_ACCOUNT },
    useHelmHooks: false,
    args: [
      "bash",
      "-c",
      `exec airflow users create "$@" --password "$(cat ${ADMIN_PASSWORD_DIR}/password)"`,
      "--",
      "--role",
      "Admin",
      "--username",
      ADMIN_USERNAME,
      "--email",
      "admin@example.com",
      "--firstname",
      "Airflow",
      "--lastname",
      "Admin",
    ],
    extraVolumes: [{ name: "admin-credentials", secret: { secretName: ADMIN_SECRET } }],
    extraVolumeMounts: [{ name: "admin-credentials", mountPath: ADMIN_PASSWORD_DIR, readOnly: true }],
  };
}

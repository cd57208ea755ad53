import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ToolScope } from "./scope";

/** The pod template's annotation naming the RDS instance a role Job set up. */
export const DATABASE_INSTANCE_ANNOTATION = "platinfra.dev/database-instance";

/**
 * Idempotent (it re-runs whenever the Job is replaced): the role exists with the generated password
 * and owns the database RDS created; `extra` statements follow. psql variables are quoted with %I / %L
 * by format(), so nothing in them is read as SQL. The master is made a member of the role first:
 * PostgreSQL 16 lets only members hand a database to a role.
 */
export function roleSetupSql(extra: string[] = []): string {
  return [
    "SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec",
    "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \\gexec",
    "SELECT format('GRANT %I TO CURRENT_USER', :'role') \\gexec",
    "SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \\gexec",
    ...extra,
    "",
  ].join("\n");
}

/**
 * Runs the SQL in $SETUP_SQL through a pipe (no file on the read-only root) with the role, password
 * and database from the environment, plus `variables` (psql variable → environment variable); psql
 * echoes no statement, so the password stays out of the logs.
 */
export function roleSetupScript(done: string, variables: Record<string, string> = {}): string {
  const extra = Object.entries(variables).map(([variable, env]) => ` -v ${variable}="$${env}"`).join("");
  return [`printf '%s' "$SETUP_SQL" | psql -v ON_ERROR_STOP=1 -q -v role="$APP_USER" -v password="$APP_PASSWORD" -v database="$APP_DATABASE"${extra} -f -`, `echo "${done}"`].join(" && ");
}

export interface DatabaseRoleJob {
  /** The Job's Kubernetes name (fixed) and namespace. */
  jobName: string;
  namespace: string;
  image: string;
  shell: string;
  /** The image's non-root user. */
  runAsUser: number;
  sql: string;
  script: string;
  /** `resourceId`: RDS's own ID of the instance (DbiResourceId), new whenever the instance is replaced, even under the same address. */
  database: { address: pulumi.Input<string>; port: pulumi.Input<number>; resourceId: pulumi.Input<string>; name: string; user: string };
  /** The synced RDS master credentials (keys username, password) the Job connects as. */
  masterSecret: string;
  /** The generated password of the tool's role. */
  password: { secret: string; key: string };
  /** libpq's sslmode, and for verify-full the ConfigMap holding the CA bundle file. */
  tls: { mode: "require" } | { mode: "verify-full"; caConfigMap: string; caFile: string };
  /** More environment after APP_DATABASE (for the script's extra variables). */
  env?: k8s.types.input.core.v1.EnvVar[];
  dependsOn: pulumi.Resource[];
}

/**
 * A tool's own database role, made by a Job connected as the RDS master before the tool first starts.
 * A failed Job stays failed and Pulumi would wait on it at every `up`: `replaceUnready` has the next
 * `up` replace it. A replaced RDS instance (empty, maybe at the same address) changes the pod
 * template, so the Job runs again. A fixed name: a changed Job is deleted before its replacement.
 */
export function createDatabaseRoleJob(scope: ToolScope, job: DatabaseRoleJob): k8s.batch.v1.Job {
  const fromSecret = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  const verified = job.tls.mode === "verify-full" ? job.tls : undefined;
  return new k8s.batch.v1.Job(
    `${scope.name}-db-setup`,
    {
      metadata: { name: job.jobName, namespace: job.namespace, annotations: { "pulumi.com/replaceUnready": "true" } },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { annotations: { [DATABASE_INSTANCE_ANNOTATION]: job.database.resourceId } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: job.runAsUser, runAsGroup: job.runAsUser, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "setup",
                image: job.image,
                command: [job.shell, "-c", job.script],
                env: [
                  { name: "PGHOST", value: job.database.address },
                  { name: "PGPORT", value: pulumi.interpolate`${job.database.port}` },
                  { name: "PGDATABASE", value: job.database.name },
                  { name: "PGSSLMODE", value: job.tls.mode },
                  ...(verified ? [{ name: "PGSSLROOTCERT", value: `/etc/rds-ca/${verified.caFile}` }] : []),
                  { name: "PGCONNECT_TIMEOUT", value: "10" },
                  fromSecret("PGUSER", job.masterSecret, "username"),
                  fromSecret("PGPASSWORD", job.masterSecret, "password"),
                  { name: "APP_USER", value: job.database.user },
                  fromSecret("APP_PASSWORD", job.password.secret, job.password.key),
                  { name: "APP_DATABASE", value: job.database.name },
                  ...(job.env ?? []),
                  { name: "SETUP_SQL", value: job.sql },
                ],
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(verified ? [{ name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true }] : [])],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }, ...(verified ? [{ name: "rds-ca", configMap: { name: verified.caConfigMap } }] : [])],
          },
        },
      },
    },
    { parent: scope.parent, dependsOn: job.dependsOn, deleteBeforeReplace: true },
  );
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET, DATABASE, MASTER_SECRET, NAMESPACE } from "./values";

/**
 * The psql client of the chart's own PostgreSQL image (values.yaml `postgresql.image` at 2.11.6,
 * which Pachyderm publishes; the bundled server itself is off): psql 13 speaks SCRAM and TLS to RDS.
 */
export const PSQL_IMAGE = { repository: "pachyderm/postgresql", tag: "13.3.0" };

/** The pod template's annotation naming the RDS instance the Job set up. */
export const DATABASE_INSTANCE_ANNOTATION = "platinfra.dev/database-instance";

/**
 * Idempotent (it re-runs whenever the Job is replaced): the role exists with the generated password,
 * owns the database RDS created, and owns the identity database (created once). psql variables are
 * quoted with %I / %L by format(), so nothing in them is read as SQL. The master is made a member
 * of the role first: PostgreSQL 16 lets only members hand a database to a role.
 */
export const SETUP_SQL = [
  "SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec",
  "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \\gexec",
  "SELECT format('GRANT %I TO CURRENT_USER', :'role') \\gexec",
  "SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \\gexec",
  "SELECT format('CREATE DATABASE %I OWNER %I', :'identity', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'identity') \\gexec",
  "",
].join("\n");

/**
 * Runs SETUP_SQL (from the environment, through a pipe: no file on the read-only root) with the
 * values from the environment; psql echoes no statement, so the password stays out of the logs.
 */
export const SETUP_SCRIPT = [
  'printf \'%s\' "$SETUP_SQL" | psql -v ON_ERROR_STOP=1 -q -v role="$APP_USER" -v password="$APP_PASSWORD" -v database="$APP_DATABASE" -v identity="$IDENTITY_DATABASE" -f -',
  `echo "Pachyderm's database role and databases are ready"`,
].join(" && ");

/**
 * Pachyderm's own database role, made before pachd first starts, connected as the RDS master (its
 * synced credentials). Pachyderm gets a role of its own, not the master, because:
 * - pachd pastes the password unquoted into a `key=value` DSN (2.11.6 src/internal/dbutil/db.go):
 *   an RDS-generated password with a backslash, a quote or a space breaks it; the generated one
 *   is alphanumeric;
 * - the master's password rotates every 7 days, and the pipeline workers pachd creates (copying
 *   its secret reference) and pgbouncer (whose chart template misplaces `pgbouncer.annotations`,
 *   so Reloader never sees them) would keep the old one until restarted by hand;
 * - pachd needs no rds_superuser: owning its two databases is enough (it creates its own schemas).
 * The identity database must exist: pachd opens it at start and panics otherwise (serviceenv.GetDexDB).
 */
export function createDatabaseSetupJob(
  scope: ToolScope,
  options: {
    namespace: ToolNamespace;
    /** `resourceId`: RDS's own ID of the instance (DbiResourceId), new whenever the instance is replaced, even under the same address. */
    database: { address: pulumi.Input<string>; port: pulumi.Input<number>; resourceId: pulumi.Input<string> };
    dependsOn: pulumi.Resource[];
  },
): k8s.batch.v1.Job {
  const fromSecret = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  return new k8s.batch.v1.Job(
    `${scope.name}-db-setup`,
    {
      // A failed Job (e.g. RDS unreachable for the backoff's minutes) stays failed, and Pulumi would
      // keep waiting on it on every later `up`: this has the next `up` replace it, i.e. run it again.
      metadata: { name: "pachyderm-db-setup", namespace: NAMESPACE, annotations: { "pulumi.com/replaceUnready": "true" } },
      spec: {
        backoffLimit: 6,
        template: {
          // A replaced RDS instance (an empty database, possibly at the same address) changes the pod
          // template, so Pulumi replaces the Job, which makes the role and databases there again.
          metadata: { annotations: { [DATABASE_INSTANCE_ANNOTATION]: options.database.resourceId } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "setup",
                image: `${PSQL_IMAGE.repository}:${PSQL_IMAGE.tag}`,
                command: ["/bin/bash", "-c", SETUP_SCRIPT],
                env: [
                  { name: "PGHOST", value: options.database.address },
                  { name: "PGPORT", value: pulumi.interpolate`${options.database.port}` },
                  { name: "PGDATABASE", value: DATABASE.name },
                  { name: "PGSSLMODE", value: "require" },
                  { name: "PGCONNECT_TIMEOUT", value: "10" },
                  fromSecret("PGUSER", MASTER_SECRET, "username"),
                  fromSecret("PGPASSWORD", MASTER_SECRET, "password"),
                  { name: "APP_USER", value: DATABASE.user },
                  fromSecret("APP_PASSWORD", CREDENTIALS_SECRET, CREDENTIAL_KEYS.dbPassword),
                  { name: "APP_DATABASE", value: DATABASE.name },
                  { name: "IDENTITY_DATABASE", value: DATABASE.identity },
                  { name: "SETUP_SQL", value: SETUP_SQL },
                ],
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    // A fixed name: a changed Job is deleted before its replacement is created.
    { parent: scope.parent, dependsOn: options.dependsOn, deleteBeforeReplace: true },
  );
}

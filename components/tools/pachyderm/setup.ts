import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createDatabaseRoleJob, roleSetupScript, roleSetupSql } from "../shared/database-role";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { CREDENTIAL_KEYS, CREDENTIALS_SECRET, DATABASE, MASTER_SECRET, NAMESPACE } from "./values";

/**
 * The psql client of the chart's own PostgreSQL image (values.yaml `postgresql.image` at 2.11.6,
 * which Pachyderm publishes; the bundled server itself is off): psql 13 speaks SCRAM and TLS to RDS.
 */
export const PSQL_IMAGE = { repository: "pachyderm/postgresql", tag: "13.3.0" };

/** Also creates the identity database (once), which pachd opens at start. */
export const SETUP_SQL = roleSetupSql([
  "SELECT format('CREATE DATABASE %I OWNER %I', :'identity', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'identity') \\gexec",
]);

export const SETUP_SCRIPT = roleSetupScript("Pachyderm's database role and databases are ready", { identity: "IDENTITY_DATABASE" });

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
    database: { address: pulumi.Input<string>; port: pulumi.Input<number>; resourceId: pulumi.Input<string> };
    dependsOn: pulumi.Resource[];
  },
): k8s.batch.v1.Job {
  return createDatabaseRoleJob(scope, {
    jobName: "pachyderm-db-setup",
    namespace: NAMESPACE,
    image: `${PSQL_IMAGE.repository}:${PSQL_IMAGE.tag}`,
    shell: "/bin/bash",
    runAsUser: 1001,
    sql: SETUP_SQL,
    script: SETUP_SCRIPT,
    database: { ...options.database, name: DATABASE.name, user: DATABASE.user },
    masterSecret: MASTER_SECRET,
    password: { secret: CREDENTIALS_SECRET, key: CREDENTIAL_KEYS.dbPassword },
    tls: { mode: "require" },
    env: [{ name: "IDENTITY_DATABASE", value: DATABASE.identity }],
    dependsOn: options.dependsOn,
  });
}

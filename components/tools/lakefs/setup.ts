import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolScope } from "../shared/scope";
import { LAKEFS_IMAGE, NAMESPACE, SERVER_KEYS, SERVER_SECRET, SERVICE_ACCOUNT, secretEnv, secretEnvVars } from "./values";

/**
 * `lakefs setup` exits 1 both on failure and when the installation already has its admin; the
 * latter is success here (re-runs, replaced Jobs). Its output on success prints the secret key,
 * so it is never echoed: only a failure's message (no credentials in it) reaches the log.
 */
export const SETUP_SCRIPT = [
  'out=$(/app/lakefs setup --user-name "$ADMIN_USER_NAME" --access-key-id "$ADMIN_ACCESS_KEY_ID" --secret-access-key "$ADMIN_SECRET_ACCESS_KEY" 2>&1) && { echo "lakeFS admin created"; exit 0; }',
  'case "$out" in *"Setup is already complete"*) echo "lakeFS admin already exists"; exit 0;; esac',
  'echo "$out" | grep -v -i secret_access_key; exit 1',
].join("\n");

/**
 * The initial admin, created before the server first starts. lakeFS creates it from
 * LAKEFS_INSTALLATION_* only on a local or in-memory database (cmd/lakefs/cmd/run.go); on
 * PostgreSQL a fresh server instead offers its setup page to whoever comes first. This Job runs
 * `lakefs setup` (database migration + admin with the generated keys) against the same database
 * and encryption key, so the server never starts uninitialised. Pulumi waits for it to complete.
 */
export function createSetupJob(scope: ToolScope, options: { region: string; dependsOn: pulumi.Resource[] }): k8s.batch.v1.Job {
  return new k8s.batch.v1.Job(
    `${scope.name}-setup`,
    {
      metadata: { name: "lakefs-setup", namespace: NAMESPACE },
      spec: {
        backoffLimit: 6,
        template: {
          spec: {
            serviceAccountName: SERVICE_ACCOUNT,
            restartPolicy: "OnFailure",
            containers: [
              {
                name: "setup",
                image: `${LAKEFS_IMAGE.repository}:${LAKEFS_IMAGE.tag}`,
                command: ["/bin/sh", "-c", SETUP_SCRIPT],
                env: [
                  { name: "LAKEFS_DATABASE_TYPE", value: "postgres" },
                  { name: "LAKEFS_BLOCKSTORE_TYPE", value: "s3" },
                  { name: "LAKEFS_BLOCKSTORE_S3_REGION", value: options.region },
                  { name: "LAKEFS_STATS_ENABLED", value: "false" },
                  ...secretEnvVars(),
                  secretEnv("LAKEFS_AUTH_ENCRYPT_SECRET_KEY", SERVER_SECRET, SERVER_KEYS.encrypt),
                  secretEnv("ADMIN_USER_NAME", SERVER_SECRET, SERVER_KEYS.adminUser),
                  secretEnv("ADMIN_ACCESS_KEY_ID", SERVER_SECRET, SERVER_KEYS.accessKeyId),
                  secretEnv("ADMIN_SECRET_ACCESS_KEY", SERVER_SECRET, SERVER_KEYS.secretAccessKey),
                ],
                resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
              },
            ],
          },
        },
      },
    },
    // A fixed name: a changed Job (new image) is deleted before its replacement is created.
    { parent: scope.parent, dependsOn: options.dependsOn, deleteBeforeReplace: true },
  );
}

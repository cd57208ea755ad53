import { CLIENT_CONFIG_DIR, CLIENT_CONFIG_FILE, CLIENT_CONFIG_SECRET, CLIENT_SERVICE_ACCOUNT, NAMESPACE, USERS_SECRET } from "./values";

/** Prints a fixed user's generated password (kept in a Secret of the namespace, and as a Pulumi secret for the admin). */
export function passwordCommand(username: string): string {
  // A dot in a user name (allowed) would split kubectl's JSONPath: escaped, it stays one key.
  const key = username.replaceAll(".", "\\.");
  return `kubectl -n ${NAMESPACE} get secret ${USERS_SECRET} -o jsonpath='{.data.${key}}' | base64 -d   # any user listed in users: replace ${key}`;
}

/** The SDK's smoke test: a task with one scalar, and a model file uploaded to the bucket (default_output_uri). */
const SMOKE_TEST = [
  "pip install --quiet 'clearml[s3]' 'boto3>=1.34'",
  "python - <<'PY'",
  "from pathlib import Path",
  "from clearml import OutputModel, Task",
  "task = Task.init(project_name='platinfra', task_name='smoke test')",
  "task.get_logger().report_scalar('loss', 'train', value=0.5, iteration=1)",
  "Path('model.txt').write_text('weights')",
  "OutputModel(task=task).update_weights(weights_filename='model.txt')",
  "task.close()",
  "PY",
].join("\n");

/**
 * A Pod using this stack's ClearML as users' training pods would: the client service account (its
 * IRSA role reads and writes the artifact bucket) and the `clearml.conf` Secret (the server's URLs,
 * the admin's credentials, S3 through the credential chain). `kubectl apply -f` it, then find the
 * task in the web UI under the "platinfra" project.
 */
export function exampleManifest(): string {
  return [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: clearml-smoke-test",
    `  namespace: ${NAMESPACE}`,
    "spec:",
    `  serviceAccountName: ${CLIENT_SERVICE_ACCOUNT}`,
    "  restartPolicy: Never",
    "  containers:",
    "    - name: smoke-test",
    "      image: python:3.12-slim",
    "      command: [/bin/sh, -c]",
    "      args:",
    "        - |",
    ...SMOKE_TEST.split("\n").map((line) => `          ${line}`),
    "      env:",
    "        - name: CLEARML_CONFIG_FILE",
    `          value: ${CLIENT_CONFIG_DIR}/${CLIENT_CONFIG_FILE}`,
    "      volumeMounts:",
    "        - name: clearml-config",
    `          mountPath: ${CLIENT_CONFIG_DIR}`,
    "          readOnly: true",
    "  volumes:",
    "    - name: clearml-config",
    "      secret:",
    `        secretName: ${CLIENT_CONFIG_SECRET}`,
    "",
  ].join("\n");
}

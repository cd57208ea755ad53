/** lakectl's endpoint: the server's URL with the API path (`lakectl doctor` flags one without it). */
export function apiEndpoint(serverUrl: string): string {
  return `${serverUrl}/api/v1`;
}

/**
 * The contents of ~/.lakectl.yaml: the server only. The admin's keys are not in it (an output
 * holding a secret would make the stack's whole `tools` output secret); lakectl reads them from
 * LAKECTL_CREDENTIALS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY, which `outputs --env --show-secrets` prints.
 */
export function lakectlConfig(endpoint: string): string {
  return ["server:", `  endpoint_url: ${apiEndpoint(endpoint)}`, ""].join("\n");
}

/**
 * What a user runs first: reach the server (a port-forward when it is not exposed), create a
 * repository under the platinfra bucket (the only one lakeFS's role may touch), and use lakeFS's
 * S3 gateway (same endpoint, same keys) from any S3 client, DVC included.
 */
export function lakefsCommands(args: { endpoint: string; storageNamespace: string; local?: { namespace: string; service: string; port: number } }): string[] {
  const commands: string[] = [];
  let endpoint = args.endpoint;
  if (args.local) {
    commands.push(`kubectl port-forward -n ${args.local.namespace} svc/${args.local.service} ${args.local.port}:${args.local.port}`);
    endpoint = `http://localhost:${args.local.port}`;
  }
  commands.push(
    `eval "$(platinfra outputs stack.yaml --env${args.local ? " --local" : ""} --show-secrets)"   # LAKECTL_SERVER_ENDPOINT_URL and the admin's LAKECTL_CREDENTIALS_*`,
    `lakectl repo create lakefs://example ${args.storageNamespace}/example`,
    `AWS_ACCESS_KEY_ID="$LAKECTL_CREDENTIALS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY" aws s3 ls s3://example/main/ --endpoint-url ${endpoint}   # the S3 gateway: the admin's keys as AWS keys`,
  );
  return commands;
}

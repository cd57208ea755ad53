/** What Flyte's clients (flytectl, pyflyte/flytekit) need, as pure builders. */

/** Local ends of the port-forward: the server's own ports, neither privileged nor commonly taken. */
export const LOCAL_HTTP_PORT = 8088;
export const LOCAL_GRPC_PORT = 8089;

/** flytectl's `admin.endpoint`: gRPC through the `dns:///` resolver. */
export function grpcEndpoint(host: string, port: number): string {
  return `dns:///${host}:${port}`;
}

/**
 * The content of ~/.flyte/config.yaml for flytectl and pyflyte. `insecure`: plain gRPC, as the
 * server listens inside the cluster and through a port-forward (auth is off: it is never exposed).
 */
export function flytectlConfig(hostPort: string): string {
  return ["admin:", `  endpoint: dns:///${hostPort}`, "  insecure: true", "logger:", "  show-source: true", "  level: 0", ""].join("\n");
}

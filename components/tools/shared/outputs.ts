import * as pulumi from "@pulumi/pulumi";

/** The URL of a port forwarded to this machine (`kubectl port-forward`). */
export function localUrl(port: number, scheme = "http"): string {
  return `${scheme}://localhost:${port}`;
}

/** The in-cluster URL of a service. */
export function serviceUrl(service: string, namespace: string, port: number, scheme = "http"): string {
  return `${scheme}://${service}.${namespace}.svc.cluster.local:${port}`;
}

/** A map of strings some of which are Outputs, as one Output (for `outputs`, `env`, `secretEnv`). */
export function stringMap(values: Record<string, pulumi.Input<string>>): pulumi.Output<Record<string, string>> {
  return pulumi.output(values).apply((resolved) => resolved as Record<string, string>);
}

import * as pulumi from "@pulumi/pulumi";
import type { ExposedService } from "./ingress";
import type { ModelSource } from "./model-source";
import { localUrl, serviceUrl } from "./outputs";
import type { ServingExpose } from "./serving-params";
import type { LocalAccess } from "./types";

/** A request that shows the server works: method, path and JSON body. */
export interface ExampleRequest {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

/** `curl` for an example request against `baseUrl`. */
export function curlCommand(baseUrl: string, request: ExampleRequest): string {
  const body = request.body === undefined ? "" : ` -H 'Content-Type: application/json' -d '${JSON.stringify(request.body)}'`;
  return `curl -X ${request.method} ${baseUrl}${request.path}${body}`;
}

/** `kubectl port-forward` to the server's Service. */
export function portForwardCommand(namespace: string, service: string, localPort: number, port: number): string {
  return `kubectl -n ${namespace} port-forward svc/${service} ${localPort}:${port}`;
}

/**
 * What a user needs to call a model server: the in-cluster endpoint (pods), the port-forward and
 * the example request (laptops), the public URL when exposed (browsers: ALB sign-in), where the
 * model comes from and, in the own bucket, how to upload it.
 */
export function servingOutputs(options: {
  app: string;
  namespace: string;
  port: number;
  localPort: number;
  example: ExampleRequest;
  models?: ModelSource;
  expose?: ServingExpose;
  exposed?: ExposedService;
}): Record<string, pulumi.Input<string>> {
  const endpoint = serviceUrl(options.app, options.namespace, options.port);
  const externalUrl = options.expose ? `https://${options.expose.host}` : undefined;
  return {
    endpoint,
    exampleRequest: curlCommand(endpoint, options.example),
    portForward: portForwardCommand(options.namespace, options.app, options.localPort, options.port),
    ...(options.models ? { modelSource: options.models.uri, modelDir: options.models.mountPath } : {}),
    // Where to put the model: the own bucket's prefix (another tool's bucket is written by that tool).
    ...(options.models?.from === "own" ? { modelsBucket: options.models.bucket.name, modelUpload: pulumi.interpolate`aws s3 sync ./model ${options.models.uri}` } : {}),
    ...(externalUrl && options.exposed
      ? {
          externalUrl,
          loadBalancerHostname: options.exposed.loadBalancerHostname,
          externalAccess: `${externalUrl} signs in through ALB ${options.expose!.auth.type} (a browser flow: scripts without the session cookie get ${options.expose!.auth.on_unauthenticated === "deny" ? "401" : "a redirect to sign in"}); call ${endpoint} from pods instead`,
        }
      : {}),
  };
}

/** The port-forward a laptop uses, with `envName` pointing at it (the tool's env gives the in-cluster URL). */
export function servingLocalAccess(options: { app: string; namespace: string; port: number; localPort: number; envName: string }): LocalAccess {
  return {
    namespace: options.namespace,
    service: options.app,
    ports: [{ local: options.localPort, remote: options.port }],
    env: { [options.envName]: localUrl(options.localPort) },
  };
}

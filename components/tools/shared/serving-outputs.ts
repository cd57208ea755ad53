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

/** `curl` for an example request against `baseUrl`, with extra `headers` (as written, shell-quoted by the caller). */
export function curlCommand(baseUrl: string, request: ExampleRequest, headers: string[] = []): string {
  const extra = headers.map((header) => ` -H ${header}`).join("");
  const body = request.body === undefined ? "" : ` -H 'Content-Type: application/json' -d '${JSON.stringify(request.body)}'`;
  return `curl -X ${request.method} ${baseUrl}${request.path}${extra}${body}`;
}

/** The header a JWT-checked ALB wants, the token taken from $TOKEN (double quotes: the shell expands it). */
const BEARER_HEADER = '"Authorization: Bearer $TOKEN"';

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
      ? { externalUrl, loadBalancerHostname: options.exposed.loadBalancerHostname, ...externalAccess(options.expose!.auth, externalUrl, endpoint, options.example) }
      : {}),
  };
}

/** How a client outside the cluster gets through the ALB's check: a bearer token (jwt), or a browser sign-in. */
function externalAccess(auth: ServingExpose["auth"], externalUrl: string, endpoint: string, example: ExampleRequest): Record<string, string> {
  if (auth.type === "jwt") {
    const claims = auth.claims.map((claim) => `${claim.name} ${JSON.stringify(claim.values)}`).join(", ");
    return {
      externalAccess: `${externalUrl} takes Authorization: Bearer <JWT> — an RS256 token from ${auth.issuer}, unexpired, with the claims ${claims}; the ALB answers 401 to anything else (put the token in $TOKEN for externalRequest)`,
      externalRequest: curlCommand(externalUrl, example, [BEARER_HEADER]),
    };
  }
  const refused = auth.on_unauthenticated === "deny" ? "401" : "a redirect to sign in";
  return {
    externalAccess: `${externalUrl} signs in through ALB ${auth.type} (a browser flow: scripts without the session cookie get ${refused}); for scripts use auth type jwt, or call ${endpoint} from pods`,
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

import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import { createModelServer, createServingRole, exposeModelServer, type ServerContainer } from "../shared/model-server";
import { resolveModelSource } from "../shared/model-source";
import { MODEL_SOURCES } from "../shared/model-sources";
import { createNamespace } from "../shared/namespace";
import { serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { usesGpu } from "../shared/placement";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import { servingLocalAccess, servingOutputs } from "../shared/serving-outputs";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { cogParams, type CogParams } from "./params";

/** The namespace, service account and Kubernetes name of everything cog creates. */
const APP = "cog";
/** Cog's HTTP server always listens on 5000 (replicate/cog v0.22.0 crates/coglet-python/src/lib.rs). */
export const COG_PORT = 5000;
/** The local end of the port-forward: not 5000, which macOS' AirPlay receiver holds, nor MLflow's 5001. */
export const LOCAL_PORT = 5050;
/** Cog models are large (weights in memory): room for a small one; set resources for yours. */
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "4", memory: "16Gi" } };

/**
 * The states of GET /health-check (coglet v0.22.0 crates/coglet/src/health.rs), which answers 200
 * in every state, setup included: the probes read its `status` instead of its HTTP code.
 */
const SERVING_STATES = ["READY", "BUSY"];
const FAILED_STATES = ["SETUP_FAILED", "DEFUNCT"];

/**
 * A Cog model (replicate/cog) from the user's image: Deployment, Service, CPU autoscaler and
 * disruption budget. Cog has no authentication of its own: in-cluster only, or exposed behind ALB
 * sign-in. Traffic reaches a pod only once setup() has succeeded; a pod whose setup failed is
 * restarted.
 */
export class Cog extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Cog", name, {}, opts);
    const params = cogParams.parse(context.instance.params);
    const gpu = usesGpu("cog", params.gpu, context.platform.gpuNodesAvailable, "false");

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, APP);
    const models = params.models ? resolveModelSource(scope, params.models) : undefined;
    const role = createServingRole(scope, { namespace, serviceAccount: APP, models, expose: params.expose });
    createModelServer(scope, {
      app: APP,
      namespace,
      serviceAccount: APP,
      role,
      server: serverContainer(params),
      gpu,
      replicas: params.replicas,
      ...(models ? { models } : {}),
      readyWithinMinutes: params.startup_minutes,
    });
    const exposed = params.expose
      ? exposeModelServer(scope, { app: APP, namespace, serviceAccount: APP, role, port: COG_PORT, expose: params.expose, healthCheckPath: "/health-check" })
      : undefined;

    const endpoint = serviceUrl(APP, APP, COG_PORT);
    this.dataBuckets = models?.from === "own" ? [models.bucket] : [];
    this.outputs = stringMap({
      ...servingOutputs({ app: APP, namespace: APP, port: COG_PORT, localPort: LOCAL_PORT, example: { method: "POST", path: "/predictions", body: { input: {} } }, models, expose: params.expose, exposed }),
      // The model's inputs, to fill the example's {"input": {…}}.
      openApiSchema: `${endpoint}/openapi.json`,
      healthCheck: `${endpoint}/health-check`,
      gpu: String(gpu),
    });
    this.env = stringMap({ COG_URL: endpoint });
    this.localAccess = servingLocalAccess({ app: APP, namespace: APP, port: COG_PORT, localPort: LOCAL_PORT, envName: "COG_URL" });
    this.registerOutputs({ outputs: this.outputs });
  }
}

/**
 * A probe running Python in the model's container (every Cog image has it: its server is started
 * with `python -m cog.server.http`): GET /health-check, exit 0 when `status` is (`accept`) or is
 * not (`!accept`) one of `states`; a server that does not answer fails either way.
 */
export function healthStatusProbe(states: string[], accept: boolean, failureThreshold: number, periodSeconds = 10) {
  const check = `s=json.load(urllib.request.urlopen('http://127.0.0.1:${COG_PORT}/health-check',timeout=5))['status']; sys.exit(0 if (s in ${JSON.stringify(states)}) == ${accept ? "True" : "False"} else 1)`;
  // -S: no site-packages scan (.pth files of torch & co.), stdlib only: a start of tens of ms, not
  // seconds. timeoutSeconds 10 (the kubelet enforces exec timeouts) covers a slow start on a busy
  // CPU; the HTTP call itself gives up after 5 s.
  return { exec: { command: ["python", "-S", "-c", `import json,sys,urllib.request; ${check}`] }, periodSeconds, timeoutSeconds: 10, failureThreshold };
}

/**
 * The model server: ready only in READY or BUSY (setup done); restarted when setup failed or the
 * server is defunct. Setup may take as long as it needs (weights downloads): the startup probe only
 * waits for the server to answer (5 minutes), the readiness probe keeps traffic away meanwhile
 * (`up` waits startup_minutes for it).
 */
function serverContainer(params: CogParams): ServerContainer {
  const plain = Object.entries(params.env).map(([name, value]) => ({ name, value }));
  return {
    image: params.image,
    env: [{ name: "COG_MAX_CONCURRENCY", value: String(params.concurrency) }, ...plain],
    ports: { http: COG_PORT },
    startupProbe: healthStatusProbe(FAILED_STATES, false, 30),
    readinessProbe: healthStatusProbe(SERVING_STATES, true, 3),
    // Every 30 s: two Python starts every 10 s per pod would be wasted CPU; a defunct pod restarts within 90 s.
    livenessProbe: healthStatusProbe(FAILED_STATES, false, 3, 30),
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
  };
}

export const cog: ToolComponentModule = {
  // Every tool a model can be synced from.
  links: MODEL_SOURCES,
  create: (name, context) => new Cog(name, context, toolComponentOptions(context)),
};

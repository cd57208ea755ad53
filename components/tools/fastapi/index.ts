import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import { createModelServer, createServingRole, exposeModelServer, type ServerContainer } from "../shared/model-server";
import { resolveModelSource } from "../shared/model-source";
import { MODEL_SOURCES } from "../shared/model-sources";
import { createNamespace } from "../shared/namespace";
import { serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { peerPodEnv, type PeerPodEnv } from "../shared/peers";
import { usesGpu } from "../shared/placement";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import { servingLocalAccess, servingOutputs } from "../shared/serving-outputs";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { fastapiParams, type FastapiParams } from "./params";

/** The namespace, service account and Kubernetes name of everything fastapi creates. */
const APP = "fastapi";
/** The local end of the port-forward: clear of lakeFS' and Triton's 8000 and the 8080s. */
export const LOCAL_PORT = 8010;
/** An idle Python API; the autoscaler adds pods for load. */
const DEFAULT_RESOURCES = { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } };

/**
 * A FastAPI app serving a model from the user's image. FastAPI has no authentication of its own:
 * in-cluster only, or exposed behind ALB sign-in. The model is synced from S3 into MODEL_DIR before
 * the app starts, and MLflow's in-cluster tracking URI (and credentials) are in its environment
 * when the stack has MLflow, so the app can load `models:/…` or `runs:/…` URIs.
 */
export class Fastapi extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Fastapi", name, {}, opts);
    const params = fastapiParams.parse(context.instance.params);
    const gpu = usesGpu("fastapi", params.gpu, context.platform.gpuNodesAvailable, "false");

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, APP);
    const models = resolveModelSource(scope, params.models);
    const role = createServingRole(scope, { namespace, serviceAccount: APP, models, expose: params.expose });
    const mlflow = peerPodEnv(scope, namespace, "mlflow");
    const server = serverContainer(params, mlflow?.env);
    createModelServer(scope, {
      app: APP,
      namespace,
      serviceAccount: APP,
      role,
      server,
      gpu,
      replicas: params.replicas,
      models,
      dependsOn: mlflow?.dependsOn,
      readyWithinMinutes: params.startup_minutes,
    });
    const exposed = params.expose
      ? exposeModelServer(scope, { app: APP, namespace, serviceAccount: APP, role, port: params.port, expose: params.expose, healthCheckPath: params.health_path })
      : undefined;

    const endpoint = serviceUrl(APP, APP, params.port);
    this.dataBuckets = params.models.from === "own" ? [models.bucket] : [];
    this.outputs = stringMap({
      ...servingOutputs({ app: APP, namespace: APP, port: params.port, localPort: LOCAL_PORT, example: { method: "GET", path: params.health_path }, models, expose: params.expose, exposed }),
      docs: `${endpoint}/docs`,
      gpu: String(gpu),
    });
    this.env = stringMap({ FASTAPI_URL: endpoint });
    this.localAccess = servingLocalAccess({ app: APP, namespace: APP, port: params.port, localPort: LOCAL_PORT, envName: "FASTAPI_URL" });
    this.registerOutputs({ outputs: this.outputs });
  }
}

/** The app: the user's image and settings, probed on `health_path` (allowing `startup_minutes` to load a model). */
function serverContainer(params: FastapiParams, mlflowEnv: PeerPodEnv["env"] | undefined): ServerContainer {
  const plain = Object.entries(params.env).map(([name, value]) => ({ name, value }));
  const probe = (failureThreshold: number) => ({ httpGet: { path: params.health_path, port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold });
  return {
    image: params.image,
    ...(params.command ? { command: params.command } : {}),
    ...(params.args ? { args: params.args } : {}),
    env: mlflowEnv ? mlflowEnv.apply((linked) => [...plain, ...linked]) : plain,
    ports: { http: params.port },
    // Every 10 s for startup_minutes (the model's copy runs before, in the init container: more than enough).
    startupProbe: probe(params.startup_minutes * 6),
    readinessProbe: probe(3),
    livenessProbe: probe(6),
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
  };
}

export const fastapi: ToolComponentModule = {
  // MLflow for its pod settings, and every tool a model can be synced from (MLflow among them).
  links: MODEL_SOURCES,
  create: (name, context) => new Fastapi(name, context, toolComponentOptions(context)),
};

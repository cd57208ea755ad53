import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createModelServer, createServingRole, exposeModelServer } from "../shared/model-server";
import { resolveModelSource, syncContainerBase, type ModelSource } from "../shared/model-source";
import { MODEL_SOURCES } from "../shared/model-sources";
import { createNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { resourcesWithDefaults } from "../shared/params";
import { usesGpu } from "../shared/placement";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import { portForwardCommand, servingOutputs } from "../shared/serving-outputs";
import type { ToolContext } from "../shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { tfServingParams, type TfServingParams } from "./params";
import {
  METRICS_PATH,
  modelConfigPath,
  modelServerConfig,
  MONITORING_CONFIG,
  monitoringConfigPath,
  SYNC_SCRIPT,
  SYNC_STARTED_COMMAND,
  versionSelector,
} from "./sync";

/** TensorFlow Serving 2.20.0 (tensorflow/serving git tag 2.20.0, bc7e9d2b); `-gpu`: CUDA 12.5 on nvidia/cuda:12.5.1-base-ubuntu22.04. */
export const TF_SERVING_IMAGE = "tensorflow/serving:2.20.0";
export const TF_SERVING_GPU_IMAGE = "tensorflow/serving:2.20.0-gpu";

const NAMESPACE = "tf-serving";
/** The Deployment, Service and service account: one name. */
const APP = "tf-serving";
/** REST first: the Service's first port is what a bare port-forward and the ALB use. */
const PORTS = { http: 8501, grpc: 8500 } as const;
/** Requests for a small model at rest; limits for serving bursts, which the autoscaler scales out. */
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "4", memory: "8Gi" } };
/** How often the server re-reads the model directory and the model config the sidecar writes. */
const SERVER_POLL_SECONDS = 10;
/** A pod's first copy of the model may take long; the server waits for it (and loads it) first. */
const STARTUP_MINUTES = 30;

/**
 * TensorFlow Serving on the shared model-server block: a Deployment (REST and gRPC), a ClusterIP
 * Service, a CPU autoscaler and a disruption budget; the SavedModel's versions copied from S3 by a
 * sidecar under an IRSA role that may read exactly their prefix. Exposed only behind ALB sign-in.
 */
export class TfServing extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:TfServing", name, {}, opts);
    const params = tfServingParams.parse(context.instance.params);
    const gpu = usesGpu("tf-serving", params.gpu, context.platform.gpuNodesAvailable);

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const models = resolveModelSource(scope, params.models);
    const role = createServingRole(scope, { namespace, serviceAccount: APP, models, expose: params.expose });
    createModelServer(scope, {
      app: APP,
      namespace,
      serviceAccount: APP,
      role,
      server: serverContainer(params, gpu, models.mountPath),
      gpu,
      replicas: params.replicas,
      models,
      modelSync: syncSidecar(params, models),
      readyWithinMinutes: STARTUP_MINUTES,
    });
    const exposed = params.expose
      ? exposeModelServer(scope, { app: APP, namespace, serviceAccount: APP, role, port: PORTS.http, expose: params.expose, healthCheckPath: METRICS_PATH })
      : undefined;

    const restEndpoint = serviceUrl(APP, NAMESPACE, PORTS.http);
    const grpcEndpoint = new URL(serviceUrl(APP, NAMESPACE, PORTS.grpc)).host;
    const served = servingOutputs({
      app: APP,
      namespace: NAMESPACE,
      port: PORTS.http,
      localPort: PORTS.http,
      example: { method: "POST", path: `/v1/models/${params.model_name}:predict`, body: { instances: [[1.0, 2.0, 5.0]] } },
      models,
      expose: params.expose,
      exposed,
    });
    this.outputs = stringMap({
      ...served,
      restEndpoint,
      grpcEndpoint,
      modelName: params.model_name,
      // Where versions go: s3://<bucket>/<path>/<version>/saved_model.pb (+ variables/).
      modelBasePath: models.uri,
      statusRequest: `curl ${restEndpoint}/v1/models/${params.model_name}`,
      metricsEndpoint: `${restEndpoint}${METRICS_PATH}`,
      portForward: portForwardCommand(NAMESPACE, APP, PORTS.http, PORTS.http) + ` ${PORTS.grpc}:${PORTS.grpc}`,
      gpu: String(gpu),
    });
    // REST: the base URL for /v1/models/…; gRPC: host:port, as grpc.insecure_channel takes it.
    this.env = stringMap({ TF_SERVING_URL: restEndpoint, TF_SERVING_GRPC: grpcEndpoint });
    this.localAccess = {
      namespace: NAMESPACE,
      service: APP,
      ports: [PORTS.http, PORTS.grpc].map((port) => ({ local: port, remote: port })),
      env: { TF_SERVING_URL: localUrl(PORTS.http), TF_SERVING_GRPC: new URL(localUrl(PORTS.grpc)).host },
    };
    this.registerOutputs({ outputs: this.outputs });
  }
}

/**
 * The server, reading the model config the sidecar writes. Its ports open only once the models
 * the config lists are loaded (ServerCore waits for them), so an open port means ready; the first
 * copy and load get STARTUP_MINUTES.
 */
function serverContainer(params: TfServingParams, gpu: boolean, mountPath: string) {
  return {
    image: gpu ? TF_SERVING_GPU_IMAGE : TF_SERVING_IMAGE,
    // The binary itself: the image's entrypoint script would add --model_name/--model_base_path, unused with a config file.
    command: ["tensorflow_model_server"],
    args: [
      `--port=${PORTS.grpc}`,
      `--rest_api_port=${PORTS.http}`,
      `--model_config_file=${modelConfigPath(mountPath)}`,
      `--model_config_file_poll_wait_seconds=${SERVER_POLL_SECONDS}`,
      `--file_system_poll_wait_seconds=${SERVER_POLL_SECONDS}`,
      `--monitoring_config_file=${monitoringConfigPath(mountPath)}`,
    ],
    ports: { ...PORTS },
    startupProbe: { tcpSocket: { port: "http" }, periodSeconds: 10, failureThreshold: STARTUP_MINUTES * 6 },
    readinessProbe: { httpGet: { path: METRICS_PATH, port: "http" }, periodSeconds: 10, failureThreshold: 3 },
    // The gRPC port answers even while every REST thread is busy with predictions.
    livenessProbe: { tcpSocket: { port: "grpc" }, periodSeconds: 10, failureThreshold: 6 },
    resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
  };
}

/**
 * The sync loop as a native sidecar (an init container with restartPolicy Always, Kubernetes ≥ 1.29,
 * every EKS version platinfra accepts): it starts first, the server once its first round has
 * written the config, and it runs beside the server until the pod ends.
 */
function syncSidecar(params: TfServingParams, models: ModelSource): k8s.types.input.core.v1.Container {
  const base = syncContainerBase(models);
  return {
    name: "model-sync",
    ...base,
    restartPolicy: "Always",
    command: ["/bin/sh", "-c", SYNC_SCRIPT],
    env: [
      ...(base.env as k8s.types.input.core.v1.EnvVar[]),
      { name: "SOURCE", value: models.uri },
      { name: "VERSIONS", value: versionSelector(params.version_policy) },
      { name: "SYNC_INTERVAL_SECONDS", value: String(params.sync_interval_seconds) },
      { name: "MODEL_CONFIG", value: modelServerConfig(params.model_name, models.mountPath, params.version_policy) },
      { name: "MONITORING_CONFIG", value: MONITORING_CONFIG },
    ],
    startupProbe: { exec: { command: SYNC_STARTED_COMMAND }, periodSeconds: 5, failureThreshold: STARTUP_MINUTES * 12 },
  };
}

export const tfServing: ToolComponentModule = {
  links: MODEL_SOURCES,
  create: (name, context) => new TfServing(name, context, toolComponentOptions(context)),
};

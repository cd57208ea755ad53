import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { createIngress, type ExposedService } from "./ingress";
import { modelReadStatements, modelsMount, modelSyncInitContainer, syncVolumes, type ModelSource } from "./model-source";
import type { ToolNamespace } from "./namespace";
import type { Resources } from "./params";
import { placement } from "./placement";
import type { ToolScope } from "./scope";
import { createToolRole } from "./role";
import { authAnnotations, authStatements, createAuthSecret } from "./serving-auth";
import type { ServingExpose, ServingReplicas } from "./serving-params";

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Probe = k8s.types.input.core.v1.Probe;

/**
 * The model server's IRSA role: read exactly the model's prefix (when it syncs one) and, when
 * exposed behind OIDC, exactly its client secret.
 */
export function createServingRole(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceAccount: string; models?: ModelSource | undefined; expose?: ServingExpose | undefined },
): ServiceAccountRole {
  const statements = [...(options.models ? modelReadStatements(options.models) : []), ...(options.expose ? authStatements(options.expose.auth) : [])];
  return createToolRole(scope, { namespace: options.namespace, serviceAccount: options.serviceAccount, statements });
}

/** The CPU use the autoscaler keeps each server pod at. */
export const CPU_TARGET_PERCENT = 70;

/** The server container as a tool describes it; the block adds the model, GPU, disk and hardening. */
export interface ServerContainer {
  image: pulumi.Input<string>;
  command?: string[];
  args?: pulumi.Input<string>[];
  env?: pulumi.Input<EnvVar[]>;
  /** The server's ports by name: the container's and the Service's. */
  ports: Record<string, number>;
  startupProbe?: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  resources: Required<Resources>;
  /** A read-only root filesystem, with an emptyDir at each of `writablePaths`. @default writable (a user's image may write anywhere) */
  readOnlyRootFilesystem?: boolean;
  writablePaths?: string[];
}

export interface ModelServerOptions {
  /** The Kubernetes name of the Deployment, Service, autoscaler and disruption budget, and the container's. */
  app: string;
  namespace: ToolNamespace;
  /** The service account of `role` (createToolRole): every container of the pod runs as it. */
  serviceAccount: string;
  role: ServiceAccountRole;
  server: ServerContainer;
  gpu: boolean;
  replicas: ServingReplicas;
  /** The model synced from S3 before the server starts. @default none: the image brings its model */
  models?: ModelSource;
  /**
   * The container that copies `models` before the server starts, for a tool that syncs its own way
   * (e.g. a native sidecar, restartPolicy Always, that keeps syncing: the server starts once its
   * startupProbe passes). @default modelSyncInitContainer: `aws s3 sync` of the whole prefix, once
   */
  modelSync?: Container;
  /** Containers beside the server, e.g. a loop re-syncing the model (`syncContainerBase`). @default none */
  sidecars?: Container[];
  /** More pod volumes, for the sidecars or the server. @default none */
  volumes?: k8s.types.input.core.v1.Volume[];
  /** Pod template annotations (e.g. Reloader's). @default none */
  podAnnotations?: Record<string, string>;
  /** What the pods must wait for besides the namespace and the role (Secrets they read). @default nothing */
  dependsOn?: pulumi.Resource[];
  /** How long `up` waits for a rollout's pods to be ready, model copy and load included. @default Pulumi's 10 minutes */
  readyWithinMinutes?: number;
}

export interface ModelServer {
  deployment: k8s.apps.v1.Deployment;
  service: k8s.core.v1.Service;
  autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  disruptionBudget: k8s.policy.v1.PodDisruptionBudget;
}

/**
 * A model server: a Deployment running as the tool's IRSA service account (the model synced into
 * it first when `models` is given), a ClusterIP Service, a CPU autoscaler, and a disruption budget
 * so that node drains and Karpenter's consolidation take one pod at a time.
 */
export function createModelServer(scope: ToolScope, options: ModelServerOptions): ModelServer {
  const labels = { "app.kubernetes.io/name": options.app, "app.kubernetes.io/managed-by": "platinfra" };
  const selector = { "app.kubernetes.io/name": options.app };
  const metadata = { name: options.app, namespace: options.namespace.name };
  const deployment = new k8s.apps.v1.Deployment(
    `${scope.name}-deployment`,
    {
      metadata: { ...metadata, labels },
      spec: {
        // No `replicas`: the HorizontalPodAutoscaler owns it; Pulumi would reset it on every update.
        selector: { matchLabels: selector },
        template: {
          metadata: { labels, ...(options.podAnnotations ? { annotations: options.podAnnotations } : {}) },
          spec: podSpec(scope, options),
        },
      },
    },
    {
      parent: scope.parent,
      dependsOn: [options.namespace.resource, options.role, ...(options.dependsOn ?? [])],
      ...(options.readyWithinMinutes ? { customTimeouts: { create: `${options.readyWithinMinutes}m`, update: `${options.readyWithinMinutes}m` } } : {}),
    },
  );
  const service = new k8s.core.v1.Service(
    `${scope.name}-service`,
    {
      metadata: { ...metadata, labels },
      spec: { type: "ClusterIP", selector, ports: Object.entries(options.server.ports).map(([name, port]) => ({ name, port, targetPort: name })) },
    },
    { parent: scope.parent, dependsOn: [options.namespace.resource] },
  );
  const autoscaler = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${scope.name}-hpa`,
    {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: options.app },
        minReplicas: options.replicas.min,
        maxReplicas: options.replicas.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: CPU_TARGET_PERCENT } } }],
      },
    },
    { parent: scope.parent, dependsOn: [deployment] },
  );
  const disruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
    `${scope.name}-pdb`,
    {
      metadata,
      spec: {
        // One pod at a time: with 2+ replicas some always serve; with 1 a drain still proceeds
        // (minAvailable: 1 would block every drain and Karpenter consolidation for good).
        maxUnavailable: 1,
        selector: { matchLabels: selector },
        // A pod that never became ready (crash loop, failed setup) must not block a drain.
        unhealthyPodEvictionPolicy: "AlwaysAllow",
      },
    },
    { parent: scope.parent, dependsOn: [options.namespace.resource] },
  );
  return { deployment, service, autoscaler, disruptionBudget };
}

function podSpec(scope: ToolScope, options: ModelServerOptions): k8s.types.input.core.v1.PodSpec {
  const { models, server } = options;
  return {
    serviceAccountName: options.serviceAccount,
    securityContext: { seccompProfile: { type: "RuntimeDefault" } },
    ...placement(scope.context, options.gpu),
    ...(models ? { initContainers: [options.modelSync ?? modelSyncInitContainer(models)] } : {}),
    containers: [serverContainer(options), ...(options.sidecars ?? [])],
    volumes: [...(models ? syncVolumes(models) : []), ...(server.writablePaths ?? []).map((path) => ({ name: writableVolumeName(path), emptyDir: {} })), ...(options.volumes ?? [])],
  };
}

function serverContainer(options: ModelServerOptions): Container {
  const { models, server } = options;
  const { requests, limits } = server.resources;
  const env = models ? pulumi.output(server.env ?? []).apply((given) => [{ name: "MODEL_DIR", value: models.mountPath }, ...given]) : server.env;
  return {
    name: options.app,
    image: server.image,
    ...(server.command ? { command: server.command } : {}),
    ...(server.args ? { args: server.args } : {}),
    ...(env ? { env } : {}),
    ports: Object.entries(server.ports).map(([name, containerPort]) => ({ name, containerPort })),
    ...(server.startupProbe ? { startupProbe: server.startupProbe } : {}),
    readinessProbe: server.readinessProbe,
    livenessProbe: server.livenessProbe,
    resources: {
      // The model's copy lives on the node's disk: reserve it, so the scheduler picks a node with room.
      requests: models ? { ...requests, "ephemeral-storage": models.size } : requests,
      limits: options.gpu ? { ...limits, "nvidia.com/gpu": "1" } : limits,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      ...(server.readOnlyRootFilesystem ? { readOnlyRootFilesystem: true } : {}),
    },
    volumeMounts: [...(models ? [modelsMount(models)] : []), ...(server.writablePaths ?? []).map((path) => ({ name: writableVolumeName(path), mountPath: path }))],
  };
}

/** "/var/run/cog" → "var-run-cog". */
function writableVolumeName(path: string): string {
  return path.slice(1).replace(/[^a-z0-9]+/g, "-");
}

/**
 * The server on the stack's shared HTTPS ALB at `expose.host`, behind the ALB sign-in of
 * `expose.auth` (the OIDC client Secret synced first). The role must carry `authStatements`.
 */
export function exposeModelServer(
  scope: ToolScope,
  options: { app: string; namespace: ToolNamespace; serviceAccount: string; role: ServiceAccountRole; port: number; expose: ServingExpose; healthCheckPath: string },
): ExposedService {
  const secrets = createAuthSecret(scope, { auth: options.expose.auth, app: options.app, namespace: options.namespace, serviceAccount: options.serviceAccount, role: options.role });
  return createIngress(scope, {
    namespace: options.namespace,
    serviceName: options.app,
    port: options.port,
    expose: options.expose,
    healthCheckPath: options.healthCheckPath,
    annotations: authAnnotations(options.expose.auth, options.app),
    dependsOn: secrets,
  });
}

import { resourcesWithDefaults, type Resources } from "../shared/params";

/**
 * Values of Seldon Core 2's charts (seldonio/helm-charts 2.10.2, sources in SeldonIO/seldon-core
 * k8s/helm-charts @v2.10.2). Every key exists in that chart version (checked in the tests against
 * test/fixtures/chart-keys/seldon-core-v2-*.json).
 */

/** The Secret holding the rclone remote `s3` (Models' `s3://bucket/key` URIs); the agent reads it through the Kubernetes API. */
export const RCLONE_S3_SECRET = "seldon-rclone-s3";

/** Placement of the Triton server pods (shared/placement.ts) and whether they take a GPU. */
export interface TritonPlacement {
  gpu: boolean;
  nodeSelector?: Record<string, string>;
  tolerations?: { key: string; operator: string; value?: string; effect: string }[];
}

/**
 * The operator's chart: the controller and the SeldonConfig/ServerConfigs it reconciles from.
 * Services of the components default to LoadBalancer (`services.defaultServiceType`): on EKS a
 * public NLB in front of an inference endpoint without authentication, so ClusterIP. No
 * OpenTelemetry collector runs in the stack: tracing stays off instead of failing to export.
 * (`envoy.service.type` and `scheduler.service.type` are declared but no template reads them at
 * 2.10.2; the runtime's overrides below decide.)
 */
export function setupValues(): Record<string, unknown> {
  return {
    services: { defaultServiceType: "ClusterIP" },
    opentelemetry: { disable: true },
  };
}

/**
 * The SeldonRuntime: scheduler and Envoy only. Kafka is needed only by Pipelines (docs-gb
 * getting-started/kubernetes-installation @v2.10.2: without Kafka do not install the model
 * gateway, pipeline gateway and dataflow engine). Hodometer, which reports usage to Seldon, is
 * off. The runtime's `serviceType` overrides win over the SeldonConfig's (operator
 * service_reconciler.go getServiceType), so both Services are ClusterIP here. The S3 remote's
 * Secret joins the SeldonConfig's default list (appended, seldonconfig_types.go addDefaults).
 */
export function runtimeValues(): Record<string, unknown> {
  return {
    hodometer: { disable: true },
    scheduler: { serviceType: "ClusterIP" },
    envoy: { serviceType: "ClusterIP" },
    dataflow: { disable: true },
    modelgateway: { disable: true },
    pipelinegateway: { disable: true },
    config: {
      agentConfig: { rclone: { configSecrets: [RCLONE_S3_SECRET] } },
      tracingConfig: { disable: true },
      serviceConfig: { serviceType: "ClusterIP" },
    },
  };
}

/** A server container's requests and limits. */
type ServerResources = { requests?: Record<string, string>; limits?: Record<string, string> };

/** The mlserver and triton containers' resources in the setup chart's ServerConfigs (serverConfig.<server>.resources): 100m CPU and 1Gi requested, 1Gi memory limit, no CPU limit. */
const SERVER_DEFAULTS = { requests: { cpu: "100m", memory: "1Gi" }, limitMemory: "1Gi" };

/**
 * The given requests and limits, completed so the merged container stays valid: a request above
 * Seldon's 1Gi memory limit raises that limit, a limit below Seldon's requests lowers them. No CPU
 * limit is added where none is given (Seldon sets none).
 */
export function serverResources(given: Resources | undefined): ServerResources | undefined {
  if (!given) return undefined;
  // "0" as the default CPU limit: only used when limits are given, which then replace it.
  const settled = resourcesWithDefaults(given, { requests: SERVER_DEFAULTS.requests, limits: { cpu: "0", memory: SERVER_DEFAULTS.limitMemory } });
  return { requests: settled.requests, limits: given.limits ? settled.limits : { memory: settled.limits.memory } };
}

/** What the servers chart needs to know of one Server. */
export interface ServerSettings {
  replicas: number;
  resources?: Resources;
}

/**
 * The Servers: a fixed number of pods each (min = max = replicas; the operator refuses replicas
 * below minReplicas, so 0 turns a server off). A server pod's volume only caches the artifacts its
 * agent downloads from S3: deleted with the pod's StatefulSet or when it scales down, instead of
 * the chart's Retain, which leaves billed EBS volumes behind. The Server's podSpec is merged into
 * its ServerConfig's, containers by name (operator patch_utils.go MergePodSpecs/MergeContainers):
 * given resources and Triton's GPU reach the server container (`mlserver`, `triton`) that way, and
 * Triton goes to the GPU nodes when asked.
 */
export function serversValues(args: { mlserver: ServerSettings; triton: ServerSettings; tritonPlacement: TritonPlacement }): Record<string, unknown> {
  const { gpu, ...placement } = args.tritonPlacement;
  const triton = serverResources(args.triton.resources);
  const tritonResources = gpu ? { ...triton, limits: { ...triton?.limits, "nvidia.com/gpu": "1" } } : triton;
  return {
    mlserver: server("mlserver", args.mlserver.replicas, serverResources(args.mlserver.resources), {}),
    triton: server("triton", args.triton.replicas, tritonResources, gpu ? placement : {}),
  };
}

function server(container: string, replicas: number, resources: ServerResources | undefined, placement: Record<string, unknown>): Record<string, unknown> {
  const podSpec = { ...placement, ...(resources ? { containers: [{ name: container, resources }] } : {}) };
  return {
    replicas,
    minReplicas: replicas,
    maxReplicas: replicas,
    statefulSetPersistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" },
    ...(Object.keys(podSpec).length > 0 ? { podSpec } : {}),
  };
}

/**
 * The rclone remote `s3` for the agent: the provider's credential chain (`env_auth`), which in the
 * pinned rclone (1.71.1, aws-sdk-go-v2 config.LoadDefaultConfig) reads the web identity token EKS
 * mounts for the IRSA service account: no static keys anywhere. One data key per Secret, in the
 * format of docs-gb/kubernetes/storage-secrets.md @v2.10.2; values quoted, as the agent parses
 * parameters as strings.
 */
export function rcloneS3Config(region: string): string {
  return ["type: s3", "name: s3", "parameters:", "  provider: AWS", '  env_auth: "true"', `  region: ${region}`, ""].join("\n");
}

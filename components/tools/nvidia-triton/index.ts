import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { placement, usesGpu } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { nvidiaTritonParams, type NvidiaTritonParams } from "./params";
import { resourcesWithDefaults } from "../shared/params";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";

/** Triton Inference Server, NGC release 26.07 (nvcr.io/nvidia/tritonserver, `-py3`: all framework backends, CPU and GPU). */
export const TRITON_IMAGE = "nvcr.io/nvidia/tritonserver:26.07-py3";

const NAMESPACE = "triton";
const SERVICE_ACCOUNT = "triton";
/** The Kubernetes name of the deployment and its service. */
const APP = "triton";
const PORTS = { http: 8000, grpc: 8001, metrics: 8002 } as const;
/** Requests for the server at rest (an idle server polling S3); limits for serving bursts, which the HPA scales out. */
const DEFAULT_RESOURCES = { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "4", memory: "8Gi" } };
const CPU_TARGET_PERCENT = 70;

/**
 * NVIDIA Triton serving the model repository in its own S3 bucket, polled for new models and
 * versions. Plain Kubernetes objects (Triton publishes no Helm chart): a Deployment running as an
 * IRSA service account that may only read the models bucket, a ClusterIP Service and a CPU-based
 * HorizontalPodAutoscaler. Triton has no authentication, so it is never exposed outside the
 * cluster: an open inference endpoint would let anyone burn the stack's GPUs.
 */
export class NvidiaTriton extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:NvidiaTriton", name, {}, opts);
    const params = nvidiaTritonParams.parse(context.instance.params);
    const gpu = usesGpu("nvidia-triton", params.gpu, context.platform.gpuNodesAvailable);

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const models = createToolBucket(scope, "models");
    const role = createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: bucketStatements([models.arn], "read", "ModelRepository"),
    });
    const modelRepository = pulumi.interpolate`s3://${models.name}/${params.model_prefix}`;
    const deployment = this.createDeployment(name, { context, params, gpu, namespace, role, modelRepository });
    this.createService(name, namespace);
    this.createAutoscaler(name, params, deployment);

    const httpEndpoint = serviceUrl(APP, NAMESPACE, PORTS.http);
    this.dataBuckets = [{ name: models.name, arn: models.arn }];
    this.outputs = stringMap({
      httpEndpoint,
      grpcEndpoint: new URL(serviceUrl(APP, NAMESPACE, PORTS.grpc)).host,
      metricsEndpoint: `${serviceUrl(APP, NAMESPACE, PORTS.metrics)}/metrics`,
      modelRepository,
      gpu: String(gpu),
    });
    // tritonclient takes `host:port`, without a scheme.
    this.env = stringMap({ TRITON_URL: new URL(httpEndpoint).host });
    this.localAccess = {
      namespace: NAMESPACE,
      service: APP,
      ports: [PORTS.http, PORTS.grpc].map((port) => ({ local: port, remote: port })),
      env: { TRITON_URL: new URL(localUrl(PORTS.http)).host },
    };
    this.registerOutputs({ outputs: this.outputs });
  }

  private createDeployment(
    name: string,
    args: { context: ToolContext; params: NvidiaTritonParams; gpu: boolean; namespace: ToolNamespace; role: ServiceAccountRole; modelRepository: pulumi.Output<string> },
  ): k8s.apps.v1.Deployment {
    const labels = { "app.kubernetes.io/name": APP, "app.kubernetes.io/managed-by": "platinfra" };
    return new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: APP, namespace: args.namespace.name, labels },
        spec: {
          // No `replicas`: the HorizontalPodAutoscaler owns it; Pulumi would reset it on every update.
          selector: { matchLabels: { "app.kubernetes.io/name": APP } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: SERVICE_ACCOUNT,
              ...placement(args.context, args.gpu),
              containers: [tritonContainer(args.context, args.params, args.gpu, args.modelRepository)],
              // The Python backend passes tensors through shared memory; the container default (64 MiB) is too small.
              volumes: [{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } }],
            },
          },
        },
      },
      { parent: this, dependsOn: [args.namespace.resource, args.role] },
    );
  }

  private createService(name: string, namespace: ToolNamespace): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: APP, namespace: namespace.name },
        spec: {
          type: "ClusterIP",
          selector: { "app.kubernetes.io/name": APP },
          ports: Object.entries(PORTS).map(([port, number]) => ({ name: port, port: number, targetPort: port })),
        },
      },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  private createAutoscaler(name: string, params: NvidiaTritonParams, deployment: k8s.apps.v1.Deployment): k8s.autoscaling.v2.HorizontalPodAutoscaler {
    return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
      `${name}-hpa`,
      {
        metadata: { name: APP, namespace: deployment.metadata.namespace },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: APP },
          minReplicas: params.replicas.min,
          maxReplicas: params.replicas.max,
          metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: CPU_TARGET_PERCENT } } }],
        },
      },
      { parent: this, dependsOn: [deployment] },
    );
  }
}

/** The server container: the S3 repository polled every 30 s, ready only once every model is loaded. */
function tritonContainer(context: ToolContext, params: NvidiaTritonParams, gpu: boolean, modelRepository: pulumi.Output<string>): k8s.types.input.core.v1.Container {
  const resources = resourcesWithDefaults(params.resources, DEFAULT_RESOURCES);
  const probe = (path: string, failureThreshold: number) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, failureThreshold });
  return {
    name: "triton",
    image: TRITON_IMAGE,
    args: [
      "tritonserver",
      pulumi.interpolate`--model-repository=${modelRepository}`,
      "--model-control-mode=poll",
      "--repository-poll-secs=30",
      "--strict-readiness=true",
    ],
    // Triton's S3 client reads AWS_DEFAULT_REGION; AWS_REGION serves everything else in the image.
    env: [
      { name: "AWS_REGION", value: context.platform.region },
      { name: "AWS_DEFAULT_REGION", value: context.platform.region },
    ],
    ports: Object.entries(PORTS).map(([port, number]) => ({ name: port, containerPort: number })),
    // Triton opens its endpoints only after loading the repository: allow 10 minutes for large models.
    startupProbe: probe("/v2/health/live", 60),
    readinessProbe: probe("/v2/health/ready", 3),
    livenessProbe: probe("/v2/health/live", 3),
    resources: gpu ? { requests: resources.requests, limits: { ...resources.limits, "nvidia.com/gpu": "1" } } : resources,
    securityContext: { allowPrivilegeEscalation: false },
    volumeMounts: [{ name: "dshm", mountPath: "/dev/shm" }],
  };
}

export const nvidiaTriton: ToolComponentModule = {
  links: [],
  create: (name, context) => new NvidiaTriton(name, context, toolComponentOptions(context)),
};

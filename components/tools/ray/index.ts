import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "../../base/charts";
import { applyChartCrds, CHART_CRDS } from "../../base/chart-crds";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { linkedDataBuckets, bucketStatements, createToolBucket } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { placement } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { kuberayOperatorValues } from "./values";
import { trackerPodEnv, TRACKERS, type PeerPodEnv } from "../shared/peers";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { rayParams, type RayParams } from "./params";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";

/** Ray's version: the one KubeRay 1.7.0's own ray-cluster chart runs (kuberay helm-chart/ray-cluster/values.yaml). */
export const RAY_VERSION = "2.52.0";
/** The Ray image of the head and CPU workers (Docker Hub rayproject/ray). */
export const RAY_IMAGE = `rayproject/ray:${RAY_VERSION}`;
/** The same Ray release built with CUDA, for GPU workers (Docker Hub rayproject/ray, `-gpu` tags). */
export const RAY_GPU_IMAGE = `rayproject/ray:${RAY_VERSION}-gpu`;

const NAMESPACE = "ray";
const SERVICE_ACCOUNT = "ray";
/** The head's ports; KubeRay's head service publishes exactly the ports the head container declares. */
const PORTS = { gcs: 6379, dashboard: 8265, client: 10001, serve: 8000, metrics: 8080 } as const;
/** The tools whose data Ray processes (their `dataBuckets`) or whose settings it reads (MLflow's tracking URI). */
const RAY_LINKS = ["dvc", ...TRACKERS, "zenml", "bentoml", "nannyml", "aws-batch"];
/**
 * The head's autoscaler sidecar polls the GCS every few seconds and uses a few millicores at rest;
 * KubeRay's own default (500m / 512Mi requested) would take a quarter of a system node's CPU.
 */
export const AUTOSCALER_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

type EnvVar = k8s.types.input.core.v1.EnvVar;
type Compute = { cpu: string; memory: string };

/**
 * Ray as runtime engine and model server: the KubeRay operator (watching only the ray namespace)
 * and one RayCluster whose in-tree autoscaler scales CPU workers, and GPU workers from zero when
 * the stack has GPU nodes. Every Ray pod runs as one IRSA service account allowed to read and write
 * its own data bucket and its linked tools' data buckets. Nothing is exposed: the dashboard and client port have no
 * authentication, so they stay in the cluster (kubectl port-forward to reach them).
 */
export class Ray extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Ray", name, {}, opts);
    const params = rayParams.parse(context.instance.params);
    const clusterName = name;
    const headService = `${clusterName}-head-svc`;

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const data = createToolBucket(scope, "data");
    const role = createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: bucketStatements([...linkedDataBuckets(context, RAY_LINKS).map((bucket) => bucket.arn), data.arn], "readwrite", "DataBuckets"),
    });
    const operator = this.createOperator(name, namespace, context.platform.crdsProvider());
    this.createCluster(name, clusterName, { context, params, operator, role, trackers: trackerPodEnv(scope, namespace) });

    const clientAddress = serviceUrl(headService, NAMESPACE, PORTS.client, "ray");
    this.dataBuckets = [{ name: data.name, arn: data.arn }];
    this.outputs = stringMap({
      dashboardUrl: serviceUrl(headService, NAMESPACE, PORTS.dashboard),
      clientAddress,
      serveUrl: serviceUrl(headService, NAMESPACE, PORTS.serve),
      namespace: NAMESPACE,
      dataBucket: data.name,
    });
    this.env = stringMap({ RAY_ADDRESS: clientAddress });
    // The client port for ray.init(), and the dashboard (also where `ray job submit` goes).
    this.localAccess = {
      namespace: NAMESPACE,
      service: headService,
      ports: [PORTS.client, PORTS.dashboard].map((port) => ({ local: port, remote: port })),
      env: { RAY_ADDRESS: localUrl(PORTS.client, "ray") },
    };
    this.registerOutputs({ outputs: this.outputs });
  }

  /** The operator and its CRDs (applied by platinfra, so chart upgrades upgrade them); it watches and holds RBAC in the ray namespace only. */
  private createOperator(name: string, namespace: ToolNamespace, crdProvider: k8s.Provider): k8s.helm.v3.Release {
    return helmRelease(
      `${name}-operator`,
      {
        chart: CHARTS.kuberayOperator,
        releaseName: "kuberay-operator",
        namespace: namespace.name,
        values: kuberayOperatorValues(),
        skipCrds: true,
      },
      { parent: this, dependsOn: [namespace.resource, ...applyChartCrds(`${name}-crds`, CHART_CRDS.kuberayOperator, { parent: this, dependsOn: [namespace.resource], provider: crdProvider })] },
    );
  }

  /** The RayCluster, created once the operator (its CRD) and the pods' service account exist. */
  private createCluster(
    name: string,
    clusterName: string,
    args: { context: ToolContext; params: RayParams; operator: k8s.helm.v3.Release; role: ServiceAccountRole; trackers?: PeerPodEnv },
  ): k8s.apiextensions.CustomResource {
    return new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: clusterName, namespace: NAMESPACE },
        spec: rayClusterSpec(args.context, args.params, rayEnv(args.context, args.trackers)),
      },
      { parent: this, dependsOn: [args.operator, args.role, ...(args.trackers?.dependsOn ?? [])] },
    );
  }
}


/** Every Ray container's environment: the region for boto3, and MLflow's client settings when the stack has MLflow. */
function rayEnv(context: ToolContext, trackers: PeerPodEnv | undefined): pulumi.Output<EnvVar[]> {
  const base: EnvVar[] = [
    { name: "AWS_REGION", value: context.platform.region },
    { name: "AWS_DEFAULT_REGION", value: context.platform.region },
  ];
  return trackers ? trackers.env.apply((env) => [...base, ...env]) : pulumi.output(base);
}

/**
 * The RayCluster spec. Worker groups set no `replicas`: the autoscaler owns that field, and KubeRay
 * starts each group at its minimum. Requests equal limits, as Ray sizes its scheduler from them.
 */
export function rayClusterSpec(context: ToolContext, params: RayParams, env: pulumi.Input<EnvVar[]>): Record<string, unknown> {
  const gpuWorkers = context.platform.gpu
    ? [
        {
          groupName: "gpu-workers",
          minReplicas: 0,
          maxReplicas: params.gpu_workers.max,
          rayStartParams: {},
          template: rayPod({ container: "ray-worker", image: RAY_GPU_IMAGE, compute: params.gpu_workers, env, gpu: true, context }),
        },
      ]
    : [];
  return {
    rayVersion: RAY_VERSION,
    enableInTreeAutoscaling: true,
    autoscalerOptions: { resources: AUTOSCALER_RESOURCES },
    headGroupSpec: {
      // num-cpus 0: no tasks on the head, so a busy job cannot starve the scheduler and the GCS.
      rayStartParams: { "dashboard-host": "0.0.0.0", "num-cpus": "0" },
      template: rayPod({ container: "ray-head", image: RAY_IMAGE, compute: params.head, env, gpu: false, context, ports: headPorts() }),
    },
    workerGroupSpecs: [
      {
        groupName: "cpu-workers",
        minReplicas: params.workers.min,
        maxReplicas: params.workers.max,
        rayStartParams: {},
        template: rayPod({ container: "ray-worker", image: RAY_IMAGE, compute: params.workers, env, gpu: false, context }),
      },
      ...gpuWorkers,
    ],
  };
}

/** One Ray pod template: the IRSA service account, one GPU and GPU-node placement when asked. */
function rayPod(args: {
  container: string;
  image: string;
  compute: Compute;
  env: pulumi.Input<EnvVar[]>;
  gpu: boolean;
  context: ToolContext;
  ports?: k8s.types.input.core.v1.ContainerPort[];
}): Record<string, unknown> {
  const compute = { cpu: args.compute.cpu, memory: args.compute.memory };
  const limits = args.gpu ? { ...compute, "nvidia.com/gpu": "1" } : compute;
  return {
    spec: {
      serviceAccountName: SERVICE_ACCOUNT,
      ...placement(args.context, args.gpu),
      containers: [
        {
          name: args.container,
          image: args.image,
          env: args.env,
          resources: { requests: compute, limits },
          ...(args.ports ? { ports: args.ports } : {}),
        },
      ],
    },
  };
}

function headPorts(): k8s.types.input.core.v1.ContainerPort[] {
  return [
    { name: "gcs-server", containerPort: PORTS.gcs },
    { name: "dashboard", containerPort: PORTS.dashboard },
    { name: "client", containerPort: PORTS.client },
    { name: "serve", containerPort: PORTS.serve },
    { name: "metrics", containerPort: PORTS.metrics },
  ];
}

export const ray: ToolComponentModule = {
  links: RAY_LINKS,
  create: (name, context) => new Ray(name, context, toolComponentOptions(context)),
};

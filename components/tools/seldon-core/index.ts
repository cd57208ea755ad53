import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS, type ChartRef } from "../../base/charts";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "../shared/bucket";
import type { ToolContext } from "../shared/context";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { placement, usesGpu } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { exampleKind, exampleModel, exampleModelYaml, exampleRequest } from "./example";
import { seldonCoreParams, type SeldonCoreParams } from "./params";
import { RCLONE_S3_SECRET, rcloneS3Config, runtimeValues, serversValues, setupValues } from "./values";

const NAMESPACE = "seldon";
/**
 * The service account of every server pod (agent, rclone and server containers): the
 * ServerConfigs of the setup chart name it, and the operator creates it only when missing and
 * never updates an existing one (operator rbac_reconciler.go @v2.10.2), so the one platinfra
 * creates first, annotated with the IRSA role, is the one the pods run as.
 */
export const SERVER_SERVICE_ACCOUNT = "seldon-server";
/** The Envoy mesh Service the operator creates (service_reconciler.go SeldonMeshSVCName): port 80 for REST and gRPC. */
const MESH_SERVICE = "seldon-mesh";
const MESH_PORT = 80;
/** The Seldon CLI's own default inference port (operator/cmd/seldon/cli/flags.go), free of the privileged 80. */
const LOCAL_PORT = 9000;
/** Tools whose buckets hold models Seldon can serve: MLflow's and ZenML's artifacts, Kubeflow's pipeline outputs, Ray's data, Triton's repository. */
const SELDON_LINKS = ["mlflow", "zenml", "kubeflow", "ray", "aws-batch", "nvidia-triton"];

/**
 * Seldon Core 2 without Kafka (no Pipelines): its CRDs, the operator, a SeldonRuntime with the
 * scheduler and the Envoy mesh, and an MLServer and a Triton Server, all in the seldon namespace.
 * Servers load Models from S3 with rclone as the IRSA service account `seldon-server`, which may
 * read the tool's models bucket and its linked tools' data buckets, nothing else. The mesh has no
 * authentication, so every Service is ClusterIP and nothing is exposed.
 */
export class SeldonCore extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:SeldonCore", name, {}, opts);
    const params = seldonCoreParams.parse(context.instance.params);
    const gpu = usesGpu("seldon-core", params.gpu, context.platform.gpuNodesAvailable) && params.triton.replicas > 0;

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    const models = createToolBucket(scope, "models");
    const linked = linkedDataBuckets(context, SELDON_LINKS);
    const role = createToolRole(scope, {
      namespace,
      serviceAccount: SERVER_SERVICE_ACCOUNT,
      statements: bucketStatements([models.arn, ...linked.map((bucket) => bucket.arn)], "read", "ModelBuckets"),
    });
    const rclone = this.createRcloneSecret(name, namespace, context.platform.region);
    const setup = this.createControlPlane(name, namespace);
    const runtime = this.release(`${name}-runtime`, CHARTS.seldonCoreRuntime, namespace, runtimeValues(), [setup, role, rclone]);
    this.createServers(name, { context, params, gpu, namespace, runtime, role });

    const endpoint = serviceUrl(MESH_SERVICE, NAMESPACE, MESH_PORT);
    const kind = exampleKind(params.mlserver.replicas);
    this.dataBuckets = [{ name: models.name, arn: models.arn }];
    this.outputs = stringMap({
      namespace: NAMESPACE,
      inferenceEndpoint: endpoint,
      modelsBucket: models.name,
      modelStorageUri: pulumi.interpolate`s3://${models.name}/${params.model_prefix}/`,
      exampleModel: models.name.apply((bucket) => exampleModelYaml(exampleModel(kind, { namespace: NAMESPACE, bucket, prefix: params.model_prefix }))),
      exampleArtifacts: pulumi.interpolate`upload ${kind.artifacts} to s3://${models.name}/${params.model_prefix}/${kind.model}/, then kubectl apply the exampleModel and wait: kubectl -n ${NAMESPACE} wait --for condition=ready model/${kind.model}`,
      exampleRequest: exampleRequest(kind, endpoint),
      tritonGpu: String(gpu),
      ...(context.peers.has("mlflow") ? { mlflowModels: mlflowModelsHint(context) } : {}),
      beforeDestroy: `kubectl -n ${NAMESPACE} delete models.mlops.seldon.io --all   # while the operator runs: its finalizer on each Model needs the scheduler`,
    });
    // The Seldon CLI's inference host (SELDON_INFER_HOST: host:port, no scheme).
    this.env = stringMap({ SELDON_INFER_HOST: `${MESH_SERVICE}.${NAMESPACE}.svc.cluster.local:${MESH_PORT}` });
    this.localAccess = {
      namespace: NAMESPACE,
      service: MESH_SERVICE,
      ports: [{ local: LOCAL_PORT, remote: MESH_PORT }],
      env: { SELDON_INFER_HOST: new URL(localUrl(LOCAL_PORT)).host },
    };
    this.registerOutputs({ outputs: this.outputs });
  }

  /** The rclone remote `s3` (credentials from IRSA, no keys): not a secret, but the agent reads remotes from Secrets only. */
  private createRcloneSecret(name: string, namespace: ToolNamespace, region: string): k8s.core.v1.Secret {
    return new k8s.core.v1.Secret(
      `${name}-rclone-s3`,
      { metadata: { name: RCLONE_S3_SECRET, namespace: namespace.name }, type: "Opaque", stringData: { s3: rcloneS3Config(region) } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * The CRDs, then the operator. The CRDs are templates of their own chart (not a `crds/`
   * folder), so `helm upgrade` to a new version upgrades them with the operator.
   */
  private createControlPlane(name: string, namespace: ToolNamespace): k8s.helm.v3.Release {
    const crds = this.release(`${name}-crds`, CHARTS.seldonCoreCrds, namespace, {}, []);
    return this.release(`${name}-setup`, CHARTS.seldonCoreSetup, namespace, setupValues(), [crds]);
  }

  /** The Server custom resources, once the runtime (scheduler) and the pods' IRSA service account exist. */
  private createServers(
    name: string,
    args: { context: ToolContext; params: SeldonCoreParams; gpu: boolean; namespace: ToolNamespace; runtime: k8s.helm.v3.Release; role: ServiceAccountRole },
  ): k8s.helm.v3.Release {
    const values = serversValues({ mlserver: args.params.mlserver, triton: args.params.triton, tritonPlacement: { gpu: args.gpu, ...placement(args.context, args.gpu) } });
    return this.release(`${name}-servers`, CHARTS.seldonCoreServers, args.namespace, values, [args.runtime, args.role]);
  }

  private release(name: string, chart: ChartRef, namespace: ToolNamespace, values: Record<string, unknown>, dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
    return helmRelease(name, { chart, releaseName: chart.chart, namespace: namespace.name, values }, { parent: this, dependsOn: [namespace.resource, ...dependsOn] });
  }
}

/** Where MLflow keeps a logged model, and the requirement MLServer's MLflow runtime answers to. */
function mlflowModelsHint(context: ToolContext): pulumi.Output<string> {
  const artifacts = linkedDataBuckets(context, ["mlflow"])[0]?.name ?? pulumi.output("<mlflow artifacts bucket>");
  return pulumi.interpolate`a Model with storageUri set to the model's artifact URI under s3://${artifacts}/artifacts/ (the folder holding its MLmodel file) and requirements: [mlflow] runs on MLServer`;
}

export const seldonCore: ToolComponentModule = {
  links: SELDON_LINKS,
  create: (name, context) => new SeldonCore(name, context, toolComponentOptions(context)),
};

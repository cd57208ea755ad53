import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import type { ToolContext } from "../../components/tools/shared/context";
import { RAY_GPU_IMAGE, RAY_IMAGE, ray } from "../../components/tools/ray/index";
import { rayParams } from "../../components/tools/ray/params";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";
import type { RenderResult } from "../../src/engine/render";
import { creationOrder } from "../../src/program";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const TRACKING_URI = "http://mlflow.mlflow.svc.cluster.local:5000";
const GPU_PLACEMENT = {
  nodeSelector: { "platinfra.dev/gpu": "true" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

/** A stand-in for MLflow: its tracking URI for pods in `podEnv` and one artifact bucket in `dataBuckets`. */
class FakeMlflow extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs = pulumi.output({});
  readonly env = pulumi.output<Record<string, string>>({ MLFLOW_TRACKING_URI: "https://public.example.com" });
  readonly podEnv = { plain: pulumi.output<Record<string, string>>({ MLFLOW_TRACKING_URI: TRACKING_URI }) };
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];
  constructor(name: string, context: ToolContext) {
    super("platinfra:test:FakeMlflow", name, {}, { providers: { aws: context.platform.awsProviderFor(name) } });
    const bucket = new aws.s3.Bucket(`${name}-artifacts`, { bucket: "fake-mlflow-artifacts" }, { parent: this });
    this.dataBuckets = [{ name: bucket.bucket, arn: bucket.arn }];
    this.registerOutputs({});
  }
}
const fakeMlflow: ToolComponentModule = { create: (name, context) => new FakeMlflow(name, context) };

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Ray::ray");
const rayCluster = (result: RenderResult) => named(result, "ray-cluster", "kubernetes:ray.io/v1:RayCluster").inputs as Record<string, any>;
const pods = (result: RenderResult): Record<string, any>[] => {
  const spec = rayCluster(result).spec;
  return [spec.headGroupSpec.template, ...spec.workerGroupSpecs.map((group: any) => group.template)];
};
const containers = (result: RenderResult) => pods(result).flatMap((pod) => pod.spec.containers);
const dataBucketArn = (result: RenderResult) => `arn:aws:s3:::${named(result, "ray-data", "aws:s3/bucket:Bucket").inputs.bucket}`;

describe("ray", () => {
  let cpu: RenderResult;
  let gpu: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    const defaults = { ray: rayParams.parse({}) };
    cpu = await renderWithTools(stackWith({ runtime_engine: ["ray"] }), { ray }, defaults);
    gpu = await renderWithTools(stackWith({ runtime_engine: ["ray"] }, { gpu: true }), { ray }, defaults);
    withMlflow = await renderWithTools(stackWith({ runtime_engine: ["ray"], experiment_tracker: ["mlflow"] }), { ray, mlflow: fakeMlflow }, defaults);
  });

  it("creates exactly its namespace, data bucket, IRSA role, the KubeRay operator and one RayCluster", () => {
    const expected = [
      "kubernetes:core/v1:Namespace ray-namespace",
      "kubernetes:helm.sh/v3:Release ray-operator",
      "kubernetes:ray.io/v1:RayCluster ray-cluster",
      "kubernetes:yaml/v2:ConfigFile ray-crds-rayclusters",
      "kubernetes:yaml/v2:ConfigFile ray-crds-raycronjobs",
      "kubernetes:yaml/v2:ConfigFile ray-crds-rayjobs",
      "kubernetes:yaml/v2:ConfigFile ray-crds-rayservices",
      "platinfra:base:Bucket ray-data",
      "platinfra:base:ServiceAccountRole ray-irsa",
    ];
    assert.deepEqual(children(cpu), expected);
    assert.deepEqual(children(gpu), expected);
    assert.equal((named(cpu, "ray-namespace").inputs.metadata as any).name, "ray");
  });

  it("pins the KubeRay operator chart and sets only keys chart 1.7.0 declares", () => {
    const release = named(cpu, "ray-operator", "kubernetes:helm.sh/v3:Release").inputs as Record<string, any>;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts.repo], ["kuberay-operator", "1.7.0", "https://ray-project.github.io/kuberay-helm/"]);
    assert.equal(release.version, fixtureVersion("kuberay-operator"));
    assert.deepEqual([release.name, release.namespace, release.atomic], ["kuberay-operator", "ray", true]);
    assert.deepEqual(release.values, {
      singleNamespaceInstall: true,
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    });
    assert.deepEqual(unknownValuesKeys(named(cpu, "ray-operator", "kubernetes:helm.sh/v3:Release")), []);
  });

  it("the RayCluster: pinned Ray, in-tree autoscaling, a head that runs no tasks and an autoscaled CPU group", () => {
    const cluster = rayCluster(cpu);
    assert.deepEqual([cluster.apiVersion, cluster.kind, cluster.metadata], ["ray.io/v1", "RayCluster", { name: "ray", namespace: "ray" }]);
    assert.equal(cluster.spec.rayVersion, "2.52.0");
    assert.equal(cluster.spec.enableInTreeAutoscaling, true);
    // Set explicitly: KubeRay's default sidecar requests 500m / 512Mi, a quarter of a system node's CPU.
    assert.deepEqual(cluster.spec.autoscalerOptions, { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } } });
    const head = cluster.spec.headGroupSpec;
    assert.deepEqual(head.rayStartParams, { "dashboard-host": "0.0.0.0", "num-cpus": "0" });
    assert.equal(head.template.spec.containers[0].image, "rayproject/ray:2.52.0");
    assert.deepEqual(head.template.spec.containers[0].resources, { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "500m", memory: "2Gi" } });
    assert.deepEqual(
      head.template.spec.containers[0].ports.map((port: any) => [port.name, port.containerPort]),
      [["gcs-server", 6379], ["dashboard", 8265], ["client", 10001], ["serve", 8000], ["metrics", 8080]],
    );
    assert.deepEqual(cluster.spec.workerGroupSpecs.map((group: any) => group.groupName), ["cpu-workers"]);
    const workers = cluster.spec.workerGroupSpecs[0];
    assert.deepEqual([workers.minReplicas, workers.maxReplicas, workers.replicas], [1, 4, undefined]);
    assert.equal(workers.template.spec.containers[0].image, RAY_IMAGE);
    assert.equal(workers.template.spec.nodeSelector, undefined);
    assert.equal(workers.template.spec.tolerations, undefined);
  });

  it("a GPU worker group, from zero, on the GPU nodes, only when the stack has a GPU node group", () => {
    const groups = rayCluster(gpu).spec.workerGroupSpecs;
    assert.deepEqual(groups.map((group: any) => group.groupName), ["cpu-workers", "gpu-workers"]);
    const gpuGroup = groups[1];
    assert.deepEqual([gpuGroup.minReplicas, gpuGroup.maxReplicas], [0, 2]);
    assert.deepEqual(gpuGroup.template.spec.nodeSelector, GPU_PLACEMENT.nodeSelector);
    assert.deepEqual(gpuGroup.template.spec.tolerations, GPU_PLACEMENT.tolerations);
    const container = gpuGroup.template.spec.containers[0];
    assert.equal(container.image, RAY_GPU_IMAGE);
    assert.equal(RAY_GPU_IMAGE, "rayproject/ray:2.52.0-gpu");
    assert.deepEqual(container.resources, { requests: { cpu: "3", memory: "12Gi" }, limits: { cpu: "3", memory: "12Gi", "nvidia.com/gpu": "1" } });
    assert.equal(JSON.stringify(rayCluster(cpu)).includes("nvidia.com/gpu"), false);
  });

  it("params size the groups", async () => {
    const params = rayParams.parse({ head: { cpu: "2" }, workers: { min: 0, max: 8, memory: "8Gi" }, gpu_workers: { max: 3 } });
    const result = await renderWithTools(stackWith({ runtime_engine: ["ray"] }, { gpu: true }), { ray }, { ray: params });
    const spec = rayCluster(result).spec;
    assert.deepEqual(spec.headGroupSpec.template.spec.containers[0].resources.limits, { cpu: "2", memory: "2Gi" });
    assert.deepEqual(spec.workerGroupSpecs.map((group: any) => [group.minReplicas, group.maxReplicas]), [[0, 8], [0, 3]]);
    assert.deepEqual(spec.workerGroupSpecs[0].template.spec.containers[0].resources.limits, { cpu: "1", memory: "8Gi" });
  });

  it("every Ray pod runs as the IRSA service account ray/ray, the only identity the role trusts", () => {
    for (const result of [cpu, gpu]) {
      assert.deepEqual(pods(result).map((pod) => pod.spec.serviceAccountName), result === gpu ? ["ray", "ray", "ray"] : ["ray", "ray"]);
    }
    const account = named(cpu, "ray-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs.metadata as any;
    assert.deepEqual([account.name, account.namespace], ["ray", "ray"]);
    assert.equal(account.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/demo-dev-ray");
    const trust = json(named(cpu, "ray-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement;
    assert.equal(trust.length, 1);
    assert.deepEqual(Object.values(trust[0].Condition.StringEquals).sort(), ["sts.amazonaws.com", "system:serviceaccount:ray:ray"]);
  });

  it("may read and write exactly its own data bucket and the data buckets of the tools before it", () => {
    const policy = (result: RenderResult) => json(named(result, "ray-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
    const own = dataBucketArn(cpu);
    assert.deepEqual(policy(cpu)[0].Resource, [own]);
    assert.deepEqual(policy(cpu)[1].Resource, [`${own}/*`]);
    assert.deepEqual(policy(cpu)[1].Action, ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]);
    const both = [`arn:aws:s3:::fake-mlflow-artifacts`, dataBucketArn(withMlflow)];
    assert.deepEqual(policy(withMlflow)[0].Resource, both);
    assert.deepEqual(policy(withMlflow)[1].Resource, both.map((arn) => `${arn}/*`));
    assert.equal(policy(withMlflow).length, 2);
  });

  it("a tool Ray does not link to gets neither its buckets granted nor its settings read", async () => {
    const result = await renderWithTools(stackWith({ model_serving: ["nvidia-triton"], runtime_engine: ["ray"] }), { ray, "nvidia-triton": fakeMlflow }, { ray: rayParams.parse({}) });
    const statements = json(named(result, "ray-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
    assert.deepEqual(statements[0].Resource, [dataBucketArn(result)]);
    assert.equal(JSON.stringify(rayCluster(result)).includes("MLFLOW_TRACKING_URI"), false);
  });

  it("MLflow's tracking URI reaches every Ray container when MLflow is in the stack, and only then", () => {
    for (const container of containers(withMlflow)) {
      assert.deepEqual(container.env, [
        { name: "AWS_REGION", value: "eu-west-1" },
        { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
        { name: "MLFLOW_TRACKING_URI", value: TRACKING_URI },
      ]);
    }
    for (const container of [...containers(cpu), ...containers(gpu)]) {
      assert.deepEqual(container.env.map((variable: any) => variable.name), ["AWS_REGION", "AWS_DEFAULT_REGION"]);
    }
  });

  it("links: the tools whose buckets and settings Ray reads are created before it, whatever the order", () => {
    const tool = (name: string) => ({ name, roles: [], params: {}, deployable: true });
    const modules = new Map<string, ToolComponentModule>([["ray", ray], ["mlflow", fakeMlflow], ["dvc", fakeMlflow]]);
    assert.deepEqual(creationOrder([tool("ray"), tool("mlflow"), tool("dvc")], modules).map((instance) => instance.name), ["dvc", "mlflow", "ray"]);
    assert.deepEqual(ray.links, ["dvc", "mlflow", "wandb", "zenml", "bentoml", "nannyml", "aws-batch"]);
  });

  it("outputs in-cluster addresses only, and RAY_ADDRESS for clients", () => {
    assert.deepEqual((cpu.outputs.tools as any).ray, {
      dashboardUrl: "http://ray-head-svc.ray.svc.cluster.local:8265",
      clientAddress: "ray://ray-head-svc.ray.svc.cluster.local:10001",
      serveUrl: "http://ray-head-svc.ray.svc.cluster.local:8000",
      namespace: "ray",
      dataBucket: named(cpu, "ray-data", "aws:s3/bucket:Bucket").inputs.bucket,
    });
    assert.deepEqual(cpu.outputs.env, { RAY_ADDRESS: "ray://ray-head-svc.ray.svc.cluster.local:10001" });
    assert.equal(ofType(cpu, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  describe("params", () => {
    const messages = (input: unknown) => paramsErrors(rayParams, input);

    it("defaults", () => {
      assert.deepEqual(rayParams.parse({}), {
        head: { cpu: "500m", memory: "2Gi" },
        workers: { min: 1, max: 4, cpu: "1", memory: "4Gi" },
        gpu_workers: { max: 2, cpu: "3", memory: "12Gi" },
      });
    });

    const cases: [string, unknown, string[]][] = [
      ["min above max", { workers: { min: 5, max: 4 } }, ["workers.min: workers.min (5) is greater than workers.max (4) — need min <= max"]],
      ["a negative minimum", { workers: { min: -1 } }, ["workers.min: workers.min -1 is below 0"]],
      ["a fractional maximum", { gpu_workers: { max: 1.5 } }, ["gpu_workers.max: gpu_workers.max 1.5 is not a whole number of pods"]],
      ["a count as text", { workers: { max: "4" } }, ['workers.max: workers.max "4" is not a number of pods — expected a whole number from 1 to 100']],
      ["a bad CPU quantity", { head: { cpu: "two" } }, ['head.cpu: "two" is not a Kubernetes cpu quantity — expected e.g. "500m" or "2"']],
      ["a bad memory quantity", { workers: { memory: "4GB" } }, ['workers.memory: "4GB" is not a Kubernetes memory quantity — expected e.g. "512Mi" or "4Gi"']],
      ["expose, which Ray does not offer", { expose: { host: "ray.example.com" } }, [': Unrecognized key: "expose"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(messages(input), expected));
    }
  });
});

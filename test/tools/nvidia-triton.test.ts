import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import { nvidiaTriton, TRITON_IMAGE } from "../../components/tools/nvidia-triton/index";
import { usesGpu } from "../../components/tools/shared/placement";
import { nvidiaTritonParams } from "../../components/tools/nvidia-triton/params";
import type { RenderResult } from "../../src/engine/render";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const NO_GPU_MESSAGE =
  'nvidia-triton: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - nvidia-triton: {gpu: auto}';
const GPU_PLACEMENT = {
  nodeSelector: { "platinfra.dev/gpu": "true" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

const render = (params: unknown, options: { gpu?: boolean } = {}) =>
  renderWithTools(stackWith({ model_serving: ["nvidia-triton"] }, options), { "nvidia-triton": nvidiaTriton }, { "nvidia-triton": nvidiaTritonParams.parse(params) });
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:NvidiaTriton::nvidia-triton");
const deployment = (result: RenderResult) => named(result, "nvidia-triton-deployment", "kubernetes:apps/v1:Deployment").inputs as Record<string, any>;
const container = (result: RenderResult) => deployment(result).spec.template.spec.containers[0];
const modelsBucket = (result: RenderResult) => String(named(result, "nvidia-triton-models", "aws:s3/bucket:Bucket").inputs.bucket);

describe("nvidia-triton", () => {
  let cpu: RenderResult;
  let gpu: RenderResult;
  before(async () => {
    cpu = await render({});
    gpu = await render({}, { gpu: true });
  });

  it("creates exactly its namespace, models bucket, IRSA role, Deployment, Service and autoscaler (no Helm, no ingress)", () => {
    const expected = [
      "kubernetes:apps/v1:Deployment nvidia-triton-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler nvidia-triton-hpa",
      "kubernetes:core/v1:Namespace nvidia-triton-namespace",
      "kubernetes:core/v1:Service nvidia-triton-service",
      "platinfra:base:Bucket nvidia-triton-models",
      "platinfra:base:ServiceAccountRole nvidia-triton-irsa",
    ];
    assert.deepEqual(children(cpu), expected);
    assert.deepEqual(children(gpu), expected);
    assert.equal(ofType(cpu, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal((named(cpu, "nvidia-triton-namespace").inputs.metadata as any).name, "triton");
  });

  it("runs the pinned image on the S3 model repository, polled, ready only when every model is loaded", () => {
    assert.equal(TRITON_IMAGE, "nvcr.io/nvidia/tritonserver:26.07-py3");
    const server = container(cpu);
    assert.equal(server.image, TRITON_IMAGE);
    assert.deepEqual(server.args, [
      "tritonserver",
      `--model-repository=s3://${modelsBucket(cpu)}/models`,
      "--model-control-mode=poll",
      "--repository-poll-secs=30",
      "--strict-readiness=true",
    ]);
    assert.deepEqual(server.env, [
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
    ]);
    assert.deepEqual(server.ports, [
      { name: "http", containerPort: 8000 },
      { name: "grpc", containerPort: 8001 },
      { name: "metrics", containerPort: 8002 },
    ]);
    assert.deepEqual(server.readinessProbe.httpGet, { path: "/v2/health/ready", port: "http" });
    assert.deepEqual(server.livenessProbe.httpGet, { path: "/v2/health/live", port: "http" });
    assert.deepEqual(server.resources, { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "4", memory: "8Gi" } });
    const pod = deployment(cpu).spec.template.spec;
    assert.equal(pod.serviceAccountName, "triton");
    assert.equal(deployment(cpu).spec.replicas, undefined);
  });

  it("model_prefix and resources reach the container", async () => {
    const result = await render({ model_prefix: "serving/v1", resources: { limits: { cpu: "8", memory: "32Gi" } } });
    assert.equal(container(result).args[1], `--model-repository=s3://${modelsBucket(result)}/serving/v1`);
    assert.deepEqual(container(result).resources, { requests: { cpu: "250m", memory: "1Gi" }, limits: { cpu: "8", memory: "32Gi" } });
    assert.equal((result.outputs.tools as any)["nvidia-triton"].modelRepository, `s3://${modelsBucket(result)}/serving/v1`);
  });

  it("may only read the models bucket, as the service account triton/triton", () => {
    const arn = `arn:aws:s3:::${modelsBucket(cpu)}`;
    assert.deepEqual(json(named(cpu, "nvidia-triton-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement, [
      { Sid: "ModelRepositoryList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: [arn] },
      { Sid: "ModelRepositoryObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [`${arn}/*`] },
    ]);
    const trust = json(named(cpu, "nvidia-triton-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:triton:triton"]);
    const account = named(cpu, "nvidia-triton-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs.metadata as any;
    assert.deepEqual([account.name, account.namespace], ["triton", "triton"]);
  });

  it('gpu "auto": one GPU on the GPU nodes when the stack has them, none otherwise', () => {
    assert.deepEqual(container(gpu).resources.limits, { cpu: "4", memory: "8Gi", "nvidia.com/gpu": "1" });
    const pod = deployment(gpu).spec.template.spec;
    assert.deepEqual([pod.nodeSelector, pod.tolerations], [GPU_PLACEMENT.nodeSelector, GPU_PLACEMENT.tolerations]);
    assert.equal(JSON.stringify(deployment(cpu)).includes("nvidia.com/gpu"), false);
    assert.equal(deployment(cpu).spec.template.spec.nodeSelector, undefined);
    assert.equal((gpu.outputs.tools as any)["nvidia-triton"].gpu, "true");
  });

  it("gpu false serves on CPU even with GPU nodes; gpu true without GPU nodes fails with a clear error", async () => {
    const onCpu = await render({ gpu: false }, { gpu: true });
    assert.equal(JSON.stringify(deployment(onCpu)).includes("nvidia.com/gpu"), false);
    const onGpu = await render({ gpu: true }, { gpu: true });
    assert.equal(container(onGpu).resources.limits["nvidia.com/gpu"], "1");
    await assert.rejects(render({ gpu: true }), { name: "PlatinfraError", code: "NO_GPU_NODES", message: NO_GPU_MESSAGE });
  });

  it('gpu "auto" follows the GPU pool with Karpenter; without autoscaling, an empty GPU group means CPU (nothing would scale it up)', async () => {
    const withGroup = (group: string, autoscaling: string) =>
      stackWith({ model_serving: ["nvidia-triton"] }, { gpu: true })
        .replace("max: 2}", group)
        .replace("  node_groups:", `  autoscaling: ${autoscaling}\n  node_groups:`);
    const renderText = (text: string) => renderWithTools(text, { "nvidia-triton": nvidiaTriton }, { "nvidia-triton": nvidiaTritonParams.parse({}) });
    const usesGpuLimit = (result: RenderResult) => container(result).resources.limits?.["nvidia.com/gpu"];
    assert.equal(usesGpuLimit(await renderText(withGroup("max: 2}", "karpenter"))), "1");
    assert.equal(usesGpuLimit(await renderText(withGroup("min: 0, max: 2}", "none"))), undefined);
    assert.equal(usesGpuLimit(await renderText(withGroup("min: 1, max: 2}", "none"))), "1");
  });

  it("usesGpu decides from the setting and the stack", () => {
    const table: ["auto" | boolean, boolean, boolean][] = [
      ["auto", true, true],
      ["auto", false, false],
      [true, true, true],
      [false, true, false],
      [false, false, false],
    ];
    for (const [setting, stackHasGpu, expected] of table) assert.equal(usesGpu("nvidia-triton", setting, stackHasGpu), expected, `${setting}/${stackHasGpu}`);
    assert.throws(() => usesGpu("nvidia-triton", true, false), { message: NO_GPU_MESSAGE, exitCode: 2 });
  });

  it("a ClusterIP Service with the three ports, and a CPU autoscaler within the replica bounds", async () => {
    const service = named(cpu, "nvidia-triton-service", "kubernetes:core/v1:Service").inputs as any;
    assert.deepEqual([service.metadata.name, service.metadata.namespace, service.spec.type], ["triton", "triton", "ClusterIP"]);
    assert.deepEqual(service.spec.selector, deployment(cpu).spec.selector.matchLabels);
    assert.deepEqual(service.spec.ports, [
      { name: "http", port: 8000, targetPort: "http" },
      { name: "grpc", port: 8001, targetPort: "grpc" },
      { name: "metrics", port: 8002, targetPort: "metrics" },
    ]);
    const hpa = (result: RenderResult) => (named(result, "nvidia-triton-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").inputs as any).spec;
    assert.deepEqual(hpa(cpu).scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "triton" });
    assert.deepEqual([hpa(cpu).minReplicas, hpa(cpu).maxReplicas], [1, 3]);
    assert.deepEqual(hpa(cpu).metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
    const scaled = await render({ replicas: { min: 2, max: 6 } });
    assert.deepEqual([hpa(scaled).minReplicas, hpa(scaled).maxReplicas], [2, 6]);
  });

  it("outputs in-cluster endpoints, the model repository and TRITON_URL", () => {
    assert.deepEqual((cpu.outputs.tools as any)["nvidia-triton"], {
      httpEndpoint: "http://triton.triton.svc.cluster.local:8000",
      grpcEndpoint: "triton.triton.svc.cluster.local:8001",
      metricsEndpoint: "http://triton.triton.svc.cluster.local:8002/metrics",
      modelRepository: `s3://${modelsBucket(cpu)}/models`,
      gpu: "false",
    });
    assert.deepEqual(cpu.outputs.env, { TRITON_URL: "triton.triton.svc.cluster.local:8000" });
  });

  describe("params", () => {
    const messages = (input: unknown) => paramsErrors(nvidiaTritonParams, input);

    it("defaults", () => {
      assert.deepEqual(nvidiaTritonParams.parse({}), { replicas: { min: 1, max: 3 }, gpu: "auto", model_prefix: "models" });
    });

    const cases: [string, unknown, string[]][] = [
      ["min above max", { replicas: { min: 4, max: 2 } }, ["replicas.min: replicas.min (4) is greater than replicas.max (2) — need min <= max"]],
      ["gpu as a word", { gpu: "yes" }, ['gpu: gpu "yes" is not allowed — use "auto" (a GPU when the stack has GPU nodes), true (require one) or false (CPU only)']],
      [
        "a model prefix with a leading slash",
        { model_prefix: "/models" },
        ['model_prefix: model_prefix "/models" is not a key prefix Triton can read — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or serving/models)'],
      ],
      ["a bad memory quantity", { resources: { limits: { cpu: "4", memory: "8GB" } } }, ['resources.limits.memory: "8GB" is not a Kubernetes memory quantity — expected e.g. "512Mi" or "4Gi"']],
      ["expose, which Triton does not offer", { expose: { host: "triton.example.com" } }, [': Unrecognized key: "expose"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(messages(input), expected));
    }
  });
});

import { strict as assert } from "node:assert";
import { problemsOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const TRITON_GPU = "{nvidia-triton: {gpu: true}}";
const NO_GPU_NODE =
  'stack.model_serving[0].nvidia-triton.gpu: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - nvidia-triton: {gpu: auto}';
/** The stack with its GPU group written as `group` and the given autoscaling. */
const withGpuGroup = (group: string, autoscaling: string) =>
  stackWith({ model_serving: [TRITON_GPU] }, { gpu: true }).replace("max: 2}", group).replace("  node_groups:", `  autoscaling: ${autoscaling}\n  node_groups:`);

describe("checks across tools and the deployment, at validate time", () => {
  it("bentoml listed under model_serving without an image: an error on that listing", () => {
    assert.deepEqual(problemsOf(stackWith({ model_registry: ["bentoml"], model_serving: ["bentoml"] })), [
      "stack.yaml:10:19: stack.model_serving[0]: bentoml is listed under model_serving but has no image to serve — write it as - bentoml: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml-bentoml:summarizer-v1} (the bento's container image: bentoml containerize, pushed to the bentoml ECR repository)",
    ]);
  });

  it("cross-checks are reported in the same run as schema errors", () => {
    const text = stackWith({ model_registry: ["bentoml"], model_serving: ["bentoml"] }).replace("account-id: \"123456789012\"", "account-id: \"12345\"");
    const problems = problemsOf(text);
    assert.equal(problems.length, 2);
    assert.match(problems[0], /^stack\.yaml:4:15: provider\.account-id: /);
    assert.match(problems[1], /^stack\.yaml:10:19: stack\.model_serving\[0\]: bentoml is listed under model_serving but has no image to serve — write it as - bentoml: \{image: /);
  });

  it("bentoml as a registry only needs no image; serving with one is valid", () => {
    assert.deepEqual(problemsOf(stackWith({ model_registry: ["bentoml"] })), []);
    const image = "{bentoml: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-bentoml:v1}}";
    assert.deepEqual(problemsOf(stackWith({ model_registry: [image], model_serving: ["bentoml"] })), []);
  });

  it("Triton with gpu: true needs GPU nodes: a Karpenter GPU pool, or a running GPU group without autoscaling", () => {
    assert.deepEqual(problemsOf(stackWith({ model_serving: [TRITON_GPU] })), [`stack.yaml:9:41: ${NO_GPU_NODE}`]);
    assert.deepEqual(problemsOf(stackWith({ model_serving: [TRITON_GPU] }, { gpu: true })), []);
    assert.deepEqual(problemsOf(withGpuGroup("min: 1, max: 2}", "none")), []);
  });

  it("without autoscaling, a GPU group that starts empty is a warning (nothing scales it up) and does not count as GPU nodes", () => {
    assert.deepEqual(problemsOf(withGpuGroup("min: 0, max: 2}", "none")), [
      "stack.yaml:10:7: deployment.node_groups[0]: warning: GPU node group gpu starts with no node, and with autoscaling: none nothing adds one: GPU workloads stay pending until the group is scaled — set desired: 1, or use autoscaling: karpenter",
      `stack.yaml:12:41: ${NO_GPU_NODE}`,
    ]);
  });

  it("with Karpenter, an empty GPU pool is no warning; min or desired on a pool is one (Karpenter has neither)", () => {
    assert.deepEqual(problemsOf(withGpuGroup("min: 0, max: 2}", "karpenter")), []);
    const pool = (key: string) =>
      `node group gpu is a Karpenter NodePool, which has no ${key}: its nodes start for pending pods, up to max, and stop when idle — remove ${key}, or set deployment.autoscaling: none for fixed managed node groups`;
    assert.deepEqual(problemsOf(withGpuGroup("min: 1, max: 2}", "karpenter")), [`stack.yaml:10:64: deployment.node_groups[0].min: warning: ${pool("min")}`]);
    assert.deepEqual(problemsOf(withGpuGroup("min: 0, desired: 2, max: 2}", "karpenter")), [`stack.yaml:10:76: deployment.node_groups[0].desired: warning: ${pool("desired")}`]);
    const system = stackWith({ model_serving: ["nvidia-triton"] }).replace("  type: kubernetes\n", "  type: kubernetes\n  node_groups:\n    - {name: system, min: 3, max: 5}\n");
    assert.deepEqual(problemsOf(system), []);
  });
});

import { strict as assert } from "node:assert";
import { problemsOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const TRITON_GPU = "{nvidia-triton: {gpu: true}}";
const NO_GPU_NODE =
  'stack.model_serving[0].nvidia-triton.gpu: gpu is true, but the stack provides no GPU nodes — add a GPU group under deployment.node_groups (with autoscaling: none, one with desired: 1 or more), or set gpu to "auto" or false';
/** The stack with its GPU group written as `group` and the given autoscaling. */
const withGpuGroup = (group: string, autoscaling: string) =>
  stackWith({ model_serving: [TRITON_GPU] }, { gpu: true }).replace("max: 2}", group).replace("  node_groups:", `  autoscaling: ${autoscaling}\n  node_groups:`);

describe("checks across tools and the deployment, at validate time", () => {
  it("bentoml listed under model_serving without an image: an error on that listing", () => {
    assert.deepEqual(problemsOf(stackWith({ model_registry: ["bentoml"], model_serving: ["bentoml"] })), [
      "stack.yaml:10:19: stack.model_serving[0]: bentoml is listed under model_serving but has no image to serve — add params.image: the bento's container image (bentoml containerize, pushed to the bentoml ECR repository), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/ml-bentoml:summarizer-v1",
    ]);
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

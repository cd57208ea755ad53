import { strict as assert } from "node:assert";
import { problemsOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const TRITON_GPU = "{nvidia-triton: {gpu: true}}";
const NO_GPU_NODE =
  'stack.model_serving[0].nvidia-triton.gpu: gpu is true, but no GPU node runs from the start — add a GPU group that starts with a node: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], min: 1, max: 2, desired: 1}]}, or write - nvidia-triton: {gpu: auto}';

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

  it("Triton with gpu: true needs GPU nodes running from the start", () => {
    assert.deepEqual(problemsOf(stackWith({ model_serving: [TRITON_GPU] })), [`stack.yaml:9:41: ${NO_GPU_NODE}`]);
    assert.deepEqual(problemsOf(stackWith({ model_serving: [TRITON_GPU] }, { gpu: true })), []);
  });

  it("a GPU group that starts empty is a warning (nothing scales it up), and does not count as GPU nodes", () => {
    const text = stackWith({ model_serving: [TRITON_GPU] }, { gpu: true }).replace("min: 1, max: 2", "min: 0, max: 2");
    assert.deepEqual(problemsOf(text), [
      "stack.yaml:9:7: deployment.node_groups[0]: warning: GPU node group gpu starts with no node, and platinfra installs no cluster autoscaler yet: GPU workloads stay pending until the group is scaled — set desired: 1 (or scale it yourself)",
      `stack.yaml:11:41: ${NO_GPU_NODE}`,
    ]);
  });
});

import { strict as assert } from "node:assert";
import { gpuTolerations } from "../../components/tools/shared/placement";
import { nvidiaTriton } from "../../components/tools/nvidia-triton/index";
import { nvidiaTritonParams } from "../../components/tools/nvidia-triton/params";
import type { NodeGroupSpec } from "../../src/spec/types";
import { named } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const group = (name: string, gpu: boolean, taints: NodeGroupSpec["taints"]): NodeGroupSpec => ({
  name, gpu, taints, instanceTypes: [gpu ? "g5.xlarge" : "m6i.large"], min: 1, max: 2, desired: 1, spot: false, diskSize: 50, labels: {},
});
const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

describe("GPU placement: pods tolerate the GPU groups' own taints", () => {
  const cases: [string, NodeGroupSpec[], unknown[]][] = [
    ["a GPU group without taints: the GPU taint only", [group("gpu", true, [])], [GPU_TOLERATION]],
    [
      "the README's dedicated=ml:NoSchedule",
      [group("gpu", true, [{ key: "dedicated", value: "ml", effect: "NoSchedule" }])],
      [GPU_TOLERATION, { key: "dedicated", operator: "Equal", value: "ml", effect: "NoSchedule" }],
    ],
    [
      "a taint without value is tolerated by key; a CPU group's taints are not the GPU pods' business",
      [group("system", false, [{ key: "system-only", effect: "NoSchedule" }]), group("gpu", true, [{ key: "spot", effect: "NoExecute" }])],
      [GPU_TOLERATION, { key: "spot", operator: "Exists", effect: "NoExecute" }],
    ],
    [
      "two GPU groups with the same taint: one toleration",
      [group("a", true, [{ key: "dedicated", value: "ml", effect: "NoSchedule" }]), group("b", true, [{ key: "dedicated", value: "ml", effect: "NoSchedule" }])],
      [GPU_TOLERATION, { key: "dedicated", operator: "Equal", value: "ml", effect: "NoSchedule" }],
    ],
  ];
  for (const [title, groups, expected] of cases) {
    it(title, () => assert.deepEqual(gpuTolerations(groups), expected));
  }

  it("Triton on a GPU group tainted dedicated=ml: its pod tolerates both taints", async () => {
    const text = stackWith({ model_serving: ["nvidia-triton"] }, { gpu: true }).replace(
      "max: 2}",
      "max: 2, taints: [{key: dedicated, value: ml, effect: NoSchedule}]}",
    );
    const result = await renderWithTools(text, { "nvidia-triton": nvidiaTriton }, { "nvidia-triton": nvidiaTritonParams.parse({}) });
    const pod = (named(result, "nvidia-triton-deployment").inputs as any).spec.template.spec;
    assert.deepEqual(pod.nodeSelector, { "platinfra.dev/gpu": "true" });
    assert.deepEqual(pod.tolerations, [GPU_TOLERATION, { key: "dedicated", operator: "Equal", value: "ml", effect: "NoSchedule" }]);
    // The GPU group is a Karpenter NodePool: its nodes carry both taints.
    const pool = (named(result, "demo-karpenter-gpu-pool").inputs as any).spec.template.spec;
    assert.deepEqual(pool.taints, [{ key: "dedicated", value: "ml", effect: "NoSchedule" }, { key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }]);
  });
});

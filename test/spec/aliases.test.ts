import { strict as assert } from "node:assert";
import { findTool, normalizeToolName } from "../../src/catalog";
import { checkSpecText } from "../../src/spec/validate";
import { VALID_SPEC } from "../helpers/spec-text";

describe("tool name matching", () => {
  const SPELLINGS: [string, string][] = [
    ["nvidia_triton", "nvidia-triton"],
    ["NVIDIA Triton", "nvidia-triton"],
    ["nannyML", "nannyml"],
    ["tf serving", "tf-serving"],
    ["TF_Serving", "tf-serving"],
    ["aws step functions", "aws-step-functions"],
    ["AWS_Batch", "aws-batch"],
    ["weights and biases", "wandb"],
    ["Weights & Biases", "wandb"],
    ["seldon core", "seldon-core"],
    ["MLflow", "mlflow"],
  ];
  for (const [spelling, canonical] of SPELLINGS) {
    it(`"${spelling}" is ${canonical}`, () => assert.equal(findTool(spelling)?.name, canonical));
  }

  it("normalizes case, underscores, hyphens and runs of spaces alike", () => {
    assert.equal(normalizeToolName("  AWS  Step_functions "), "aws-step-functions");
  });

  it("unknown names resolve to nothing", () => {
    assert.equal(findTool("mlfow"), undefined);
    assert.equal(findTool("triton server"), undefined);
  });

  it("a spec can mix spellings of one tool: still one deployment", () => {
    const text = VALID_SPEC.replace("[mlflow]", "[MLflow]") + "  artifact_tracker: [ml_flow]\n  model_registry: [mlflow]\n";
    const result = checkSpecText(text.replace("[ml_flow]", "[Mlflow]"), "stack.yaml");
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.spec?.tools.map((tool) => [tool.name, tool.roles]), [
      ["mlflow", ["experiment_tracker", "artifact_tracker", "model_registry"]],
    ]);
  });
});

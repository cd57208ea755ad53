import { strict as assert } from "node:assert";
import { CATEGORIES, TOOLS, normalizeToolName, toolsFor } from "../src/catalog";

/** The catalog as the foundation issue lists it: every tool, in every category listed. */
const REQUIRED: Record<string, string[]> = {
  data_versioning: ["dvc", "pachyderm", "lakefs", "neptune"],
  experiment_tracker: ["mlflow", "wandb", "determined", "neptune", "clearml"],
  pipelining: ["zenml", "argo", "luigi", "airflow", "dagster", "prefect", "flyte", "kubeflow"],
  orchestrator: ["aws-batch", "aws-step-functions", "aws-fargate", "aws-eks", "azure-aks"],
  runtime_engine: ["ray", "horovod", "spark"],
  artifact_tracker: ["mlflow", "neptune", "clearml", "lakefs", "pachyderm", "determined", "wandb"],
  model_registry: ["bentoml", "mlflow", "neptune", "determined"],
  model_serving: ["nvidia-triton", "bentoml", "fastapi", "cog", "ray", "seldon-core", "tf-serving"],
  monitoring: ["nannyml", "grafana", "alibi", "evidently", "neptune", "mlflow", "prometheus", "weaveworks"],
  alerting: ["mlflow", "neptune", "determined", "weaveworks", "prometheus", "grafana"],
};

describe("the catalog", () => {
  it("has exactly the ten categories", () => {
    assert.deepEqual([...CATEGORIES].sort(), Object.keys(REQUIRED).sort());
  });

  for (const [category, names] of Object.entries(REQUIRED)) {
    it(`${category}: exactly ${names.join(", ")}`, () => {
      const actual = toolsFor(category as (typeof CATEGORIES)[number]).map((tool) => tool.name);
      assert.deepEqual([...actual].sort(), [...names].sort());
    });
  }

  it("has one entry per canonical name, and canonical names are already normalized", () => {
    const names = TOOLS.map((tool) => tool.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.equal(normalizeToolName(name), name);
  });

  it("no alias resolves to two tools", () => {
    const owners = new Map<string, string>();
    for (const tool of TOOLS) {
      for (const spelling of [tool.name, ...tool.aliases].map(normalizeToolName)) {
        assert.ok(!owners.has(spelling) || owners.get(spelling) === tool.name, `${spelling}: ${owners.get(spelling)} and ${tool.name}`);
        owners.set(spelling, tool.name);
      }
    }
  });

  it("says what each tool deploys, and offers the wandb alias the issue names", () => {
    for (const tool of TOOLS) assert.ok(tool.deploys.length > 10, tool.name);
    assert.ok(TOOLS.find((tool) => tool.name === "wandb")?.aliases.includes("weights and biases"));
  });
});

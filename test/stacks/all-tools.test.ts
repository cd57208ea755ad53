import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLES } from "../helpers/cli";
import { isDeployable, TOOLS } from "../../src/catalog";
import type { RenderResult } from "../../src/engine/render";
import { checkAgainstUpstreamSchema, kubernetesObjectType } from "../helpers/kube-schemas";
import { renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";


/**
 * Tools that refuse to share a stack with another (kubeflow bundles its own Argo Workflows): the
 * every-tool stack leaves them out, and each is rendered beside the others in a stack of its own.
 */
const EXCLUSIVE = ["kubeflow"];

/** Determined's port-forward: 8080 is ZenML's, which comes first. */
const DETERMINED_LOCAL = 8081;

/** The params of tools that have a required one (the image a server runs); the others take their defaults. */
const REQUIRED_PARAMS: Record<string, string> = {
  fastapi: "{fastapi: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-api:v3}}",
  cog: "{cog: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/sdxl:v1}}",
};

/** What the deploy-time inputs (`requireDeployInputs`) would read from the environment: W&B cloud's API key. */
const DEPLOY_INPUTS = { WANDB_API_KEY: "all-tools-test-api-key" };

/**
 * W&B's self-managed mode (the every-tool stack has its default, cloud), in a stack of its own:
 * its operator, CRD, WeightsAndBiases resource and sign-in Ingress are checked too.
 */
const SELF_MANAGED_WANDB =
  "{wandb: {mode: self-managed, expose: {host: wandb.example.com, certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc', auth: {type: cognito, user_pool_arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC', client_id: abc, domain: every-tool}}}}";

/** Every deployable tool of the catalog but the exclusive ones, each under its first role, with its default params (or the required ones). */
function everyDeployableTool(): string {
  const byCategory: Record<string, string[]> = {};
  for (const tool of TOOLS.filter(isDeployable).filter((candidate) => !EXCLUSIVE.includes(candidate.name))) (byCategory[tool.categories[0]] ??= []).push(REQUIRED_PARAMS[tool.name] ?? tool.name);
  return stackWith(byCategory, { gpu: true, name: "every-tool" });
}

describe("a stack of every deployable tool", function () {
  this.timeout(180_000);
  let result: RenderResult;
  before(async () => {
    const everyTool = await renderSpec(specOf(everyDeployableTool()), { deployInputs: DEPLOY_INPUTS });
    // Same stack name, so the exclusive tool's account-wide names share the prefix of the others' (and could collide).
    const exclusive = await Promise.all(EXCLUSIVE.map((name) => renderSpec(specOf(stackWith({ [findCategory(name)]: [name] }, { name: "every-tool" })))));
    const wandb = await renderSpec(specOf(stackWith({ experiment_tracker: [SELF_MANAGED_WANDB] }, { name: "every-tool" })), { deployInputs: { WANDB_LICENSE: "all-tools-test-licence" } });
    const selfManaged = toolResources(wandb, "wandb").filter((resource) => !resource.type.startsWith("platinfra:tools:"));
    result = { ...everyTool, resources: [...everyTool.resources, ...exclusive.flatMap((rendered, index) => toolResources(rendered, EXCLUSIVE[index])), ...selfManaged] };
  });

  it("renders one component per deployable tool, named after the tool (the exclusive ones in their own stacks)", () => {
    const components = result.resources.filter((resource) => resource.type.startsWith("platinfra:tools:")).map((resource) => resource.name);
    assert.deepEqual(components.sort(), TOOLS.filter(isDeployable).map((tool) => tool.name).sort());
  });

  it("every Kubernetes object it creates validates against its upstream schema (Kubernetes' OpenAPI, the controllers' CRDs)", async () => {
    const objects = result.resources.filter((resource) => kubernetesObjectType(resource.type));
    assert.ok(objects.length > 20, `only ${objects.length} Kubernetes objects rendered`);
    const invalid: string[] = [];
    const unchecked = new Set<string>();
    for (const resource of objects) {
      const check = await checkAgainstUpstreamSchema(resource);
      if (check.status === "invalid") invalid.push(`${resource.type} ${resource.name}: ${check.problems}`);
      if (check.status === "no-schema") unchecked.add(resource.type);
    }
    assert.deepEqual(invalid, []);
    assert.deepEqual([...unchecked], [], "custom resources without an upstream schema: add their package or a CRD fixture (scripts/crd-schema.js)");
  });

  it("no two tools claim the same account-wide name: IAM roles, RDS instances, buckets", () => {
    const namesOf = (type: string, key: string) => result.resources.filter((resource) => resource.type === type).map((resource) => resource.inputs[key] as string);
    for (const [type, key] of [["aws:iam/role:Role", "name"], ["aws:rds/instance:Instance", "identifier"], ["aws:s3/bucket:Bucket", "bucket"]]) {
      const names = namesOf(type, key);
      assert.ok(names.length > 5 && names.every((name) => typeof name === "string"), `${type}: ${names.length} named`);
      assert.deepEqual(names.filter((name, index) => names.indexOf(name) !== index), [], `${type} names used twice`);
    }
    const argoRoles = namesOf("aws:iam/role:Role", "name").filter((name) => name.includes("-argo"));
    assert.deepEqual(argoRoles.sort(), ["every-tool-dev-argo-database", "every-tool-dev-argo-server", "every-tool-dev-argo-workflow"]);
    const kubeflowRoles = namesOf("aws:iam/role:Role", "name").filter((name) => name.includes("-kubeflow"));
    assert.deepEqual(kubeflowRoles.sort(), ["every-tool-dev-kubeflow-api-server", "every-tool-dev-kubeflow-database", "every-tool-dev-kubeflow-runner", "every-tool-dev-kubeflow-ui"]);
    assert.ok(namesOf("aws:rds/instance:Instance", "identifier").includes("every-tool-dev-kubeflow"), "kubeflow's database is among the names compared");
  });

  it("its port-forwards (`outputs --env --local`) bind distinct local ports, the settings following the moved ones", () => {
    const local = result.outputs.local as Record<string, { ports: { local: number; remote: number }[]; env: Record<string, string> }>;
    const ports = Object.values(local).flatMap((tool) => tool.ports.map((port) => port.local));
    assert.deepEqual(ports.filter((port, index) => ports.indexOf(port) !== index), []);
    // Each tool alone picks 8000 (lakeFS, Triton) and 8080 (ZenML, whose /etc/hosts URL keeps it, Determined and Airflow).
    assert.deepEqual([local.lakefs!.ports, local["nvidia-triton"]!.ports, local.zenml!.ports, local.determined!.ports, local.airflow!.ports], [
      [{ local: 8000, remote: 8000 }],
      [{ local: 8002, remote: 8000 }, { local: 8001, remote: 8001 }],
      [{ local: 8080, remote: 8080 }],
      [{ local: DETERMINED_LOCAL, remote: 8080 }],
      [{ local: 8083, remote: 8080 }],
    ]);
    assert.deepEqual([local["nvidia-triton"]!.env, local.determined!.env, local.airflow!.env], [
      { TRITON_URL: "localhost:8002" },
      { DET_MASTER: `http://localhost:${DETERMINED_LOCAL}` },
      { AIRFLOW_URL: "http://localhost:8083" },
    ]);
  });

  it("a deliberately wrong object is caught (the validation can fail)", async () => {
    const service = result.resources.find((resource) => resource.type === "kubernetes:core/v1:Service");
    const wrong = { ...service!, inputs: { ...service!.inputs, spec: { ports: [{ port: "eighty" }] } } };
    assert.equal((await checkAgainstUpstreamSchema(wrong)).status, "invalid");
    const cluster = result.resources.find((resource) => resource.type === "kubernetes:ray.io/v1:RayCluster")!;
    const misspelled = { ...cluster, inputs: { ...cluster.inputs, spec: { ...(cluster.inputs.spec as object), enableInTreeAutoScaling: true } } };
    assert.deepEqual(await checkAgainstUpstreamSchema(misspelled), { status: "invalid", problems: ".spec.enableInTreeAutoScaling: unknown key" });
  });
});

/** The tool's component and everything under it (not the platform its stack renders again). */
function toolResources(rendered: RenderResult, tool: string): RenderResult["resources"] {
  const component = rendered.resources.find((resource) => resource.type.startsWith("platinfra:tools:") && resource.name === tool)!;
  const owned = new Set([component.urn]);
  for (const resource of rendered.resources) if (resource.parent && owned.has(resource.parent)) owned.add(resource.urn);
  return rendered.resources.filter((resource) => owned.has(resource.urn));
}

function findCategory(name: string): string {
  return TOOLS.find((tool) => tool.name === name)!.categories[0];
}

/** Each example stack with a tool of its own: rendered, every Kubernetes object checked against its upstream schema. */
const EXAMPLE_STACKS: { file: string; tools: string[] }[] = [
  { file: "pipelines-stack.yaml", tools: ["aws-eks", "dagster", "flyte", "lakefs", "mlflow"] },
  { file: "monitoring-stack.yaml", tools: ["alibi", "evidently", "grafana", "mlflow", "nvidia-triton", "prometheus", "ray"] },
  { file: "serving-stack.yaml", tools: ["aws-eks", "cog", "fastapi", "mlflow", "seldon-core", "spark", "tf-serving"] },
];

for (const example of EXAMPLE_STACKS) {
  describe(`the example ${example.file}`, () => {
    it(`renders ${example.tools.join(", ")}, each Kubernetes object valid against its upstream schema`, async function () {
      this.timeout(120_000);
      const result = await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, example.file), "utf8")));
      const components = result.resources.filter((resource) => resource.type.startsWith("platinfra:tools:")).map((resource) => resource.name);
      assert.deepEqual(components.sort(), example.tools);
      const invalid: string[] = [];
      for (const resource of result.resources.filter((candidate) => kubernetesObjectType(candidate.type))) {
        const check = await checkAgainstUpstreamSchema(resource);
        if (check.status !== "valid") invalid.push(`${resource.type} ${resource.name}: ${check.status}`);
      }
      assert.deepEqual(invalid, []);
    });
  });
}

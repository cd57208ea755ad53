import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLES } from "../helpers/cli";
import type { RenderResult } from "../../src/engine/render";
import { named, renderSpec, json } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
const bucketArn = (result: RenderResult, name: string) => `arn:aws:s3:::${named(result, name, "aws:s3/bucket:Bucket").inputs.bucket}`;
const grantedResources = (result: RenderResult, policyName: string) =>
  new Set(json(named(result, policyName).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()));

/** The real tools together, as the catalog loads them: what one tool hands the others. */
describe("cross-tool wiring", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderSpec(
      specOf(stackWith({ data_versioning: ["dvc"], experiment_tracker: ["mlflow"], orchestrator: ["aws-batch"], runtime_engine: ["ray"] })),
    );
  });

  it("the MLflow tracking URI reaches every Ray container", () => {
    const cluster = named(result, "ray-cluster").inputs as any;
    const groups = [cluster.spec.headGroupSpec, ...cluster.spec.workerGroupSpecs];
    for (const group of groups) {
      for (const container of group.template.spec.containers) {
        const env = Object.fromEntries(container.env.map((item: { name: string; value: string }) => [item.name, item.value]));
        assert.equal(env.MLFLOW_TRACKING_URI, "http://mlflow.mlflow.svc.cluster.local:5000");
      }
    }
  });

  it("Ray and AWS Batch jobs are granted the data buckets of dvc and mlflow, and nothing of other stacks", () => {
    const dvc = bucketArn(result, "dvc-remote");
    const mlflow = bucketArn(result, "mlflow-artifacts");
    for (const policy of ["ray-irsa-policy", "aws-batch-job-policy"]) {
      const granted = grantedResources(result, policy);
      for (const arn of [dvc, `${dvc}/*`, mlflow, `${mlflow}/*`]) assert.ok(granted.has(arn), `${policy} lacks ${arn}`);
      assert.ok(![...granted].includes("*"), `${policy} grants "*"`);
    }
  });

  it("outputs --env gathers every tool's client settings", () => {
    const env = result.outputs.env as Record<string, string>;
    assert.equal(env.MLFLOW_TRACKING_URI, "http://mlflow.mlflow.svc.cluster.local:5000");
    assert.match(env.DVC_REMOTE_URL, /^s3:\/\/demo-dev-dvc-remote-[0-9a-f]{6}$/);
    assert.equal(env.RAY_ADDRESS, "ray://ray-head-svc.ray.svc.cluster.local:10001");
    assert.ok(env.AWS_BATCH_JOB_QUEUE);
  });

  it("outputs name, per tool listening only in the cluster, its port-forward and the localhost settings through it", async () => {
    const full = await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, "aws-mlops-stack.yaml"), "utf8")));
    assert.deepEqual(full.outputs.local, {
      mlflow: { namespace: "mlflow", service: "mlflow", ports: [{ local: 5001, remote: 5000 }], env: { MLFLOW_TRACKING_URI: "http://localhost:5001" } },
      zenml: {
        namespace: "zenml",
        service: "zenml",
        ports: [{ local: 8080, remote: 8080 }],
        // Unchanged on purpose: ZenML hands its URL to pipeline pods, so the laptop maps the Service's name to the forward.
        env: { ZENML_STORE_URL: "http://zenml.zenml.svc.cluster.local:8080" },
        hosts: ["zenml.zenml.svc.cluster.local"],
      },
      ray: { namespace: "ray", service: "ray-head-svc", ports: [{ local: 10001, remote: 10001 }, { local: 8265, remote: 8265 }], env: { RAY_ADDRESS: "ray://localhost:10001" } },
      "nvidia-triton": { namespace: "triton", service: "triton", ports: [{ local: 8000, remote: 8000 }, { local: 8001, remote: 8001 }], env: { TRITON_URL: "localhost:8000" } },
    });
    // Each replaces exactly an in-cluster address of the tool's own settings.
    const env = full.outputs.env as Record<string, string>;
    for (const access of Object.values(full.outputs.local as Record<string, { env: Record<string, string> }>)) {
      for (const name of Object.keys(access.env)) assert.match(env[name], /\.svc\.cluster\.local(:\d+)?$/, name);
    }
  });

  it("with MLflow exposed behind basic auth, Ray's pods still use the Service, with the credentials from a Secret in Ray's namespace", async () => {
    const exposed = await renderSpec(specOf(stackWith({ experiment_tracker: [`{mlflow: {expose: {host: mlflow.example.com, certificate_arn: '${CERTIFICATE}'}}}`], runtime_engine: ["ray"] })));
    const cluster = named(exposed, "ray-cluster").inputs as any;
    for (const group of [cluster.spec.headGroupSpec, ...cluster.spec.workerGroupSpecs]) {
      const env = group.template.spec.containers[0].env.filter((variable: { name: string }) => variable.name.startsWith("MLFLOW_"));
      assert.deepEqual(env, [
        { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" },
        { name: "MLFLOW_TRACKING_USERNAME", value: "admin" },
        { name: "MLFLOW_TRACKING_PASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-client", key: "MLFLOW_TRACKING_PASSWORD" } } },
      ]);
    }
    const secret = named(exposed, "ray-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual(secret.inputs.metadata, { name: "mlflow-client", namespace: "ray" });
    assert.equal(secret.inputs.stringData, "[secret]");
    assert.ok(named(exposed, "ray-cluster").dependencies?.includes(secret.urn), "the RayCluster waits for the Secret its pods read");
  });

  it("an exposed tool needs no port-forward: its settings name its public address", async () => {
    const exposed = await renderSpec(specOf(stackWith({ experiment_tracker: ["{mlflow: {expose: {host: mlflow.example.com, certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'}}}"] })));
    assert.deepEqual(exposed.outputs.local, {});
    assert.equal((exposed.outputs.env as Record<string, string>).MLFLOW_TRACKING_URI, "https://mlflow.example.com");
  });
});

describe("data access follows links only", () => {
  it("a tool created earlier but not linked (Triton's model repository) is granted to no job or monitor", async () => {
    const result = await renderSpec(specOf(stackWith({ model_serving: ["nvidia-triton"], orchestrator: ["aws-batch"], monitoring: ["nannyml"], data_versioning: ["dvc"] })));
    const models = bucketArn(result, "nvidia-triton-models");
    const dvc = bucketArn(result, "dvc-remote");
    for (const policy of ["aws-batch-job-policy", "nannyml-irsa-policy"]) {
      const granted = grantedResources(result, policy);
      assert.ok(!granted.has(models), `${policy} reaches Triton's models`);
      assert.ok(granted.has(dvc), `${policy} lacks the DVC remote`);
    }
  });
});

describe("zenml with mlflow in the stack", () => {
  it("zenml's commands register the stack's MLflow as experiment tracker; without mlflow they do not", async () => {
    const together = await renderSpec(specOf(stackWith({ experiment_tracker: ["mlflow"], pipelining: ["zenml"] })));
    const commands = (together.outputs.tools as any).zenml.commands as string[];
    assert.ok(commands.some((line) => line.startsWith("zenml experiment-tracker register mlflow --flavor=mlflow --tracking_uri=http://mlflow.mlflow.svc.cluster.local:5000")), commands.join("\n"));
    assert.ok(commands.some((line) => / -e mlflow /.test(` ${line} `) || line.includes("-e mlflow")), "the stack includes the tracker");
    const alone = await renderSpec(specOf(stackWith({ pipelining: ["zenml"] })));
    assert.ok(!((alone.outputs.tools as any).zenml.commands as string[]).some((line) => line.includes("experiment-tracker")));
  });
});

describe("tool links", () => {
  it("no two deployable tools link to each other in a cycle, whatever the stack lists", async () => {
    const { TOOLS, isDeployable } = await import("../../src/catalog");
    const { creationOrder } = await import("../../src/program");
    const deployable = TOOLS.filter(isDeployable);
    const modules = new Map(deployable.map((tool) => [tool.name, tool.load!()]));
    const instances = deployable.map((tool) => ({ name: tool.name, roles: [tool.categories[0]], params: {}, deployable: true }));
    const order = creationOrder(instances, modules).map((tool) => tool.name);
    assert.equal(order.length, deployable.length);
    for (const [name, module] of modules) {
      for (const link of module.links ?? []) {
        if (modules.has(link)) assert.ok(order.indexOf(link) < order.indexOf(name), `${link} must come before ${name}`);
      }
    }
  });
});

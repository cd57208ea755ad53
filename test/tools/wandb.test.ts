import { strict as assert } from "node:assert";
import { wandb } from "../../components/tools/wandb/index";
import { wandbParams } from "../../components/tools/wandb/params";
import { SELF_MANAGED_PENDING, selfManagedNotice, wandbChecks, wandbDeployInputs } from "../../components/tools/wandb/checks";
import { preview, up, render } from "../../src/api";
import { presentDeployInputs, RENDER_PLACEHOLDER, requireDeployInputs } from "../../src/deploy-inputs";
import type { RenderResult } from "../../src/engine/render";
import { withEnv, tempDir } from "../helpers/environment";
import { FakeEngine, fakeDependencies } from "../helpers/fake-engine";
import { paramsErrors } from "../helpers/params";
import { childrenOf, named, renderSpec } from "../helpers/render";
import { errorsOf, specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const API_KEY = "wandb-test-api-key-0123456789abcdef0123456789abcdef";
const CLOUD_SPEC = specOf(stackWith({ experiment_tracker: ["wandb"] }));
const toolOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).wandb;

/** Renders a stack with W&B (and `others`) as the program would after `requireDeployInputs`. */
function renderWandb(params: Record<string, unknown>, inputs: Record<string, string>, stack: Record<string, string[]> = { experiment_tracker: ["wandb"] }) {
  const spec = specOf(stackWith(stack), { allDeployable: true });
  const tools = spec.tools.map((tool) => (tool.name === "wandb" ? { ...tool, params: wandbParams.parse(params) } : tool));
  return renderSpec({ ...spec, tools }, { deployInputs: inputs });
}

describe("wandb params", () => {
  it("defaults to cloud at W&B's hosted API, with no self-managed settings", () => {
    assert.deepEqual(wandbParams.parse({}), { mode: "cloud" });
    assert.deepEqual(wandbParams.parse({ base_url: "https://acme.wandb.io" }), { mode: "cloud", base_url: "https://acme.wandb.io" });
  });

  it("refuses wrong values and settings of the other mode, at their key, with the fix", () => {
    const cases: [unknown, string[]][] = [
      [{ mode: "hosted" }, ['mode: mode "hosted" is not allowed — use cloud (W&B\'s hosted service or your Dedicated Cloud) or self-managed (the W&B server in this cluster, needs a W&B licence)']],
      [{ base_url: "http://acme.wandb.io" }, ['base_url: base_url "http://acme.wandb.io" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']],
      [{ base_url: "https://acme.wandb.io/api" }, ['base_url: base_url "https://acme.wandb.io/api" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']],
      [{ api_key: "x" }, [': Unrecognized key: "api_key"']],
      [{ database: {} }, ["database: database is a self-managed setting, and mode is cloud — add mode: self-managed to run the W&B server in this cluster, or remove database"]],
      [
        { license_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:wandb-licence" },
        ["license_secret_arn: license_secret_arn is a self-managed setting, and mode is cloud — add mode: self-managed to run the W&B server in this cluster, or remove license_secret_arn"],
      ],
      [{ mode: "self-managed", base_url: "https://acme.wandb.io" }, ["base_url: base_url is the W&B cloud host, and mode is self-managed: the server's URL is this stack's (expose.host, or the in-cluster Service) — remove base_url"]],
      [{ mode: "self-managed", license_secret_arn: "wandb-licence" }, ['license_secret_arn: license_secret_arn "wandb-licence" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>']],
    ];
    for (const [input, errors] of cases) assert.deepEqual(paramsErrors(wandbParams, input), errors, JSON.stringify(input));
  });

  it("validate reports a param error at its position in the file", () => {
    const text = stackWith({ experiment_tracker: ["wandb"] }).replace("[wandb]", "\n    - wandb: {mode: cloud, base_url: http://x.example.com}");
    assert.deepEqual(errorsOf(text), ['stack.yaml:10:38: stack.experiment_tracker[0].wandb.base_url: base_url "http://x.example.com" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']);
  });
});

describe("wandb deploy-time inputs", () => {
  it("cloud reads the API key; self-managed the licence unless it is in Secrets Manager", () => {
    assert.deepEqual(wandbDeployInputs({}).map((input) => input.variable), ["WANDB_API_KEY"]);
    assert.deepEqual(wandbDeployInputs({ mode: "self-managed" }).map((input) => input.variable), ["WANDB_LICENSE"]);
    assert.deepEqual(wandbDeployInputs({ mode: "self-managed", license_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l" }), []);
  });

  it("validate needs no key; up and preview refuse without it before the engine or AWS is asked anything", async () => {
    assert.deepEqual(wandbChecks({ params: {}, roles: ["experiment_tracker"], deployment: CLOUD_SPEC.deployment, tools: ["wandb"] }), []);
    assert.deepEqual(errorsOf(stackWith({ experiment_tracker: ["wandb"] })), []);
    const engine = new FakeEngine();
    let preflights = 0;
    const dependencies = fakeDependencies(engine, async () => (preflights++, { accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/x", region: "eu-west-1" }));
    const env = withEnv({ PLATINFRA_HOME: tempDir(), PLATINFRA_PASSPHRASE: "x" });
    try {
      for (const run of [() => preview(CLOUD_SPEC, { dependencies, env: { WANDB_API_KEY: " " } }), () => up(CLOUD_SPEC, { dependencies, yes: true, env: {} })]) {
        await assert.rejects(run(), (error: Error & { code: string; hints: string[]; exitCode: number }) => {
          assert.equal(error.code, "DEPLOY_INPUT_MISSING");
          assert.equal(error.exitCode, 2);
          assert.equal(error.message, "stack.yaml: wandb reads the W&B API key the stack's pods log with from the environment variable WANDB_API_KEY at deploy time, and it is not set — nothing was deployed");
          assert.deepEqual(error.hints, ["export WANDB_API_KEY=<your API key from https://wandb.ai/authorize, or your Dedicated Cloud's /authorize>, then run again"]);
          return true;
        });
      }
      assert.deepEqual([engine.calls, preflights], [[], 0]);
    } finally {
      env.restore();
    }
  });

  it("only the declared variables reach the program; render puts a placeholder in for a missing one", () => {
    assert.deepEqual(requireDeployInputs(CLOUD_SPEC, { WANDB_API_KEY: API_KEY, AWS_SECRET_ACCESS_KEY: "nope" }), { WANDB_API_KEY: API_KEY });
    assert.deepEqual(presentDeployInputs(CLOUD_SPEC, {}), {});
    assert.deepEqual(presentDeployInputs(CLOUD_SPEC, {}, RENDER_PLACEHOLDER), { WANDB_API_KEY: "not-set-when-rendering" });
  });

  it("self-managed: validate says a licence is needed and how to give it", () => {
    const check = (params: Record<string, unknown>) => wandbChecks({ params, roles: ["experiment_tracker"], deployment: CLOUD_SPEC.deployment, tools: ["wandb"] });
    assert.deepEqual(check({ mode: "self-managed" }), [{ paramsKey: "mode", message: SELF_MANAGED_PENDING }, { severity: "warning", message: selfManagedNotice(true) }]);
    assert.match(selfManagedNotice(true), /^wandb: self-managed W&B needs a W&B licence .* export WANDB_LICENSE=<licence> before up\/preview/);
    assert.match(selfManagedNotice(false), /— it is synced from license_secret_arn\. The W&B operator runs connected/);
  });
});

describe("wandb, mode: cloud", () => {
  let cloud: RenderResult;
  let dedicated: RenderResult;
  before(async () => {
    cloud = await renderWandb({}, { WANDB_API_KEY: API_KEY });
    dedicated = await renderWandb({ base_url: "https://acme.wandb.io" }, { WANDB_API_KEY: API_KEY });
  });

  it("creates nothing in the cluster or AWS: W&B runs at W&B", () => {
    assert.deepEqual(childrenOf(cloud, "platinfra:tools:Wandb::wandb"), []);
  });

  it("client settings: the host as a value, the key only as a secret", () => {
    assert.deepEqual(cloud.outputs.env, { WANDB_BASE_URL: "https://api.wandb.ai" });
    assert.equal(cloud.outputs.secretEnv, "[secret]");
    assert.deepEqual((dedicated.outputs.env as Record<string, string>).WANDB_BASE_URL, "https://acme.wandb.io");
    assert.deepEqual(toolOutputs(dedicated), {
      mode: "cloud",
      baseUrl: "https://acme.wandb.io",
      apiKey: "read from WANDB_API_KEY at deploy time; a Pulumi secret (platinfra outputs --env --show-secrets), never in plain outputs",
      pods: "training and pipeline pods of this stack's tools read WANDB_BASE_URL, and WANDB_API_KEY from Secret wandb-client in their own namespace",
      laptop: "export WANDB_BASE_URL=https://acme.wandb.io WANDB_API_KEY=<your key>, or wandb login --host=https://acme.wandb.io",
      check: `python -c "import wandb; run = wandb.init(project='platinfra-smoke'); run.log({'x': 1}); run.finish()"`,
    });
    assert.equal(JSON.stringify(cloud).includes(API_KEY), false, "the API key in plain text");
  });

  it("render runs offline without the key; a program given none says what is missing", async () => {
    const env = withEnv({ WANDB_API_KEY: undefined });
    try {
      const rendered = await render(specOf(stackWith({ experiment_tracker: ["wandb"] }), { allDeployable: true }), { env: {} });
      assert.deepEqual(rendered.outputs.env, { WANDB_BASE_URL: "https://api.wandb.ai" });
    } finally {
      env.restore();
    }
    await assert.rejects(renderWandb({}, {}), /wandb: WANDB_API_KEY was not passed to the program — deploy with platinfra \(up\/preview read it from the environment first\), or pass deployInputs: \{WANDB_API_KEY: …\} to stackProgram/);
  });
});

describe("wandb cloud, linked: the pods of training and pipeline tools log to W&B", () => {
  let linked: RenderResult;
  before(async () => {
    linked = await renderWandb({}, { WANDB_API_KEY: API_KEY }, { experiment_tracker: ["mlflow", "wandb"], runtime_engine: ["ray"], pipelining: ["argo"] });
  });

  it("each consuming tool gets Secret wandb-client in its own namespace, its value a Pulumi secret, before its pods", () => {
    for (const [tool, namespace, reader, type] of [["ray", "ray", "ray-cluster", "kubernetes:ray.io/v1:RayCluster"], ["argo", "argo-workflows", "argo", "kubernetes:helm.sh/v3:Release"]]) {
      const secret = named(linked, `${tool}-wandb-client`, "kubernetes:core/v1:Secret");
      assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "wandb-client", namespace }, "[secret]"], tool);
      assert.ok(named(linked, reader, type).dependencies?.includes(secret.urn), `${reader} waits for the Secret its pods read`);
    }
    assert.equal(JSON.stringify(linked).includes(API_KEY), false, "the API key in plain text");
  });

  it("Ray's containers get MLflow's and W&B's settings, the key by reference", () => {
    const cluster = named(linked, "ray-cluster").inputs as any;
    for (const group of [cluster.spec.headGroupSpec, ...cluster.spec.workerGroupSpecs]) {
      const env = group.template.spec.containers[0].env.filter((variable: { name: string }) => /^(MLFLOW|WANDB)_/.test(variable.name));
      assert.deepEqual(env, [
        { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" },
        { name: "WANDB_BASE_URL", value: "https://api.wandb.ai" },
        { name: "WANDB_API_KEY", valueFrom: { secretKeyRef: { name: "wandb-client", key: "WANDB_API_KEY" } } },
      ]);
    }
  });
});

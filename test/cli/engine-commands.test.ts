import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { useEngineDependencies } from "../../src/cli/dependencies";
import { PreflightError } from "../../src/engine/preflight";
import { EXAMPLES, platinfra } from "../helpers/cli";
import { tempDir, withEnv, isolatedPath } from "../helpers/environment";
import { FakeEngine, fakeDependencies } from "../helpers/fake-engine";
import { stackWith } from "../helpers/tools";

const EKS_SPEC = stackWith({ orchestrator: ["aws-eks"] });

describe("engine commands, in-process, with the engine behind its interface", () => {
  let dir: string;
  let spec: string;
  let engine: FakeEngine;
  let env: { restore(): void };

  beforeEach(() => {
    dir = tempDir();
    spec = path.join(dir, "stack.yaml");
    fs.writeFileSync(spec, EKS_SPEC);
    engine = new FakeEngine();
    useEngineDependencies(fakeDependencies(engine));
    env = withEnv({ PLATINFRA_HOME: dir, PLATINFRA_PASSPHRASE: "test-passphrase" });
  });
  afterEach(() => {
    useEngineDependencies(undefined);
    env.restore();
  });

  it("preview: plain progress lines, then the summary", async () => {
    const { stdout, stderr, exitCode } = await platinfra(["preview", spec]);
    assert.equal(exitCode, 0);
    assert.equal(engine.calls[0].operation, "preview");
    assert.equal(engine.calls[0].target.stack, "dev");
    assert.deepEqual(stderr.split("\n").slice(0, 3), [
      `preview of stack dev (${spec})`,
      "  create aws:s3/bucket:Bucket mlflow-artifacts",
      "  created aws:s3/bucket:Bucket mlflow-artifacts (0.0s)",
    ]);
    assert.equal(stdout, "preview: created 2, updated 0, replaced 0, deleted 0, unchanged 1 in 1m15s\n");
  });

  it("up maps --stack, --backend, --target, --parallel, --refresh and --diff, and prints outputs with secrets masked", async () => {
    const { stdout, exitCode } = await platinfra(["up", spec, "--stack", "prod", "--backend", `file://${dir}/state`, "--target", "EKS", "--parallel", "3", "--refresh", "--diff"]);
    assert.equal(exitCode, 0);
    const [call] = engine.calls;
    assert.equal(call.target.stack, "prod");
    assert.equal(call.target.backendUrl, `file://${dir}/state`);
    assert.deepEqual(call.options?.targets?.slice(-2), ["urn:pulumi:prod::demo::**::aws-eks", "urn:pulumi:prod::demo::**::aws-eks-*"]);
    assert.equal(call.options?.parallel, 3);
    assert.equal(call.options?.refresh, true);
    assert.equal(call.options?.diff, true);
    assert.match(stdout, /^up: created 2, updated 0, replaced 0, deleted 0, unchanged 1 in 1m15s\noutputs:\n/);
    assert.match(stdout, /\n {2}kubeconfig +\[secret\]\n/);
    assert.doesNotMatch(stdout, /it's-secret/);
  });

  it("up --json prints nothing but JSON on stdout", async () => {
    const { stdout, exitCode } = await platinfra(["up", spec, "--json"]);
    assert.equal(exitCode, 0);
    assert.deepEqual(JSON.parse(stdout), {
      operation: "up",
      changes: { create: 2, same: 1 },
      durationSeconds: 75,
      outputs: {
        clusterName: "demo-dev",
        kubeconfig: "[secret]",
        env: { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc:5000" },
        secretEnv: "[secret]",
      },
    });
  });

  it("--target naming a tool that is not in the stack is refused before anything runs", async () => {
    const { stderr, exitCode } = await platinfra(["up", spec, "--target", "mlflow"]);
    assert.equal(exitCode, 2);
    assert.match(stderr, /--target mlflow: the stack has no tool named mlflow \(tools: aws-eks\)/);
    assert.equal(engine.calls.length, 0);
  });

  it("destroy without --yes and without a terminal refuses, naming the count; with --yes it runs", async () => {
    const refused = await platinfra(["destroy", spec]);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /destroy needs confirmation: 42 resources of stack dev would be deleted\n {2}hint: run it in a terminal to confirm, or add --yes/);
    assert.deepEqual(engine.calls.map((call) => call.operation), ["resourceCount"]);
    const done = await platinfra(["destroy", spec, "--yes"]);
    assert.equal(done.exitCode, 0);
    assert.equal(engine.calls.at(-1)?.operation, "destroy");
    assert.match(done.stdout, /^destroy: created 0, updated 0, replaced 0, deleted 3, unchanged 0 in 1m15s\n$/);
  });

  it("outputs: a table, --json, and --env with secrets only when asked", async () => {
    const table = await platinfra(["outputs", spec]);
    assert.match(table.stdout, /^ {2}clusterName +demo-dev$/m);
    assert.match(table.stdout, /^ {2}env\.MLFLOW_TRACKING_URI +http:\/\/mlflow\.mlflow\.svc:5000$/m);
    const json = JSON.parse((await platinfra(["outputs", spec, "--json", "--show-secrets"])).stdout);
    assert.equal(json.kubeconfig, "apiVersion: v1");
    assert.equal((await platinfra(["outputs", spec, "--env"])).stdout, [
      "export MLFLOW_TRACKING_URI='http://mlflow.mlflow.svc:5000'",
      "# MLFLOW_TRACKING_PASSWORD is secret: add --show-secrets to print it",
      "",
    ].join("\n"));
    const shown = await platinfra(["outputs", spec, "--env", "--show-secrets"]);
    assert.match(shown.stdout, /^export MLFLOW_TRACKING_PASSWORD='it'\\''s-secret'$/m);
  });

  it("outputs --env says which values are in-cluster; --env --local prints the port-forwards and the localhost settings", async () => {
    engine.outputsToReturn = {
      ...engine.outputsToReturn,
      region: { value: "eu-west-1", secret: false },
      env: { value: { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc.cluster.local:5000", RAY_ADDRESS: "ray://ray-head-svc.ray.svc.cluster.local:10001", DVC_REMOTE_URL: "s3://demo-dev-dvc" }, secret: false },
      local: {
        value: {
          mlflow: { namespace: "mlflow", service: "mlflow", ports: [{ local: 5001, remote: 5000 }], env: { MLFLOW_TRACKING_URI: "http://localhost:5001" } },
          ray: { namespace: "ray", service: "ray-head-svc", ports: [{ local: 10001, remote: 10001 }, { local: 8265, remote: 8265 }], env: { RAY_ADDRESS: "ray://localhost:10001" } },
          zenml: { namespace: "zenml", service: "zenml", ports: [{ local: 8080, remote: 8080 }], env: {}, hosts: ["zenml.zenml.svc.cluster.local"] },
        },
        secret: false,
      },
    };
    assert.equal((await platinfra(["outputs", spec, "--env"])).stdout, [
      "# In-cluster addresses, which resolve only inside the cluster: MLFLOW_TRACKING_URI, RAY_ADDRESS",
      "# From a laptop: add --local for the kubectl port-forward commands and the localhost settings",
      "export MLFLOW_TRACKING_URI='http://mlflow.mlflow.svc.cluster.local:5000'",
      "export RAY_ADDRESS='ray://ray-head-svc.ray.svc.cluster.local:10001'",
      "export DVC_REMOTE_URL='s3://demo-dev-dvc'",
      "# MLFLOW_TRACKING_PASSWORD is secret: add --show-secrets to print it",
      "",
    ].join("\n"));
    fs.writeFileSync(spec, EKS_SPEC.replace("  region: eu-west-1", "  region: eu-west-1\n  profile: ml admin"));
    assert.equal((await platinfra(["outputs", spec, "--env", "--local"])).stdout, [
      "# Localhost settings: first point kubectl at the cluster, then start each port-forward in a terminal of its own (it runs until stopped):",
      "#   aws eks update-kubeconfig --name demo-dev --region eu-west-1 --profile 'ml admin'",
      "#   grep -qxF '127.0.0.1 zenml.zenml.svc.cluster.local' /etc/hosts || echo '127.0.0.1 zenml.zenml.svc.cluster.local' | sudo tee -a /etc/hosts >/dev/null",
      "#   kubectl --namespace mlflow port-forward svc/mlflow 5001:5000",
      "#   kubectl --namespace ray port-forward svc/ray-head-svc 10001:10001 8265:8265",
      "#   kubectl --namespace zenml port-forward svc/zenml 8080:8080",
      "export MLFLOW_TRACKING_URI='http://localhost:5001'",
      "export RAY_ADDRESS='ray://localhost:10001'",
      "export DVC_REMOTE_URL='s3://demo-dev-dvc'",
      "# MLFLOW_TRACKING_PASSWORD is secret: add --show-secrets to print it",
      "",
    ].join("\n"));
    const withoutEnv = await platinfra(["outputs", spec, "--local"]);
    assert.notEqual(withoutEnv.exitCode, 0);
    assert.match(withoutEnv.stderr + String(withoutEnv.error?.message), /--env/);
  });

  it("cancel reports what it released", async () => {
    const { stdout, exitCode } = await platinfra(["cancel", spec, "--stack", "dev"]);
    assert.equal(exitCode, 0);
    assert.equal(stdout, "released 1 stale lock(s) of stack dev\n");
  });

  it("a preflight failure is one line with its fix, exit 1, and nothing runs", async () => {
    useEngineDependencies(fakeDependencies(engine, async () => {
      throw new PreflightError("AWS credentials could not be resolved (aws sts get-caller-identity: Unable to locate credentials.)", "sign in: aws configure, aws sso login, or export AWS_PROFILE");
    }));
    const { stderr, exitCode } = await platinfra(["up", spec]);
    assert.equal(exitCode, 1);
    assert.deepEqual(stderr.trim().split("\n").slice(1), [
      "AWS credentials could not be resolved (aws sts get-caller-identity: Unable to locate credentials.)",
      "  hint: sign in: aws configure, aws sso login, or export AWS_PROFILE",
    ]);
    assert.equal(engine.calls.length, 0);
  });

  it("a spec listing a tool that is not deployable yet is refused with exit 2", async () => {
    fs.writeFileSync(spec, EKS_SPEC.replace("[aws-eks]", "[aws-eks]\n  runtime_engine: [horovod]"));
    const { stderr, exitCode } = await platinfra(["up", spec]);
    assert.equal(exitCode, 2);
    assert.match(stderr, /these tools are not deployable yet: horovod|this tool is not deployable yet: horovod/);
    assert.equal(engine.calls.length, 0);
  });
});

describe("engine commands with the real dependencies", () => {
  it("without a Pulumi CLI, preview prints one clear line (and its fixes) and exits non-zero", async () => {
    const dir = tempDir();
    const spec = path.join(dir, "stack.yaml");
    fs.writeFileSync(spec, EKS_SPEC);
    const env = withEnv({ PATH: isolatedPath(), PLATINFRA_HOME: dir });
    try {
      const { stderr, exitCode } = await platinfra(["preview", spec]);
      assert.equal(exitCode, 1);
      assert.deepEqual(stderr.trim().split("\n").slice(1), [
        `the Pulumi CLI was not found on PATH or in ${dir}/pulumi — platinfra needs it (version 3.180.0 or newer) to deploy`,
        "  hint: install it: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0",
        "  hint: or run again with --install-pulumi",
      ]);
    } finally {
      env.restore();
    }
  });
});

describe("platinfra render, in-process", () => {
  it("--json prints the contract: {stack, resources: [{urn, type, name, parent, inputs}]}, every tool's component with children", async () => {
    const { stdout, exitCode } = await platinfra(["render", path.join(EXAMPLES, "aws-mlops-stack.yaml"), "--json"]);
    assert.equal(exitCode, 0);
    const result = JSON.parse(stdout) as { stack: string; resources: { urn: string; type: string; name: string; parent: string | null; inputs: object }[] };
    assert.deepEqual(Object.keys(result), ["stack", "resources"]);
    assert.equal(result.stack, "dev");
    for (const resource of result.resources) assert.deepEqual(Object.keys(resource), ["urn", "type", "name", "parent", "inputs"]);
    const urns = new Set(result.resources.map((resource) => resource.urn));
    assert.equal(urns.size, result.resources.length, "unique urns");
    for (const resource of result.resources) if (resource.parent) assert.ok(urns.has(resource.parent), `${resource.name}'s parent is rendered`);
    const tools = result.resources.filter((resource) => resource.type.startsWith("platinfra:tools:"));
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ["aws-batch", "bentoml", "dvc", "mlflow", "nannyml", "nvidia-triton", "ray", "zenml"]);
    for (const tool of tools) assert.ok(result.resources.some((resource) => resource.parent === tool.urn), `${tool.name} has children`);
    for (const base of ["platinfra:base:Network", "platinfra:base:Cluster", "platinfra:base:NodeGroups", "platinfra:base:ClusterAddons", "pulumi:providers:kubernetes"]) {
      assert.ok(result.resources.some((resource) => resource.type === base), base);
    }
  });

  it("the tree view lists every resource once under its parent", async () => {
    const { stdout, exitCode } = await platinfra(["render", path.join(EXAMPLES, "gpu-stack.yaml")]);
    assert.equal(exitCode, 0);
    assert.match(stdout, /^pulumi:pulumi:Stack gpu-ml-stack-dev\n├─ platinfra:base:Platform gpu-ml-stack\n/);
    assert.match(stdout, /\n85 resources in stack dev\n$/);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { useEngineDependencies } from "../../src/cli/dependencies";
import { PreflightError } from "../../src/engine/preflight";
import { EXAMPLES, platinfra } from "../helpers/cli";
import { EKS_SPEC, engineCli } from "../helpers/engine-cli";
import { tempDir, withEnv, isolatedPath } from "../helpers/environment";
import { fakeDependencies } from "../helpers/fake-engine";

describe("engine commands, in-process, with the engine behind its interface", () => {
  const cli = engineCli();

  it("preview: the plan grouped by tool, with Pulumi's symbols, replace reasons and the future tense; warnings on stderr", async () => {
    const { stdout, stderr, exitCode } = await platinfra(["preview", cli.spec]);
    assert.equal(exitCode, 0);
    assert.deepEqual(cli.engine.operations, ["preview"]);
    assert.equal(cli.engine.calls[0].target.stack, "dev");
    assert.equal(stdout, [
      "Plan for stack demo/dev:",
      "  mlflow",
      "    +  aws:s3/bucket:Bucket  mlflow-artifacts",
      "    ~  aws:s3/bucket:Bucket  mlflow-logs  (tags)",
      "    +- aws:rds/instance:Instance  mlflow-db  (replace: engineVersion changed)",
      "Resources: 1 to create, 1 to update, 1 to replace, 0 to delete, 1 unchanged",
      "preview: 1 to create, 1 to update, 1 to replace, 0 to delete, 1 unchanged in 1m15s",
      "",
    ].join("\n"));
    assert.deepEqual(stderr.split("\n"), [`preview of stack dev (${cli.spec})`, "warning mlflow-artifacts: a warning from the provider", ""]);
    assert.doesNotMatch(stdout + stderr, /\bcreated\b/, "a preview never says created");
  });

  it("preview --diff: each changed property with its old and new value", async () => {
    const { stdout } = await platinfra(["preview", cli.spec, "--diff"]);
    assert.match(stdout, /\n {4}~ {2}aws:s3\/bucket:Bucket {2}mlflow-logs {2}\(tags\)\n {8}~ tags\.team: "ml" => "platform"\n/);
  });

  it("preview --json: the steps and diagnostics, not only counts", async () => {
    const { stdout, exitCode } = await platinfra(["preview", cli.spec, "--json"]);
    assert.equal(exitCode, 0);
    const result = JSON.parse(stdout);
    assert.deepEqual(Object.keys(result), ["operation", "changes", "durationSeconds", "steps", "diagnostics", "outputs"]);
    assert.deepEqual(result.steps.map((step: { op: string }) => step.op), ["create", "update", "replace"]);
    assert.deepEqual(result.steps[2], {
      urn: "urn:pulumi:dev::demo::pulumi:pulumi:Stack$platinfra:tools:Mlflow$platinfra:base:Database$aws:rds/instance:Instance::mlflow-db",
      type: "aws:rds/instance:Instance",
      op: "replace",
      diffs: ["engineVersion"],
      replaceReasons: ["engineVersion"],
    });
    assert.deepEqual(result.diagnostics, [
      { severity: "warning", urn: "urn:pulumi:dev::demo::pulumi:pulumi:Stack$platinfra:tools:Mlflow$aws:s3/bucket:Bucket::mlflow-artifacts", message: "a warning from the provider" },
    ]);
  });

  it("preview --expect-no-changes: exit 3 with changes (a drift gate), 0 without", async () => {
    const drift = await platinfra(["preview", cli.spec, "--expect-no-changes"]);
    assert.equal(drift.exitCode, 3);
    assert.match(drift.stderr, /error: the preview of stack demo\/dev has changes, and no changes were expected/);
    const json = await platinfra(["preview", cli.spec, "--expect-no-changes", "--json"]);
    assert.equal(json.exitCode, 3);
    assert.equal(JSON.parse(json.stdout).error.code, "CHANGES_PRESENT");
    assert.equal(JSON.parse(json.stdout).error.details.steps.length, 3);
    cli.engine.events = [];
    cli.engine.changes = { same: 12 };
    const clean = await platinfra(["preview", cli.spec, "--expect-no-changes"]);
    assert.equal(clean.exitCode, 0);
    assert.match(clean.stdout, /^Plan for stack demo\/dev:\n {2}no changes\nResources: 0 to create, 0 to update, 0 to replace, 0 to delete, 12 unchanged\n/);
  });

  it("up maps --stack, --backend, --target, --parallel, --refresh and --diff, and prints outputs with secrets masked", async () => {
    const { stdout, exitCode } = await platinfra(["up", cli.spec, "--stack", "prod", "--backend", `file://${cli.dir}/state`, "--target", "EKS", "--parallel", "3", "--refresh", "--diff", "--yes"]);
    assert.equal(exitCode, 0);
    assert.deepEqual(cli.engine.operations, ["preview", "up"]);
    const call = cli.engine.calls.find((item) => item.operation === "up");
    assert.equal(call?.target.stack, "prod");
    assert.equal(call?.target.backendUrl, `file://${cli.dir}/state`);
    assert.deepEqual(call?.options?.targets?.slice(-2), ["urn:pulumi:prod::demo::**::aws-eks", "urn:pulumi:prod::demo::**::aws-eks-*"]);
    assert.equal(call?.options?.parallel, 3);
    assert.equal(call?.options?.refresh, true);
    assert.equal(call?.options?.diff, true);
    assert.match(stdout, /\nup: created 1, updated 1, replaced 1, deleted 0, unchanged 1 in 1m15s\noutputs:\n/);
    assert.match(stdout, /\n {2}kubeconfig +\[secret\]\n/);
    assert.doesNotMatch(stdout, /it's-secret/);
  });

  it("up --json prints nothing but JSON on stdout", async () => {
    const { stdout, exitCode } = await platinfra(["up", cli.spec, "--json", "--yes"]);
    assert.equal(exitCode, 0);
    const result = JSON.parse(stdout);
    assert.equal(result.operation, "up");
    assert.deepEqual(result.changes, { create: 1, update: 1, replace: 1, same: 1 });
    assert.deepEqual(result.outputs, {
      clusterName: "demo-dev",
      kubeconfig: "[secret]",
      env: { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc:5000" },
      secretEnv: "[secret]",
    });
  });

  it("--target naming a tool that is not in the stack is refused before anything runs, with the closest name", async () => {
    const { stderr, exitCode } = await platinfra(["up", cli.spec, "--target", "mlfow", "--yes"]);
    assert.equal(exitCode, 2);
    assert.equal(stderr.trim().split("\n").pop(), 'error: --target mlfow: the stack has no tool named mlfow — did you mean "mlflow"? (tools: mlflow, aws-eks)');
    assert.deepEqual(cli.engine.operations, []);
  });

  it("--target works before the spec, takes comma lists, and -t/-s are its short forms", async () => {
    const { exitCode } = await platinfra(["preview", "-t", "mlflow,aws-eks", cli.spec, "-s", "prod"]);
    assert.equal(exitCode, 0);
    const [call] = cli.engine.calls.filter((item) => item.operation === "preview");
    assert.equal(call.target.stack, "prod");
    assert.deepEqual(call.target.specFile, cli.spec);
    assert.deepEqual(call.options?.targets?.slice(3), [
      "urn:pulumi:prod::demo::**::mlflow",
      "urn:pulumi:prod::demo::**::mlflow-*",
      "urn:pulumi:prod::demo::**::aws-eks",
      "urn:pulumi:prod::demo::**::aws-eks-*",
    ]);
  });

  it("a missing spec never gets oclif's note about multiple values, even with --target", async () => {
    const cwd = process.cwd();
    process.chdir(fs.mkdtempSync(path.join(cli.dir, "empty-")));
    try {
      const { stderr, exitCode } = await platinfra(["up", "--target", "mlflow"]);
      assert.equal(exitCode, 2);
      assert.equal(stderr.trim().split("\n").pop(), 'error: stack.yaml: no such file — check the path, or create one with "platinfra init stack.yaml"');
      assert.doesNotMatch(stderr, /Note:|multiple values/);
    } finally {
      process.chdir(cwd);
    }
  });

  it("the spec argument defaults to ./stack.yaml", async () => {
    const cwd = process.cwd();
    process.chdir(cli.dir);
    try {
      const { exitCode, stderr } = await platinfra(["preview"]);
      assert.equal(exitCode, 0);
      assert.match(stderr, /^preview of stack dev \(stack\.yaml\)\n/);
      assert.equal(cli.engine.calls[0].target.specFile, "stack.yaml");
    } finally {
      process.chdir(cwd);
    }
  });

  it("outputs: a table, --json, and --env with secrets only when asked", async () => {
    const table = await platinfra(["outputs", cli.spec]);
    assert.match(table.stdout, /^ {2}clusterName +demo-dev$/m);
    assert.match(table.stdout, /^ {2}env\.MLFLOW_TRACKING_URI +http:\/\/mlflow\.mlflow\.svc:5000$/m);
    const json = JSON.parse((await platinfra(["outputs", cli.spec, "--json", "--show-secrets"])).stdout);
    assert.equal(json.kubeconfig, "apiVersion: v1");
    assert.equal((await platinfra(["outputs", cli.spec, "--env"])).stdout, [
      "export MLFLOW_TRACKING_URI='http://mlflow.mlflow.svc:5000'",
      "# MLFLOW_TRACKING_PASSWORD is secret: add --show-secrets to print it",
      "",
    ].join("\n"));
    const shown = await platinfra(["outputs", cli.spec, "--env", "--show-secrets"]);
    assert.match(shown.stdout, /^export MLFLOW_TRACKING_PASSWORD='it'\\''s-secret'$/m);
  });

  it("outputs --env says which values are in-cluster; --env --local prints the port-forwards and the localhost settings", async () => {
    cli.engine.outputsToReturn = {
      ...cli.engine.outputsToReturn,
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
    assert.equal((await platinfra(["outputs", cli.spec, "--env"])).stdout, [
      "# In-cluster addresses, which resolve only inside the cluster: MLFLOW_TRACKING_URI, RAY_ADDRESS",
      "# From a laptop: add --local for the kubectl port-forward commands and the localhost settings",
      "export MLFLOW_TRACKING_URI='http://mlflow.mlflow.svc.cluster.local:5000'",
      "export RAY_ADDRESS='ray://ray-head-svc.ray.svc.cluster.local:10001'",
      "export DVC_REMOTE_URL='s3://demo-dev-dvc'",
      "# MLFLOW_TRACKING_PASSWORD is secret: add --show-secrets to print it",
      "",
    ].join("\n"));
    fs.writeFileSync(cli.spec, EKS_SPEC.replace("  region: eu-west-1", "  region: eu-west-1\n  profile: ml-admin"));
    assert.equal((await platinfra(["outputs", cli.spec, "--env", "--local"])).stdout, [
      "# Localhost settings: first point kubectl at the cluster, then start each port-forward in a terminal of its own (it runs until stopped):",
      "#   aws eks update-kubeconfig --name demo-dev --region eu-west-1 --profile ml-admin",
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
    const withoutEnv = await platinfra(["outputs", cli.spec, "--local"]);
    assert.notEqual(withoutEnv.exitCode, 0);
    assert.match(withoutEnv.stderr + String(withoutEnv.error?.message), /--env/);
  });

  it("outputs --env skips names from the state that are not shell variable names, and says so on stderr", async () => {
    cli.engine.outputsToReturn = { env: { value: { OK_NAME: "v", "A;touch X;B": "w" }, secret: false } };
    const { stdout, stderr, exitCode } = await platinfra(["outputs", cli.spec, "--env"]);
    assert.equal(exitCode, 0);
    assert.equal(stdout, "export OK_NAME='v'\n");
    assert.equal(stderr, 'skipped output "A;touch X;B": not a shell variable name (letters, digits and _, not starting with a digit)\n');
  });

  it("outputs --env --local: a line break in the state's port-forward facts cannot end a comment line and start a command", async () => {
    cli.engine.outputsToReturn = {
      clusterName: { value: "demo-dev\ntouch pwned", secret: false },
      region: { value: "eu-west-1", secret: false },
      env: { value: {}, secret: false },
      local: { value: { t: { namespace: "ns\ntouch pwned", service: "svc\rx", ports: [{ local: 1, remote: 2 }], env: { "BAD\nNAME": "x", GOOD: "y" } } }, secret: false },
    };
    const { stdout, exitCode } = await platinfra(["outputs", cli.spec, "--env", "--local"]);
    assert.equal(exitCode, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.deepEqual(lines.filter((line) => !line.startsWith("#")), ["export GOOD='y'"]);
    assert.ok(lines.some((line) => line.includes("ns\\u000atouch pwned")), stdout);
  });

  it("cancel reports what it released", async () => {
    const { stdout, exitCode } = await platinfra(["cancel", cli.spec, "--stack", "dev"]);
    assert.equal(exitCode, 0);
    assert.equal(stdout, "released 1 stale lock(s) of stack dev\n");
  });

  it("a preflight failure is one error line with its fix, exit 1, and nothing runs; a refusal (another account) exits 2", async () => {
    useEngineDependencies(fakeDependencies(cli.engine, async () => {
      throw new PreflightError("AWS credentials could not be resolved (aws sts get-caller-identity: Unable to locate credentials.)", "sign in: aws configure, aws sso login, or export AWS_PROFILE");
    }));
    const { stderr, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 1);
    assert.deepEqual(stderr.trim().split("\n").slice(1), [
      "error: AWS credentials could not be resolved (aws sts get-caller-identity: Unable to locate credentials.)",
      "  hint: sign in: aws configure, aws sso login, or export AWS_PROFILE",
    ]);
    assert.deepEqual(cli.engine.operations, []);
    useEngineDependencies(fakeDependencies(cli.engine, async () => {
      throw new PreflightError("these AWS credentials belong to account 999999999999", "use credentials for the spec's account", "refused");
    }));
    assert.equal((await platinfra(["up", cli.spec])).exitCode, 2);
  });

  it("a spec listing a tool that is not deployable yet is refused with exit 2", async () => {
    fs.writeFileSync(cli.spec, EKS_SPEC.replace("[aws-eks]", "[aws-eks, azure-aks]"));
    const { stderr, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 2);
    assert.match(stderr, /these tools are not deployable yet: azure-aks|this tool is not deployable yet: azure-aks/);
    assert.deepEqual(cli.engine.operations, []);
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
        `error: the Pulumi CLI was not found on PATH or in ${dir}/pulumi — platinfra needs it (version 3.211.0 or newer) to deploy`,
        "  hint: install it: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0",
        "  hint: or run again with --install-pulumi (installs 3.248.0 into platinfra's own folder)",
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
    assert.deepEqual(Object.keys(result), ["stack", "region", "resources"]);
    assert.equal(result.stack, "dev");
    assert.equal((result as unknown as { region: string }).region, process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1");
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
    assert.match(stdout, /\n106 resources in stack dev \(the default; --stack to change\), region us-west-2 \(the spec's provider\.region\)\n$/);
  });

  it("names the region and stack it assumed, and refuses a stack name Pulumi would refuse", async () => {
    const env = withEnv({ AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined });
    try {
      const assumed = await platinfra(["render", path.join(EXAMPLES, "aws-mlops-stack.yaml"), "-s", "prod"]);
      assert.match(assumed.stdout, /\n\d+ resources in stack prod, region us-east-1 \(assumed: the spec sets none and AWS_REGION is unset\)\n$/);
      const flagged = await platinfra(["render", path.join(EXAMPLES, "aws-mlops-stack.yaml"), "--region", "eu-central-1"]);
      assert.match(flagged.stdout, /, region eu-central-1 \(--region\)\n$/);
      const refused = await platinfra(["render", path.join(EXAMPLES, "aws-mlops-stack.yaml"), "--stack", "../x"]);
      assert.equal(refused.exitCode, 2);
      assert.match(refused.stderr, /^error: --stack "\.\.\/x": a stack name is/);
    } finally {
      env.restore();
    }
  });
});

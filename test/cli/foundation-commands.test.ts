import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXAMPLES, PROJECT_ROOT, platinfra } from "../helpers/cli";
import { specJsonSchema } from "../../src/spec/json-schema";

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
      `${file}:8:24: stack.experiment_tracker[0]: unknown tool "mlfow" — did you mean "mlflow"? (tools for experiment_tracker: neptune, mlflow, wandb, determined, clearml)`,
      `${file}: 2 problems — fix them and run validate again`,
    ]);
    assert.doesNotMatch(stderr, /at .*\.js:\d+/, "no stack trace");
  });

  it("--json gives the valid flag and errors with line, column, path and message", async () => {
    const { stdout, exitCode } = await platinfra(["validate", "/nonexistent/stack.yaml", "--json"]);
    assert.equal(exitCode, 2);
    assert.deepEqual(JSON.parse(stdout), {
      valid: false,
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

describe("platinfra tools", () => {
  it("prints the catalog as a table, one row per tool and category", async () => {
    const { stdout, exitCode } = await platinfra(["tools"]);
    assert.equal(exitCode, 0);
    const lines = stdout.trim().split("\n");
    assert.match(lines[0], /^CATEGORY +TOOL +STATUS +DEPLOYS$/);
    assert.equal(lines.length, 1 + 4 + 5 + 8 + 5 + 3 + 7 + 4 + 7 + 8 + 6);
    assert.ok(lines.some((line) => /^experiment_tracker +mlflow +\S/.test(line)));
  });

  it("--json lists every tool once with its categories and status", async () => {
    const { stdout } = await platinfra(["tools", "--json"]);
    const tools = JSON.parse(stdout) as { name: string; categories: string[]; status: string }[];
    assert.equal(tools.length, 36);
    assert.deepEqual(
      tools.filter((tool) => tool.status === "deployable").map((tool) => tool.name).sort(),
      ["aws-batch", "aws-eks", "bentoml", "dvc", "mlflow", "nannyml", "nvidia-triton", "ray", "zenml"],
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
    assert.match(fs.readFileSync(file, "utf8"), /^name: mlops-stack$/m);
  });

  it("rejects an unknown tool with a suggestion, and an invalid name with the rule", async () => {
    const dir = tempDir();
    const unknown = await platinfra(["init", path.join(dir, "a.yaml"), "--tools", "mlfow"]);
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.stderr.trim(), 'error: --tools: unknown tool "mlfow" — did you mean "mlflow"? (see "platinfra tools")');
    const badName = await platinfra(["init", path.join(dir, "b.yaml"), "--name", "Bad_Name"]);
    assert.equal(badName.exitCode, 2);
    assert.match(badName.stderr, /b\.yaml:2:7: name: "Bad_Name" is not a valid stack name/);
    assert.equal(fs.existsSync(path.join(dir, "b.yaml")), false, "nothing written");
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
  it("validate, tools and --help never load the Pulumi SDK", () => {
    const probe = `
      const { run } = require("@oclif/core");
      (async () => {
        for (const argv of [["validate", ${JSON.stringify(EXAMPLE)}], ["tools"], ["--help"], ["schema"]]) await run(argv, ${JSON.stringify(PROJECT_ROOT)});
        const loaded = Object.keys(require.cache).filter((file) => file.includes("node_modules/@pulumi/"));
        process.stderr.write("PULUMI_MODULES=" + loaded.length + "\\n");
      })();`;
    const { stderr } = spawnSync(process.execPath, ["-e", probe], { cwd: PROJECT_ROOT, encoding: "utf8" });
    assert.match(stderr, /PULUMI_MODULES=0\n/);
  });
});

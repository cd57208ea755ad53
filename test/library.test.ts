import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as platinfra from "../src";
import { destroy, preview, up } from "../src/api";
import { PreflightError } from "../src/engine/preflight";
import { PulumiMissingError } from "../src/engine/pulumi-cli";
import { EXAMPLES, PROJECT_ROOT } from "./helpers/cli";
import { isolatedPath, tempDir, withEnv } from "./helpers/environment";
import { FakeEngine, fakeDependencies } from "./helpers/fake-engine";
import { specOf } from "./helpers/spec-text";
import { stackWith } from "./helpers/tools";

const SPEC = specOf(stackWith({ orchestrator: ["aws-eks"], experiment_tracker: ["mlflow"] }));

/** platinfra as a library (issue 10, items 18 and 19). */
describe("the library", () => {
  let engine: FakeEngine;
  let env: { restore(): void };
  beforeEach(() => {
    engine = new FakeEngine();
    env = withEnv({ PLATINFRA_HOME: tempDir(), PLATINFRA_PASSPHRASE: "x" });
  });
  afterEach(() => env.restore());
  const dependencies = () => fakeDependencies(engine);

  it("errors name the option, not the CLI flag", async () => {
    await assert.rejects(up(SPEC, { dependencies: dependencies() }), (error: Error & { hints: string[] }) => {
      assert.deepEqual(error.hints, ["pass yes: true, or a confirm callback"]);
      return true;
    });
    await assert.rejects(up(SPEC, { dependencies: dependencies(), skipPreview: true }), /^RefusedError: skipPreview needs yes: true: /);
    await assert.rejects(preview(SPEC, { dependencies: dependencies(), target: ["mlfow"] }), /^RefusedError: target mlfow: the stack has no tool named mlfow — did you mean "mlflow"\?/);
    await assert.rejects(preview(SPEC, { dependencies: dependencies(), backend: "notaurl" }), /^RefusedError: backend "notaurl" is not a URL/);
    await assert.rejects(destroy(SPEC, { dependencies: dependencies() }), (error: Error & { hints: string[] }) => {
      assert.deepEqual(error.hints, ["pass yes: true, or a confirm callback"]);
      return true;
    });
  });

  it("confirm receives the plan; yes skips it", async () => {
    const plans: platinfra.Plan[] = [];
    const result = await up(SPEC, { dependencies: dependencies(), confirm: async (plan) => (plans.push(plan), true) });
    assert.equal(result.operation, "up");
    assert.equal(plans[0].fullName, "demo/dev");
    assert.deepEqual(plans[0].preview.steps.map((step) => step.op), ["create", "update", "replace"]);
    assert.deepEqual(engine.operations, ["preview", "up"]);
  });

  it("destroy says each tool's beforeDestroy step before it asks, and before anything is deleted with yes", async () => {
    const step = "kubectl -n seldon delete models.mlops.seldon.io --all";
    engine.outputsToReturn = { ...engine.outputsToReturn, tools: { value: { mlflow: { trackingUri: "http://mlflow" }, "seldon-core": { beforeDestroy: step } }, secret: true } };
    const said: string[] = [];
    const onNotice = (message: string) => said.push(`notice: ${message}`);
    await destroy(SPEC, { dependencies: dependencies(), onNotice, confirm: async (question) => (said.push(`question: ${question.split("?")[0]}`), true) });
    assert.deepEqual(said, [`notice: seldon-core: before destroying, run ${step}`, "question: Destroy stack demo/dev (42 resources)"]);
    said.length = 0;
    engine.calls.length = 0;
    await destroy(SPEC, { dependencies: dependencies(), onNotice, yes: true });
    assert.deepEqual(said, [`notice: seldon-core: before destroying, run ${step}`]);
    assert.deepEqual(engine.operations, ["outputs", "destroy"]);
  });

  it("destroy of a stack that was never deployed has no steps to say, and goes on as before", async () => {
    engine.outputs = async () => {
      throw new platinfra.PlatinfraError("STACK_NOT_FOUND", "stack dev of demo does not exist");
    };
    const said: string[] = [];
    await destroy(SPEC, { dependencies: dependencies(), onNotice: (message) => said.push(message), yes: true });
    assert.deepEqual([said, engine.operations], [[], ["destroy"]]);
  });

  it("a failed up still records which spec file drove the stack, and its own error comes through", async () => {
    engine.failWith = new platinfra.PlatinfraError("ENGINE_FAILED", "up failed:\n  mlflow-db: AccessDenied");
    engine.failOn = "up";
    await assert.rejects(up(SPEC, { dependencies: dependencies(), yes: true }), /up failed:\n {2}mlflow-db: AccessDenied/);
    assert.deepEqual(engine.calls.map((call) => call.operation), ["readIdentity", "preview", "up", "recordIdentity"]);
    assert.equal([...engine.identities.values()][0].specPath, path.resolve(SPEC.file));
  });

  it("an already-aborted signal stops an operation before it starts", async () => {
    const signal = AbortSignal.abort();
    for (const run of [() => preview(SPEC, { dependencies: dependencies(), signal }), () => up(SPEC, { dependencies: dependencies(), signal, yes: true })]) {
      await assert.rejects(run(), (error: Error & { code: string; exitCode: number }) => {
        assert.equal(error.code, "CANCELLED");
        assert.equal(error.exitCode, 130);
        assert.equal(error.message, "cancelled before it started: nothing was changed");
        return true;
      });
    }
    assert.deepEqual(engine.calls, []);
  });

  it("exports the errors a caller handles", () => {
    assert.equal(platinfra.PulumiMissingError, PulumiMissingError);
    assert.equal(platinfra.PreflightError, PreflightError);
    assert.equal(typeof platinfra.CancelledError, "function");
    assert.equal(platinfra.ExitCode.cancelled, 130);
  });

  it("examples/deploy.js runs from a clone (the package's exports self-reference)", () => {
    const home = tempDir();
    const result = spawnSync(process.execPath, [path.join(EXAMPLES, "deploy.js"), path.join(EXAMPLES, "aws-mlops-stack.yaml")], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: isolatedPath(), PLATINFRA_HOME: home },
    });
    assert.equal(result.stdout, "aws-mlops-stack: 251 resources\n", result.stderr);
    assert.match(result.stderr, /^the Pulumi CLI was not found on PATH/m, "it got as far as the engine, which this machine lacks");
  });

  it("the README's Node snippet runs as written (an async main)", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    const snippet = /## Use from Node\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(snippet, "the README has the snippet");
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(PROJECT_ROOT, path.join(dir, "node_modules", "platinfra"));
    fs.copyFileSync(path.join(EXAMPLES, "aws-mlops-stack.yaml"), path.join(dir, "stack.yaml"));
    fs.writeFileSync(path.join(dir, "main.js"), snippet);
    const result = spawnSync(process.execPath, ["main.js"], { cwd: dir, encoding: "utf8", env: { ...process.env, PATH: isolatedPath(), PLATINFRA_HOME: dir } });
    assert.equal(result.stdout, "251 resources\n", result.stderr);
    assert.match(result.stderr, /^the Pulumi CLI was not found on PATH/m, "it got as far as the engine, which this machine lacks");
    assert.equal(result.status, 1);
  });

  it("an unbuilt clone's bin says to build, in one line", () => {
    const clone = tempDir();
    fs.mkdirSync(path.join(clone, "bin"));
    fs.copyFileSync(path.join(PROJECT_ROOT, "bin", "run.js"), path.join(clone, "bin", "run.js"));
    const result = spawnSync(process.execPath, [path.join(clone, "bin", "run.js"), "validate"], { encoding: "utf8" });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, `error: platinfra is not built — run "npm ci && npm run build" in ${clone}, then try again\n`);
  });
});

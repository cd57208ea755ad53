import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cancel, destroy, outputs, preview, up, type EngineDependencies } from "../../src/api";
import { AutomationEngine } from "../../src/engine/automation";
import { ProgressView } from "../../src/engine/progress";
import { locatePulumi } from "../../src/engine/pulumi-cli";
import type { Spec } from "../../src/spec/types";
import { FAKE_BIN, isolatedPath, tempDir, withEnv } from "../helpers/environment";
import { specOf, VALID_SPEC } from "../helpers/spec-text";

/**
 * The Automation API adapter against a fake `pulumi` executable (a test double, see
 * test/fixtures/fake-pulumi/pulumi) that records its argv and plays engine events.
 */

const SPEC: Spec = specOf(VALID_SPEC.replace("name: aws\n", "name: aws\n  profile: ml\n").replace("experiment_tracker: [mlflow]", "orchestrator: [aws-eks]"));

interface Call {
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

describe("the Automation API adapter, against a fake pulumi CLI", () => {
  let home: string;
  let log: string;
  let env: { restore(): void };

  const calls = (): Call[] => fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  const callsOf = (command: string) => calls().filter((call) => call.args[0] === command);

  /** Real CLI location and Automation API engine; AWS preflight stubbed (tested elsewhere). */
  const dependencies: EngineDependencies = {
    createEngine: async ({ installPulumi, installHint }) => new AutomationEngine(await locatePulumi({ install: installPulumi, installHint })),
    preflight: async () => ({ accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/deployer", region: "eu-west-1" }),
  };

  beforeEach(() => {
    home = tempDir();
    log = path.join(home, "pulumi-calls.jsonl");
    env = withEnv({
      PATH: isolatedPath(FAKE_BIN.pulumi),
      PLATINFRA_HOME: home,
      FAKE_PULUMI_LOG: log,
      FAKE_PULUMI_STATE: path.join(home, "fake-stacks"),
      FAKE_PULUMI_SCENARIO: undefined,
      PLATINFRA_PASSPHRASE: undefined,
      PULUMI_CONFIG_PASSPHRASE: undefined,
      PULUMI_CONFIG_PASSPHRASE_FILE: undefined,
      PULUMI_BACKEND_URL: undefined,
    });
  });
  afterEach(() => env.restore());

  it("up: creates the stack, maps every flag, and returns changes and outputs with secrets flagged", async () => {
    const result = await up(SPEC, { dependencies, yes: true, target: ["aws-eks"], parallel: 4, refresh: true, diff: true });
    const inits = callsOf("stack").filter((call) => call.args[1] === "init").map((call) => call.args.slice(0, 3));
    assert.deepEqual(inits, [["stack", "init", "dev"]]);
    assert.deepEqual(calls().filter((call) => call.args[0] === "preview" || call.args[0] === "up").map((call) => call.args[0]), ["preview", "up"], "the plan first, then the update");
    const [upCall] = callsOf("up");
    const args = upCall.args;
    assert.deepEqual(args.slice(0, 3), ["up", "--yes", "--skip-preview"]);
    assert.ok(args.includes("--refresh") && args.includes("--diff"));
    assert.equal(args[args.indexOf("--parallel") + 1], "4");
    const targets = args.flatMap((arg, index) => (arg === "--target" ? [args[index + 1]] : []));
    assert.deepEqual(targets, [
      "urn:pulumi:dev::demo::pulumi:pulumi:Stack::*",
      "urn:pulumi:dev::demo::**platinfra:base:**",
      "urn:pulumi:dev::demo::**pulumi:providers:**",
      "urn:pulumi:dev::demo::**::aws-eks",
      "urn:pulumi:dev::demo::**::aws-eks-*",
    ]);
    assert.equal(args[args.indexOf("--stack") + 1], "dev");
    assert.deepEqual(result.changes, { create: 1, same: 2 });
    assert.deepEqual(result.outputs.secretEnv, { value: { MLFLOW_TRACKING_PASSWORD: "pa'ss" }, secret: true });
    assert.deepEqual(result.outputs.region, { value: "eu-west-1", secret: false });
  });

  it("default backend and secrets: a file backend under platinfra's home, a passphrase created once, 0600", async () => {
    const notices: string[] = [];
    await preview(SPEC, { dependencies, onNotice: (message) => notices.push(message) });
    const passphraseFile = path.join(home, "state.passphrase");
    assert.equal(fs.statSync(passphraseFile).mode & 0o777, 0o600);
    assert.equal(notices.length, 1);
    assert.match(notices[0], new RegExp(`created a passphrase for this stack's secrets at ${passphraseFile} \\(mode 0600\\)`));
    const [previewCall] = callsOf("preview");
    assert.equal(previewCall.env.PULUMI_CONFIG_PASSPHRASE_FILE, passphraseFile);
    assert.equal(previewCall.env.AWS_PROFILE, "ml");
    assert.equal(previewCall.env.AWS_REGION, "eu-west-1");
    assert.equal(previewCall.cwd, path.join(home, "workspaces", "demo", "dev"));
    const project = fs.readFileSync(path.join(home, "workspaces", "demo", "dev", "Pulumi.yaml"), "utf8");
    assert.match(project, new RegExp(`url: file://${path.join(home, "state")}`));
    const secondPreview = await preview(SPEC, { dependencies, onNotice: (message) => notices.push(message) });
    assert.equal(notices.length, 1, "the passphrase is created once");
    assert.deepEqual(secondPreview.changes, { create: 1, same: 2 });
  });

  it("a passphrase from PLATINFRA_PASSPHRASE reaches the CLI, and no file is written", async () => {
    process.env.PLATINFRA_PASSPHRASE = "correct horse";
    await preview(SPEC, { dependencies });
    assert.equal(callsOf("preview")[0].env.PULUMI_CONFIG_PASSPHRASE, "<set>");
    assert.equal(fs.existsSync(path.join(home, "state.passphrase")), false);
  });

  it("Pulumi Cloud: the stack carries tags for dashboards, and no passphrase is used", async () => {
    await preview(SPEC, { dependencies, backend: "https://api.pulumi.com" });
    const tags = callsOf("stack").filter((call) => call.args[1] === "tag").map((call) => call.args.slice(3, 5));
    assert.deepEqual(tags, [
      ["platinfra:version", "0.1.0"],
      ["platinfra:provider", "aws"],
      ["platinfra:region", "eu-west-1"],
      ["platinfra:tools", "aws-eks"],
    ]);
    assert.equal(callsOf("preview")[0].env.PULUMI_CONFIG_PASSPHRASE_FILE, undefined);
  });

  it("progress renders from the engine's events", async () => {
    const lines: string[] = [];
    const view = new ProgressView((text) => lines.push(text), "plain", () => 1000);
    view.setPlanning(true);
    const result = await up(SPEC, { dependencies, yes: true, onEvent: (event) => view.handle(event), onPlan: () => view.setPlanning(false) });
    assert.deepEqual(lines, ["  create aws:s3/bucket:Bucket mlflow-artifacts\n", "  created aws:s3/bucket:Bucket mlflow-artifacts (0.0s)\n"]);
    assert.deepEqual(result.diagnostics, [{ severity: "warning", urn: "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::mlflow-artifacts", message: "a warning from the provider" }]);
  });

  it("a missing Pulumi CLI is one clear error naming the install command", async () => {
    process.env.PATH = isolatedPath();
    await assert.rejects(preview(SPEC, { dependencies }), (error: Error & { hints?: string[] }) => {
      assert.equal(error.message, `the Pulumi CLI was not found on PATH or in ${path.join(home, "pulumi")} — platinfra needs it (version 3.211.0 or newer) to deploy`);
      // The library names its option, not the CLI flag.
      assert.deepEqual(error.hints, ["install it: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0", "or run again with installPulumi: true"]);
      return true;
    });
  });

  it("a Pulumi CLI older than the minimum is refused", async () => {
    process.env.FAKE_PULUMI_SCENARIO = "old";
    await assert.rejects(preview(SPEC, { dependencies }), /the Pulumi CLI is too old .* platinfra needs 3\.211\.0 or newer/);
  });

  it("a locked stack explains the lock and points to platinfra cancel", async () => {
    await preview(SPEC, { dependencies });
    process.env.FAKE_PULUMI_SCENARIO = "locked";
    await assert.rejects(up(SPEC, { dependencies, yes: true }), (error: Error & { code?: string; hints?: string[] }) => {
      assert.equal(error.code, "STACK_LOCKED");
      assert.match(error.message, /^stack dev of demo is locked by another operation \(locked by 1 lock\(s\)\./);
      assert.deepEqual(error.hints, ["platinfra cancel stack.yaml --stack dev"], "the real spec path, never <spec>");
      return true;
    });
  });

  it("engine failures carry the engine's diagnostics in full", async () => {
    process.env.FAKE_PULUMI_SCENARIO = "failing";
    await assert.rejects(up(SPEC, { dependencies, yes: true }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "ENGINE_FAILED");
      // The preview fails first; its diagnostics come from the engine's events, never the internal command line.
      assert.equal(error.message, "preview failed:\n  mlflow-artifacts: creating S3 Bucket (mlflow-artifacts): operation error S3: CreateBucket, AccessDenied");
      assert.doesNotMatch(error.message, /--event-log|--client=|Command failed/);
      return true;
    });
  });

  it("outputs of a stack that does not exist: a clear not-found error", async () => {
    await assert.rejects(outputs(SPEC, { dependencies, stack: "prod" }), (error: Error & { code?: string }) => {
      assert.equal(error.code, "STACK_NOT_FOUND");
      assert.match(error.message, /^stack prod of demo does not exist in file:\/\//);
      return true;
    });
  });

  it("outputs: masked and plain values come back with their secret flag", async () => {
    await up(SPEC, { dependencies, yes: true });
    const result = await outputs(SPEC, { dependencies });
    assert.deepEqual(result.kubeconfig, { value: "apiVersion: v1", secret: true });
    assert.deepEqual(result.env.value, { AWS_REGION: "eu-west-1", MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc:5000" });
  });

  it("preflight is told the operation (destroy and refresh skip the deploy-only checks)", async () => {
    const asked: (string | undefined)[] = [];
    const recording: EngineDependencies = { ...dependencies, preflight: async (spec, env, operation) => (asked.push(operation), dependencies.preflight(spec, env)) };
    await up(SPEC, { dependencies: recording, yes: true });
    await destroy(SPEC, { dependencies: recording, yes: true });
    assert.deepEqual(asked, ["up", "destroy"]);
  });

  it("destroy with --yes runs without asking; protected data resources get the way out in the message", async () => {
    await up(SPEC, { dependencies, yes: true });
    const destroyed = await destroy(SPEC, { dependencies, yes: true });
    assert.deepEqual(destroyed.changes, { delete: 1 });
    process.env.FAKE_PULUMI_SCENARIO = "protected";
    await assert.rejects(destroy(SPEC, { dependencies, yes: true }), (error: Error & { code?: string; hints?: string[] }) => {
      assert.equal(error.code, "RESOURCES_PROTECTED");
      assert.match(error.message, /1 data-bearing resource\(s\) are protected \(mlflow-db\)/);
      assert.deepEqual(error.hints, ["to delete them: set deployment.deletion_protection: false in stack.yaml, run platinfra up stack.yaml --stack dev, then platinfra destroy stack.yaml --stack dev"]);
      return true;
    });
  });

  it("destroy asks with the stack name and resource count, and stops when not confirmed", async () => {
    await up(SPEC, { dependencies, yes: true });
    const asked: [string, string][] = [];
    await assert.rejects(
      destroy(SPEC, { dependencies, confirm: async (question, answer) => (asked.push([question, answer]), false) }),
      /destroy cancelled: stack demo\/dev was not touched/,
    );
    assert.deepEqual(asked, [["Destroy stack demo/dev (3 resources)? Type the stack's full name, demo/dev, to confirm", "demo/dev"]]);
    assert.equal(callsOf("destroy").length, 0);
  });

  it("up and destroy record the spec file's identity as stack tags; another spec file with the same name is refused without adopt", async () => {
    await up(SPEC, { dependencies, yes: true });
    const tags = () => JSON.parse(fs.readFileSync(path.join(home, "fake-stacks", "dev.tags.json"), "utf8")) as Record<string, string>;
    const recorded = tags();
    assert.equal(recorded["platinfra:spec-path"], path.resolve("stack.yaml"));
    assert.match(recorded["platinfra:spec-sha256"], /^[0-9a-f]{64}$/);
    assert.equal(recorded["platinfra:deployed-by"], `${os.userInfo().username}@${os.hostname()}`);
    assert.ok(Date.parse(recorded["platinfra:deployed-at"]) > 0);
    const other = { ...SPEC, file: "/elsewhere/other-project/stack.yaml" };
    await assert.rejects(up(other, { dependencies, yes: true }), (error: Error & { code?: string; hints?: string[] }) => {
      assert.equal(error.code, "STACK_CONFLICT");
      assert.match(error.message, new RegExp(`^stack demo/dev was deployed from another spec file: ${path.resolve("stack.yaml")} on ${os.hostname()} .* — this is /elsewhere/other-project/stack.yaml`));
      assert.equal(error.hints?.[1], "if this file now owns the stack (moved, copied to CI), take it over with adopt: true");
      return true;
    });
    assert.equal(callsOf("up").length, 1, "the second spec changed nothing");
    await destroy(other, { dependencies, yes: true, adopt: true });
    assert.equal(tags()["platinfra:spec-path"], "/elsewhere/other-project/stack.yaml");
  });

  it("cancel releases a file backend's stale locks when the CLI cannot cancel", async () => {
    await up(SPEC, { dependencies, yes: true });
    const locks = path.join(home, "state", ".pulumi", "locks", "organization", "demo", "dev");
    fs.mkdirSync(locks, { recursive: true });
    fs.writeFileSync(path.join(locks, "a1.json"), "{}");
    process.env.FAKE_PULUMI_SCENARIO = "locked";
    assert.equal(await cancel(SPEC, { dependencies }), "released 1 stale lock(s) of stack dev");
    assert.deepEqual(fs.readdirSync(locks), []);
  });

  it("the stack's settings are kept beside the state, so a lost workspace loses no secrets", async () => {
    await up(SPEC, { dependencies, yes: true });
    const workspace = path.join(home, "workspaces", "demo", "dev");
    fs.writeFileSync(path.join(workspace, "Pulumi.dev.yaml"), "encryptionsalt: v1:abc\n");
    await up(SPEC, { dependencies, yes: true });
    fs.rmSync(workspace, { recursive: true });
    await up(SPEC, { dependencies, yes: true });
    assert.equal(fs.readFileSync(path.join(workspace, "Pulumi.dev.yaml"), "utf8"), "encryptionsalt: v1:abc\n");
  });
});

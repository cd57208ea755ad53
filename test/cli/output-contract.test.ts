import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { colourWanted } from "../../src/cli/style";
import { PlatinfraError } from "../../src/errors";
import { platinfra } from "../helpers/cli";
import { engineCli } from "../helpers/engine-cli";

/** --json means JSON on stdout in every outcome; one error style otherwise (issue 10, items 9 and 10). */
describe("--json failures are JSON on stdout, with the same exit code", () => {
  const cli = engineCli();

  const failure = async (args: string[]) => {
    const { stdout, exitCode } = await platinfra(args);
    return { exitCode, error: (JSON.parse(stdout) as { error: { code: string; message: string; hints: string[]; details?: Record<string, unknown> } }).error };
  };

  it("an argument-parsing error", async () => {
    const { exitCode, error } = await failure(["up", cli.spec, "--json", "--bogus"]);
    assert.equal(exitCode, 2);
    assert.deepEqual(error, { code: "INVALID_ARGUMENTS", message: "Nonexistent flag: --bogus", hints: ["see --help for the arguments and flags"] });
  });

  it("a refusal (no --yes): only the JSON on stdout, no plan text", async () => {
    const { stdout, exitCode } = await platinfra(["up", cli.spec, "--json"]);
    assert.equal(exitCode, 2);
    assert.deepEqual(Object.keys(JSON.parse(stdout)), ["error"]);
    assert.equal(JSON.parse(stdout).error.code, "CONFIRMATION_REQUIRED");
    assert.deepEqual(cli.engine.operations, ["preview"]);
  });

  it("an invalid spec: every problem with its position", async () => {
    fs.writeFileSync(cli.spec, "name: demo\nprovider: {name: gcp, account-id: \"123456789012\"}\ndeployment: {type: kubernetes}\nstack: {orchestrator: [aws-eks]}\n");
    const { exitCode, error } = await failure(["preview", cli.spec, "--json"]);
    assert.equal(exitCode, 2);
    assert.equal(error.code, "SPEC_INVALID");
    assert.deepEqual(error.details?.problems, [
      { file: cli.spec, line: 2, column: 18, path: "provider.name", message: 'provider "gcp" is not supported yet — supported: aws', severity: "error" },
    ]);
  });

  it("an engine failure and an internal error", async () => {
    cli.engine.failWith = new PlatinfraError("ENGINE_FAILED", "preview failed:\n  mlflow-db: AccessDenied");
    const engine = await failure(["preview", cli.spec, "--json"]);
    assert.equal(engine.exitCode, 1);
    assert.deepEqual(engine.error, { code: "ENGINE_FAILED", message: "preview failed:\n  mlflow-db: AccessDenied", hints: [] });
    cli.engine.failWith = new Error("boom");
    const internal = await failure(["preview", cli.spec, "--json"]);
    assert.equal(internal.exitCode, 1);
    assert.equal(internal.error.code, "INTERNAL");
    assert.equal(internal.error.message, "internal error: boom (run again with --debug for the stack trace)");
  });

  it("a missing spec file and a command without --json of its own", async () => {
    const missing = await failure(["outputs", path.join(cli.dir, "nope.yaml"), "--json"]);
    assert.equal(missing.exitCode, 2);
    assert.equal(missing.error.code, "SPEC_FILE");
    const init = await failure(["init", path.join(cli.dir, "x.yaml"), "--json", "--tools", "mlfow"]);
    assert.equal(init.exitCode, 2);
  });
});

describe("one error style, colour only where wanted", () => {
  const cli = engineCli();

  it("error: then hint: lines; with --color the label is red", async () => {
    const plain = await platinfra(["up", cli.spec], { keepColour: true });
    assert.match(plain.stderr, /\nerror: up needs confirmation.*\n {2}hint: run it in a terminal to confirm, or add --yes\n$/);
    assert.doesNotMatch(plain.stderr, /\x1b\[/, "no colour when stderr is not a terminal");
    const coloured = await platinfra(["up", cli.spec, "--color"], { keepColour: true });
    assert.match(coloured.stderr, /\x1b\[31merror:\x1b\[39m up needs confirmation/);
    assert.match(coloured.stdout, /\x1b\[32m\+ \x1b\[39m aws:s3\/bucket:Bucket/, "plan symbols in colour");
  });

  const cases: [string, { isTTY?: boolean }, string[], Record<string, string>, boolean][] = [
    ["a terminal", { isTTY: true }, [], {}, true],
    ["a pipe", { isTTY: false }, [], {}, false],
    ["NO_COLOR on a terminal", { isTTY: true }, [], { NO_COLOR: "1" }, false],
    ["empty NO_COLOR is unset", { isTTY: true }, [], { NO_COLOR: "" }, true],
    ["--no-color", { isTTY: true }, ["--no-color"], {}, false],
    ["--json", { isTTY: true }, ["--json"], {}, false],
    ["--color on a pipe", { isTTY: false }, ["--color"], {}, true],
    ["TERM=dumb", { isTTY: true }, [], { TERM: "dumb" }, false],
  ];
  for (const [name, stream, argv, env, expected] of cases) {
    it(`colour: ${name} → ${expected}`, () => assert.equal(colourWanted(stream, argv, env), expected));
  }
});

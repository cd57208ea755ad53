import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CancelledError } from "../../src/errors";
import { platinfra } from "../helpers/cli";
import { EKS_SPEC, engineCli } from "../helpers/engine-cli";

/** Safety first (issue 10, items 1, 2 and 11): nothing changes before a person (or --yes) agrees. */
describe("up, refresh and destroy ask before changing anything", () => {
  const cli = engineCli();

  it("up on a terminal prints the plan, asks, and runs only after \"yes\"", async () => {
    const terminal = cli.answer("yes");
    const { stdout, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 0);
    assert.deepEqual(terminal.questions, ["Do you want to perform this update? yes/no/details: "]);
    assert.deepEqual(cli.engine.operations, ["preview", "up"]);
    assert.match(stdout, /^Plan for stack demo\/dev:\n {2}mlflow\n {4}\+ {2}aws:s3\/bucket:Bucket {2}mlflow-artifacts\n/);
    assert.match(stdout, /\nup: created 1, updated 1, replaced 1, deleted 0, unchanged 1 in 1m15s\n/);
  });

  it("\"details\" shows every property change and asks again; \"no\" stops with nothing changed (exit 2)", async () => {
    const terminal = cli.answer("details", "no");
    const { stdout, stderr, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 2);
    assert.equal(terminal.questions.length, 2);
    assert.match(stdout, /\n {8}~ tags\.team: "ml" => "platform"\n/);
    assert.match(stderr, /error: up cancelled: nothing was changed\n/);
    assert.deepEqual(cli.engine.operations, ["preview"]);
  });

  it("up without a terminal and without --yes exits 2 having run nothing but the preview", async () => {
    const { stdout, stderr, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 2);
    assert.deepEqual(cli.engine.operations, ["preview"]);
    assert.match(stdout, /^Plan for stack demo\/dev:\n/, "the plan is shown, so a CI log says what --yes would do");
    assert.deepEqual(stderr.trim().split("\n").slice(-2), [
      "error: up needs confirmation: nothing was changed (the plan above is what it would do to stack demo/dev)",
      "  hint: run it in a terminal to confirm, or add --yes",
    ]);
  });

  it("--skip-preview only with --yes; then no preview runs", async () => {
    const refused = await platinfra(["up", cli.spec, "--skip-preview"]);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /error: All of the following must be provided when using --skip-preview: --yes/);
    assert.deepEqual(cli.engine.operations, []);
    assert.equal((await platinfra(["up", cli.spec, "--skip-preview", "--yes"])).exitCode, 0);
    assert.deepEqual(cli.engine.operations, ["up"]);
  });

  it("nothing to change: no question, even without a terminal", async () => {
    cli.engine.events = [];
    cli.engine.changes = { same: 7 };
    const { exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 0);
    assert.deepEqual(cli.engine.operations, ["preview", "up"]);
  });

  it("Ctrl-C at the prompt is a cancel: exit 130, \"cancelled: nothing was changed\", never an internal error", async () => {
    cli.answer(new CancelledError());
    const { stderr, exitCode } = await platinfra(["up", cli.spec]);
    assert.equal(exitCode, 130);
    assert.equal(stderr.trim().split("\n").pop(), "error: cancelled: nothing was changed");
    assert.deepEqual(cli.engine.operations, ["preview"]);
  });

  it("refresh previews, then asks likewise (refuses without a terminal, runs with --yes)", async () => {
    const refused = await platinfra(["refresh", cli.spec]);
    assert.equal(refused.exitCode, 2);
    assert.deepEqual(cli.engine.operations, ["preview-refresh"]);
    const terminal = cli.answer("yes");
    assert.equal((await platinfra(["refresh", cli.spec])).exitCode, 0);
    assert.deepEqual(terminal.questions, ["Do you want to perform this refresh? yes/no/details: "]);
    assert.equal((await platinfra(["refresh", cli.spec, "--yes"])).exitCode, 0);
    assert.deepEqual(cli.engine.operations, ["preview-refresh", "preview-refresh", "refresh", "preview-refresh", "refresh"]);
  });

  it("preview offers no --yes: nothing there asks", async () => {
    const { exitCode, stderr } = await platinfra(["preview", cli.spec, "--yes"]);
    assert.equal(exitCode, 2);
    assert.match(stderr, /error: Nonexistent flag: --yes/);
  });

  it("destroy asks for the stack's full name (project/stack), with no default in parentheses", async () => {
    const terminal = cli.answer("dev");
    const wrong = await platinfra(["destroy", cli.spec]);
    assert.equal(wrong.exitCode, 2);
    assert.deepEqual(terminal.questions, ["Destroy stack demo/dev (42 resources)? Type the stack's full name, demo/dev, to confirm: "]);
    assert.match(wrong.stderr, /error: destroy cancelled: stack demo\/dev was not touched/);
    assert.deepEqual(cli.engine.operations, ["outputs", "resourceCount"], "the outputs hold the tools' steps before destroy");
    cli.answer("demo/dev");
    const done = await platinfra(["destroy", cli.spec]);
    assert.equal(done.exitCode, 0);
    assert.match(done.stdout, /^destroy: created 0, updated 0, replaced 0, deleted 3, unchanged 0 in 1m15s\n$/);
  });

  it("destroy --yes prints the tools' beforeDestroy steps on stderr before it deletes anything", async () => {
    cli.engine.outputsToReturn = { tools: { value: { "seldon-core": { beforeDestroy: "kubectl -n seldon delete models.mlops.seldon.io --all" } }, secret: false } };
    const done = await platinfra(["destroy", cli.spec, "--yes"]);
    assert.equal(done.exitCode, 0);
    assert.match(done.stderr, /\nseldon-core: before destroying, run kubectl -n seldon delete models\.mlops\.seldon\.io --all\n/);
    assert.deepEqual(cli.engine.operations, ["outputs", "destroy"]);
  });

  it("destroy without --yes and without a terminal refuses, naming the count", async () => {
    const refused = await platinfra(["destroy", cli.spec]);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /error: destroy needs confirmation: 42 resources of stack demo\/dev would be deleted\n {2}hint: run it in a terminal to confirm, or add --yes/);
    assert.deepEqual(cli.engine.operations, ["outputs", "resourceCount"], "the outputs hold the tools' steps before destroy");
    assert.equal((await platinfra(["destroy", cli.spec, "--yes"])).exitCode, 0);
  });
});

describe("one stack can't be taken over by another project by accident", () => {
  const cli = engineCli();

  it("two spec files with the same name: the second is refused even with --yes, the plan says so, and --adopt takes over", async () => {
    assert.equal((await platinfra(["up", cli.spec, "--yes"])).exitCode, 0);
    const recorded = [...cli.engine.identities.values()][0];
    assert.equal(recorded.specPath, cli.spec);
    assert.equal(recorded.host, os.hostname());
    assert.equal(recorded.specSha256.length, 64);

    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-other-"));
    const other = path.join(otherDir, "stack.yaml");
    fs.writeFileSync(other, EKS_SPEC);
    const refused = await platinfra(["up", other, "--yes"]);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stdout, new RegExp(`warning: this stack was deployed from ${cli.spec} on ${os.hostname()}`));
    assert.match(refused.stderr, new RegExp(`error: stack demo/dev was deployed from another spec file: ${cli.spec} on ${os.hostname()} .* — this is ${other} on ${os.hostname()}; nothing was changed`));
    assert.match(refused.stderr, /hint: if this file now owns the stack \(moved, copied to CI\), take it over with --adopt/);
    assert.deepEqual(cli.engine.operations, ["preview", "up", "preview"]);

    const terminal = cli.answer("yes");
    assert.equal((await platinfra(["up", other, "--adopt"])).exitCode, 0);
    assert.deepEqual(terminal.questions, [`Do you want to take over stack demo/dev from ${cli.spec} and perform this update? yes/no/details: `]);
    assert.equal([...cli.engine.identities.values()][0].specPath, other);
    assert.equal((await platinfra(["destroy", cli.spec, "--yes"])).exitCode, 2, "now the first file is the other one");
  });
});

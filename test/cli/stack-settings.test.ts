import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { workspaceDir } from "../../src/engine/paths";
import { validateStackName } from "../../src/engine/target";
import { platinfra } from "../helpers/cli";
import { engineCli } from "../helpers/engine-cli";

/** --backend and --stack: wrong values are refused before anything runs (issue 10, items 3 and 17). */
describe("stack settings are checked before anything runs", () => {
  const cli = engineCli();

  it("--backend that is not a URL is an error, and no passphrase file lands in the working directory", async () => {
    const cwd = process.cwd();
    process.chdir(cli.dir);
    try {
      const { stderr, exitCode } = await platinfra(["preview", cli.spec, "--backend", "notaurl"]);
      assert.equal(exitCode, 2);
      assert.deepEqual(stderr.trim().split("\n").slice(-2), [
        'error: --backend "notaurl" is not a URL — a backend is file://<folder>, s3://<bucket>, gs://…, azblob://… or https://api.pulumi.com',
        `  hint: for a local folder: --backend file://${fs.realpathSync(cli.dir)}/notaurl`,
      ]);
      assert.deepEqual(fs.readdirSync(cli.dir).sort(), ["stack.yaml"], "nothing written");
      assert.deepEqual(cli.engine.operations, []);
    } finally {
      process.chdir(cwd);
    }
  });

  for (const url of ["file:///srv/state", "s3://bucket/prefix", "gs://bucket", "azblob://container", "https://api.pulumi.com"]) {
    it(`--backend ${url} is accepted`, async () => {
      assert.equal((await platinfra(["preview", cli.spec, "--backend", url])).exitCode, 0);
    });
  }

  for (const stack of ["..", ".", "../../etc", "a/b", "prod!env", "x".repeat(101)]) {
    it(`--stack ${JSON.stringify(stack)} is refused like Pulumi refuses it`, async () => {
      const { stderr, exitCode } = await platinfra(["preview", cli.spec, "--stack", stack]);
      assert.equal(exitCode, 2);
      assert.match(stderr, /error: --stack ".*": a stack name is 1–100 letters, digits, "-", "_" or "\." \(and not "\." or "\.\."\)/);
      assert.deepEqual(cli.engine.operations, []);
    });
  }

  it("stack names Pulumi accepts are accepted; the library names the option", () => {
    for (const stack of ["dev", "prod-eu", "v1.2", "feature_x"]) validateStackName(stack);
    assert.throws(() => validateStackName(".."), /^RefusedError: stack "\.\.": a stack name/);
    assert.throws(() => validateStackName(""), /^RefusedError: stack "": a stack name/);
  });

  it("a workspace never leaves platinfra's home", () => {
    const env = { PLATINFRA_HOME: "/home/u/.platinfra" };
    assert.equal(workspaceDir("demo", "dev", env), "/home/u/.platinfra/workspaces/demo/dev");
    for (const [project, stack] of [["demo", ".."], ["..", "x"], ["demo", "a/../../b"], ["", "dev"]]) {
      assert.throws(() => workspaceDir(project, stack, env), /refusing a workspace outside/);
    }
    assert.equal(path.isAbsolute(workspaceDir("demo", "dev")), true);
  });
});

import { strict as assert } from "node:assert";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { explainInstallFailure, locatePulumi } from "../../src/engine/pulumi-cli";
import { FAKE_BIN, isolatedPath, tempDir } from "../helpers/environment";

/** --install-pulumi (issue 10, item 12): failures say why; a too-old CLI gets the pinned one installed. */
describe("--install-pulumi", () => {
  const cases: [string, string, { status?: number; code?: string } | undefined, NodeJS.ProcessEnv, string][] = [
    ["DNS", "Failed to download https://get.pulumi.com/install.sh: fetch failed", { code: "ENOTFOUND" }, {}, "DNS lookup of get.pulumi.com failed (ENOTFOUND)"],
    ["DNS behind a proxy", "Failed to download https://get.pulumi.com/install.sh: fetch failed", { code: "EAI_AGAIN" }, { HTTPS_PROXY: "http://proxy:3128" }, "DNS lookup of get.pulumi.com failed (EAI_AGAIN) — HTTPS_PROXY is set, and the Automation API's download (Node's fetch) does not go through proxies"],
    ["connection", "Failed to download https://get.pulumi.com/install.sh: fetch failed", { code: "ECONNREFUSED" }, {}, "could not connect to get.pulumi.com (ECONNREFUSED)"],
    ["HTTP status", "Failed to download https://get.pulumi.com/install.sh: 403 Forbidden", undefined, {}, "get.pulumi.com answered HTTP 403"],
    ["timeout", "Timed out downloading https://get.pulumi.com/install.sh", undefined, {}, "the download from get.pulumi.com timed out"],
    ["the script", "Command failed with exit code 1: /bin/sh /tmp/x.sh\nerror: tar: unexpected EOF", undefined, {}, "the install script failed: Command failed with exit code 1: /bin/sh /tmp/x.sh"],
  ];
  for (const [name, message, probe, env, expected] of cases) {
    it(`explains a failed install: ${name}`, () => assert.equal(explainInstallFailure(message, probe, env), expected));
  }

  it("a failed download is one error with the reason and the manual install command", async () => {
    const home = tempDir();
    const env = { PATH: isolatedPath(), PLATINFRA_HOME: home };
    const installer = async () => {
      throw new Error("Failed to download https://get.pulumi.com/install.sh: fetch failed");
    };
    await assert.rejects(locatePulumi({ install: true, env, installer, probe: async () => ({ code: "ENOTFOUND" }) }), (error: Error & { code: string; hints: string[] }) => {
      assert.equal(error.code, "PULUMI_INSTALL_FAILED");
      assert.equal(error.message, `could not install the Pulumi CLI 3.248.0 into ${home}/pulumi: DNS lookup of get.pulumi.com failed (ENOTFOUND)`);
      assert.deepEqual(error.hints, [
        `install it yourself: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0 --install-root ${home}/pulumi --no-edit-path`,
        "or put a Pulumi CLI 3.211.0 or newer on PATH",
      ]);
      return true;
    });
  });

  it("a CLI on PATH that is too old: refused with the way out, and --install-pulumi installs the pinned version into platinfra's folder", async () => {
    const home = tempDir();
    // The fake `pulumi` (a test double) reports v3.100.0 in its "old" scenario.
    const env = { PATH: isolatedPath(FAKE_BIN.pulumi), PLATINFRA_HOME: home, FAKE_PULUMI_SCENARIO: "old" };
    const previous = process.env.FAKE_PULUMI_SCENARIO;
    process.env.FAKE_PULUMI_SCENARIO = "old";
    const savedPath = process.env.PATH;
    process.env.PATH = env.PATH;
    try {
      await assert.rejects(locatePulumi({ env }), (error: Error & { hints: string[] }) => {
        assert.match(error.message, /^the Pulumi CLI is too old \(.*\) — platinfra needs 3\.211\.0 or newer$/);
        assert.equal(error.hints[1], "or run again with --install-pulumi (installs 3.248.0 into platinfra's own folder)");
        return true;
      });
      const installed: [string, string][] = [];
      const sentinel = { command: `${home}/pulumi/bin/pulumi` } as unknown as PulumiCommand;
      const result = await locatePulumi({ env, install: true, installer: async (root, version) => (installed.push([root, version]), sentinel) });
      assert.equal(result, sentinel);
      assert.deepEqual(installed, [[`${home}/pulumi`, "3.248.0"]]);
    } finally {
      process.env.PATH = savedPath;
      if (previous === undefined) delete process.env.FAKE_PULUMI_SCENARIO;
      else process.env.FAKE_PULUMI_SCENARIO = previous;
    }
  });
});

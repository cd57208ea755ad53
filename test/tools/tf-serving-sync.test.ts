import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SYNC_SCRIPT } from "../../components/tools/tf-serving/sync";

/**
 * The sidecar's script, run by the system's sh against a test double of the AWS CLI
 * (test/fixtures/fake-aws-s3/aws: a local folder as S3), its root moved to a temporary folder and
 * its endless loop cut to one more round, so each run is: round, round, config, round, config.
 */
describe("tf-serving sync script", () => {
  const FAKE_AWS = path.resolve(__dirname, "../../../test/fixtures/fake-aws-s3");
  let work: string;
  let bucket: string;
  let root: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "tf-serving-sync-"));
    bucket = path.join(work, "s3", "b", "models");
    root = path.join(work, "models");
    fs.mkdirSync(bucket, { recursive: true });
    fs.mkdirSync(root);
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const upload = (version: string, files: Record<string, string>) => {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(bucket, version, file)), { recursive: true });
      fs.writeFileSync(path.join(bucket, version, file), content);
    }
  };
  const script = () => {
    const moved = SYNC_SCRIPT.replace(/^root=\/models$/m, `root=${root}`).replace(/^while :; do .*$/m, "round; config");
    assert.notEqual(moved, SYNC_SCRIPT);
    return moved;
  };
  const environment = (versions: string, extra: Record<string, string> = {}) => ({
    PATH: `${FAKE_AWS}:${process.env.PATH}`,
    FAKE_S3: path.join(work, "s3"),
    SOURCE: "s3://b/models/",
    VERSIONS: versions,
    MODEL_CONFIG: "the model's config",
    MONITORING_CONFIG: "the monitoring config",
    SYNC_INTERVAL_SECONDS: "1",
    ...extra,
  });
  const run = (versions: string): string => execFileSync("sh", ["-c", script()], { env: environment(versions), encoding: "utf8" });
  /** A first start that must not finish: still waiting (no config written) after a few seconds. */
  const neverStarts = (versions: string, extra: Record<string, string> = {}) => {
    const result = spawnSync("sh", ["-c", script()], { env: environment(versions, extra), encoding: "utf8", timeout: 2500, killSignal: "SIGKILL" });
    assert.equal((result.error as NodeJS.ErrnoException | undefined)?.code, "ETIMEDOUT");
    assert.equal(fs.existsSync(path.join(root, ".platinfra", "models.config")), false);
    return result.stdout;
  };
  const inPlace = () => fs.readdirSync(root).filter((name) => /^\d+$/.test(name)).sort();
  const staged = () => fs.readdirSync(path.join(root, ".platinfra", "staging")).sort();
  const config = () => fs.readFileSync(path.join(root, ".platinfra", "models.config"), "utf8");

  it("with an empty bucket: no version, a model list without models (the server starts and serves nothing yet)", () => {
    run("latest:1");
    assert.deepEqual(inPlace(), []);
    assert.equal(config(), "model_config_list {}\n");
    assert.equal(fs.readFileSync(path.join(root, ".platinfra", "monitoring.config"), "utf8"), "the monitoring config\n");
  });

  it("takes a complete version whole, keeps one still uploading (no saved_model.pb) in staging, ignores folders that are not numbers", () => {
    upload("1", { "saved_model.pb": "pb1", "variables/variables.index": "i1" });
    upload("2", { "variables/variables.index": "i2" });
    upload("latest", { "saved_model.pb": "x" });
    const log = run("latest:2");
    assert.deepEqual(inPlace(), ["1"]);
    assert.equal(fs.readFileSync(path.join(root, "1", "variables", "variables.index"), "utf8"), "i1");
    assert.deepEqual(staged(), ["2"]);
    assert.equal(config(), "the model's config\n");
    assert.equal(log, "version 1 in place\n");
  });

  it("latest:1: the new version replaces the old once it is in place; specific and all select from what S3 holds", () => {
    upload("1", { "saved_model.pb": "pb1" });
    run("latest:1");
    upload("2", { "saved_model.pb": "pb2" });
    assert.equal(run("latest:1"), "version 2 in place\nversion 1 removed\n");
    assert.deepEqual(inPlace(), ["2"]);
    assert.equal(run("specific:1"), "version 1 in place\nversion 2 removed\n");
    assert.deepEqual(inPlace(), ["1"]);
    run("all");
    assert.deepEqual(inPlace(), ["1", "2"]);
    assert.deepEqual(staged(), []);
  });

  it("a first start waits while S3 holds versions but none the policy serves, or cannot be listed (the old pods keep serving)", () => {
    upload("1", { "saved_model.pb": "pb1" });
    assert.equal(neverStarts("specific:2").split("\n")[0], "none of the versions under s3://b/models/ (1) is one that specific:2 serves");
    assert.deepEqual(inPlace(), []);
    assert.equal(neverStarts("latest:1", { FAKE_S3_DENIED: "1" }).split("\n")[0], "cannot list s3://b/models/");
    assert.deepEqual(inPlace(), []);
  });

  it("keeps the served version when its successor never completes, and when a policy names a version S3 lacks", () => {
    upload("1", { "saved_model.pb": "pb1" });
    run("latest:1");
    upload("2", { "variables/variables.index": "i2" });
    run("latest:1");
    assert.deepEqual([inPlace(), staged()], [["1"], ["2"]]);
    assert.equal(run("specific:9"), "none of the versions under s3://b/models/ (1 2) is one that specific:9 serves\n".repeat(3));
    assert.deepEqual(inPlace(), ["1"]);
    assert.equal(config(), "the model's config\n");
  });
});

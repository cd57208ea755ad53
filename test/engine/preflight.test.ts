import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { preflight, recordedCreator } from "../../src/engine/preflight";
import type { Spec } from "../../src/spec/types";
import { FAKE_BIN, isolatedPath, tempDir } from "../helpers/environment";
import { specOf, VALID_SPEC } from "../helpers/spec-text";

/** Preflight against a fake `aws` executable (a test double: test/fixtures/fake-aws/aws). */
describe("preflight, each failure on its own", () => {
  const base = specOf(VALID_SPEC);
  const spec = (provider: Partial<Spec["provider"]> = {}): Spec => ({ ...base, provider: { ...base.provider, ...provider } });
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: isolatedPath(FAKE_BIN.aws), ...extra });

  it("no aws CLI on PATH", async () => {
    await assert.rejects(preflight(spec({ region: "eu-west-1" }), { PATH: isolatedPath() }), (error: Error & { hints: string[] }) => {
      assert.equal(error.message, "the aws CLI is not on PATH — platinfra needs it: EKS kubeconfigs call `aws eks get-token`");
      assert.deepEqual(error.hints, ["install AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"]);
      return true;
    });
  });

  it("kubeflow without git on PATH (its manifests are fetched with git): refused before any AWS call; destroy needs no git", async () => {
    const withKubeflow: Spec = { ...spec({ region: "eu-west-1" }), tools: [{ name: "kubeflow", roles: ["pipelining"], params: {}, deployable: true }] };
    // node (for the fake aws' shebang) without its folder, which may hold git too.
    const nodeOnly = tempDir();
    fs.symlinkSync(process.execPath, path.join(nodeOnly, "node"));
    const noGit = { PATH: [FAKE_BIN.aws, nodeOnly].join(path.delimiter), FAKE_AWS_NO_CREDENTIALS: "1" };
    await assert.rejects(preflight(withKubeflow, noGit), (error: Error & { hints: string[]; exitCode: number }) => {
      assert.equal(error.exitCode, 1);
      assert.equal(error.message, "git is not on PATH — kubeflow fetches its pinned manifests from GitHub with git while deploying");
      assert.deepEqual(error.hints, ["install git (e.g. apt-get install git, or brew install git), then run again: nothing has been created"]);
      return true;
    });
    // Past the git check, the next one speaks (credentials), for destroy and for a stack without kubeflow.
    await assert.rejects(preflight(withKubeflow, noGit, undefined, { deploying: false }), /AWS credentials could not be resolved/);
    await assert.rejects(preflight(spec({ region: "eu-west-1" }), noGit), /AWS credentials could not be resolved/);
  });

  it("no region anywhere", async () => {
    await assert.rejects(preflight(spec(), env()), (error: Error & { hints: string[]; exitCode: number }) => {
      assert.equal(error.exitCode, 2, "a refusal, like every request that cannot be done as asked");
      assert.equal(error.message, "no AWS region is known — the spec sets none, AWS_REGION is unset and the AWS profile has no region");
      assert.deepEqual(error.hints, ["set provider.region in the spec (e.g. region: eu-west-1), or export AWS_REGION"]);
      return true;
    });
  });

  it("credentials that cannot be resolved", async () => {
    await assert.rejects(preflight(spec({ region: "eu-west-1", profile: "ml" }), env({ FAKE_AWS_NO_CREDENTIALS: "1" })), (error: Error & { hints: string[]; exitCode: number }) => {
      assert.equal(error.exitCode, 1, "a failure of the machine, not of the request");
      assert.equal(error.message, 'AWS credentials could not be resolved (aws sts get-caller-identity: Unable to locate credentials. You can configure credentials by running "aws configure".)');
      assert.deepEqual(error.hints, ["sign in: aws sso login --profile ml (or aws configure --profile ml)"]);
      return true;
    });
  });

  it("credentials of another account: refused", async () => {
    await assert.rejects(preflight(spec({ region: "eu-west-1" }), env({ FAKE_AWS_ACCOUNT: "999999999999" })), (error: Error & { exitCode: number }) => {
      assert.equal(error.exitCode, 2);
      assert.equal(
        error.message,
        "these AWS credentials belong to account 999999999999 (arn:aws:iam::999999999999:user/deployer), but the spec deploys to account 123456789012 — refusing to touch another account",
      );
      return true;
    });
  });

  it("passes, taking the region from the profile, and asks with the spec's profile", async () => {
    const log = path.join(tempDir(), "aws.jsonl");
    const result = await preflight(spec({ profile: "ml" }), env({ FAKE_AWS_REGION: "eu-central-1", FAKE_AWS_LOG: log }));
    assert.deepEqual(result, {
      accountId: "123456789012",
      callerArn: "arn:aws:iam::123456789012:user/deployer",
      region: "eu-central-1",
      zones: ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    });
    const where = ["--output", "json", "--profile", "ml", "--region", "eu-central-1"];
    assert.deepEqual(fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line)), [
      ["configure", "get", "region", "--profile", "ml"],
      ["sts", "get-caller-identity", ...where],
      ["ec2", "describe-availability-zones", "--filters", "Name=zone-type,Values=availability-zone", "Name=state,Values=available", ...where],
      [
        "ec2", "describe-instance-type-offerings", "--location-type", "availability-zone", "--filters",
        "Name=instance-type,Values=m6i.large", "Name=location,Values=eu-central-1a,eu-central-1b,eu-central-1c", ...where,
      ],
      ["ec2", "describe-instance-types", "--instance-types", "m6i.large", ...where],
      ["service-quotas", "get-service-quota", "--service-code", "ec2", "--quota-code", "L-1216C47A", ...where],
    ]);
  });

  it("AWS_REGION wins over the profile's region", async () => {
    const result = await preflight(spec(), env({ AWS_REGION: "us-west-2", FAKE_AWS_REGION: "eu-central-1" }));
    assert.equal(result.region, "us-west-2");
  });

  it("the cluster's recorded creator: its platinfra:creator tag; a cluster without it, unknown; no cluster yet, none", async () => {
    const log = path.join(tempDir(), "aws.jsonl");
    const ask = (extra: Record<string, string>) => recordedCreator(spec({ profile: "ml" }), "eu-west-1", "demo-dev", env({ FAKE_AWS_LOG: log, ...extra }));
    assert.deepEqual(await ask({ FAKE_AWS_CLUSTER_TAGS: JSON.stringify({ "platinfra:creator": "arn:aws:iam::123456789012:role/ci", team: "ml" }) }), { exists: true, creatorArn: "arn:aws:iam::123456789012:role/ci" });
    assert.deepEqual(await ask({ FAKE_AWS_CLUSTER_TAGS: JSON.stringify({ team: "ml" }) }), { exists: true });
    assert.deepEqual(await ask({ FAKE_AWS_NO_CLUSTER: "1" }), { exists: false });
    const asked = ["eks", "describe-cluster", "--name", "demo-dev", "--output", "json", "--profile", "ml", "--region", "eu-west-1"];
    assert.deepEqual(fs.readFileSync(log, "utf8").trim().split("\n").map((line) => JSON.parse(line)), [asked, asked, asked]);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { eksZones, quotaNeeds, quotaShortfalls, QUOTAS } from "../../src/engine/capacity";
import { preflight } from "../../src/engine/preflight";
import { EXAMPLES } from "../helpers/cli";
import { FAKE_BIN, isolatedPath } from "../helpers/environment";
import { specOf, VALID_SPEC } from "../helpers/spec-text";

const withGroups = (groups: string, region = "us-east-1") =>
  specOf(VALID_SPEC.replace("type: kubernetes", groups ? `type: kubernetes\n  node_groups:\n${groups}` : "type: kubernetes").replace('account-id: "123456789012"', `account-id: "123456789012"\n  region: ${region}`));
const GPU_SPOT = "    - {name: gpu, gpu: true, spot: true, instance_types: [g5.2xlarge, g5.xlarge], min: 0, max: 4, desired: 2}\n";
const GPU_ON_DEMAND = "    - {name: infer, gpu: true, instance_types: [g6.xlarge], min: 1, max: 2}\n";
const G_SPOT_URL = "https://us-east-1.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/L-3819A6DF";
const G_ON_DEMAND_URL = "https://us-east-1.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/L-DB2E81BA";

describe("capacity of a fresh account: zones and quotas", () => {
  const zoneCases: [string, string[], string[], string[]][] = [
    ["us-east-1 skips use1-az3", ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], ["use1-az6", "use1-az3", "use1-az1", "use1-az2"], ["us-east-1a", "us-east-1c", "us-east-1d"]],
    ["us-west-1 keeps what is left", ["us-west-1a", "us-west-1b"], ["usw1-az2", "usw1-az1"], ["us-west-1b"]],
    ["ca-central-1 skips cac1-az3", ["ca-central-1a", "ca-central-1b", "ca-central-1d"], ["cac1-az1", "cac1-az2", "cac1-az3"], ["ca-central-1a", "ca-central-1b"]],
    ["elsewhere: the first three", ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"], ["euw1-az1", "euw1-az2", "euw1-az3", "euw1-az4"], ["eu-west-1a", "eu-west-1b", "eu-west-1c"]],
  ];
  for (const [name, names, ids, expected] of zoneCases) it(`zones: ${name}`, () => assert.deepEqual(eksZones(names, ids), expected));

  it("quota needs: starting nodes (at least one) of each group's smallest type, standard, GPU, spot and on-demand apart", () => {
    const spec = withGroups(GPU_SPOT + GPU_ON_DEMAND + "    - {name: cpu, spot: true, instance_types: [m6i.large]}\n    - {name: infer2, instance_types: [inf2.xlarge]}\n");
    const vcpus: Record<string, number> = { "g5.xlarge": 4, "g5.2xlarge": 8, "g6.xlarge": 4, "m6i.large": 2, "inf2.xlarge": 4 };
    assert.deepEqual(quotaNeeds(spec, (type) => vcpus[type]), [
      { quota: QUOTAS.standardOnDemand, vcpus: 4, reason: "node group system: 2 × m6i.large" },
      { quota: QUOTAS.gpuSpot, vcpus: 8, reason: "node group gpu: 2 × spot g5.2xlarge/g5.xlarge" },
      { quota: QUOTAS.gpuOnDemand, vcpus: 4, reason: "node group infer: 1 × g6.xlarge" },
      { quota: QUOTAS.standardSpot, vcpus: 2, reason: "node group cpu: 1 × spot m6i.large" },
    ]);
  });

  it("standard families: A, C, D, H, I, M, R, T, Z count against the standard quota; Inferentia, Trainium, DL, HPC, Mac, X and U do not", () => {
    const families: [string, boolean][] = [
      ["m6i.large", true], ["c7g.xlarge", true], ["r7iz.large", true], ["t4g.medium", true], ["i4i.large", true], ["im4gn.large", true],
      ["is4gen.large", true], ["d3.xlarge", true], ["h1.2xlarge", true], ["z1d.large", true], ["a1.large", true], ["m7i-flex.large", true],
      ["inf2.xlarge", false], ["trn1.2xlarge", false], ["dl1.24xlarge", false], ["hpc6a.48xlarge", false], ["mac2.metal", false], ["x2idn.16xlarge", false],
      ["u-6tb1.metal", false],
    ];
    for (const [type, standard] of families) {
      const needs = quotaNeeds(withGroups(`    - {name: other, instance_types: [${type}]}\n`), () => 2);
      assert.deepEqual(needs.map((need) => need.quota.code), standard ? ["L-1216C47A", "L-1216C47A"] : ["L-1216C47A"], type);
    }
  });

  it("quota needs of AWS Batch: one vCPU on Fargate (its default), one instance of its smallest GPU type on EC2, nothing on Fargate Spot", () => {
    const batch = (params: string) => specOf(VALID_SPEC.replace("experiment_tracker: [mlflow]", `orchestrator: [${params}]`));
    const vcpus = (type: string) => ({ "g5.xlarge": 4, "g5.2xlarge": 8 })[type] ?? 2;
    // The default system group's own need comes first in each (see the test above); Batch's follow it.
    const batchNeeds = (spec: ReturnType<typeof batch>) => quotaNeeds(spec, vcpus).filter((need) => need.reason.startsWith("aws-batch"));
    assert.deepEqual(batchNeeds(batch("aws-batch")), [{ quota: QUOTAS.fargate, vcpus: 1, reason: "aws-batch on Fargate: one job" }]);
    assert.deepEqual(batchNeeds(batch("{aws-batch: {spot: true}}")), []);
    assert.deepEqual(batchNeeds(batch("{aws-batch: {compute: ec2, gpu: true, spot: true, instance_types: [g5.2xlarge, g5.xlarge]}}")), [
      { quota: QUOTAS.gpuSpot, vcpus: 4, reason: "aws-batch: one g5.2xlarge/g5.xlarge instance" },
    ]);
  });

  it("shortfalls: one line per short quota, with its name, code and request link", () => {
    const needs = [
      { quota: QUOTAS.gpuSpot, vcpus: 8, reason: "node group gpu" },
      { quota: QUOTAS.gpuSpot, vcpus: 4, reason: "aws-batch" },
      { quota: QUOTAS.gpuOnDemand, vcpus: 4, reason: "node group infer" },
    ];
    assert.deepEqual(quotaShortfalls(needs, new Map([["L-3819A6DF", 8], ["L-DB2E81BA", 64]]), "us-east-1"), [
      `quota "All G and VT Spot Instance Requests" (L-3819A6DF) is 8 vCPUs in us-east-1, the spec needs 12 (node group gpu; aws-batch) — request more: ${G_SPOT_URL}`,
    ]);
    assert.deepEqual(quotaShortfalls(needs, new Map([["L-3819A6DF", 12], ["L-DB2E81BA", 4]]), "us-east-1"), []);
  });

  describe("preflight against the fake aws CLI (a test double: test/fixtures/fake-aws/aws)", () => {
    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: isolatedPath(FAKE_BIN.aws), ...extra });
    const ZONES = JSON.stringify([["us-east-1a", "use1-az6"], ["us-east-1b", "use1-az3"], ["us-east-1c", "use1-az1"], ["us-east-1d", "use1-az2"]]);

    it("a fresh account (GPU quotas 0): fails before anything is created, one line per quota", async () => {
      await assert.rejects(preflight(withGroups(GPU_SPOT + GPU_ON_DEMAND), env({ FAKE_AWS_ZONES: ZONES })), (error: Error & { hints: string[] }) => {
        assert.equal(
          error.message,
          [
            `quota "All G and VT Spot Instance Requests" (L-3819A6DF) is 0 vCPUs in us-east-1, the spec needs 8 (node group gpu: 2 × spot g5.2xlarge/g5.xlarge) — request more: ${G_SPOT_URL}`,
            `quota "Running On-Demand G and VT instances" (L-DB2E81BA) is 0 vCPUs in us-east-1, the spec needs 4 (node group infer: 1 × g6.xlarge) — request more: ${G_ON_DEMAND_URL}`,
          ].join("\n"),
        );
        assert.deepEqual(error.hints, ["fix each line above, then run again: nothing has been created"]);
        return true;
      });
    });

    it("enough quota: passes with the zones EKS accepts (use1-az3 skipped)", async () => {
      const quotas = JSON.stringify({ "L-3819A6DF": 8, "L-DB2E81BA": 4 });
      const result = await preflight(withGroups(GPU_SPOT + GPU_ON_DEMAND), env({ FAKE_AWS_ZONES: ZONES, FAKE_AWS_QUOTAS: quotas }));
      assert.deepEqual(result.zones, ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });

    it("the pipelines example on an account allowed 5 standard vCPUs: the system group fits, the jobs pool's first node does not", async () => {
      const pipelines = specOf(fs.readFileSync(path.join(EXAMPLES, "pipelines-stack.yaml"), "utf8").replace("region: eu-west-1", "region: us-east-1"));
      await assert.rejects(preflight(pipelines, env({ FAKE_AWS_ZONES: ZONES, FAKE_AWS_QUOTAS: JSON.stringify({ "L-1216C47A": 5 }) })), (error: Error) => {
        assert.equal(
          error.message,
          `quota "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" (L-1216C47A) is 5 vCPUs in us-east-1, the spec needs 8 (node group system: 2 × m6i.large; node group jobs: 1 × m6i.xlarge/m6i.2xlarge) — request more: https://us-east-1.console.aws.amazon.com/servicequotas/home/services/ec2/quotas/L-1216C47A`,
        );
        return true;
      });
      const enough = await preflight(pipelines, env({ FAKE_AWS_ZONES: ZONES, FAKE_AWS_QUOTAS: JSON.stringify({ "L-1216C47A": 8 }) }));
      assert.deepEqual(enough.zones, ["us-east-1a", "us-east-1c", "us-east-1d"]);
    });

    it("a node group whose instance types none of the zones offers", async () => {
      const notOffered = JSON.stringify(Object.fromEntries(["us-east-1a", "us-east-1c", "us-east-1d"].map((zone) => [zone, ["m6i.large"]])));
      await assert.rejects(preflight(withGroups(""), env({ FAKE_AWS_ZONES: ZONES, FAKE_AWS_NOT_OFFERED: notOffered })), (error: Error) => {
        assert.equal(
          error.message,
          "node group system: none of m6i.large is offered in us-east-1a, us-east-1c, us-east-1d — choose instance types this region offers (aws ec2 describe-instance-type-offerings --location-type availability-zone)",
        );
        return true;
      });
    });

    it("destroy and refresh skip what only deploying needs: a short quota never blocks them", async () => {
      const result = await preflight(withGroups(GPU_SPOT), env({ FAKE_AWS_ZONES: ZONES }), undefined, { deploying: false });
      assert.deepEqual(result, { accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/deployer", region: "us-east-1" });
    });

    it("a region with fewer than two zones EKS accepts", async () => {
      const zones = JSON.stringify([["us-west-1a", "usw1-az2"], ["us-west-1b", "usw1-az1"]]);
      await assert.rejects(preflight(withGroups("", "us-west-1"), env({ FAKE_AWS_ZONES: zones })), (error: Error) => {
        assert.equal(error.message, "us-west-1 has 1 availability zone(s) whose zone IDs EKS accepts for a cluster, it needs 2");
        return true;
      });
    });
  });
});

import { strict as assert } from "node:assert";
import type { RenderResult } from "../../src/engine/render";
import { changedInputs, changedResources, waitsFor } from "../helpers/graph";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf, stackFile } from "../helpers/spec-text";

const specAt = (version: string, systemTypes = "[m6i.large]", batch = "{name: batch, instance_types: [c6i.xlarge], min: 0, max: 3}") =>
  specOf(
    stackFile({
      name: "day2",
      deployment: [`kubernetes_version: "${version}"`, "autoscaling: none", "node_groups:", `  - {name: system, instance_types: ${systemTypes}, min: 2, max: 4}`, `  - ${batch}`],
      stack: "  orchestrator: [aws-eks]",
    }),
  );

/**
 * Terraform's aws_eks_node_group fields marked ForceNew (hashicorp/terraform-provider-aws
 * internal/service/eks/node_group.go): changing one replaces the group. `version`, labels, taints,
 * scaling and the launch template version are updated in place.
 */
const NODE_GROUP_FORCE_NEW = ["amiType", "capacityType", "clusterName", "diskSize", "instanceTypes", "nodeGroupName", "nodeGroupNamePrefix", "nodeRoleArn", "remoteAccess", "subnetIds"];

describe("day 2: upgrades and replacements, on rendered graphs", () => {
  let v133: RenderResult;
  let v134: RenderResult;
  let resized: RenderResult;
  before(async () => {
    v133 = await renderSpec(specAt("1.33"));
    v134 = await renderSpec(specAt("1.34"));
    resized = await renderSpec(specAt("1.34", "[m7i.large]"));
  });

  it("1.33 → 1.34 changes exactly the control plane, both node groups and the four add-ons", () => {
    assert.deepEqual(changedResources(v133, v134).sort(), [
      "day2-addons-aws-ebs-csi-driver",
      "day2-addons-coredns",
      "day2-addons-kube-proxy",
      "day2-addons-vpc-cni",
      "day2-cluster-eks",
      "day2-nodes-batch",
      "day2-nodes-system",
    ]);
    assert.equal(named(v134, "day2-cluster-eks").inputs.version, "1.34");
    for (const group of ofType(v134, "aws:eks/nodeGroup:NodeGroup")) {
      assert.equal(group.inputs.version, "1.34", group.name);
      assert.deepEqual(changedInputs(named(v133, group.name, group.type), group), ["version"], "a version bump updates node groups in place");
    }
    for (const addon of ofType(v134, "aws:eks/addon:Addon")) {
      assert.equal(addon.inputs.addonVersion, `v1.34.0-${addon.inputs.addonName}-eksbuild.1`, "the EKS default for 1.34 (mocked lookup)");
      assert.deepEqual(changedInputs(named(v133, addon.name, addon.type), addon), ["addonVersion"]);
    }
  });

  it("order: control plane, then vpc-cni and kube-proxy, then node groups, then the add-ons running on nodes", () => {
    const controlPlane = named(v134, "day2-cluster-eks");
    const bootstrap = ["vpc-cni", "kube-proxy"].map((addon) => named(v134, `day2-addons-${addon}`, "aws:eks/addon:Addon"));
    const onNodes = ["coredns", "aws-ebs-csi-driver"].map((addon) => named(v134, `day2-addons-${addon}`, "aws:eks/addon:Addon"));
    const groups = ofType(v134, "aws:eks/nodeGroup:NodeGroup");
    assert.equal(groups.length, 2);
    for (const addon of bootstrap) {
      assert.ok(waitsFor(v134, addon, controlPlane), addon.name);
      for (const group of groups) assert.ok(waitsFor(v134, group, addon), `${group.name} waits for ${addon.name}`);
    }
    for (const group of groups) {
      assert.ok(waitsFor(v134, group, controlPlane), group.name);
      for (const addon of onNodes) {
        assert.ok(waitsFor(v134, addon, group), `${addon.name} waits for ${group.name}`);
        assert.ok(!waitsFor(v134, group, addon), `${group.name} must not wait for ${addon.name}`);
      }
    }
  });

  it("support policy: standard by default (no Extended Support charges), extended when the spec asks", async () => {
    assert.deepEqual(named(v134, "day2-cluster-eks").inputs.upgradePolicy, { supportType: "STANDARD" });
    const extended = await renderSpec(specOf(textWith("support: extended")));
    assert.deepEqual(named(extended, "day2-cluster-eks").inputs.upgradePolicy, { supportType: "EXTENDED" });
  });

  it("EKS's gp2 class is patched (not default) only on 1.29, the last version where EKS made it the default", async () => {
    const patches = (result: RenderResult) => ofType(result, "kubernetes:storage.k8s.io/v1:StorageClassPatch").map((patch) => patch.inputs.metadata);
    assert.deepEqual(patches(v134), []);
    assert.deepEqual(patches(await renderSpec(specAt("1.29"))), [{ name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } }]);
    assert.equal(named(v134, "day2-addons-gp3").inputs.reclaimPolicy, "Delete");
  });

  it("the control-plane log group is platinfra's, with the spec's retention, created before the cluster", async () => {
    const logs = named(v134, "day2-cluster-logs", "aws:cloudwatch/logGroup:LogGroup");
    assert.deepEqual(logs.inputs, { name: "/aws/eks/day2-dev/cluster", retentionInDays: 30 });
    assert.ok(waitsFor(v134, named(v134, "day2-cluster-eks"), logs));
    const kept = await renderSpec(specOf(textWith("cluster_log_retention_days: 365")));
    assert.equal(named(kept, "day2-cluster-logs").inputs.retentionInDays, 365);
  });

  it("an instance-type change replaces the group under a new name: prefix naming, no fixed name to collide with", () => {
    const before = named(v134, "day2-nodes-system");
    const after = named(resized, "day2-nodes-system");
    assert.deepEqual(changedResources(v134, resized), ["day2-nodes-system"]);
    const changed = changedInputs(before, after);
    assert.deepEqual(changed, ["instanceTypes"]);
    assert.ok(changed.every((key) => NODE_GROUP_FORCE_NEW.includes(key)), "a replacement");
    assert.equal(after.inputs.nodeGroupName, undefined);
    assert.equal(after.inputs.nodeGroupNamePrefix, "day2-dev-system-");
    const prefixes = ofType(resized, "aws:eks/nodeGroup:NodeGroup").map((group) => group.inputs.nodeGroupNamePrefix);
    assert.deepEqual(prefixes, ["day2-dev-system-", "day2-dev-batch-"]);
  });

  it("spot and GPU changes replace too (capacity type, AMI type); a disk change rolls a new launch template version in place", async () => {
    const variants: [string, string, string[]][] = [
      ["spot", "{name: batch, spot: true, instance_types: [c6i.xlarge], min: 0, max: 3}", ["capacityType"]],
      ["gpu", "{name: batch, gpu: true, instance_types: [g5.xlarge], min: 0, max: 3}", ["amiType", "instanceTypes", "labels", "taints"]],
    ];
    for (const [name, batch, expected] of variants) {
      const changed = changedInputs(named(v134, "day2-nodes-batch", "aws:eks/nodeGroup:NodeGroup"), named(await renderSpec(specAt("1.34", "[m6i.large]", batch)), "day2-nodes-batch", "aws:eks/nodeGroup:NodeGroup"));
      assert.deepEqual(changed, expected, name);
      assert.ok(changed.some((key) => NODE_GROUP_FORCE_NEW.includes(key)), `${name}: a replacement`);
    }
    const disk = await renderSpec(specAt("1.34", "[m6i.large]", "{name: batch, instance_types: [c6i.xlarge], min: 0, max: 3, disk_size: 200}"));
    assert.deepEqual(changedResources(v134, disk), ["day2-nodes-batch-template"]);
  });
});

function textWith(line: string) {
  return stackFile({ name: "day2", deployment: ['kubernetes_version: "1.34"', line], stack: "  orchestrator: [aws-eks]" });
}

import { strict as assert } from "node:assert";
import { errorsOf, specOf, VALID_SPEC } from "../helpers/spec-text";

const withDeployment = (extra: string) => VALID_SPEC.replace("  type: kubernetes\n", `  type: kubernetes\n${extra}`);

const CASES: [string, string, string[]][] = [
  ["min above max", "  node_groups:\n    - name: gpu\n      min: 5\n      max: 2\n", [
    "stack.yaml:9:12: deployment.node_groups[0].min: min (5) is greater than max (2) — need min <= desired <= max",
  ]],
  ["desired outside min..max", "  node_groups:\n    - name: workers\n      min: 1\n      max: 3\n      desired: 9\n", [
    "stack.yaml:11:16: deployment.node_groups[0].desired: desired (9) must be between min (1) and max (3)",
  ]],
  ["a GPU group without GPU instances", "  node_groups:\n    - name: gpu\n      gpu: true\n      instance_types: [m6i.large]\n", [
    "stack.yaml:10:23: deployment.node_groups[0].instance_types: gpu: true needs NVIDIA GPU instance types, but m6i.large has none — use e.g. g5.xlarge, g6.xlarge or p4d.24xlarge (families: g4dn, g5, g6, g6e, gr6, p3, p3dn, p4d, p4de, p5, p5e, p5en, p6)",
  ]],
  ["a malformed instance type", "  node_groups:\n    - name: w\n      instance_types: [large]\n", [
    'stack.yaml:9:24: deployment.node_groups[0].instance_types[0]: "large" is not an EC2 instance type — expected a name like m6i.large',
  ]],
  ["a misspelled node group key", "  node_groups:\n    - name: w\n      instance_type: m5.large\n", [
    'stack.yaml:9:7: deployment.node_groups[0].instance_type: unknown key "instance_type" — did you mean "instance_types"? (allowed: name, instance_types, min, max, desired, spot, gpu, disk_size, labels, taints) — fix the spelling or remove it',
  ]],
  ["a taint effect Kubernetes does not know", "  node_groups:\n    - name: w\n      taints: [{key: a, effect: Never}]\n", [
    'stack.yaml:9:33: deployment.node_groups[0].taints[0].effect: taint effect "Never" is not allowed — use NoSchedule, PreferNoSchedule or NoExecute',
  ]],
  ["two node groups with one name", "  node_groups:\n    - name: w\n    - name: w\n", [
    'stack.yaml:9:13: deployment.node_groups[1].name: node group name "w" is used twice — names must be unique',
  ]],
  ["an unknown NAT mode", "  vpc:\n    nat: double\n", [
    'stack.yaml:8:10: deployment.vpc.nat: nat "double" is not allowed — use single (one NAT gateway, cheaper) or per_az (one per zone, survives a zone outage)',
  ]],
  ["a VPC CIDR too large to plan", "  vpc:\n    cidr: 10.0.0.0/8\n", [
    'stack.yaml:8:11: deployment.vpc.cidr: "10.0.0.0/8" is not a valid VPC CIDR — expected an IPv4 CIDR with a prefix from /16 to /20, like 10.0.0.0/16',
  ]],
  ["an unsupported Kubernetes version", '  kubernetes_version: "2.0"\n', [
    'stack.yaml:7:23: deployment.kubernetes_version: Kubernetes version "2.0" is not supported — use a quoted EKS version from "1.29" to "1.39", e.g. "1.36"',
  ]],
  ["a Kubernetes version YAML read as a number", "  kubernetes_version: 1.30\n", [
    "stack.yaml:7:23: deployment.kubernetes_version: expected a string, received the number 1.3 — quote it: unquoted, YAML reads it as a number",
  ]],
  ["an admin that is not an ARN", "  admins: [bob]\n", [
    'stack.yaml:7:12: deployment.admins[0]: "bob" is not an IAM role or user ARN — expected arn:aws:iam::<account>:role/<name>',
  ]],
  ["vpc with an existing cluster", "  existing_cluster: {name: prod}\n  vpc: {cidr: 10.1.0.0/16}\n", [
    "stack.yaml:8:8: deployment.vpc: vpc cannot be set with existing_cluster: the existing network is used — remove vpc",
  ]],
  ["node groups with an existing cluster", "  existing_cluster: {name: prod}\n  node_groups: [{name: x}]\n", [
    "stack.yaml:8:16: deployment.node_groups: node_groups cannot be set for an existing cluster: its node groups are managed where it was created — remove node_groups",
  ]],
  ["an unsupported Terraform backend", "  from_terraform_state: {backend: gcs, bucket: b}\n", [
    'stack.yaml:7:35: deployment.from_terraform_state.backend: backend "gcs" is not supported — use s3, local or remote',
  ]],
  ["a Terraform state missing settings", "  from_terraform_state: {backend: s3, bucket: tf-state, outputs: {vpc_id: v}}\n", [
    'stack.yaml:7:25: deployment.from_terraform_state.key: missing required key "key" (expected a string)',
    'stack.yaml:7:66: deployment.from_terraform_state.outputs.private_subnet_ids: missing required key "private_subnet_ids" (expected a string)',
  ]],
  ["a hosted zone id that is not one", "  dns: {hosted_zone_id: example.com}\n", [
    'stack.yaml:7:25: deployment.dns.hosted_zone_id: "example.com" is not a Route 53 hosted zone id — expected "Z" and uppercase letters and digits, like Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones)',
  ]],
  ["a misspelled dns key", "  dns: {zone: Z0123456789ABCDEFGHIJ}\n", [
    'stack.yaml:7:8: deployment.dns.hosted_zone_id: missing required key "hosted_zone_id" (expected a string) — required here: hosted_zone_id',
    'stack.yaml:7:9: deployment.dns.zone: unknown key "zone" (allowed: hosted_zone_id) — fix the spelling or remove it',
  ]],
  ["an unknown support policy", "  support: forever\n", [
    'stack.yaml:7:12: deployment.support: support "forever" is not allowed — use standard (EKS and RDS upgrade a version whose standard support ended) or extended (stay on it, billed Extended Support)',
  ]],
  ["a log retention CloudWatch does not offer", "  cluster_log_retention_days: 31\n", [
    "stack.yaml:7:31: deployment.cluster_log_retention_days: cluster_log_retention_days 31 is not a CloudWatch retention period — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
  ]],
  ["an autoscaling mode that does not exist", "  autoscaling: cluster-autoscaler\n", [
    'stack.yaml:7:16: deployment.autoscaling: autoscaling "cluster-autoscaler" is not allowed — use karpenter (nodes follow pending pods) or none (fixed managed node groups)',
  ]],
  ["Karpenter asked for on an existing cluster", "  autoscaling: karpenter\n  existing_cluster: {name: prod}\n", [
    "stack.yaml:7:16: deployment.autoscaling: autoscaling: karpenter cannot be set for an existing cluster: platinfra installs Karpenter only on clusters it creates — remove autoscaling",
  ]],
  ["a public access CIDR that is not one", "  public_access_cidrs: [everyone]\n", [
    'stack.yaml:7:25: deployment.public_access_cidrs[0]: "everyone" is not a valid CIDR — expected an IPv4 CIDR with a prefix from /0 to /32, like 203.0.113.0/24',
  ]],
];

describe("deployment settings", () => {
  for (const [name, extra, expected] of CASES) {
    it(`rejects ${name}, with its position`, () => assert.deepEqual(errorsOf(withDeployment(extra)), expected));
  }

  it("settles defaults: pinned version, public endpoint, a system node group, single NAT, protection on", () => {
    const { deployment } = specOf(VALID_SPEC);
    assert.deepEqual(deployment, {
      type: "kubernetes",
      kubernetesVersion: "1.36",
      support: "standard",
      clusterLogRetentionDays: 30,
      databases: { applyImmediately: false, finalSnapshot: true },
      endpointPublicAccess: true,
      publicAccessCidrs: ["0.0.0.0/0"],
      nodeGroups: [{ name: "system", instanceTypes: ["m6i.large"], min: 2, max: 4, desired: 2, spot: false, gpu: false, diskSize: 50, labels: {}, taints: [] }],
      autoscaling: "karpenter",
      vpc: { cidr: "10.0.0.0/16", nat: "single", flowLogs: false },
      deletionProtection: true,
      forceDestroyBuckets: false,
      tags: {},
      admins: [],
    });
  });

  it("adds the system group in front of the spec's groups unless one is named system", () => {
    const extra = specOf(withDeployment("  node_groups:\n    - {name: gpu, gpu: true, instance_types: [g5.xlarge], min: 0, max: 2}\n"));
    assert.deepEqual(extra.deployment.nodeGroups.map((group) => [group.name, group.desired]), [["system", 2], ["gpu", 0]]);
    const own = specOf(withDeployment("  node_groups:\n    - {name: system, min: 3, max: 6}\n"));
    assert.deepEqual(own.deployment.nodeGroups.map((group) => [group.name, group.min, group.max, group.desired]), [["system", 3, 6, 3]]);
  });

  it("dns: the hosted zone for exposed tools' records", () => {
    assert.deepEqual(specOf(withDeployment("  dns: {hosted_zone_id: Z0123456789ABCDEFGHIJ}\n")).deployment.dns, { hostedZoneId: "Z0123456789ABCDEFGHIJ" });
    assert.equal("dns" in specOf(VALID_SPEC).deployment, false);
  });

  it("an existing cluster gets no node groups of platinfra's, and no Karpenter", () => {
    const adopted = specOf(withDeployment("  existing_cluster: {name: prod}\n")).deployment;
    assert.deepEqual([adopted.nodeGroups, adopted.autoscaling], [[], "none"]);
  });

  it("autoscaling: karpenter by default, none when asked", () => {
    assert.equal(specOf(withDeployment("  autoscaling: none\n")).deployment.autoscaling, "none");
    assert.equal(specOf(withDeployment("  autoscaling: karpenter\n")).deployment.autoscaling, "karpenter");
  });
});

import { strict as assert } from "node:assert";
import { adminAccessEntries, previousAccessEntryNames } from "../../components/base/cluster";
import { accessEntryKey, iamPrincipal, selectAdmins } from "../../components/base/principals";

describe("IAM principals for access entries", () => {
  const cases: [string, string | undefined, string | undefined][] = [
    // input ARN, the principal's IAM ARN, its access-entry key
    ["arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-42", "arn:aws:iam::123456789012:role/Deployer", "role-123456789012-Deployer"],
    ["arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/alice@example.com", "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123abcd", "role-123456789012-AWSReservedSSO_Admin_0123abcd"],
    ["arn:aws-us-gov:sts::123456789012:assumed-role/Deployer/s", "arn:aws-us-gov:iam::123456789012:role/Deployer", "role-123456789012-Deployer"],
    ["arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::123456789012:role/PlatformAdmin", "role-123456789012-PlatformAdmin"],
    ["arn:aws:iam::123456789012:role/teams/ml/PlatformAdmin", "arn:aws:iam::123456789012:role/teams/ml/PlatformAdmin", "role-123456789012-PlatformAdmin"],
    ["arn:aws:iam::123456789012:user/ops/alice", "arn:aws:iam::123456789012:user/ops/alice", "user-123456789012-alice"],
    ["arn:aws:iam::123456789012:root", undefined, undefined],
    ["arn:aws:sts::123456789012:federated-user/bob", undefined, undefined],
  ];
  for (const [arn, iamArn, key] of cases) {
    it(`${arn} → ${iamArn ?? "no IAM role or user"}`, () => {
      const principal = iamPrincipal(arn);
      assert.equal(principal?.arn, iamArn);
      assert.equal(principal ? accessEntryKey(principal) : undefined, key);
    });
  }

  it("the deploying role's session drops its admins entry, with or without the role's path; others stay once each", () => {
    const admins = [
      "arn:aws:iam::123456789012:role/platform/Deployer",
      "arn:aws:iam::123456789012:role/PlatformAdmin",
      "arn:aws:iam::123456789012:role/path/PlatformAdmin",
      "arn:aws:iam::210987654321:role/Deployer",
    ];
    const selection = selectAdmins(admins, "arn:aws:sts::123456789012:assumed-role/Deployer/ci-run-42");
    assert.deepEqual(selection.creator, ["arn:aws:iam::123456789012:role/platform/Deployer"]);
    assert.deepEqual(selection.admins.map((principal) => principal.arn), ["arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::210987654321:role/Deployer"]);
  });

  it("an IAM user deploying drops only that user", () => {
    const selection = selectAdmins(["arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:role/alice"], "arn:aws:iam::123456789012:user/alice");
    assert.deepEqual(selection.creator, ["arn:aws:iam::123456789012:user/alice"]);
    assert.deepEqual(selection.admins.map((principal) => principal.arn), ["arn:aws:iam::123456789012:role/alice"]);
  });

  it("access entries: keyed by principal, the deployer left out", () => {
    const policy = { "cluster-admin": { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } };
    assert.deepEqual(
      adminAccessEntries(["arn:aws:iam::123456789012:role/Deployer", "arn:aws:iam::123456789012:role/ops/Admin"], "arn:aws:sts::123456789012:assumed-role/Deployer/x"),
      { "role-123456789012-Admin": { principalArn: "arn:aws:iam::123456789012:role/ops/Admin", accessPolicies: policy } },
    );
  });

  it("existing stacks keep their entries: the index-named ones become aliases of the principal-keyed ones", async () => {
    const transform = previousAccessEntryNames("demo-cluster-eks", ["arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Admin-2"]);
    const aliasesOf = async (type: string, name: string) => ((await transform({ custom: true, type, name, props: {}, opts: {} })) as any)?.opts.aliases;
    const entry = "aws:eks/accessEntry:AccessEntry";
    const association = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation";
    assert.deepEqual(await aliasesOf(entry, "demo-cluster-eks-role-123456789012-Admin"), [{ name: "demo-cluster-eks-admin-0" }]);
    assert.deepEqual(await aliasesOf(association, "demo-cluster-eks-role-123456789012-Admin-cluster-admin"), [{ name: "demo-cluster-eks-admin-0-cluster-admin" }]);
    assert.deepEqual(await aliasesOf(entry, "demo-cluster-eks-role-123456789012-Admin-2"), [{ name: "demo-cluster-eks-admin-1" }]);
    assert.deepEqual(await aliasesOf(association, "demo-cluster-eks-role-123456789012-Admin-2-cluster-admin"), [{ name: "demo-cluster-eks-admin-1-cluster-admin" }]);
    assert.equal(await aliasesOf("aws:iam/role:Role", "demo-cluster-eks-role-123456789012-Admin"), undefined);
    assert.equal(await aliasesOf(entry, "demo-cluster-eks-role-123456789012-Other"), undefined);
  });
});

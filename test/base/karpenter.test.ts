import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { karpenterControllerStatements } from "../../components/base/karpenter-policy";
import { AL2023_RELEASE, DEFAULT_POOL, ec2NodeClass, gpusOf, nodePool, poolLimits, vcpusOf } from "../../components/base/node-pools";
import type { RenderResult, RenderedResource } from "../../src/engine/render";
import type { NodeGroupSpec } from "../../src/spec/types";
import { unknownValuesKeys } from "../helpers/chart-keys";
import { EXAMPLES } from "../helpers/cli";
import { crdFixture, schemaProblems } from "../helpers/crd-schema";
import { named, ofType, renderSpec, json } from "../helpers/render";
import { specOf } from "../helpers/spec-text";

const example = (file: string) => fs.readFileSync(path.join(EXAMPLES, file), "utf8");
const NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool";
const NODE_CLASS = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";
const CLUSTER = "gpu-ml-stack-dev";
const group = (overrides: Partial<NodeGroupSpec>): NodeGroupSpec => ({
  name: "workers", instanceTypes: ["m6i.xlarge"], min: 1, max: 3, desired: 1, spot: false, gpu: false, diskSize: 50, labels: {}, taints: [], ...overrides,
});

describe("Karpenter, rendered", () => {
  let gpu: RenderResult;
  let minimal: RenderResult;
  before(async () => {
    gpu = await renderSpec(specOf(example("gpu-stack.yaml")));
    minimal = await renderSpec(specOf(example("aws-mlops-stack.yaml").replace(/stack:\n[\s\S]*$/, "stack:\n  orchestrator: [aws-eks]\n")));
  });
  const objectOf = (resource: RenderedResource) => resource.inputs as Record<string, any>;

  it("NodePools and EC2NodeClasses validate against Karpenter's published v1 CRDs (v1.14.1)", () => {
    for (const [type, kind] of [[NODE_POOL, "NodePool"], [NODE_CLASS, "EC2NodeClass"]]) {
      const fixture = crdFixture("karpenter", kind);
      assert.equal(fixture.source, `aws/karpenter-provider-aws@v1.14.1:pkg/apis/crds/${kind === "NodePool" ? "karpenter.sh_nodepools" : "karpenter.k8s.aws_ec2nodeclasses"}.yaml`);
      const rendered = [...ofType(gpu, type), ...ofType(minimal, type)];
      assert.equal(rendered.length, 3, type);
      for (const resource of rendered) {
        assert.equal(objectOf(resource).apiVersion, `${fixture.group}/${fixture.version}`);
        assert.deepEqual(schemaProblems(fixture.schema, objectOf(resource)), [], resource.name);
      }
    }
  });

  it("the CRD check itself catches unknown keys, missing required keys, enums, patterns and types", () => {
    const { schema } = crdFixture("karpenter", "NodePool");
    const pool = nodePool(group({})) as Record<string, any>;
    pool.spec.disruption = { consolidationPolicy: "Always", consolidateAfter: "soon", budget: [] };
    pool.spec.template.spec.requirements[0].operator = "Contains";
    pool.spec.limits.cpu = 1.5;
    delete pool.spec.template.spec.nodeClassRef.kind;
    assert.deepEqual(schemaProblems(schema, pool), [
      '.spec.template.spec.nodeClassRef.kind: required, missing',
      '.spec.template.spec.requirements[0].operator: "Contains" is not one of ["Gte","Lte","In","NotIn","Exists","DoesNotExist","Gt","Lt"]',
      ".spec.limits.cpu: number is neither an integer nor a string",
      '.spec.disruption.consolidationPolicy: "Always" is not one of ["WhenEmpty","WhenEmptyOrUnderutilized","Balanced"]',
      '.spec.disruption.consolidateAfter: "soon" does not match ^(([0-9]+(s|m|h))+|Never)$',
      ".spec.disruption.budget: unknown key",
    ]);
    const nodeClass = ec2NodeClass(group({ diskSize: 70000 }), { roleName: "r", clusterName: "c", tags: {} }) as Record<string, any>;
    assert.deepEqual(schemaProblems(crdFixture("karpenter", "EC2NodeClass").schema, nodeClass), [
      `.spec.blockDeviceMappings[0].ebs.volumeSize: "70000Gi" does not match ${crdFixture("karpenter", "EC2NodeClass").schema.properties?.spec.properties?.blockDeviceMappings.items?.properties?.ebs.properties?.volumeSize.pattern}`,
    ]);
  });

  it("a default CPU pool exists even when the spec names no group besides system", () => {
    assert.deepEqual(ofType(minimal, NODE_POOL).map((pool) => objectOf(pool).spec), [
      {
        template: {
          metadata: { labels: { "platinfra.dev/node-group": "default" } },
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
            requirements: [
              { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
              { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
              { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
              { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
              { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
            ],
          },
        },
        limits: { cpu: "32", memory: "128Gi" },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "1m" },
      },
    ]);
    assert.deepEqual(ofType(minimal, "aws:eks/nodeGroup:NodeGroup").map((nodeGroup) => nodeGroup.name), ["aws-mlops-stack-nodes-system"]);
  });

  it("a GPU group becomes a spot NodePool of its NVIDIA types, tainted and labelled, its max as limits, consolidating", () => {
    assert.deepEqual(ofType(gpu, "aws:eks/nodeGroup:NodeGroup").map((nodeGroup) => nodeGroup.name), ["gpu-ml-stack-nodes-system"]);
    assert.deepEqual(objectOf(named(gpu, "gpu-ml-stack-karpenter-gpu-pool", NODE_POOL)), {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "gpu" },
      spec: {
        template: {
          metadata: { labels: { workload: "gpu", "platinfra.dev/node-group": "gpu", "platinfra.dev/gpu": "true" } },
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "gpu" },
            requirements: [
              { key: "node.kubernetes.io/instance-type", operator: "In", values: ["g5.xlarge", "g5.2xlarge"] },
              { key: "karpenter.k8s.aws/instance-gpu-manufacturer", operator: "In", values: ["nvidia"] },
              { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
              { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
            ],
            taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
          },
        },
        limits: { nodes: "4", cpu: "32", "nvidia.com/gpu": "4" },
        disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "5m" },
        weight: 10,
      },
    });
  });

  it("EC2NodeClass: pinned AL2023 alias, the node role, discovery by tag, encrypted gp3 root of disk_size, IMDSv2 hop limit 1, the stack's tags", () => {
    assert.deepEqual(objectOf(named(gpu, "gpu-ml-stack-karpenter-gpu-class", NODE_CLASS)).spec, {
      role: "gpu-ml-stack-dev-nodes",
      amiSelectorTerms: [{ alias: `al2023@${AL2023_RELEASE}` }],
      subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": CLUSTER } }],
      securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": CLUSTER } }],
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "200Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true } },
      ],
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      tags: { "platinfra:stack": "gpu-ml-stack", "platinfra:environment": "dev", "managed-by": "platinfra", team: "ml-platform", "cost-center": "4242" },
    });
    assert.equal(AL2023_RELEASE, "v20260714");
  });

  it("discovery tags: the private subnets (only those) and the cluster security group", () => {
    for (const tier of ["private", "public", "database"]) {
      const tags = named(gpu, `gpu-ml-stack-network-${tier}-0`, "aws:ec2/subnet:Subnet").inputs.tags as Record<string, string>;
      assert.equal(tags["karpenter.sh/discovery"], tier === "private" ? CLUSTER : undefined, tier);
    }
    assert.deepEqual(named(gpu, "gpu-ml-stack-karpenter-security-group-discovery", "aws:ec2/tag:Tag").inputs, {
      resourceId: "sg-cluster",
      key: "karpenter.sh/discovery",
      value: CLUSTER,
    });
  });

  it("Karpenter's nodes share the node role, whose EC2_LINUX access entry EKS creates with the system group: platinfra adds none of its own", () => {
    assert.deepEqual(ofType(gpu, "aws:eks/accessEntry:AccessEntry"), []);
  });


  it("the interruption queue: encrypted, 5-minute retention, fed by five EventBridge rules, sends only from events over TLS", () => {
    const queue = named(gpu, "gpu-ml-stack-karpenter-interruption", "aws:sqs/queue:Queue");
    assert.deepEqual(queue.inputs, { name: "gpu-ml-stack-dev-karpenter", messageRetentionSeconds: 300, sqsManagedSseEnabled: true });
    const queueArn = "arn:aws:sqs:us-west-2:123456789012:gpu-ml-stack-karpenter-interruption";
    const rules = ofType(gpu, "aws:cloudwatch/eventRule:EventRule").map((rule) => [rule.inputs.name, json(rule.inputs.eventPattern)]);
    assert.deepEqual(rules, [
      ["gpu-ml-stack-dev-karpenter-scheduled-change", { source: ["aws.health"], "detail-type": ["AWS Health Event"] }],
      ["gpu-ml-stack-dev-karpenter-spot-interruption", { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] }],
      ["gpu-ml-stack-dev-karpenter-rebalance", { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] }],
      ["gpu-ml-stack-dev-karpenter-instance-state-change", { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] }],
      ["gpu-ml-stack-dev-karpenter-capacity-reservation-interruption", { source: ["aws.ec2"], "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"] }],
    ]);
    const targets = ofType(gpu, "aws:cloudwatch/eventTarget:EventTarget").map((target) => [target.inputs.rule, target.inputs.arn]);
    assert.deepEqual(targets, rules.map(([rule]) => [rule, queueArn]));
    const policy = json(named(gpu, "gpu-ml-stack-karpenter-interruption-policy", "aws:sqs/queuePolicy:QueuePolicy").inputs.policy);
    assert.deepEqual(policy.Statement, [
      { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: queueArn },
      { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ]);
  });

  it("the controller role trusts only kube-system/karpenter and holds exactly the documented, cluster-scoped policy", () => {
    const role = named(gpu, "gpu-ml-stack-karpenter-irsa", "aws:iam/role:Role");
    assert.equal(role.inputs.name, "gpu-ml-stack-dev-karpenter");
    const trust = json(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust), ["system:serviceaccount:kube-system:karpenter", "sts.amazonaws.com"]);
    const policy = named(gpu, "gpu-ml-stack-karpenter-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy as string;
    // IAM's limit for a role's inline policies is 10,240 characters.
    assert.ok(policy.length < 10240, `${policy.length}`);
    const statements = json(policy).Statement as any[];
    assert.deepEqual(statements, karpenterControllerStatements({
      partition: "aws", region: "us-west-2", accountId: "123456789012", clusterName: CLUSTER,
      nodeRoleArn: "arn:aws:iam::123456789012:role/gpu-ml-stack-dev-nodes", queueArn: "arn:aws:sqs:us-west-2:123456789012:gpu-ml-stack-karpenter-interruption",
    }));
  });

  it("the controller policy: the documented statements, actions and conditions, every mutation scoped to this cluster", () => {
    const statements = karpenterControllerStatements({
      partition: "aws", region: "eu-west-1", accountId: "111122223333", clusterName: "demo-dev", nodeRoleArn: "arn:aws:iam::111122223333:role/demo-dev-nodes", queueArn: "arn:aws:sqs:eu-west-1:111122223333:demo-dev-karpenter",
    });
    const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
    assert.deepEqual(Object.fromEntries(statements.map((statement) => [statement.Sid, statement.Action])), {
      AllowScopedEC2InstanceAccessActions: ["ec2:RunInstances", "ec2:CreateFleet"],
      AllowScopedEC2LaunchTemplateAccessActions: ["ec2:RunInstances", "ec2:CreateFleet"],
      AllowScopedEC2InstanceActionsWithTags: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      AllowScopedResourceCreationTagging: ["ec2:CreateTags"],
      AllowScopedResourceTagging: ["ec2:CreateTags"],
      AllowScopedDeletion: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      AllowPassingInstanceRole: ["iam:PassRole"],
      AllowScopedInstanceProfileCreationActions: ["iam:CreateInstanceProfile"],
      AllowScopedInstanceProfileTagActions: ["iam:TagInstanceProfile"],
      AllowScopedInstanceProfileActions: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
      AllowAPIServerEndpointDiscovery: ["eks:DescribeCluster"],
      AllowInterruptionQueueActions: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      AllowZonalShiftStatusReadOnly: ["arc-zonal-shift:GetManagedResource"],
      AllowRegionalReadActions: [
        "ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus", "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates", "ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
      ],
      AllowSSMReadActions: ["ssm:GetParameter"],
      AllowPricingReadActions: ["pricing:GetProducts"],
      AllowUnscopedInstanceProfileListAction: ["iam:ListInstanceProfiles"],
      AllowInstanceProfileReadActions: ["iam:GetInstanceProfile"],
    });
    const owned = { StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/demo-dev": "owned" }, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } };
    assert.deepEqual(bySid.AllowScopedDeletion.Condition, owned);
    assert.deepEqual(bySid.AllowScopedDeletion.Resource, ["arn:aws:ec2:eu-west-1:*:instance/*", "arn:aws:ec2:eu-west-1:*:launch-template/*"]);
    assert.deepEqual(bySid.AllowScopedEC2InstanceActionsWithTags.Condition, {
      StringEquals: { "aws:RequestTag/kubernetes.io/cluster/demo-dev": "owned", "aws:RequestTag/eks:eks-cluster-name": "demo-dev" },
      StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
    });
    assert.deepEqual(bySid.AllowScopedResourceCreationTagging.Condition.StringEquals["ec2:CreateAction"], ["RunInstances", "CreateFleet", "CreateLaunchTemplate"]);
    assert.deepEqual(bySid.AllowScopedResourceTagging.Condition["ForAllValues:StringEquals"], { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] });
    assert.deepEqual(bySid.AllowPassingInstanceRole, {
      Sid: "AllowPassingInstanceRole", Effect: "Allow", Resource: "arn:aws:iam::111122223333:role/demo-dev-nodes", Action: ["iam:PassRole"],
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    });
    assert.deepEqual(bySid.AllowScopedInstanceProfileActions.Condition, {
      StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/demo-dev": "owned", "aws:ResourceTag/topology.kubernetes.io/region": "eu-west-1" },
      StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
    });
    assert.equal(bySid.AllowAPIServerEndpointDiscovery.Resource, "arn:aws:eks:eu-west-1:111122223333:cluster/demo-dev");
    assert.equal(bySid.AllowInterruptionQueueActions.Resource, "arn:aws:sqs:eu-west-1:111122223333:demo-dev-karpenter");
    assert.deepEqual(bySid.AllowRegionalReadActions.Condition, { StringEquals: { "aws:RequestedRegion": "eu-west-1" } });
    // On "*" only reads, each a named action, never a service wildcard; every other statement names ARNs.
    const unscoped = statements.filter((statement) => statement.Resource === "*").map((statement) => statement.Sid);
    assert.deepEqual(unscoped, ["AllowZonalShiftStatusReadOnly", "AllowRegionalReadActions", "AllowPricingReadActions", "AllowUnscopedInstanceProfileListAction"]);
    for (const statement of statements) for (const action of statement.Action) assert.ok(!action.includes("*"), action);
  });

  it("Helm: the CRDs as their own release first, then the controller on the system group with explicit requests, settings and the IRSA role", () => {
    const crds = named(gpu, "gpu-ml-stack-karpenter-crd", "kubernetes:helm.sh/v3:Release");
    assert.deepEqual([crds.inputs.chart, crds.inputs.version, crds.inputs.namespace, crds.inputs.values], ["oci://public.ecr.aws/karpenter/karpenter-crd", "1.14.1", "kube-system", {}]);
    const controller = named(gpu, "gpu-ml-stack-karpenter-controller", "kubernetes:helm.sh/v3:Release");
    assert.deepEqual([controller.inputs.chart, controller.inputs.version, controller.inputs.skipCrds], ["oci://public.ecr.aws/karpenter/karpenter", "1.14.1", true]);
    assert.deepEqual(controller.inputs.values, {
      settings: { clusterName: CLUSTER, interruptionQueue: "gpu-ml-stack-dev-karpenter" },
      serviceAccount: { create: true, name: "karpenter", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/gpu-ml-stack-dev-karpenter" } },
      replicas: 2,
      nodeSelector: { "kubernetes.io/os": "linux", "platinfra.dev/node-group": "system" },
      controller: { resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } }, env: [{ name: "AWS_REGION", value: "us-west-2" }] },
    });
    for (const release of [crds, controller]) assert.deepEqual(unknownValuesKeys(release), [], release.name);
    assert.ok(controller.dependencies?.includes(crds.urn));
    assert.ok(controller.dependencies?.includes(named(gpu, "gpu-ml-stack-nodes-system", "aws:eks/nodeGroup:NodeGroup").urn));
    const pool = named(gpu, "gpu-ml-stack-karpenter-gpu-pool", NODE_POOL);
    assert.ok(pool.dependencies?.includes(controller.urn));
    assert.ok(pool.dependencies?.includes(named(gpu, "gpu-ml-stack-karpenter-gpu-class", NODE_CLASS).urn), "the pool goes before its class on destroy");
  });

  it("a network platinfra did not create: nodes launch in its private subnets by id (they carry no discovery tag)", async () => {
    const result = await renderSpec(specOf(example("terraform-network-stack.yaml")));
    const nodeClass = objectOf(ofType(result, NODE_CLASS)[0]);
    assert.deepEqual(nodeClass.spec.subnetSelectorTerms, [{ id: "subnet-private-a" }, { id: "subnet-private-b" }, { id: "subnet-private-c" }]);
    assert.deepEqual(nodeClass.spec.securityGroupSelectorTerms, [{ tags: { "karpenter.sh/discovery": nodeClass.spec.role.replace(/-nodes$/, "") } }]);
  });

  it("an existing cluster: no Karpenter of platinfra's", async () => {
    const result = await renderSpec(specOf(example("existing-cluster-stack.yaml")));
    assert.equal(ofType(result, "platinfra:base:Karpenter").length, 0);
  });
});

describe("NodePool sizing", () => {
  it("vCPUs and GPUs per instance type", () => {
    const table: [string, number | undefined, number][] = [
      ["m6i.large", 2, 1],
      ["m6i.xlarge", 4, 1],
      ["c7g.16xlarge", 64, 1],
      ["t3.medium", 1, 1],
      ["m7i.metal-24xl", undefined, 1],
      ["g5.xlarge", 4, 1],
      ["g5.12xlarge", 48, 4],
      ["g5.48xlarge", 192, 8],
      ["g4dn.metal", undefined, 8],
      ["p4d.24xlarge", 96, 8],
      ["p3.8xlarge", 32, 4],
    ];
    for (const [type, vcpus, gpus] of table) assert.deepEqual([vcpusOf(type), gpusOf(type)], [vcpus, gpus], type);
  });

  it("limits: max nodes, and the vCPUs (and GPUs) of max of the largest type; no CPU limit when a size does not say", () => {
    assert.deepEqual(poolLimits(group({ instanceTypes: ["m6i.large", "m6i.2xlarge"], max: 5 })), { nodes: "5", cpu: "40" });
    assert.deepEqual(poolLimits(group({ instanceTypes: ["g5.xlarge", "g5.12xlarge"], gpu: true, max: 2 })), { nodes: "2", cpu: "96", "nvidia.com/gpu": "8" });
    assert.deepEqual(poolLimits(group({ instanceTypes: ["m7i.metal-24xl"], max: 2 })), { nodes: "2" });
    assert.deepEqual(poolLimits(DEFAULT_POOL), { cpu: "32", memory: "128Gi" });
  });

  it("spec taints come in Kubernetes' spelling, on-demand by default, no weight on the default pool", () => {
    const pool = nodePool(group({ taints: [{ key: "team", value: "a", effect: "NoExecute" }] })) as Record<string, any>;
    assert.deepEqual(pool.spec.template.spec.taints, [{ key: "team", value: "a", effect: "NoExecute" }]);
    assert.deepEqual(pool.spec.template.spec.requirements.at(-1), { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] });
    assert.equal(pool.spec.weight, 10);
    assert.equal((nodePool(DEFAULT_POOL) as Record<string, any>).spec.weight, undefined);
    assert.equal("taints" in (nodePool(DEFAULT_POOL) as Record<string, any>).spec.template.spec, false);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderResult, RenderedResource } from "../../src/engine/render";
import { EXAMPLES } from "../helpers/cli";
import { named, ofType, renderSpec, json } from "../helpers/render";
import { specOf } from "../helpers/spec-text";

const example = (file: string) => fs.readFileSync(path.join(EXAMPLES, file), "utf8");
/** The canonical example's base, with the one deployable tool so far standing in for its tools. */
const DEFAULT_STACK = example("aws-mlops-stack.yaml").replace(/stack:\n[\s\S]*$/, "stack:\n  orchestrator: [aws-eks]\n");

const countByType = (result: RenderResult) =>
  result.resources.reduce<Record<string, number>>((counts, resource) => ({ ...counts, [resource.type]: (counts[resource.type] ?? 0) + 1 }), {});


/** The GPU example without autoscaling: every group a managed node group, the GPU one running one node. */
const GPU_STACK_WITHOUT_AUTOSCALING = example("gpu-stack.yaml")
  .replace('  kubernetes_version: "1.36"\n', '  kubernetes_version: "1.36"\n  autoscaling: none\n')
  .replace("      spot: true\n      max: 4\n", "      spot: true\n      min: 0\n      max: 4\n      desired: 1\n");

describe("the AWS base infrastructure, rendered", () => {
  let defaults: RenderResult;
  let gpu: RenderResult;
  let gpuManaged: RenderResult;
  before(async () => {
    defaults = await renderSpec(specOf(DEFAULT_STACK));
    gpu = await renderSpec(specOf(example("gpu-stack.yaml")));
    gpuManaged = await renderSpec(specOf(GPU_STACK_WITHOUT_AUTOSCALING));
  });

  it("default stack: exactly these resources", () => {
    assert.deepEqual(countByType(defaults), {
      "pulumi:pulumi:Stack": 1,
      "platinfra:base:Platform": 1,
      "pulumi:providers:aws": 1,
      "platinfra:base:Network": 1,
      "aws:ec2/vpc:Vpc": 1,
      "aws:ec2/internetGateway:InternetGateway": 1,
      "aws:ec2/subnet:Subnet": 9,
      "aws:ec2/eip:Eip": 1,
      "aws:ec2/natGateway:NatGateway": 1,
      "aws:ec2/routeTable:RouteTable": 5,
      "aws:ec2/route:Route": 4,
      "aws:ec2/routeTableAssociation:RouteTableAssociation": 9,
      "aws:ec2/vpcEndpoint:VpcEndpoint": 1,
      "platinfra:base:Cluster": 1,
      "aws:kms/key:Key": 1,
      "aws:kms/alias:Alias": 1,
      "aws:cloudwatch/logGroup:LogGroup": 1,
      "eks:index:Cluster": 1,
      "pulumi:providers:kubernetes": 2,
      "platinfra:base:NodeGroups": 1,
      "aws:iam/role:Role": 5,
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 5,
      "aws:ec2/launchTemplate:LaunchTemplate": 1,
      "aws:eks/nodeGroup:NodeGroup": 1,
      "platinfra:base:ClusterAddons": 1,
      "platinfra:base:ServiceAccountRole": 4,
      "aws:eks/addon:Addon": 4,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "kubernetes:core/v1:ServiceAccount": 1,
      "kubernetes:storage.k8s.io/v1:StorageClass": 1,
      "kubernetes:yaml/v2:ConfigFile": 2,
      "kubernetes:helm.sh/v3:Release": 4,
      "platinfra:base:Karpenter": 1,
      "aws:sqs/queue:Queue": 1,
      "aws:sqs/queuePolicy:QueuePolicy": 1,
      "aws:cloudwatch/eventRule:EventRule": 5,
      "aws:cloudwatch/eventTarget:EventTarget": 5,
      "aws:ec2/tag:Tag": 1,
      "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass": 1,
      "kubernetes:karpenter.sh/v1:NodePool": 1,
      "platinfra:tools:AwsEks": 1,
    });
    assert.deepEqual(ofType(defaults, "aws:eks/addon:Addon").map((addon) => addon.inputs.addonName).sort(), ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
    assert.deepEqual(ofType(defaults, "kubernetes:helm.sh/v3:Release").map((release) => [release.inputs.chart, release.inputs.version]).sort(), [
      ["aws-load-balancer-controller", "3.5.0"],
      ["metrics-server", "3.13.1"],
      ["oci://public.ecr.aws/karpenter/karpenter", "1.14.1"],
      ["oci://public.ecr.aws/karpenter/karpenter-crd", "1.14.1"],
    ]);
  });

  it("autoscaling: none keeps every group a managed node group: no Karpenter, no NodePools, no access entry of platinfra's", () => {
    const managed = ofType(gpuManaged, "aws:eks/nodeGroup:NodeGroup").map((group) => group.name);
    assert.deepEqual(managed, ["gpu-ml-stack-nodes-system", "gpu-ml-stack-nodes-gpu"]);
    for (const type of ["platinfra:base:Karpenter", "aws:eks/accessEntry:AccessEntry", "aws:sqs/queue:Queue", "kubernetes:karpenter.sh/v1:NodePool", "aws:ec2/tag:Tag"]) {
      assert.equal(ofType(gpuManaged, type).length, 0, type);
    }
    const privateSubnet = named(gpuManaged, "gpu-ml-stack-network-private-0", "aws:ec2/subnet:Subnet");
    assert.equal((privateSubnet.inputs.tags as Record<string, string>)["karpenter.sh/discovery"], undefined);
  });

  it("GPU stack without autoscaling: a GPU node group with the NVIDIA AMI, taint and label, and the NVIDIA device plugin", () => {
    const group = named(gpuManaged, "gpu-ml-stack-nodes-gpu");
    assert.equal(group.inputs.amiType, "AL2023_x86_64_NVIDIA");
    assert.equal(group.inputs.capacityType, "SPOT");
    assert.deepEqual(group.inputs.taints, [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }]);
    assert.deepEqual(group.inputs.labels, { workload: "gpu", "platinfra.dev/node-group": "gpu", "platinfra.dev/gpu": "true" });
    const plugin = named(gpuManaged, "gpu-ml-stack-addons-nvidia-device-plugin");
    assert.equal(plugin.inputs.chart, "nvidia-device-plugin");
    assert.equal(plugin.inputs.version, "0.20.0");
    // Every taint, so a GPU group tainted by the spec (dedicated=ml…) still advertises its GPUs.
    assert.deepEqual((plugin.inputs.values as any).tolerations, [{ operator: "Exists" }]);
    assert.equal(ofType(defaults, "kubernetes:helm.sh/v3:Release").some((release) => release.inputs.chart === "nvidia-device-plugin"), false);
  });

  it("per-AZ NAT: one NAT gateway and EIP per zone", () => {
    assert.equal(ofType(gpu, "aws:ec2/natGateway:NatGateway").length, 3);
    assert.equal(ofType(gpu, "aws:ec2/eip:Eip").length, 3);
    assert.equal(ofType(defaults, "aws:ec2/natGateway:NatGateway").length, 1);
  });

  it("node groups match the spec: sizes (desired passed through), instance types, capacity, disk, AMI", () => {
    const system = named(gpuManaged, "gpu-ml-stack-nodes-system");
    assert.deepEqual(system.inputs.scalingConfig, { minSize: 2, maxSize: 4, desiredSize: 2 });
    assert.deepEqual(system.inputs.instanceTypes, ["m6i.large"]);
    assert.equal(system.inputs.capacityType, "ON_DEMAND");
    assert.equal(system.inputs.amiType, "AL2023_x86_64_STANDARD");
    const gpuGroup = named(gpuManaged, "gpu-ml-stack-nodes-gpu");
    assert.deepEqual(gpuGroup.inputs.scalingConfig, { minSize: 0, maxSize: 4, desiredSize: 1 });
    assert.deepEqual(gpuGroup.inputs.instanceTypes, ["g5.xlarge", "g5.2xlarge"]);
    const template = named(gpuManaged, "gpu-ml-stack-nodes-gpu-template");
    assert.deepEqual(template?.inputs.blockDeviceMappings, [
      { deviceName: "/dev/xvda", ebs: { volumeSize: 200, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
    ]);
    // Hop limit 1: containers cannot reach IMDS, so no pod can take the node role.
    assert.deepEqual(template?.inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    assert.deepEqual(named(defaults, "aws-mlops-stack-nodes-system-template").inputs.metadataOptions, { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 });
    const defaultSystem = named(defaults, "aws-mlops-stack-nodes-system");
    assert.deepEqual(defaultSystem.inputs.scalingConfig, { minSize: 2, maxSize: 4, desiredSize: 2 });
    // No autoscaler resizes managed groups, so a changed desired size is applied, never ignored.
    for (const group of [...ofType(gpuManaged, "aws:eks/nodeGroup:NodeGroup"), defaultSystem]) assert.equal(group.ignoreChanges, undefined, group.name);
  });

  it("Kubernetes version is pinned: the default, or the spec's", () => {
    assert.equal(ofType(defaults, "eks:index:Cluster")[0].inputs.version, "1.36");
    const pinned = specOf(DEFAULT_STACK.replace("type: kubernetes", 'type: kubernetes\n  kubernetes_version: "1.33"'));
    return renderSpec(pinned).then((result) => assert.equal(ofType(result, "eks:index:Cluster")[0].inputs.version, "1.33"));
  });

  it("EKS secrets are encrypted with the cluster's own KMS key, rotated", () => {
    const key = ofType(defaults, "aws:kms/key:Key")[0];
    assert.equal(key.inputs.enableKeyRotation, true);
    const cluster = ofType(defaults, "eks:index:Cluster")[0];
    assert.equal(cluster.inputs.encryptionConfigKeyArn, `arn:aws:kms:eu-west-1:123456789012:key/${key.name}-key-id`);
  });

  it("the cluster: API authentication with access entries for the spec's admins, private endpoint always, public per spec", async () => {
    const cluster = ofType(gpu, "eks:index:Cluster")[0].inputs;
    assert.equal(cluster.authenticationMode, "API");
    assert.equal(cluster.endpointPrivateAccess, true);
    assert.equal(cluster.endpointPublicAccess, true);
    assert.deepEqual(cluster.publicAccessCidrs, ["0.0.0.0/0"]);
    const limited = specOf(example("gpu-stack.yaml").replace("  vpc:\n", '  public_access_cidrs: ["198.18.7.0/24"]\n  vpc:\n'));
    assert.deepEqual(ofType(await renderSpec(limited), "eks:index:Cluster")[0].inputs.publicAccessCidrs, ["198.18.7.0/24"]);
    assert.equal(cluster.createOidcProvider, true);
    assert.deepEqual(cluster.accessEntries, {
      "role-123456789012-PlatformAdmin": {
        principalArn: "arn:aws:iam::123456789012:role/PlatformAdmin",
        accessPolicies: { "cluster-admin": { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
      },
    });
  });

  it("the deploying role listed in admins gets no access entry of its own (EKS made it admin as the creator)", async () => {
    const caller = "arn:aws:sts::123456789012:assumed-role/PlatformAdmin/ci-run-42";
    const result = await renderSpec(specOf(example("gpu-stack.yaml")), { creatorArn: caller });
    assert.deepEqual(ofType(result, "eks:index:Cluster")[0].inputs.accessEntries, {});
  });

  it("access entries are keyed by principal: reordering admins changes no key", async () => {
    const admins = ["arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::123456789012:user/ops/alice"];
    const entries = async (order: string[]) => {
      const text = example("gpu-stack.yaml").replace(/admins: .*/, `admins: ${JSON.stringify(order)}`);
      const cluster = ofType(await renderSpec(specOf(text)), "eks:index:Cluster")[0].inputs;
      return Object.fromEntries(Object.entries(cluster.accessEntries as Record<string, any>).map(([key, entry]) => [key, entry.principalArn]));
    };
    const expected = { "role-123456789012-PlatformAdmin": admins[0], "user-123456789012-alice": admins[1] };
    assert.deepEqual(await entries(admins), expected);
    assert.deepEqual(await entries([...admins].reverse()), expected);
  });

  it("the kubeconfig names the spec's profile explicitly; without one, the default credential chain", async () => {
    const withProfile = specOf(example("gpu-stack.yaml").replace("region: us-west-2", "region: us-west-2\n  profile: ml-admin"));
    const cluster = ofType(await renderSpec(withProfile), "eks:index:Cluster")[0].inputs;
    assert.deepEqual(cluster.providerCredentialOpts, { profileName: "ml-admin" });
    assert.equal("providerCredentialOpts" in ofType(gpu, "eks:index:Cluster")[0].inputs, false);
  });

  it("the default StorageClass is encrypted gp3 through the EBS CSI driver, which has its own scoped role", () => {
    const storage = ofType(defaults, "kubernetes:storage.k8s.io/v1:StorageClass")[0].inputs;
    assert.equal(storage.provisioner, "ebs.csi.aws.com");
    assert.deepEqual(storage.parameters, { type: "gp3", encrypted: "true" });
    assert.equal((storage.metadata as any).annotations["storageclass.kubernetes.io/is-default-class"], "true");
    const ebs = ofType(defaults, "aws:eks/addon:Addon").find((addon) => addon.inputs.addonName === "aws-ebs-csi-driver");
    assert.equal(ebs?.inputs.serviceAccountRoleArn, "arn:aws:iam::123456789012:role/aws-mlops-stack-dev-ebs-csi");
  });

  it("the flow-logs bucket blocks public access, uses SSE-S3, denies non-TLS and admits this account's log delivery", () => {
    const bucket = named(gpu, "gpu-ml-stack-flow-logs", "aws:s3/bucket:Bucket");
    const arn = `arn:aws:s3:::${bucket.inputs.bucket}`;
    const children = gpu.resources.filter((resource) => resource.name.startsWith("gpu-ml-stack-flow-logs-"));
    const byType = (type: string) => children.find((child) => child.type === type)?.inputs;
    assert.deepEqual(byType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"), {
      bucket: bucket.inputs.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    assert.deepEqual((byType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration") as any).rules, [
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
    ]);
    const source = { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:logs:us-west-2:123456789012:*" } };
    assert.deepEqual(json(byType("aws:s3/bucketPolicy:BucketPolicy")?.policy).Statement, [
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      {
        Sid: "AWSLogDeliveryWrite",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${arn}/AWSLogs/123456789012/*`,
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: source.ArnLike },
      },
      { Sid: "AWSLogDeliveryAclCheck", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: arn, Condition: source },
    ]);
    assert.equal(bucket.inputs.forceDestroy, false);
    const flowLog = ofType(gpu, "aws:ec2/flowLog:FlowLog")[0].inputs;
    assert.deepEqual([flowLog.logDestination, flowLog.logDestinationType], [arn, "s3"]);
  });

  it("IRSA trust policies name exactly one service account and the sts audience", () => {
    const roles = gpu.resources.filter((resource) => resource.type === "aws:iam/role:Role" && json(resource.inputs.assumeRolePolicy).Statement[0].Principal.Federated);
    assert.equal(roles.length, 4);
    for (const role of roles) {
      const [statement, ...others] = json(role.inputs.assumeRolePolicy).Statement;
      assert.equal(others.length, 0, role.name);
      assert.equal(statement.Action, "sts:AssumeRoleWithWebIdentity");
      const conditions = statement.Condition.StringEquals as Record<string, string>;
      const subjects = Object.entries(conditions).filter(([key]) => key.endsWith(":sub"));
      assert.equal(subjects.length, 1, role.name);
      assert.match(subjects[0][1], /^system:serviceaccount:kube-system:[a-z-]+$/);
      assert.deepEqual(Object.entries(conditions).filter(([key]) => key.endsWith(":aud")).map(([, value]) => value), ["sts.amazonaws.com"]);
    }
  });

  it("no IAM policy grants * on *", () => {
    for (const resource of [...gpu.resources, ...defaults.resources]) {
      if (!["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"].includes(resource.type)) continue;
      for (const statement of json(resource.inputs.policy).Statement as any[]) {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat();
        assert.ok(!(statement.Effect === "Allow" && actions.includes("*") && resources.includes("*")), resource.name);
        assert.ok(!actions.some((action: string) => action.endsWith(":*") && resources.includes("*")), `${resource.name}: service-wide wildcard on *`);
      }
    }
  });

  it("no security group rule opens SSH or admin ports to 0.0.0.0/0", () => {
    const rules = gpu.resources.filter((resource) => /SecurityGroup(Rule|IngressRule)?$/.test(resource.type));
    for (const rule of rules) {
      const ingress = (rule.inputs.ingress as any[]) ?? [rule.inputs];
      for (const entry of ingress) {
        const open = [entry.cidrIpv4, ...(entry.cidrBlocks ?? [])].includes("0.0.0.0/0");
        assert.ok(!open, `${rule.name} is open to the internet`);
      }
    }
  });

  it("every AWS resource is created through a provider carrying the stack's tags and pinned to the account", () => {
    const providers = new Map(ofType(gpu, "pulumi:providers:aws").map((provider) => [provider.urn, provider.inputs]));
    const awsResources = gpu.resources.filter((resource) => resource.type.startsWith("aws:"));
    assert.ok(awsResources.length > 40);
    for (const resource of awsResources) {
      const providerUrn = resource.provider?.split("::").slice(0, -1).join("::");
      const provider = providers.get(providerUrn ?? "");
      assert.ok(provider, `${resource.name} uses ${resource.provider}`);
      const tags = (provider.defaultTags as { tags: Record<string, string> }).tags;
      assert.deepEqual(
        { stack: tags["platinfra:stack"], environment: tags["platinfra:environment"], team: tags.team, managedBy: tags["managed-by"] },
        { stack: "gpu-ml-stack", environment: "dev", team: "ml-platform", managedBy: "platinfra" },
        resource.name,
      );
      assert.deepEqual(provider.allowedAccountIds, ["123456789012"]);
    }
  });

  it("Kubernetes resources go through the cluster's provider; CRDs through one that takes over Helm's fields", () => {
    const [kubernetes, crds] = ["gpu-ml-stack-cluster-kubernetes", "gpu-ml-stack-kubernetes-crds"].map((name) => named(gpu, name, "pulumi:providers:kubernetes"));
    assert.deepEqual(crds.inputs, { ...kubernetes.inputs, enablePatchForce: true });
    for (const resource of gpu.resources.filter((item) => item.type.startsWith("kubernetes:"))) {
      const expected = resource.type === "kubernetes:yaml/v2:ConfigFile" ? crds : kubernetes;
      assert.equal(resource.provider?.split("::").slice(0, -1).join("::"), expected.urn, resource.name);
    }
  });

  it("derived names respect their services' limits for a 40-character stack name", async () => {
    const longName = "a-forty-character-stack-name-for-testing";
    assert.equal(longName.length, 40);
    const result = await renderSpec(specOf(example("gpu-stack.yaml").replace("name: gpu-ml-stack", `name: ${longName}`)));
    const limits: [string, string, number][] = [
      ["aws:iam/role:Role", "name", 64],
      ["aws:s3/bucket:Bucket", "bucket", 63],
      ["aws:eks/nodeGroup:NodeGroup", "nodeGroupNamePrefix", 63 - 26], // the provider appends a 26-character suffix
      ["eks:index:Cluster", "name", 100],
      ["aws:kms/alias:Alias", "name", 256],
    ];
    for (const [type, field, limit] of limits) {
      const found = ofType(result, type);
      assert.ok(found.length > 0, type);
      for (const resource of found) {
        const value = String(resource.inputs[field]);
        assert.ok(value.length <= limit, `${type} ${field} "${value}" is ${value.length} > ${limit}`);
        assert.match(value, /^(alias\/)?[a-z0-9][a-z0-9-]*$/i, value);
      }
    }
    const roleNames = ofType(result, "aws:iam/role:Role").map((role) => role.inputs.name);
    assert.equal(new Set(roleNames).size, roleNames.length, "role names stay distinct when shortened");
  });

  it("an existing cluster: looked up, not created — no network, cluster or node groups", async () => {
    const result = await renderSpec(specOf(example("existing-cluster-stack.yaml")));
    for (const type of ["aws:ec2/vpc:Vpc", "eks:index:Cluster", "aws:eks/nodeGroup:NodeGroup", "platinfra:base:ClusterAddons"]) {
      assert.equal(ofType(result, type).length, 0, type);
    }
    assert.equal(ofType(result, "pulumi:providers:kubernetes").length, 1);
    assert.equal(result.outputs.clusterName, "platform-prod");
    assert.equal(result.outputs.vpcId, "vpc-existing");
  });

  it("an existing cluster built with a node security group of its own: tool databases admit it besides the cluster's", async () => {
    const text = example("existing-cluster-stack.yaml").replace("orchestrator: [aws-eks]", "experiment_tracker: [mlflow]");
    const result = await renderSpec(specOf(text, { allDeployable: true }));
    const admitted = ofType(result, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((rule) => rule.name.startsWith("mlflow-db-"))
      .map((rule) => rule.inputs.referencedSecurityGroupId)
      .sort();
    assert.deepEqual(admitted, ["sg-cluster", "sg-node-terraform"], "the cluster group once, the nodes' own group (found on the running nodes)");
  });

  it("a Terraform state: the VPC is read from its outputs and the cluster created in its subnets", async () => {
    const result = await renderSpec(specOf(example("terraform-network-stack.yaml")));
    assert.equal(ofType(result, "aws:ec2/vpc:Vpc").length, 0);
    const cluster = ofType(result, "eks:index:Cluster")[0].inputs;
    assert.equal(cluster.vpcId, "vpc-terraform");
    assert.deepEqual(cluster.privateSubnetIds, ["subnet-private-a", "subnet-private-b", "subnet-private-c"]);
    assert.deepEqual(cluster.publicSubnetIds, ["subnet-public-a", "subnet-public-b", "subnet-public-c"]);
    assert.equal(ofType(result, "aws:eks/nodeGroup:NodeGroup").length, 1);
    assert.equal(result.outputs.vpcId, "vpc-terraform");
  });
});

export type { RenderedResource };

describe("what runs in parallel (the dependency graph)", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderSpec(specOf(example("aws-mlops-stack.yaml")));
  });

  /** Every URN a resource waits for, directly or through what it waits for. */
  const waitsFor = (urn: string, seen = new Set<string>()): Set<string> => {
    const resource = result.resources.find((item) => item.urn === urn);
    for (const dependency of resource?.dependencies ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      waitsFor(dependency, seen);
    }
    return seen;
  };
  const urnOf = (name: string, type: string) => named(result, name, type).urn;

  it("the EKS control plane does not wait for the NAT gateways: both start together", () => {
    const control = waitsFor(urnOf("aws-mlops-stack-cluster-eks", "eks:index:Cluster"));
    assert.ok(!control.has(urnOf("aws-mlops-stack-network-nat-0", "aws:ec2/natGateway:NatGateway")));
    assert.ok(control.has(urnOf("aws-mlops-stack-cluster-secrets-key", "aws:kms/key:Key")));
  });

  it("node groups wait for the control plane and for the private subnets' NAT routes", () => {
    const nodes = waitsFor(urnOf("aws-mlops-stack-nodes-system", "aws:eks/nodeGroup:NodeGroup"));
    assert.ok(nodes.has(urnOf("aws-mlops-stack-cluster-eks", "eks:index:Cluster")));
    for (const zone of [0, 1, 2]) assert.ok(nodes.has(urnOf(`aws-mlops-stack-network-private-internet-${zone}`, "aws:ec2/route:Route")), `route ${zone}`);
  });

  it("databases start with the network, in parallel with the control plane; only their ingress rule waits for the cluster", () => {
    for (const db of ["mlflow-db", "zenml-db"]) {
      const instance = waitsFor(urnOf(db, "aws:rds/instance:Instance"));
      assert.ok(!instance.has(urnOf("aws-mlops-stack-cluster-eks", "eks:index:Cluster")), db);
      assert.ok(instance.has(urnOf("aws-mlops-stack-network-database-0", "aws:ec2/subnet:Subnet")), db);
    }
  });
});

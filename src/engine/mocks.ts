import type * as pulumi from "@pulumi/pulumi";

/**
 * Mocks that answer like AWS and the packaged components would, closely enough for the program
 * to run to completion offline: every resource gets an id, an ARN and the outputs components read.
 */
export class PlausibleMocks implements pulumi.runtime.Mocks {
  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    const fallbackId = args.inputs.name && typeof args.inputs.name === "string" ? args.inputs.name : `${args.name}-id`;
    const outputs = this.outputsFor(args, fallbackId);
    const id = typeof outputs.id === "string" ? outputs.id : fallbackId;
    return { id, state: { ...args.inputs, ...outputs } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { region, accountId } = this;
    switch (args.token) {
      case "aws:index/getRegion:getRegion":
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId, arn: `arn:aws:iam::${accountId}:user/platinfra`, userId: "AIDAPLATINFRA", id: accountId };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
      case "aws:index/getAvailabilityZones:getAvailabilityZones":
        return { names: ["a", "b", "c"].map((zone) => `${region}${zone}`), zoneIds: ["az1", "az2", "az3"], id: region };
      case "aws:iam/getPolicyDocument:getPolicyDocument":
        return { json: JSON.stringify(args.inputs), id: "policy" };
      case "aws:eks/getCluster:getCluster":
        return this.existingCluster(String(args.inputs.name));
      case "aws:lb/getHostedZoneId:getHostedZoneId":
        return { id: "ZALB0EXAMPLE", region, loadBalancerType: args.inputs.loadBalancerType };
      case "aws:ec2/getSubnets:getSubnets":
        return { ids: ["subnet-a", "subnet-b", "subnet-c"], id: "subnets" };
      case "aws:ec2/getVpc:getVpc":
        return { id: String(args.inputs.id ?? "vpc-existing"), cidrBlock: "10.0.0.0/16" };
      case "aws:ec2/getInstances:getInstances":
        // The nodes of an existing cluster (found by either tag, so both lookups find the same one).
        return { ids: ["i-0123456789abcdef0"], id: "instances" };
      case "aws:ec2/getInstance:getInstance":
        // A node built by terraform-aws-eks: the cluster security group and its own node security group.
        return { id: String(args.inputs.instanceId), vpcSecurityGroupIds: ["sg-cluster", "sg-node-terraform"] };
      case "aws:eks/getAddonVersion:getAddonVersion":
        // EKS's default build of an add-on for a Kubernetes version, spelled as EKS spells them.
        return { ...args.inputs, version: `v${args.inputs.kubernetesVersion}.0-${args.inputs.addonName}-eksbuild.1`, id: String(args.inputs.addonName) };
      case "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider":
        return { arn: String(args.inputs.url ?? "").replace("https://", `arn:aws:iam::${accountId}:oidc-provider/`), id: "oidc" };
      default:
        if (args.token.startsWith("terraform:state:")) return { outputs: this.terraformOutputs() };
        return { ...args.inputs, id: `${args.token}-result` };
    }
  }

  /**
   * Placeholder outputs of a Terraform state, under the names the common VPC and EKS modules use
   * (offline, the real state cannot be read).
   */
  private terraformOutputs(): Record<string, unknown> {
    const subnets = (kind: string) => ["a", "b", "c"].map((zone) => `subnet-${kind}-${zone}`);
    return {
      vpc_id: "vpc-terraform",
      private_subnets: subnets("private"),
      private_subnet_ids: subnets("private"),
      public_subnets: subnets("public"),
      public_subnet_ids: subnets("public"),
      database_subnets: subnets("database"),
      database_subnet_ids: subnets("database"),
      cluster_name: "terraform-cluster",
    };
  }

  private existingCluster(name: string): Record<string, unknown> {
    const oidcIssuer = `https://oidc.eks.${this.region}.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
    return {
      id: name,
      name,
      arn: `arn:aws:eks:${this.region}:${this.accountId}:cluster/${name}`,
      endpoint: `https://${name}.gr7.${this.region}.eks.amazonaws.com`,
      version: "1.33",
      certificateAuthorities: [{ data: "Q0EtREFUQQ==" }],
      identities: [{ oidcs: [{ issuer: oidcIssuer }] }],
      vpcConfig: { vpcId: "vpc-existing", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], clusterSecurityGroupId: "sg-cluster" },
    };
  }

  private outputsFor(args: pulumi.runtime.MockResourceArgs, id: string): Record<string, unknown> {
    const { region, accountId } = this;
    const service = args.type.split(":")[1]?.split("/")[0] ?? "resource";
    const common = { arn: `arn:aws:${service}:${region}:${accountId}:${args.name}`, id };
    switch (args.type) {
      case "eks:index:Cluster":
        return this.packagedCluster(args);
      case "aws:s3/bucketV2:BucketV2":
      case "aws:s3/bucket:Bucket": {
        const bucket = (args.inputs.bucket as string | undefined) ?? `${args.name}-a1b2c3`;
        return { ...common, bucket, id: bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` };
      }
      case "aws:rds/instance:Instance":
        return {
          ...common,
          address: `${args.name}.abcdefghij.${region}.rds.amazonaws.com`,
          endpoint: `${args.name}.abcdefghij.${region}.rds.amazonaws.com:5432`,
          port: args.inputs.port ?? 5432,
          resourceId: `db-${args.name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
          masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:${region}:${accountId}:secret:rds!db-${args.name}-AbCdEf`, secretStatus: "active" }],
        };
      case "aws:elasticache/replicationGroup:ReplicationGroup":
        return { ...common, primaryEndpointAddress: `master.${args.inputs.replicationGroupId ?? args.name}.abcdef.${region}.cache.amazonaws.com` };
      case "aws:iam/role:Role":
        return { ...common, arn: `arn:aws:iam::${accountId}:role/${args.inputs.name ?? args.name}`, name: args.inputs.name ?? args.name };
      case "aws:iam/policy:Policy":
        return { ...common, arn: `arn:aws:iam::${accountId}:policy/${args.inputs.name ?? args.name}` };
      case "aws:ecr/repository:Repository":
        return { ...common, repositoryUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/${args.inputs.name ?? args.name}` };
      case "aws:sqs/queue:Queue":
        return { ...common, url: `https://sqs.${region}.amazonaws.com/${accountId}/${args.inputs.name ?? args.name}` };
      case "aws:kms/key:Key":
        return { ...common, keyId: `${args.name}-key-id`, arn: `arn:aws:kms:${region}:${accountId}:key/${args.name}-key-id` };
      case "aws:ec2/launchTemplate:LaunchTemplate":
        return { ...common, latestVersion: 1, defaultVersion: 1 };
      case "random:index/randomPassword:RandomPassword":
        return { ...common, result: `mock-${args.name}-${"x".repeat(Number(args.inputs.length ?? 16))}` };
      case "aws:eks/cluster:Cluster":
        return this.existingCluster(String(args.inputs.name ?? args.name));
      case "kubernetes:networking.k8s.io/v1:Ingress":
        return { status: { loadBalancer: { ingress: [{ hostname: this.albHostname(args) }] } } };
      default:
        return common;
    }
  }

  /** The DNS name the load balancer controller gives the ALB of an Ingress's group. */
  private albHostname(args: pulumi.runtime.MockResourceArgs): string {
    const annotations = ((args.inputs.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {});
    const group = annotations["alb.ingress.kubernetes.io/group.name"] ?? args.name;
    return `k8s-${group.slice(0, 17)}-0123456789-1234567890.${this.region}.elb.amazonaws.com`;
  }

  /** The outputs of `@pulumi/eks`'s Cluster, a packaged component the mocks stand in for whole. */
  private packagedCluster(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
    const name = String(args.inputs.name ?? args.name);
    const cluster = this.existingCluster(name);
    const oidcIssuer = "oidc.eks." + this.region + ".amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server: cluster.endpoint, "certificate-authority-data": "Q0EtREFUQQ==" } }],
      contexts: [{ name: "aws", context: { cluster: name, user: "aws" } }],
      "current-context": "aws",
      users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", name] } } }],
    };
    return {
      kubeconfig,
      kubeconfigJson: JSON.stringify(kubeconfig),
      oidcProviderArn: `arn:aws:iam::${this.accountId}:oidc-provider/${oidcIssuer}`,
      oidcProviderUrl: `https://${oidcIssuer}`,
      oidcIssuer,
      clusterSecurityGroupId: "sg-cluster",
      nodeSecurityGroupId: "sg-nodes",
      eksCluster: undefined,
      core: { endpoint: cluster.endpoint, clusterName: name },
    };
  }
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gpuNodesAvailable } from "../../src/catalog/checks";
import { eksZones } from "../../src/engine/capacity";
import type { InstalledControllers } from "../../src/engine/installed";
import type { DeploymentSpec } from "../../src/spec/types";
import { adoptCluster, nodeSecurityGroups, readTerraformState } from "./adopted";
import { Bucket, logDeliveryStatements } from "./bucket";
import { Cluster } from "./cluster";
import { ClusterAddons } from "./cluster-addons";
import { ExternalSecretsOperator } from "./external-secrets";
import { Karpenter } from "./karpenter";
import { bucketName, clusterName, namePrefix } from "./naming";
import { Network } from "./network";
import { NodeGroups } from "./node-groups";
import type { ClusterInfo, NetworkInfo } from "./platform-types";
import { Reloader } from "./reloader";
import { stackTags, toolTags } from "./tags";

export type { ClusterInfo, NetworkInfo } from "./platform-types";

export interface PlatformArgs {
  /** The spec's stack name. */
  stackName: string;
  /** The Pulumi stack (environment) name, e.g. `dev`. */
  environment: string;
  /** AWS region, resolved before the program runs (spec, profile or environment). */
  region: string;
  /** The only AWS account the providers may touch. */
  accountId: string;
  /** AWS profile to use. @default the environment's credentials */
  profile?: string;
  /** The spec's `deployment` settings, defaults settled. */
  deployment: DeploymentSpec;
  /** The identity that created the cluster (its `platinfra:creator` tag; this caller on the first run). @default unknown */
  creatorArn?: string;
  /** Controllers an existing cluster already runs (found by preflight): used instead of installing a second one. */
  installed?: InstalledControllers;
}

/**
 * The base every tool stands on: AWS providers pinned to one account (one per tool, so resources
 * carry the tool's name in their tags), then the network and the EKS cluster with its node groups
 * and add-ons — created, or adopted from an existing cluster or a Terraform state.
 */
export class Platform extends pulumi.ComponentResource {
  readonly stackName: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  /** Prefix of every physical name: `<stack>-<environment>`. */
  readonly namePrefix: string;
  readonly deployment: DeploymentSpec;
  /** Provider for shared infrastructure (network, cluster). */
  readonly awsProvider: aws.Provider;
  network!: NetworkInfo;
  cluster!: ClusterInfo;
  /** Tools' Kubernetes resources wait for these (node groups, add-ons). */
  ready: pulumi.Resource[] = [];
  /** Whether a GPU node group exists (tools then schedule GPU work there). */
  readonly gpu: boolean;
  /**
   * Whether GPU workloads find GPU nodes: a Karpenter GPU pool (nodes start for pending GPU pods),
   * or, without autoscaling, a GPU group with desired ≥ 1.
   */
  readonly gpuNodesAvailable: boolean;
  /** The controllers platinfra installed with the cluster it created (monitoring scrapes them); none in an adopted cluster. */
  addons = { loadBalancerController: false, karpenter: false };
  private readonly args: PlatformArgs;
  private readonly tags: Record<string, string>;
  private readonly toolProviders = new Map<string, aws.Provider>();
  private secretsOperator?: ExternalSecretsOperator;
  private secretReloader?: Reloader;
  private crdProvider?: k8s.Provider;

  /** Creates the platform; awaits the region's availability zones before laying out the network. */
  static async create(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions): Promise<Platform> {
    const platform = new Platform(name, args, opts);
    await platform.createInfrastructure(name);
    return platform;
  }

  private constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Platform", name, {}, opts);
    this.args = args;
    this.stackName = args.stackName;
    this.environment = args.environment;
    this.region = args.region;
    this.accountId = args.accountId;
    this.deployment = args.deployment;
    this.namePrefix = namePrefix(args.stackName, args.environment);
    this.gpu = args.deployment.nodeGroups.some((group) => group.gpu);
    this.gpuNodesAvailable = gpuNodesAvailable(args.deployment);
    this.tags = stackTags(args.stackName, args.environment, args.deployment.tags);
    this.awsProvider = this.createAwsProvider(`${name}-aws`, this.tags);
  }

  /** The AWS provider for one tool's resources: the stack's tags plus `platinfra:tool`. */
  awsProviderFor(tool: string): aws.Provider {
    let provider = this.toolProviders.get(tool);
    if (!provider) {
      provider = this.createAwsProvider(`${this.stackName}-aws-${tool}`, toolTags(this.tags, tool));
      this.toolProviders.set(tool, provider);
    }
    return provider;
  }

  /**
   * What a tool's SecretStore waits for: the External Secrets Operator platinfra installs on first
   * use, or nothing when the existing cluster already runs one (two operators would fight over
   * the same resources).
   */
  externalSecretsReady(): pulumi.Resource[] {
    return this.args.installed?.externalSecrets ? [] : [this.externalSecrets().release];
  }

  /**
   * The Kubernetes provider the CRDs platinfra applies go through (chart-crds.ts): it takes over
   * fields another manager owns, since Helm's first install of a chart created them.
   */
  crdsProvider(): k8s.Provider {
    this.crdProvider ??= new k8s.Provider(
      `${this.stackName}-kubernetes-crds`,
      { kubeconfig: this.cluster.kubeconfig, enableServerSideApply: true, enablePatchForce: true },
      { parent: this },
    );
    return this.crdProvider;
  }

  /** The External Secrets Operator, installed on first use: only when a tool needs it. */
  externalSecrets(): ExternalSecretsOperator {
    this.secretsOperator ??= new ExternalSecretsOperator(
      `${this.stackName}-external-secrets`,
      { dependsOn: this.ready },
      { parent: this, providers: { aws: this.awsProvider, kubernetes: this.cluster.kubernetes } },
    );
    return this.secretsOperator;
  }

  /** Reloader, installed on first use: it rolls workloads whose synced database Secret changed. */
  reloader(): Reloader {
    this.secretReloader ??= new Reloader(
      `${this.stackName}-reloader`,
      { dependsOn: this.ready },
      { parent: this, providers: { aws: this.awsProvider, kubernetes: this.cluster.kubernetes } },
    );
    return this.secretReloader;
  }

  private async createInfrastructure(name: string): Promise<void> {
    const { deployment } = this.args;
    const opts = { parent: this, providers: { aws: this.awsProvider } };
    if (deployment.existingCluster) {
      this.adopt(name, deployment.existingCluster.name);
      const nodeGroups = await nodeSecurityGroups(deployment.existingCluster.name, { parent: this, provider: this.awsProvider });
      this.cluster = { ...this.cluster, nodeSecurityGroupIds: nodeGroups };
    } else if (deployment.fromTerraformState) {
      const state = readTerraformState(deployment.fromTerraformState, this);
      if (state.clusterName) this.adopt(name, state.clusterName, state.network);
      else this.createCluster(name, state.network, opts, { ownsNetwork: false });
    } else {
      const zones = await aws.getAvailabilityZones({ state: "available" }, { parent: this, provider: this.awsProvider });
      // The same zones preflight checked: the first three whose zone IDs EKS accepts for a cluster.
      this.createCluster(name, this.createNetwork(name, eksZones(zones.names, zones.zoneIds), opts), opts, { ownsNetwork: true });
    }
    this.registerOutputs({ clusterName: this.cluster.name, vpcId: this.network.vpcId });
  }

  private adopt(name: string, clusterName: pulumi.Input<string>, network?: NetworkInfo): void {
    const adopted = adoptCluster(name, clusterName, { region: this.region, profile: this.args.profile }, { parent: this });
    this.cluster = adopted.cluster;
    this.network = network ?? adopted.network;
  }

  private createNetwork(name: string, zones: string[], opts: pulumi.ComponentResourceOptions): NetworkInfo {
    const { vpc } = this.args.deployment;
    const flowLogs = vpc.flowLogs ? this.createFlowLogsBucket(name, opts) : undefined;
    const network = new Network(
      `${name}-network`,
      {
        namePrefix: this.namePrefix,
        clusterName: this.clusterName(),
        cidr: vpc.cidr,
        nat: vpc.nat,
        zones,
        ...(flowLogs ? { flowLogs: { bucketArn: flowLogs.arn } } : {}),
        karpenterDiscovery: this.args.deployment.autoscaling === "karpenter",
      },
      opts,
    );
    return network;
  }

  /** Flow logs: SSE-S3 (log delivery cannot use aws/s3), the delivery statements in the policy, emptied on destroy when the spec says so. */
  private createFlowLogsBucket(name: string, opts: pulumi.ComponentResourceOptions): Bucket {
    const { accountId, region } = this.args;
    return new Bucket(
      `${name}-flow-logs`,
      {
        bucketName: this.bucketName("flow-logs"),
        versioned: false,
        forceDestroy: this.args.deployment.forceDestroyBuckets,
        encryption: "s3",
        policyStatements: (arn) => logDeliveryStatements(arn, accountId, region),
      },
      opts,
    );
  }

  private createCluster(name: string, network: NetworkInfo, opts: pulumi.ComponentResourceOptions, { ownsNetwork }: { ownsNetwork: boolean }): void {
    const { deployment } = this.args;
    const karpenter = deployment.autoscaling === "karpenter";
    this.addons = { loadBalancerController: true, karpenter };
    const cluster = new Cluster(
      `${name}-cluster`,
      {
        clusterName: this.clusterName(),
        kubernetesVersion: deployment.kubernetesVersion,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        ...(network.publicSubnetIds ? { publicSubnetIds: network.publicSubnetIds } : {}),
        endpointPublicAccess: deployment.endpointPublicAccess,
        publicAccessCidrs: deployment.publicAccessCidrs,
        admins: deployment.admins,
        ...(this.args.creatorArn ? { creatorArn: this.args.creatorArn } : {}),
        ...(this.args.profile ? { profile: this.args.profile } : {}),
        support: deployment.support,
        logRetentionDays: deployment.clusterLogRetentionDays,
      },
      opts,
    );
    this.cluster = cluster;
    const addons = new ClusterAddons(
      `${name}-addons`,
      {
        crdProvider: this.crdsProvider(),
        clusterName: cluster.name,
        kubernetesVersion: cluster.version,
        patchGp2: deployment.kubernetesVersion === "1.29",
        namePrefix: this.namePrefix,
        region: this.region,
        vpcId: network.vpcId,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        gpu: this.gpu,
      },
      { ...opts, providers: { ...opts.providers, kubernetes: cluster.kubernetes } },
    );
    const nodes = new NodeGroups(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        kubernetesVersion: cluster.version,
        namePrefix: this.namePrefix,
        subnetIds: network.privateSubnetIds,
        // With Karpenter only the system group is a managed node group; the others become NodePools.
        // Karpenter's nodes share the node role, whose EC2_LINUX access entry EKS creates with the
        // system group (a second one of platinfra's for the same role would be refused).
        groups: karpenter ? deployment.nodeGroups.filter((group) => group.name === "system") : deployment.nodeGroups,
        // Nodes bootstrap through the NAT and need the CNI and kube-proxy to become Ready: they wait
        // for the private routes and those add-ons; the control plane waits for neither.
        waitFor: [...(network.egressReady ?? []), ...addons.bootstrap],
      },
      opts,
    );
    this.network = network;
    const ready = addons.installOnNodes(nodes.groups);
    this.ready = karpenter ? [...ready, ...this.createKarpenter(name, { cluster, nodes, network, ownsNetwork, ready }, opts).nodePools] : ready;
  }

  private createKarpenter(
    name: string,
    base: { cluster: Cluster; nodes: NodeGroups; network: NetworkInfo; ownsNetwork: boolean; ready: pulumi.Resource[] },
    opts: pulumi.ComponentResourceOptions,
  ): Karpenter {
    const { cluster, nodes, network } = base;
    return new Karpenter(
      `${name}-karpenter`,
      {
        clusterName: this.clusterName(),
        cluster: cluster.name,
        namePrefix: this.namePrefix,
        region: this.region,
        accountId: this.accountId,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcProviderUrl: cluster.oidcProviderUrl,
        nodeRole: nodes.role,
        nodeSecurityGroupId: cluster.securityGroupId,
        groups: this.args.deployment.nodeGroups.filter((group) => group.name !== "system"),
        // Subnets platinfra did not create carry no discovery tag: name them.
        ...(base.ownsNetwork ? {} : { subnetIds: network.privateSubnetIds }),
        tags: this.tags,
        dependsOn: base.ready,
      },
      { ...opts, providers: { ...opts.providers, kubernetes: cluster.kubernetes } },
    );
  }

  /** The EKS cluster's name: the stack's prefix. */
  clusterName(): string {
    return clusterName(this.args.stackName, this.args.environment);
  }

  /** A bucket name of this stack for a purpose (`mlflow-artifacts`). */
  bucketName(purpose: string): string {
    return bucketName(this.namePrefix, purpose, this.accountId, this.region);
  }

  private createAwsProvider(name: string, tags: Record<string, string>): aws.Provider {
    return new aws.Provider(
      name,
      {
        region: this.args.region as aws.Region,
        allowedAccountIds: [this.args.accountId],
        defaultTags: { tags },
        ...(this.args.profile ? { profile: this.args.profile } : {}),
      },
      { parent: this },
    );
  }
}

import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "./naming";
import { accessEntryKey, CREATOR_TAG, iamPrincipal, selectAdmins } from "./principals";

/** EKS's own policy that makes an access entry a cluster administrator. */
export const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface ClusterArgs {
  /** The EKS cluster's name (derived from the stack and environment). */
  clusterName: string;
  /** Kubernetes version, pinned by the spec. */
  kubernetesVersion: string;
  vpcId: pulumi.Input<string>;
  /** Where the control plane's network interfaces and the nodes live. */
  privateSubnetIds: pulumi.Input<string[]>;
  /** For internet-facing load balancers. @default none: only internal load balancers */
  publicSubnetIds?: pulumi.Input<string[]>;
  /** Expose the API endpoint publicly too; the private endpoint is always on. */
  endpointPublicAccess: boolean;
  /** Who may reach the public endpoint. Ignored when it is off. */
  publicAccessCidrs: string[];
  /** IAM principals given cluster-admin through access entries, besides the deploying identity. */
  admins: string[];
  /**
   * The identity that created the cluster (an STS or IAM ARN): EKS made it cluster-admin itself, so
   * it gets no second entry, and the cluster's `platinfra:creator` tag records it for later runs by
   * others. @default unknown: every admin gets an entry, no tag
   */
  creatorArn?: string;
  /** The AWS profile the kubeconfig authenticates with. @default the environment's credentials */
  profile?: string;
  /** Past standard support: AWS upgrades the control plane (standard) or bills Extended Support (extended). */
  support: "standard" | "extended";
  /** Days CloudWatch keeps the control-plane logs. */
  logRetentionDays: number;
}

/**
 * An EKS control plane as a platform team would build it: pinned version, API authentication
 * with access entries, secrets encrypted with a KMS key of its own, an OIDC provider for IRSA,
 * control-plane logs, private endpoint always. Add-ons and node groups are their own components.
 */
export class Cluster extends pulumi.ComponentResource {
  readonly eks: eks.Cluster;
  readonly secretsKey: aws.kms.Key;
  readonly name: pulumi.Output<string>;
  /** The Kubernetes version, resolved once the control plane runs it: node groups and add-ons follow it. */
  readonly version: pulumi.Output<string>;
  /** The control-plane log group, created before the cluster so EKS does not create one that outlives the stack. */
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** The OIDC issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/…`. */
  readonly oidcProviderUrl: pulumi.Output<string>;
  /** The security group EKS attaches to managed nodes and pods: what databases admit. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Kubeconfig (JSON), a secret: it names the cluster and how to authenticate. */
  readonly kubeconfig: pulumi.Output<string>;
  /** The Kubernetes provider every tool deploys with. */
  readonly kubernetes: k8s.Provider;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Cluster", name, {}, opts);
    this.secretsKey = this.createSecretsKey(name, args.clusterName);
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/eks/${args.clusterName}/cluster`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.eks = this.createControlPlane(name, args);
    // The name and version are known up front; resolving them after the control plane exists (and
    // runs that version) makes dependents wait for it.
    this.name = this.eks.oidcProviderArn.apply(() => args.clusterName);
    this.version = this.eks.oidcProviderArn.apply(() => args.kubernetesVersion);
    this.oidcProviderArn = this.eks.oidcProviderArn;
    this.oidcProviderUrl = this.eks.oidcProviderUrl;
    this.kubeconfig = pulumi.secret(this.eks.kubeconfigJson);
    this.securityGroupId = aws.eks
      .getClusterOutput({ name: args.clusterName }, { parent: this, dependsOn: [this.eks] })
      .vpcConfig.clusterSecurityGroupId;
    this.kubernetes = new k8s.Provider(
      `${name}-kubernetes`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this },
    );
    this.registerOutputs({ name: this.name, oidcProviderArn: this.oidcProviderArn });
  }

  private createSecretsKey(name: string, clusterName: string): aws.kms.Key {
    const key = new aws.kms.Key(
      `${name}-secrets-key`,
      { description: `Envelope encryption of Kubernetes secrets in EKS cluster ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30 },
      { parent: this },
    );
    new aws.kms.Alias(
      `${name}-secrets-key-alias`,
      { name: `alias/${awsName([clusterName, "eks-secrets"], NAME_LIMITS.kmsAlias)}`, targetKeyId: key.keyId },
      { parent: this },
    );
    return key;
  }

  private createControlPlane(name: string, args: ClusterArgs): eks.Cluster {
    return new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        vpcId: args.vpcId,
        privateSubnetIds: args.privateSubnetIds,
        ...(args.publicSubnetIds ? { publicSubnetIds: args.publicSubnetIds } : {}),
        endpointPrivateAccess: true,
        endpointPublicAccess: args.endpointPublicAccess,
        ...(args.endpointPublicAccess ? { publicAccessCidrs: args.publicAccessCidrs } : {}),
        authenticationMode: "API",
        accessEntries: adminAccessEntries(args.admins, args.creatorArn),
        ...creatorTag(args.creatorArn),
        createOidcProvider: true,
        encryptionConfigKeyArn: this.secretsKey.arn,
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        // Named in the kubeconfig itself: with only AWS_PROFILE in its environment, ambient access keys would win.
        ...(args.profile ? { providerCredentialOpts: { profileName: args.profile } } : {}),
        // Node groups, add-ons and security groups are platinfra's own, explicit resources.
        skipDefaultNodeGroup: true,
        skipDefaultSecurityGroups: true,
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        // Past standard support, AWS upgrades the cluster unless the spec accepts Extended Support charges.
        upgradePolicy: { supportType: args.support === "extended" ? "EXTENDED" : "STANDARD" },
      },
      { parent: this, dependsOn: [this.logGroup], transforms: [previousAccessEntryNames(`${name}-eks`, args.admins)] },
    );
  }
}

/**
 * Aliases that carry access entries over from their earlier names, `admin-<index in admins>`: an
 * existing stack then keeps its entries (and their policy associations) instead of creating a
 * second entry for the same principal, which EKS refuses, before deleting the old one.
 * `@pulumi/eks` names them `<cluster>-<key>` and `<cluster>-<key>-<policy>`.
 */
export function previousAccessEntryNames(eksName: string, admins: string[]): pulumi.ResourceTransform {
  const previous = new Map<string, string>();
  admins.forEach((arn, index) => {
    const principal = iamPrincipal(arn);
    if (principal && !previous.has(accessEntryKey(principal))) previous.set(accessEntryKey(principal), `admin-${index}`);
  });
  // Longest key first: `role-1-Admin-2-…` must not be taken for a child of `role-1-Admin`.
  const keys = [...previous].sort(([a], [b]) => b.length - a.length);
  return ({ name, type, props, opts }) => {
    if (type !== "aws:eks/accessEntry:AccessEntry" && type !== "aws:eks/accessPolicyAssociation:AccessPolicyAssociation") return undefined;
    for (const [key, old] of keys) {
      const prefix = `${eksName}-${key}`;
      if (name === prefix || name.startsWith(`${prefix}-`)) {
        return { props, opts: { ...opts, aliases: [...(opts.aliases ?? []), { name: `${eksName}-${old}${name.slice(prefix.length)}` }] } };
      }
    }
    return undefined;
  };
}

/**
 * The tag recording the cluster's creator, the only identity EKS makes admin without an entry. A
 * later run reads it back (preflight) and passes the same value, so the tag never changes; a
 * cluster created before the tag existed gets none (its creator is unknown).
 */
export function creatorTag(creatorArn?: string): { clusterTags?: Record<string, string> } {
  const creator = creatorArn ? iamPrincipal(creatorArn) : undefined;
  return creator ? { clusterTags: { [CREATOR_TAG]: creator.arn } } : {};
}

/**
 * One access entry per admin principal, keyed by the principal (not its place in the list), each
 * with the cluster-admin policy on the whole cluster; none for the deploying identity.
 */
export function adminAccessEntries(admins: string[], creatorArn: string | undefined): Record<string, eks.types.input.AccessEntryArgs> {
  return Object.fromEntries(
    selectAdmins(admins, creatorArn).admins.map((principal) => [
      accessEntryKey(principal),
      { principalArn: principal.arn, accessPolicies: { "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } } } },
    ]),
  );
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "./charts";
import { applyChartCrds, CHART_CRDS } from "./chart-crds";
import { helmRelease } from "./helm";
import { awsName, NAME_LIMITS } from "./naming";
import { GPU_LABEL } from "./node-groups";
import { LOAD_BALANCER_CONTROLLER_STATEMENTS } from "./load-balancer-controller-policy";
import type { PolicyStatement } from "./policies";
import { ServiceAccountRole } from "./service-account-role";

export interface ClusterAddonsArgs {
  /** The provider the load balancer controller's CRDs are applied with (it takes over Helm's fields). */
  crdProvider: k8s.Provider;
  clusterName: pulumi.Input<string>;
  /** The control plane's Kubernetes version, resolved once the control plane runs it: add-on versions follow it. */
  kubernetesVersion: pulumi.Input<string>;
  /** Mark EKS's gp2 StorageClass as not the default: only clusters created on 1.29, where EKS made gp2 the default. */
  patchGp2: boolean;
  /** Prefix of the physical names (IRSA roles). */
  namePrefix: string;
  region: string;
  vpcId: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** Install the NVIDIA device plugin: a GPU node group exists. */
  gpu: boolean;
}

/**
 * What every cluster needs before tools, in two steps. First what nodes need to become Ready
 * (`bootstrap`: vpc-cni with its own scoped role, kube-proxy), which node groups wait for; then,
 * once nodes exist (`installOnNodes`), DNS, the EBS CSI driver (scoped role) with an encrypted gp3
 * default StorageClass, the AWS Load Balancer Controller (scoped role, its CRDs), metrics-server,
 * and the NVIDIA device plugin when GPU nodes exist. Expects the `kubernetes` provider in its
 * options' providers.
 *
 * Every add-on runs the version EKS names as the default for the control plane's Kubernetes
 * version, so a version bump upgrades the control plane, then vpc-cni and kube-proxy (the node
 * groups depend on them; kube-proxy may be up to three minors newer than the kubelet and needs only
 * the upgraded API server: https://kubernetes.io/releases/version-skew-policy/), then the node
 * groups, then the add-ons that run on nodes.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** What node groups wait for: without the CNI and kube-proxy, nodes sit NotReady. */
  readonly bootstrap: pulumi.Resource[];
  /** Tools' Kubernetes resources wait for these; set by `installOnNodes`. */
  ready: pulumi.Resource[] = [];
  /** The load balancer controller, whose Service webhook must answer before any other release creates a Service. */
  loadBalancerController?: k8s.helm.v3.Release;
  private readonly name: string;
  private readonly args: ClusterAddonsArgs;
  private readonly vpcCni: aws.eks.Addon;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:ClusterAddons", name, {}, opts);
    this.name = name;
    this.args = args;
    this.vpcCni = this.createAddon("vpc-cni", [], this.addonRole("vpc-cni", "aws-node", [this.managedPolicy("AmazonEKS_CNI_Policy")]));
    const kubeProxy = this.createAddon("kube-proxy", []);
    this.bootstrap = [this.vpcCni, kubeProxy];
  }

  /** The add-ons and controllers that run as pods: they wait for the node groups. */
  installOnNodes(nodes: pulumi.Resource[]): pulumi.Resource[] {
    const { name, args } = this;
    const coredns = this.createAddon("coredns", [this.vpcCni, ...nodes]);
    const ebsRole = this.addonRole("ebs-csi", "ebs-csi-controller-sa", [this.managedPolicy("service-role/AmazonEBSCSIDriverPolicy")]);
    const ebsCsi = this.createAddon("aws-ebs-csi-driver", [this.vpcCni, ...nodes], ebsRole);
    const storage = this.createDefaultStorageClass(ebsCsi);
    const podsReady = [this.vpcCni, coredns, ...nodes];
    const lbc = this.createLoadBalancerController(podsReady);
    // Every Service created while the controller's webhook is not answering is refused: the rest waits for it.
    const afterWebhook = [...podsReady, lbc];
    const metrics = helmRelease(`${name}-metrics-server`, { chart: CHARTS.metricsServer, releaseName: "metrics-server", namespace: "kube-system", values: {} }, { parent: this, dependsOn: afterWebhook });
    const gpu = args.gpu ? [this.createNvidiaDevicePlugin(afterWebhook)] : [];
    this.loadBalancerController = lbc;
    this.ready = [...this.bootstrap, coredns, ebsCsi, storage, metrics, lbc, ...gpu, ...nodes];
    this.registerOutputs({});
    return this.ready;
  }

  private managedPolicy(policy: string): pulumi.Output<string> {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    return pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
  }

  /** An IRSA role for an add-on's own service account in kube-system, with AWS's managed policy for it. */
  private addonRole(role: string, serviceAccount: string, managedPolicyArns: pulumi.Input<string>[]) {
    const { name, args } = this;
    return new ServiceAccountRole(
      `${name}-${role}`,
      {
        roleName: awsName([args.namePrefix, role], NAME_LIMITS.iamRole),
        namespace: "kube-system",
        serviceAccountName: serviceAccount,
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        statements: [],
        managedPolicyArns,
        createServiceAccount: false, // the add-on creates its own service account
      },
      { parent: this },
    );
  }

  /** An EKS add-on at the version EKS names the default for the control plane's Kubernetes version. */
  private createAddon(addon: string, dependsOn: pulumi.Resource[], role?: ServiceAccountRole): aws.eks.Addon {
    const { name, args } = this;
    const version = aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: args.kubernetesVersion, mostRecent: false }, { parent: this });
    return new aws.eks.Addon(
      `${name}-${addon}`,
      {
        clusterName: args.clusterName,
        addonName: addon,
        addonVersion: version.version,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        ...(role ? { serviceAccountRoleArn: role.roleArn } : {}),
      },
      { parent: this, dependsOn },
    );
  }

  /**
   * gp3, encrypted, the cluster default. Volumes are deleted with their claims: data that must
   * outlive the stack lives in RDS and S3, and a retained volume would be an orphan nobody pays
   * attention to. EKS's gp2 class stops being a default where it is one (clusters created on 1.29;
   * from 1.30 EKS creates gp2 without the default annotation, or not at all).
   */
  private createDefaultStorageClass(ebsCsi: aws.eks.Addon): k8s.storage.v1.StorageClass {
    const { name } = this;
    if (this.args.patchGp2) {
      new k8s.storage.v1.StorageClassPatch(
        `${name}-gp2-not-default`,
        { metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } } },
        { parent: this, dependsOn: [ebsCsi] },
      );
    }
    return new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
      },
      // Its fields are immutable and its name fixed: a change (Retain → Delete on older stacks)
      // deletes the class first. Volumes already provisioned keep the policy they were created with.
      { parent: this, dependsOn: [ebsCsi], deleteBeforeReplace: true },
    );
  }

  private createLoadBalancerController(dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
    const { name, args } = this;
    const serviceAccount = "aws-load-balancer-controller";
    const role = new ServiceAccountRole(
      `${name}-lbc`,
      {
        roleName: awsName([args.namePrefix, "lb-controller"], NAME_LIMITS.iamRole),
        namespace: "kube-system",
        serviceAccountName: serviceAccount,
        oidcProviderArn: args.oidcProviderArn,
        oidcProviderUrl: args.oidcProviderUrl,
        statements: LOAD_BALANCER_CONTROLLER_STATEMENTS as unknown as PolicyStatement[],
      },
      { parent: this, dependsOn },
    );
    return helmRelease(
      `${name}-lb-controller`,
      {
        chart: CHARTS.loadBalancerController,
        releaseName: "aws-load-balancer-controller",
        namespace: "kube-system",
        values: {
          clusterName: args.clusterName,
          region: args.region,
          vpcId: args.vpcId,
          replicaCount: 2,
          serviceAccount: { create: false, name: serviceAccount },
        },
        skipCrds: true,
      },
      { parent: this, dependsOn: [...dependsOn, role, ...applyChartCrds(`${name}-lb-controller-crds`, CHART_CRDS.loadBalancerController, { parent: this, provider: args.crdProvider })] },
    );
  }

  private createNvidiaDevicePlugin(dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
    const { name } = this;
    return helmRelease(
      `${name}-nvidia-device-plugin`,
      {
        chart: CHARTS.nvidiaDevicePlugin,
        releaseName: "nvidia-device-plugin",
        namespace: "kube-system",
        values: {
          // Only GPU nodes, which carry platinfra's label (no node-feature-discovery needed).
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: GPU_LABEL, operator: "In", values: ["true"] }] }] } } },
          // Every taint: whatever a GPU group is tainted with (the GPU taint, `dedicated=ml`…), its GPUs must be advertised.
          tolerations: [{ operator: "Exists" }],
        },
      },
      { parent: this, dependsOn },
    );
  }
}

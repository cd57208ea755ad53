import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "./charts";
import { helmRelease } from "./helm";
import { awsName, NAME_LIMITS } from "./naming";
import { GPU_LABEL } from "./node-groups";
import { LOAD_BALANCER_CONTROLLER_STATEMENTS } from "./load-balancer-controller-policy";
import type { PolicyStatement } from "./policies";
import { ServiceAccountRole } from "./service-account-role";

export interface ClusterAddonsArgs {
  clusterName: pulumi.Input<string>;
  /** Prefix of the physical names (IRSA roles). */
  namePrefix: string;
  region: string;
  vpcId: pulumi.Input<string>;
  oidcProviderArn: pulumi.Input<string>;
  oidcProviderUrl: pulumi.Input<string>;
  /** Install the NVIDIA device plugin: a GPU node group exists. */
  gpu: boolean;
  /** Add-ons that run pods wait for these (the node groups). */
  nodes: pulumi.Resource[];
}

/**
 * What every cluster needs before tools: networking (vpc-cni with its own scoped role), DNS,
 * kube-proxy, the EBS CSI driver (scoped role) with an encrypted gp3 default StorageClass,
 * metrics-server, the AWS Load Balancer Controller (scoped role), and the NVIDIA device plugin
 * when GPU nodes exist. Expects the `kubernetes` provider in its options' providers.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  /** Tools' Helm releases wait for these. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:ClusterAddons", name, {}, opts);
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const managed = (policy: string) => pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
    const vpcCni = this.createAddon(name, args, "vpc-cni", [], this.addonRole(name, args, "vpc-cni", "aws-node", [managed("AmazonEKS_CNI_Policy")]));
    const kubeProxy = this.createAddon(name, args, "kube-proxy", []);
    const coredns = this.createAddon(name, args, "coredns", [vpcCni, ...args.nodes]);
    const ebsRole = this.addonRole(name, args, "ebs-csi", "ebs-csi-controller-sa", [managed("service-role/AmazonEBSCSIDriverPolicy")]);
    const ebsCsi = this.createAddon(name, args, "aws-ebs-csi-driver", [vpcCni, ...args.nodes], ebsRole);
    const storage = this.createDefaultStorageClass(name, ebsCsi);
    const podsReady = [vpcCni, coredns, ...args.nodes];
    const metrics = helmRelease(`${name}-metrics-server`, { chart: CHARTS.metricsServer, releaseName: "metrics-server", namespace: "kube-system", values: {} }, { parent: this, dependsOn: podsReady });
    const lbc = this.createLoadBalancerController(name, args, podsReady);
    const gpu = args.gpu ? [this.createNvidiaDevicePlugin(name, podsReady)] : [];
    this.ready = [vpcCni, kubeProxy, coredns, ebsCsi, storage, metrics, lbc, ...gpu, ...args.nodes];
    this.registerOutputs({});
  }

  /** An IRSA role for an add-on's own service account in kube-system, with AWS's managed policy for it. */
  private addonRole(name: string, args: ClusterAddonsArgs, role: string, serviceAccount: string, managedPolicyArns: pulumi.Input<string>[]) {
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

  private createAddon(name: string, args: ClusterAddonsArgs, addon: string, dependsOn: pulumi.Resource[], role?: ServiceAccountRole): aws.eks.Addon {
    return new aws.eks.Addon(
      `${name}-${addon}`,
      {
        clusterName: args.clusterName,
        addonName: addon,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        ...(role ? { serviceAccountRoleArn: role.roleArn } : {}),
      },
      { parent: this, dependsOn },
    );
  }

  /** gp3, encrypted, the cluster default; EKS's own gp2 class stops being a default. */
  private createDefaultStorageClass(name: string, ebsCsi: aws.eks.Addon): k8s.storage.v1.StorageClass {
    new k8s.storage.v1.StorageClassPatch(
      `${name}-gp2-not-default`,
      { metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "false" } } },
      { parent: this, dependsOn: [ebsCsi] },
    );
    return new k8s.storage.v1.StorageClass(
      `${name}-gp3`,
      {
        metadata: { name: "gp3-encrypted", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Retain",
      },
      { parent: this, dependsOn: [ebsCsi] },
    );
  }

  private createLoadBalancerController(name: string, args: ClusterAddonsArgs, dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
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
      },
      { parent: this, dependsOn: [...dependsOn, role] },
    );
  }

  private createNvidiaDevicePlugin(name: string, dependsOn: pulumi.Resource[]): k8s.helm.v3.Release {
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

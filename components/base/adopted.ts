import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as terraform from "@pulumi/terraform";
import type { TerraformStateSpec } from "../../src/spec/types";
import { eksKubeconfig } from "./kubeconfig";
import type { ClusterInfo, NetworkInfo } from "./platform-types";

/**
 * An EKS cluster platinfra did not create: its VPC, subnets, OIDC provider and endpoint are
 * looked up, and a Kubernetes provider is built to reach it.
 */
export function adoptCluster(
  name: string,
  clusterName: pulumi.Input<string>,
  context: { region: string; profile?: string },
  opts: pulumi.ComponentResourceOptions & { parent: pulumi.Resource },
): { cluster: ClusterInfo; network: NetworkInfo } {
  const invoke = { parent: opts.parent };
  const found = aws.eks.getClusterOutput({ name: clusterName }, invoke);
  const issuer = found.identities.apply((identities) => identities[0]?.oidcs[0]?.issuer ?? "");
  const oidc = aws.iam.getOpenIdConnectProviderOutput({ url: issuer }, invoke);
  const kubeconfig = pulumi.secret(
    pulumi
      .all([found.name, found.endpoint, found.certificateAuthorities])
      .apply(([clusterNameValue, endpoint, authorities]) =>
        eksKubeconfig({ clusterName: clusterNameValue, endpoint, certificateAuthority: authorities[0]?.data ?? "", region: context.region, profile: context.profile }),
      ),
  );
  const kubernetes = new k8s.Provider(`${name}-kubernetes`, { kubeconfig, enableServerSideApply: true }, { parent: opts.parent });
  const subnetIds = found.vpcConfig.subnetIds;
  return {
    cluster: {
      name: found.name,
      oidcProviderArn: oidc.arn,
      oidcProviderUrl: issuer,
      securityGroupId: found.vpcConfig.clusterSecurityGroupId,
      kubeconfig,
      kubernetes,
    },
    network: { vpcId: found.vpcConfig.vpcId, privateSubnetIds: subnetIds, databaseSubnetIds: subnetIds },
  };
}

/**
 * The security groups the nodes of an existing cluster carry. Clusters built with
 * terraform-aws-eks (and self-managed groups) give nodes a node security group of their own, not
 * the EKS cluster security group; databases must admit those. Nodes are found by the tags EKS
 * managed node groups (`eks:cluster-name`) and self-managed groups or Karpenter
 * (`kubernetes.io/cluster/<name>`) put on instances. Read once per run: a new group shows up on
 * the next `up`.
 */
export async function nodeSecurityGroups(clusterName: string, opts: pulumi.InvokeOptions): Promise<string[]> {
  const running = ["running"];
  const found = await Promise.all([
    aws.ec2.getInstances({ instanceTags: { "eks:cluster-name": clusterName }, instanceStateNames: running }, opts),
    aws.ec2.getInstances({ filters: [{ name: "tag-key", values: [`kubernetes.io/cluster/${clusterName}`] }], instanceStateNames: running }, opts),
  ]);
  const ids = [...new Set(found.flatMap((result) => result.ids ?? []))];
  const instances = await Promise.all(ids.map((instanceId) => aws.ec2.getInstance({ instanceId }, opts)));
  // The cluster security group is admitted anyway: listing it twice would be a duplicate rule.
  const { vpcConfig } = await aws.eks.getCluster({ name: clusterName }, opts);
  const groups = new Set(instances.flatMap((instance) => instance.vpcSecurityGroupIds ?? []));
  groups.delete(vpcConfig.clusterSecurityGroupId);
  return [...groups].sort();
}

export interface TerraformNetwork {
  network: NetworkInfo;
  /** Set when the state names an existing cluster. */
  clusterName?: pulumi.Output<string>;
}

/** The network (and maybe the cluster) a Terraform state already manages, read through its outputs. */
export function readTerraformState(state: TerraformStateSpec, parent: pulumi.Resource): TerraformNetwork {
  const outputs = terraformOutputs(state, parent);
  const names = state.outputs;
  const read = <T>(output: string) => outputs.apply((values) => {
    if (!(output in values)) throw new Error(`the Terraform state has no output named "${output}" (it has: ${Object.keys(values).join(", ")})`);
    return values[output] as T;
  });
  const privateSubnetIds = read<string[]>(names.private_subnet_ids);
  return {
    network: {
      vpcId: read<string>(names.vpc_id),
      privateSubnetIds,
      ...(names.public_subnet_ids ? { publicSubnetIds: read<string[]>(names.public_subnet_ids) } : {}),
      databaseSubnetIds: names.database_subnet_ids ? read<string[]>(names.database_subnet_ids) : privateSubnetIds,
    },
    ...(names.cluster_name ? { clusterName: read<string>(names.cluster_name) } : {}),
  };
}

function terraformOutputs(state: TerraformStateSpec, parent: pulumi.Resource): pulumi.Output<Record<string, unknown>> {
  const opts = { parent };
  switch (state.backend) {
    case "s3":
      return terraform.state.getS3ReferenceOutput({ bucket: state.bucket, key: state.key, ...(state.region ? { region: state.region } : {}) }, opts).outputs;
    case "local":
      return terraform.state.getLocalReferenceOutput({ path: state.path }, opts).outputs;
    case "remote":
      return terraform.state.getRemoteReferenceOutput(
        { organization: state.organization, workspaces: { name: state.workspace }, ...(state.hostname ? { hostname: state.hostname } : {}) },
        opts,
      ).outputs;
  }
}

import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as terraform from "@pulumi/terraform";
import { RefusedError } from "../../src/errors";
import { describeValue } from "../../src/spec/issues";
import type { TerraformOutputNames, TerraformStateSpec } from "../../src/spec/types";
import { didYouMean } from "../../src/util/suggest";
import { shown, shownList } from "../../src/util/text";
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
  const read = <K extends keyof TerraformOutputNames>(setting: K, kind: "id" | "ids") =>
    outputs.apply((values) => terraformOutput(state, values ?? {}, setting, kind));
  const privateSubnetIds = read("private_subnet_ids", "ids") as pulumi.Output<string[]>;
  return {
    network: {
      vpcId: read("vpc_id", "id") as pulumi.Output<string>,
      privateSubnetIds,
      ...(names.public_subnet_ids ? { publicSubnetIds: read("public_subnet_ids", "ids") as pulumi.Output<string[]> } : {}),
      databaseSubnetIds: names.database_subnet_ids ? (read("database_subnet_ids", "ids") as pulumi.Output<string[]>) : privateSubnetIds,
    },
    ...(names.cluster_name ? { clusterName: read("cluster_name", "id") as pulumi.Output<string> } : {}),
  };
}

/**
 * The output a spec setting names, checked: the state is only read at deploy time, so a name that
 * is not there (or holds the wrong kind of value) is reported here, naming the output and the state.
 */
export function terraformOutput(
  state: TerraformStateSpec,
  values: Record<string, unknown>,
  setting: keyof TerraformOutputNames,
  kind: "id" | "ids",
): string | string[] {
  const output = state.outputs[setting] as string;
  const where = `deployment.from_terraform_state.outputs.${setting}`;
  if (!Object.prototype.hasOwnProperty.call(values, output)) {
    const names = Object.keys(values);
    const has = names.length === 0 ? "it has no outputs" : `it has: ${shownList(names, 20)}`;
    throw new RefusedError(
      "TERRAFORM_OUTPUT_MISSING",
      `the Terraform state ${describeState(state)} has no output ${shown(output)} (named by ${where}; ${has})${didYouMean(output, names)}`,
      [`set ${where} to the name of the output holding the ${OUTPUT_PURPOSE[setting]}`],
    );
  }
  const value = values[output];
  const fits = kind === "id" ? typeof value === "string" && value !== "" : Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string");
  if (!fits) {
    const expected = kind === "id" ? "a non-empty string" : "a non-empty list of strings";
    throw new RefusedError(
      "TERRAFORM_OUTPUT_INVALID",
      `output ${shown(output)} of the Terraform state ${describeState(state)} (named by ${where}) holds ${describeValue(value)}, not ${expected}`,
      [`set ${where} to the name of the output holding the ${OUTPUT_PURPOSE[setting]}`],
    );
  }
  return value as string | string[];
}

const OUTPUT_PURPOSE: Record<keyof TerraformOutputNames, string> = {
  vpc_id: "VPC id",
  private_subnet_ids: "private subnet ids",
  public_subnet_ids: "public subnet ids",
  database_subnet_ids: "database subnet ids",
  cluster_name: "EKS cluster name",
};

function describeState(state: TerraformStateSpec): string {
  switch (state.backend) {
    case "s3":
      return shown(`s3://${state.bucket}/${state.key}`);
    case "local":
      return shown(state.path);
    case "remote":
      return shown(`${state.hostname ?? "app.terraform.io"}/${state.organization}/${state.workspace}`);
  }
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

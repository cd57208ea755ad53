import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The network tools and databases use. */
export interface NetworkInfo {
  vpcId: pulumi.Output<string>;
  privateSubnetIds: pulumi.Output<string[]>;
  /** Absent when the network has no public subnets platinfra knows of. */
  publicSubnetIds?: pulumi.Output<string[]>;
  /** Isolated subnets for databases (the private ones when the network has none). */
  databaseSubnetIds: pulumi.Output<string[]>;
  /** What must exist before nodes boot in the private subnets (their NAT routes), when platinfra creates them. */
  egressReady?: pulumi.Resource[];
}

/** The cluster tools deploy to, created or adopted. */
export interface ClusterInfo {
  name: pulumi.Output<string>;
  oidcProviderArn: pulumi.Output<string>;
  /** OIDC issuer URL, with https://. */
  oidcProviderUrl: pulumi.Output<string>;
  /** The security group of nodes and pods: what databases admit. */
  securityGroupId: pulumi.Output<string>;
  /** Further security groups an existing cluster's nodes carry (e.g. terraform-aws-eks's node group): databases admit them too. */
  nodeSecurityGroupIds?: string[];
  /** Kubeconfig JSON, secret. */
  kubeconfig: pulumi.Output<string>;
  kubernetes: k8s.Provider;
}

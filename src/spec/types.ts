import type { Category } from "../catalog/categories";
import type { SpecProblem } from "../errors";

/** One deployment of one tool, whatever the number of roles it serves. */
export interface ToolInstance {
  /** Canonical catalog name. */
  name: string;
  /** The categories it is listed under, in spec order. */
  roles: Category[];
  /** The params as the spec gives them, validated; the tool's component applies its defaults. */
  params: Record<string, unknown>;
  deployable: boolean;
}

export interface AwsProviderSpec {
  name: "aws";
  accountId: string;
  region?: string;
  profile?: string;
}

export interface NodeGroupSpec {
  name: string;
  instanceTypes: string[];
  min: number;
  max: number;
  desired: number;
  spot: boolean;
  gpu: boolean;
  /** Root volume size, GiB. */
  diskSize: number;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
}

export interface VpcSpec {
  cidr: string;
  nat: "single" | "per_az";
  flowLogs: boolean;
}

/** Terraform state to read the network (and optionally the cluster) from. */
export type TerraformStateSpec =
  | { backend: "s3"; bucket: string; key: string; region?: string; outputs: TerraformOutputNames }
  | { backend: "local"; path: string; outputs: TerraformOutputNames }
  | { backend: "remote"; organization: string; workspace: string; hostname?: string; outputs: TerraformOutputNames };

/** Which Terraform outputs hold what platinfra needs. */
export interface TerraformOutputNames {
  vpc_id: string;
  private_subnet_ids: string;
  public_subnet_ids?: string;
  database_subnet_ids?: string;
  cluster_name?: string;
}

/** Settings of every tool database. */
export interface DatabasesSpec {
  /** Apply class and storage changes now instead of in the next maintenance window. */
  applyImmediately: boolean;
  /** Take a final (timestamped) snapshot when a database is deleted. */
  finalSnapshot: boolean;
}

export interface DeploymentSpec {
  type: "kubernetes";
  kubernetesVersion: string;
  /** What happens past standard support: AWS upgrades (standard) or Extended Support is billed (extended). */
  support: "standard" | "extended";
  /** Days CloudWatch keeps the control-plane logs. */
  clusterLogRetentionDays: number;
  databases: DatabasesSpec;
  endpointPublicAccess: boolean;
  publicAccessCidrs: string[];
  /** Always holds a group named "system" (unless the cluster is adopted). */
  nodeGroups: NodeGroupSpec[];
  /**
   * `karpenter`: the system group is a managed node group, the other groups and a default CPU pool
   * are Karpenter NodePools. `none`: every group is a managed node group of its desired size.
   */
  autoscaling: "karpenter" | "none";
  vpc: VpcSpec;
  deletionProtection: boolean;
  forceDestroyBuckets: boolean;
  tags: Record<string, string>;
  admins: string[];
  /** Route 53 records for exposed tools' hosts. @default none */
  dns?: { hostedZoneId: string };
  existingCluster?: { name: string };
  fromTerraformState?: TerraformStateSpec;
}

/** A validated stack file, normalized: what the program deploys. */
export interface Spec {
  /** The file it was read from (as given). */
  file: string;
  name: string;
  provider: AwsProviderSpec;
  deployment: DeploymentSpec;
  tools: ToolInstance[];
}

export interface ValidationResult {
  file: string;
  valid: boolean;
  errors: SpecProblem[];
  warnings: SpecProblem[];
  /** Problems found beyond the first `MAX_PROBLEMS` reported in `errors` and `warnings`. */
  moreProblems?: number;
  /** Present when valid. */
  spec?: Spec;
}

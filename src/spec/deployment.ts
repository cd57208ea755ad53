import * as z from "zod";
import { DEFAULT_KUBERNETES_VERSION } from "./kubernetes-versions";
import {
  awsRegionSchema,
  awsTagsSchema,
  eksClusterNameSchema,
  hostnameSchema,
  kubernetesKeySchema,
  kubernetesLabelsSchema,
  kubernetesValueSchema,
  printableSchema,
  s3BucketSchema,
  terraformNameSchema,
  terraformOutputNameSchema,
} from "./target-rules";

/** The Kubernetes version new clusters get, pinned; upgrades are a spec change. */
export { DEFAULT_KUBERNETES_VERSION };
/** Days CloudWatch keeps the EKS control-plane logs by default. */
export const DEFAULT_CLUSTER_LOG_RETENTION_DAYS = 30;
/** The retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const KUBERNETES_VERSION = /^1\.(29|3[0-9])$/;

const GPU_FAMILIES = ["g4dn", "g5", "g6", "g6e", "gr6", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "p6"];
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const NODE_GROUP_NAME = /^[a-z][a-z0-9-]{0,29}$/;
/** Route 53 hosted zone ids: "Z" and up to 31 uppercase letters and digits (e.g. Z0123456789ABCDEFGHIJ). */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

export function isGpuInstanceType(instanceType: string): boolean {
  return GPU_FAMILIES.includes(instanceType.split(".")[0]);
}

function validCidr(value: string, minPrefix: number, maxPrefix: number): boolean {
  const match = CIDR.exec(value);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  return octets.every((octet) => octet <= 255) && prefix >= minPrefix && prefix <= maxPrefix;
}

const cidrSchema = (min: number, max: number, what: string) =>
  z.string().refine((value) => validCidr(value, min, max), {
    error: (issue) => `"${issue.input}" is not a valid ${what} — expected an IPv4 CIDR with a prefix from /${min} to /${max}, like ${min === 16 ? "10.0.0.0/16" : "203.0.113.0/24"}`,
  });

/** A schema built on first use: most specs never set these sections, and building costs start-up time. */
function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

const taintSchema = onFirstUse(() => z.strictObject({
  key: kubernetesKeySchema("taint key"),
  value: kubernetesValueSchema("taint value").optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"], {
    error: (issue) => `taint effect ${JSON.stringify(issue.input)} is not allowed — use NoSchedule, PreferNoSchedule or NoExecute`,
  }),
}));

const nodeGroupSchema = onFirstUse(() => z
  .strictObject({
    name: z.string().regex(NODE_GROUP_NAME, {
      error: (issue) => `node group name "${issue.input}" is not allowed — use 1–30 lowercase letters, digits and hyphens, starting with a letter`,
    }),
    instance_types: z
      .array(z.string().regex(INSTANCE_TYPE, { error: (issue) => `"${issue.input}" is not an EC2 instance type — expected a name like m6i.large` }))
      .min(1)
      .default(["m6i.large"]),
    min: z.number().int().min(0).default(1),
    max: z.number().int().min(1).default(3),
    desired: z.number().int().min(0).optional(),
    spot: z.boolean().default(false),
    gpu: z.boolean().default(false),
    disk_size: z.number().int().min(20).max(16384).default(50),
    labels: kubernetesLabelsSchema().default({}),
    taints: z.array(taintSchema()).default([]),
  })
  .superRefine((group, ctx) => {
    const desired = group.desired ?? group.min;
    if (group.min > group.max) ctx.addIssue({ code: "custom", path: ["min"], message: `min (${group.min}) is greater than max (${group.max}) — need min <= desired <= max` });
    else if (desired < group.min || desired > group.max) {
      ctx.addIssue({ code: "custom", path: ["desired"], message: `desired (${desired}) must be between min (${group.min}) and max (${group.max})` });
    }
    if (group.gpu) {
      const notGpu = group.instance_types.filter((type) => !isGpuInstanceType(type));
      if (notGpu.length > 0) {
        ctx.addIssue({
          code: "custom",
          path: ["instance_types"],
          message: `gpu: true needs NVIDIA GPU instance types, but ${notGpu.join(", ")} ${notGpu.length === 1 ? "has" : "have"} none — use e.g. g5.xlarge, g6.xlarge or p4d.24xlarge (families: ${GPU_FAMILIES.join(", ")})`,
        });
      }
    }
  }));

const dnsSchema = onFirstUse(() => z.strictObject({
  hosted_zone_id: z
    .string()
    .regex(HOSTED_ZONE_ID, { error: (issue) => `"${issue.input}" is not a Route 53 hosted zone id — expected "Z" and uppercase letters and digits, like Z0123456789ABCDEFGHIJ (aws route53 list-hosted-zones)` })
    .describe("The public hosted zone holding the exposed tools' hosts."),
}));

const databasesSchema = onFirstUse(() => z.strictObject({
  apply_immediately: z.boolean().optional().describe("Apply database class and storage changes now (a brief outage) instead of in the next maintenance window. Default: false."),
  final_snapshot: z.boolean().optional().describe("Take a final snapshot when a database is deleted. Default: true."),
}));

const terraformOutputsSchema = onFirstUse(() => z.strictObject({
  vpc_id: terraformOutputNameSchema().describe("Name of the Terraform output holding the VPC id."),
  private_subnet_ids: terraformOutputNameSchema().describe("Name of the Terraform output holding the private subnet ids (a list)."),
  public_subnet_ids: terraformOutputNameSchema().optional().describe("Output holding the public subnet ids (for internet-facing load balancers)."),
  database_subnet_ids: terraformOutputNameSchema().optional().describe("Output holding the subnet ids for databases. Default: the private subnets."),
  cluster_name: terraformOutputNameSchema().optional().describe("Output holding an existing EKS cluster's name. Without it, platinfra creates the cluster in these subnets."),
}));

const terraformStateSchema = onFirstUse(() => z.discriminatedUnion(
  "backend",
  [
    z.strictObject({
      backend: z.literal("s3"),
      bucket: s3BucketSchema(),
      key: printableSchema("S3 key", 1024),
      region: awsRegionSchema().optional(),
      outputs: terraformOutputsSchema(),
    }),
    z.strictObject({ backend: z.literal("local"), path: printableSchema("path", 4096), outputs: terraformOutputsSchema() }),
    z.strictObject({
      backend: z.literal("remote"),
      organization: terraformNameSchema("organization name"),
      workspace: terraformNameSchema("workspace name"),
      hostname: hostnameSchema().optional(),
      outputs: terraformOutputsSchema(),
    }),
  ],
  { error: (issue) => `backend ${JSON.stringify((issue.input as { backend?: unknown })?.backend)} is not supported — use s3, local or remote` },
));

export const deploymentSchema = z
  .strictObject({
    type: z
      .string()
      .refine((value) => value === "kubernetes", {
        error: (issue) => `deployment type "${issue.input}" is not supported yet — supported: kubernetes (EKS on AWS)`,
      })
      .describe("How tools run. Supported: kubernetes (an EKS cluster on AWS)."),
    kubernetes_version: z
      .string()
      .regex(KUBERNETES_VERSION, { error: (issue) => `Kubernetes version ${JSON.stringify(issue.input)} is not supported — use a quoted EKS version from "1.29" to "1.39", e.g. "${DEFAULT_KUBERNETES_VERSION}"` })
      .default(DEFAULT_KUBERNETES_VERSION)
      .describe(`EKS Kubernetes version, pinned. Default: ${DEFAULT_KUBERNETES_VERSION}.`),
    support: z
      .enum(["standard", "extended"], {
        error: (issue) => `support ${JSON.stringify(issue.input)} is not allowed — use standard (EKS and RDS upgrade a version whose standard support ended) or extended (stay on it, billed Extended Support)`,
      })
      .default("standard")
      .describe("What happens when the Kubernetes or database engine version leaves standard support: standard (AWS upgrades it; no Extended Support charges) or extended (stays, billed Extended Support). Default: standard."),
    cluster_log_retention_days: z
      .number()
      .refine((days) => LOG_RETENTION_DAYS.includes(days), {
        error: (issue) => `cluster_log_retention_days ${JSON.stringify(issue.input)} is not a CloudWatch retention period — use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(DEFAULT_CLUSTER_LOG_RETENTION_DAYS)
      .describe(`Days CloudWatch keeps the EKS control-plane logs. Default: ${DEFAULT_CLUSTER_LOG_RETENTION_DAYS}.`),
    databases: z.lazy(() => databasesSchema()).optional().describe("Settings of every tool database (RDS)."),
    endpoint_public_access: z.boolean().default(true).describe("Expose the cluster API publicly too (the private endpoint is always on)."),
    public_access_cidrs: z.array(cidrSchema(0, 32, "CIDR")).min(1).optional().describe("Who may reach the public API endpoint. Default: anywhere (0.0.0.0/0)."),
    // Built on first use (z.lazy): most specs never set them, and building schemas costs start-up time.
    node_groups: z.lazy(() => z.array(nodeGroupSchema()).min(1)).optional().describe('Node groups. A "system" managed node group is added when none is named so; with autoscaling karpenter every other group is a Karpenter NodePool.'),
    autoscaling: z
      .enum(["karpenter", "none"], { error: (issue) => `autoscaling ${JSON.stringify(issue.input)} is not allowed — use karpenter (nodes follow pending pods) or none (fixed managed node groups)` })
      .optional()
      .describe("How nodes scale: karpenter (default for clusters platinfra creates: the system group stays a managed node group, the other groups and a default CPU pool are Karpenter NodePools) or none (every group a managed node group of desired size)."),
    vpc: z
      .strictObject({
        cidr: cidrSchema(16, 20, "VPC CIDR").default("10.0.0.0/16"),
        nat: z.enum(["single", "per_az"], { error: (issue) => `nat ${JSON.stringify(issue.input)} is not allowed — use single (one NAT gateway, cheaper) or per_az (one per zone, survives a zone outage)` }).default("single"),
        flow_logs: z.boolean().default(false),
      })
      .optional(),
    deletion_protection: z.boolean().default(true).describe("Protect databases and buckets holding data from deletion. Default: true."),
    force_destroy_buckets: z.boolean().default(false).describe("Let destroy empty and delete buckets that still hold objects. Default: false."),
    tags: awsTagsSchema().default({}).describe("Tags added to every AWS resource."),
    admins: z
      .array(z.string().regex(PRINCIPAL_ARN, { error: (issue) => `"${issue.input}" is not an IAM role or user ARN — expected arn:aws:iam::<account>:role/<name>` }))
      .default([])
      .describe("IAM principals given cluster-admin access (the deploying identity always is)."),
    dns: z
      .lazy(() => dnsSchema())
      .optional()
      .describe("Create a Route 53 alias record for every exposed tool's host, pointing at the stack's load balancer. Default: none (point the hosts at the load balancer yourself)."),
    existing_cluster: z.strictObject({ name: eksClusterNameSchema() }).optional().describe("Use this EKS cluster (and its VPC) instead of creating one."),
    from_terraform_state: z.lazy(() => terraformStateSchema()).optional().describe("Read the VPC (and optionally the cluster) from a Terraform state."),
  })
  .superRefine((deployment, ctx) => {
    const adopted = deployment.existing_cluster ? "existing_cluster" : deployment.from_terraform_state ? "from_terraform_state" : undefined;
    if (deployment.existing_cluster && deployment.from_terraform_state) {
      ctx.addIssue({ code: "custom", path: ["from_terraform_state"], message: "existing_cluster and from_terraform_state cannot both be given — use one" });
    }
    if (adopted && deployment.vpc) {
      ctx.addIssue({ code: "custom", path: ["vpc"], message: `vpc cannot be set with ${adopted}: the existing network is used — remove vpc` });
    }
    const adoptsCluster = deployment.existing_cluster || deployment.from_terraform_state?.outputs.cluster_name;
    if (adoptsCluster && deployment.autoscaling === "karpenter") {
      ctx.addIssue({ code: "custom", path: ["autoscaling"], message: "autoscaling: karpenter cannot be set for an existing cluster: platinfra installs Karpenter only on clusters it creates — remove autoscaling" });
    }
    if (adoptsCluster && deployment.node_groups) {
      ctx.addIssue({ code: "custom", path: ["node_groups"], message: "node_groups cannot be set for an existing cluster: its node groups are managed where it was created — remove node_groups" });
    }
    const names = (deployment.node_groups ?? []).map((group) => group.name);
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) ctx.addIssue({ code: "custom", path: ["node_groups", index, "name"], message: `node group name "${name}" is used twice — names must be unique` });
    });
  });

export type DeploymentDocument = z.output<typeof deploymentSchema>;
export type NodeGroupDocument = z.output<ReturnType<typeof nodeGroupSchema>>;

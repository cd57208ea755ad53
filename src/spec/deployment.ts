import * as z from "zod";

/** The Kubernetes version new clusters get, pinned; upgrades are a spec change. */
export const DEFAULT_KUBERNETES_VERSION = "1.34";
const KUBERNETES_VERSION = /^1\.(29|3[0-9])$/;

const GPU_FAMILIES = ["g4dn", "g5", "g6", "g6e", "gr6", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "p6"];
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const NODE_GROUP_NAME = /^[a-z][a-z0-9-]{0,29}$/;

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
  key: z.string().min(1),
  value: z.string().optional(),
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
    labels: z.record(z.string(), z.string()).default({}),
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

const terraformOutputsSchema = onFirstUse(() => z.strictObject({
  vpc_id: z.string().min(1).describe("Name of the Terraform output holding the VPC id."),
  private_subnet_ids: z.string().min(1).describe("Name of the Terraform output holding the private subnet ids (a list)."),
  public_subnet_ids: z.string().min(1).optional().describe("Output holding the public subnet ids (for internet-facing load balancers)."),
  database_subnet_ids: z.string().min(1).optional().describe("Output holding the subnet ids for databases. Default: the private subnets."),
  cluster_name: z.string().min(1).optional().describe("Output holding an existing EKS cluster's name. Without it, platinfra creates the cluster in these subnets."),
}));

const terraformStateSchema = onFirstUse(() => z.discriminatedUnion(
  "backend",
  [
    z.strictObject({ backend: z.literal("s3"), bucket: z.string().min(1), key: z.string().min(1), region: z.string().optional(), outputs: terraformOutputsSchema() }),
    z.strictObject({ backend: z.literal("local"), path: z.string().min(1), outputs: terraformOutputsSchema() }),
    z.strictObject({
      backend: z.literal("remote"),
      organization: z.string().min(1),
      workspace: z.string().min(1),
      hostname: z.string().optional(),
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
    tags: z.record(z.string(), z.string()).default({}).describe("Tags added to every AWS resource."),
    admins: z
      .array(z.string().regex(PRINCIPAL_ARN, { error: (issue) => `"${issue.input}" is not an IAM role or user ARN — expected arn:aws:iam::<account>:role/<name>` }))
      .default([])
      .describe("IAM principals given cluster-admin access (the deploying identity always is)."),
    existing_cluster: z.strictObject({ name: z.string().min(1) }).optional().describe("Use this EKS cluster (and its VPC) instead of creating one."),
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

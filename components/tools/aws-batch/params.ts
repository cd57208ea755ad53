import * as z from "zod";
import { isGpuInstanceType } from "../../../src/spec/deployment";

/** Instance types of an `ec2` compute environment when the spec names none. */
export const DEFAULT_INSTANCE_TYPES = ["m6i.large", "m6i.xlarge"];
/** Instance types of a GPU `ec2` compute environment when the spec names none: the smallest current NVIDIA ones. */
export const DEFAULT_GPU_INSTANCE_TYPES = ["g5.xlarge", "g5.2xlarge"];
/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Params of the `aws-batch` orchestrator. Kept free of Pulumi: the catalog loads them for `validate`. */
export const awsBatchParams = z
  .strictObject({
    compute: z
      .enum(["fargate", "ec2"], { error: (issue) => `compute ${JSON.stringify(issue.input)} is not allowed — use "fargate" or "ec2"` })
      .default("fargate")
      .describe("Where jobs run: Fargate (no instances to manage) or EC2 instances Batch scales (GPUs, large memory). Default: fargate."),
    spot: z
      .boolean()
      .default(false)
      .describe("Run on Spot capacity (FARGATE_SPOT, or EC2 Spot instances): cheaper, jobs may be interrupted. Default: false."),
    instance_types: z
      .array(z.string().regex(INSTANCE_TYPE, { error: (issue) => `"${issue.input}" is not an EC2 instance type — expected a name like m6i.large` }))
      .min(1)
      .optional()
      .describe("EC2 instance types Batch may launch; only with compute: ec2. Default: m6i.large, m6i.xlarge (g5.xlarge, g5.2xlarge with gpu)."),
    gpu: z
      .boolean()
      .default(false)
      .describe("Launch NVIDIA GPU instances with the ECS GPU AMI; only with compute: ec2. Default: false."),
    max_vcpus: z
      .number()
      .int()
      .min(1)
      .max(100000)
      .default(256)
      .describe("The most vCPUs the compute environment runs at once: the ceiling on cost. Default: 256."),
    log_retention_days: z
      .literal(LOG_RETENTION_DAYS, {
        error: (issue) => `log_retention_days ${JSON.stringify(issue.input)} is not a CloudWatch Logs retention — use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(30)
      .describe("Days the jobs' logs are kept in CloudWatch Logs. Default: 30."),
  })
  .superRefine((params, ctx) => {
    if (params.compute === "fargate" && params.instance_types) {
      ctx.addIssue({
        code: "custom",
        path: ["instance_types"],
        message: "instance_types applies only to compute: ec2 — Fargate chooses its own capacity; remove instance_types or set compute: ec2",
      });
    }
    if (params.compute === "fargate" && params.gpu) {
      ctx.addIssue({ code: "custom", path: ["gpu"], message: "gpu: true needs compute: ec2 — Fargate has no GPUs; set compute: ec2" });
    }
    if (params.compute === "ec2" && params.instance_types) gpuMismatch(params.gpu, params.instance_types).forEach((message) => ctx.addIssue({ code: "custom", path: ["instance_types"], message }));
  });

/**
 * The AMI follows `gpu`, not the instance types: a GPU type without `gpu: true` would boot an AMI
 * without NVIDIA drivers, a CPU type with it would never see a GPU.
 */
function gpuMismatch(gpu: boolean, instanceTypes: string[]): string[] {
  const wrong = instanceTypes.filter((type) => isGpuInstanceType(type) !== gpu);
  if (wrong.length === 0) return [];
  const one = wrong.length === 1;
  const list = wrong.join(", ");
  return gpu
    ? [`gpu: true needs NVIDIA GPU instance types, but ${list} ${one ? "is" : "are"} not — use e.g. g5.xlarge, g6.xlarge or p4d.24xlarge`]
    : [`${list} ${one ? "is a GPU instance type" : "are GPU instance types"} — set gpu: true to get the NVIDIA AMI, or use CPU types such as m6i.large`];
}

export type AwsBatchParams = z.output<typeof awsBatchParams>;

/** The instance types an `ec2` environment launches: the spec's, else the defaults for CPU or GPU. */
export function instanceTypesOf(params: AwsBatchParams): string[] {
  return params.instance_types ?? (params.gpu ? DEFAULT_GPU_INSTANCE_TYPES : DEFAULT_INSTANCE_TYPES);
}

import * as z from "zod";
import { databaseSchema, exposeSchema, gpuSchema, resourcesSchema } from "../shared/params";

/**
 * Determined on Kubernetes: one master (a singleton upstream: the chart hard-codes one replica)
 * that launches every trial, notebook and checkpoint-GC task as a pod itself. Its login (built-in
 * users with generated passwords) is what guards it when exposed.
 */
export const determinedParams = z.strictObject({
  resources: resourcesSchema.optional().describe("Requests/limits of the Determined master. Default: 500m/1Gi requested, 2 CPU/2Gi limit (the chart's 2 CPU / 8Gi request would not fit a default node)."),
  gpu: gpuSchema("Run GPU trials (slots_per_trial > 0)"),
  max_slots_per_pod: z
    .number()
    .int()
    .min(1)
    .max(16)
    .default(1)
    .describe("GPUs one task pod may use (the master splits larger trials across pods): at most the GPUs of one GPU node. Default: 1 (g5.xlarge)."),
  checkpoint_prefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9/_-]{0,100}$/, { error: (issue) => `"${issue.input}" is not an S3 key prefix — use lowercase letters, digits, "/", "_" and "-" (e.g. checkpoints)` })
    .default("checkpoints")
    .describe("Key prefix of the checkpoints in the tool's bucket. Default: checkpoints."),
  expose: exposeSchema.optional(),
  database: databaseSchema("Determined's PostgreSQL on RDS (experiments, trials, metrics, model registry, users)."),
});

export type DeterminedParams = z.output<typeof determinedParams>;

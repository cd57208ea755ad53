import * as z from "zod";
import { PINNED_IMAGE, resourcesSchema } from "../shared/params";

const replicas = z
  .strictObject({
    min: z.number().int().min(1).max(50).default(1).describe("Fewest replicas, kept even when idle. Default: 1."),
    max: z.number().int().min(1).max(50).default(3).describe("Most replicas the autoscaler (70% CPU) may run. Default: 3."),
  })
  .refine((value) => value.min <= value.max, { error: (issue) => `min ${(issue.input as { min: number }).min} is above max ${(issue.input as { max: number }).max} — min must not exceed max` })
  .prefault({})
  .describe("Replica range of the serving Deployment, scaled by a HorizontalPodAutoscaler on CPU.");

/**
 * BentoML is always a registry (ECR repository and bento bucket); it also serves a bento when listed
 * under model_serving, and the serving params only apply then. Whether `image` is required depends
 * on that role, which a schema cannot see: the component checks it.
 */
export const bentomlParams = z.strictObject({
  image: z
    .string()
    .regex(PINNED_IMAGE, { error: (issue) => `"${issue.input}" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest>` })
    .optional()
    .describe("The bento's container image to serve (from `bentoml containerize`, pushed to the repository). Required under model_serving."),
  port: z.number().int().min(1024).max(65535).default(3000).describe("The port the bento listens on. Default: 3000 (BentoML's)."),
  replicas,
  resources: resourcesSchema.optional(),
  gpu: z.boolean().default(false).describe("Schedule on the stack's GPU nodes with one GPU each (when the stack has a GPU node group). Default: false."),
});

export type BentomlParams = z.output<typeof bentomlParams>;


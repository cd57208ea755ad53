import * as z from "zod";
import { resourcesSchema } from "../shared/params";
import { modelsSchema, requireImage, withImage, servingEnvSchema, servingExposeSchema, servingImageSchema, servingReplicasSchema, startupMinutesSchema } from "../shared/serving-params";

/** Params of `cog`. Kept free of Pulumi: the catalog loads them for `validate`. */

const IMAGE_EXAMPLE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sdxl:v1";

export const cogParams = z
  .strictObject({
    image: servingImageSchema(
      IMAGE_EXAMPLE,
      "The model's image, built by `cog build` (or pushed with `cog push`) and pinned by tag or digest; it serves on port 5000.",
    ),
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(1)
      .describe("Predictions each pod runs at once (COG_MAX_CONCURRENCY; the predictor must be async above 1). A pod with every slot busy answers 409: add replicas for more. Default: 1."),
    startup_minutes: startupMinutesSchema("the model's setup() (weights loaded or downloaded); the pod gets traffic once it has succeeded"),
    env: servingEnvSchema,
    replicas: servingReplicasSchema,
    resources: resourcesSchema.optional(),
    gpu: z.boolean().default(false).describe("Run each pod on the stack's GPU nodes with one GPU: needed for images built with build.gpu: true in cog.yaml. Default: false."),
    models: modelsSchema("/models")
      .optional()
      .describe("Weights synced from S3 into every pod before the model starts (MODEL_DIR, read-only), for setup() to load. Default: none (weights in the image or fetched by setup())."),
    expose: servingExposeSchema("cog"),
  })
  .superRefine(requireImage("cog", IMAGE_EXAMPLE))
  .transform(withImage)
  .describe(
    "A Cog model from your image: Deployment, Service, CPU autoscaler and disruption budget, ready only once setup() has succeeded. " +
      "In-cluster only unless exposed behind ALB sign-in (POST /predictions with {\"input\": {…}}).",
  );

export type CogParams = z.output<typeof cogParams>;

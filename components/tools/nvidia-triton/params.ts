import * as z from "zod";
import { gpuSchema, replicasSchema, resourcesSchema } from "../shared/params";

/** Params of `nvidia-triton`. Kept free of Pulumi: the catalog loads them for `validate`. */

/** The characters Triton's S3 path parser accepts in an object path, parts joined by "/". */
const MODEL_PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export const nvidiaTritonParams = z
  .strictObject({
    replicas: z
      .strictObject({
        min: replicasSchema(1).describe("Fewest server pods the autoscaler keeps. Default: 1."),
        max: replicasSchema(3).describe("Most server pods the autoscaler starts (each takes one GPU when on GPUs). Default: 3."),
      })
      .superRefine((replicas, ctx) => {
        if (replicas.min > replicas.max) {
          ctx.addIssue({ code: "custom", path: ["min"], message: `replicas.min (${replicas.min}) is greater than replicas.max (${replicas.max}) — need min <= max` });
        }
      })
      .prefault({})
      .describe("Server pods, scaled on CPU use (target 70%) between min and max."),
    gpu: gpuSchema("Serve"),
    resources: resourcesSchema.optional(),
    model_prefix: z
      .string()
      .regex(MODEL_PREFIX, {
        error: (issue) => `model_prefix "${issue.input}" is not a key prefix Triton can read — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or serving/models)`,
      })
      .default("models")
      .describe("Where the model repository sits in the models bucket (s3://<bucket>/<model_prefix>/<model>/<version>/…). Default: models."),
  })
  .describe(
    "NVIDIA Triton Inference Server serving a model repository in S3, polled every 30 s. Triton has no authentication, " +
      "so it is reachable inside the cluster only (no `expose`): call it from in-cluster clients, or " +
      "`kubectl -n triton port-forward svc/triton 8000` to try it.",
  );

export type NvidiaTritonParams = z.output<typeof nvidiaTritonParams>;


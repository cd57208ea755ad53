import * as z from "zod";
import { gpuSchema, resourcesSchema } from "../shared/params";
import { modelsSchema, servingExposeSchema, servingReplicasSchema } from "../shared/serving-params";

/** Params of `tf-serving`. Kept free of Pulumi: the catalog loads them for `validate`. */

/**
 * A model name TF Serving's REST paths accept (`/v1/models/<name>`: no "/" or ":"), kept to
 * characters that need no quoting in its text-proto config nor in a URL.
 */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const MAX_VERSIONS = 20;

/** Where the server sees the synced versions (the image's own MODEL_BASE_PATH). */
export const MODELS_MOUNT = "/models";

const version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Which versions TF Serving serves (its `model_version_policy`): exactly one of the three keys.
 * The sync copies only these versions into the pod, so the pod's disk holds what is served.
 */
const versionPolicySchema = z
  .strictObject({
    latest: z.number().int().min(1).max(MAX_VERSIONS).optional().describe("Serve the N highest version numbers found."),
    all: z.literal(true).optional().describe("Serve every version found."),
    specific: z.array(version).min(1).max(MAX_VERSIONS).optional().describe("Serve exactly these version numbers (e.g. [3, 4] for a canary)."),
  })
  .check((context) => {
    const given = Object.keys(context.value).filter((key) => context.value[key as keyof typeof context.value] !== undefined);
    if (given.length === 1) return;
    context.issues.push({
      code: "custom",
      input: context.value,
      message: `version_policy needs exactly one of latest, all or specific — got ${given.length ? given.join(" and ") : "none"}; write e.g. {latest: 1}, {all: true} or {specific: [3, 4]}`,
    });
  })
  .default({ latest: 1 })
  .describe("Which model versions are served: {latest: N} (default {latest: 1}), {all: true}, or {specific: [versions…]}.");

export const tfServingParams = z
  .strictObject({
    model_name: z
      .string()
      .regex(MODEL_NAME, {
        error: (issue) => `model_name "${issue.input}" is not allowed — use up to 63 letters, digits, ".", "_" or "-", starting with a letter or digit (it appears in /v1/models/<model_name>)`,
      })
      .default("model")
      .describe("The name clients call the model by (/v1/models/<model_name>:predict, gRPC model_spec.name). Default: model."),
    models: modelsSchema(MODELS_MOUNT)
      .prefault({})
      .describe(
        "Where the SavedModel versions are: s3://<bucket>/<path>/<version>/saved_model.pb (+ variables/), version folders named by numbers. " +
          "Default: path models in this tool's own bucket; from: mlflow or bentoml reads that tool's bucket under path.",
      ),
    version_policy: versionPolicySchema,
    sync_interval_seconds: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(60)
      .describe("How often each pod looks for new versions in S3. A new version is served one to two intervals after its upload completes. Default: 60."),
    replicas: servingReplicasSchema,
    gpu: gpuSchema("Serve"),
    resources: resourcesSchema.optional(),
    expose: servingExposeSchema("tf-serving"),
  })
  .describe(
    "TensorFlow Serving 2.20.0 serving a SavedModel's numbered versions from S3 (REST 8501, gRPC 8500). The server cannot read S3 itself: " +
      "each pod copies the versions it serves into its own disk and picks up new ones while it runs.",
  );

export type TfServingParams = z.output<typeof tfServingParams>;
export type VersionPolicy = TfServingParams["version_policy"];

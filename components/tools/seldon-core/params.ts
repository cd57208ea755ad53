import * as z from "zod";
import { gpuSchema, resourcesSchema } from "../shared/params";

/** Params of `seldon-core`. Kept free of Pulumi: the catalog loads them for `validate`. */

/** The characters of an S3 key prefix the example Model and the docs point at, parts joined by "/". */
const MODEL_PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

const replicas = (server: string, fallback: number) =>
  z
    .number({ error: (issue) => `${server}.replicas ${JSON.stringify(issue.input)} is not a number of server pods — expected a whole number from 0 to 20` })
    .int({ error: (issue) => `${server}.replicas ${String(issue.input)} is not a whole number of server pods` })
    .min(0, { error: (issue) => `${server}.replicas ${String(issue.input)} is below 0` })
    .max(20, { error: (issue) => `${server}.replicas ${String(issue.input)} is above 20 — raise it in steps you can afford` })
    .default(fallback);

export const seldonCoreParams = z
  .strictObject({
    mlserver: z
      .strictObject({
        replicas: replicas("mlserver", 1).describe("MLServer pods (scikit-learn, XGBoost, LightGBM, MLflow, Hugging Face, custom Python models). 0 turns the server off. Default: 1."),
        resources: resourcesSchema.optional().describe("Requests and limits of the MLServer container, merged over Seldon's (100m CPU and 1Gi requested, 1Gi memory limit). Default: Seldon's."),
      })
      .prefault({})
      .describe("The `mlserver` Server: the pods Models with requirements such as [sklearn] or [mlflow] are loaded on."),
    triton: z
      .strictObject({
        replicas: replicas("triton", 1).describe("Triton pods (ONNX, PyTorch, TensorFlow, TensorRT, Python backend models). 0 turns the server off. Default: 1."),
        resources: resourcesSchema.optional().describe("Requests and limits of the Triton container, merged over Seldon's (100m CPU and 1Gi requested, 1Gi memory limit). Default: Seldon's."),
      })
      .prefault({})
      .describe("The `triton` Server: the pods Models with requirements such as [onnx] or [tensorflow] are loaded on; one GPU each when on GPUs (see gpu)."),
    gpu: gpuSchema("Run the Triton server pods"),
    model_prefix: z
      .string()
      .regex(MODEL_PREFIX, {
        error: (issue) => `model_prefix "${issue.input}" is not an S3 key prefix — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or serving/models)`,
      })
      .default("models")
      .describe("Where the example Model's artifacts are expected in the models bucket (s3://<bucket>/<model_prefix>/iris). Default: models."),
  })
  .superRefine((params, ctx) => {
    if (params.mlserver.replicas === 0 && params.triton.replicas === 0) {
      ctx.addIssue({ code: "custom", path: ["mlserver", "replicas"], message: "mlserver.replicas and triton.replicas are both 0 — no server would load a Model; keep at least one server (e.g. mlserver: {replicas: 1})" });
    }
  })
  .describe(
    "Seldon Core 2 (Business Source License 1.1: production use needs a commercial licence) without Kafka: the operator, " +
      "scheduler and Envoy mesh, and MLServer and Triton servers loading Models from S3 through IRSA. Its inference endpoint has " +
      "no authentication, so it is reachable inside the cluster only (no `expose`): call it from in-cluster clients, or " +
      "`kubectl -n seldon port-forward svc/seldon-mesh 9000:80` to try it.",
  );

export type SeldonCoreParams = z.output<typeof seldonCoreParams>;

import * as z from "zod";
import { resourcesSchema } from "../shared/params";
import { modelsSchema, requireImage, withImage, servingEnvSchema, servingExposeSchema, servingImageSchema, servingReplicasSchema, startupMinutesSchema } from "../shared/serving-params";

/** Params of `fastapi`. Kept free of Pulumi: the catalog loads them for `validate`. */

const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
const ARGUMENT = z.string().min(1);

const IMAGE_EXAMPLE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-api:v3";

export const fastapiParams = z
  .strictObject({
    image: servingImageSchema(
      IMAGE_EXAMPLE,
      "The app's container image (a FastAPI app with its server, e.g. uvicorn or fastapi run), pinned by tag or digest.",
    ),
    port: z.number().int().min(1024).max(65535).default(8000).describe("The port the app listens on, on 0.0.0.0 (uvicorn's default host 127.0.0.1 is unreachable from the Service). Default: 8000."),
    health_path: z
      .string()
      .regex(HTTP_PATH, { error: (issue) => `health_path "${issue.input}" is not an absolute URL path — expected e.g. /health` })
      .default("/health")
      .describe(
        "The path the probes and the ALB's health check GET: FastAPI has no built-in health route, so the app must answer it with 200 once it can serve (model loaded). Default: /health.",
      ),
    startup_minutes: startupMinutesSchema(`the app's start until health_path answers 200 (the startup probe allows this long before restarting the pod)`),
    command: z.array(ARGUMENT).min(1).optional().describe("Replaces the image's entrypoint, e.g. [uvicorn, app.main:app, --host, 0.0.0.0, --port, \"8000\"]. Default: the image's."),
    args: z.array(ARGUMENT).min(1).optional().describe("Replaces the image's arguments (CMD). Default: the image's."),
    env: servingEnvSchema,
    replicas: servingReplicasSchema,
    resources: resourcesSchema.optional(),
    gpu: z.boolean().default(false).describe("Run each pod on the stack's GPU nodes with one GPU (the image must be built for CUDA). Default: false."),
    models: modelsSchema("/models").prefault({}),
    expose: servingExposeSchema("fastapi"),
  })
  .superRefine(requireImage("fastapi", IMAGE_EXAMPLE))
  .transform(withImage)
  .describe(
    "A FastAPI model service from your image: Deployment, Service, CPU autoscaler and disruption budget, its model synced from S3 into MODEL_DIR, " +
      "MLflow's tracking URI and credentials in its environment when the stack has MLflow. In-cluster only unless exposed behind ALB sign-in.",
  );

export type FastapiParams = z.output<typeof fastapiParams>;

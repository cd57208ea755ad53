import * as z from "zod";
import { databaseSchema, replicasSchema, resourcesSchema } from "../shared/params";

/**
 * An image with a tag: the chart writes `repository:tag` (no digest form), and run pods must get
 * the build the code server loaded.
 */
const TAGGED_IMAGE = /^[a-z0-9]([a-z0-9._\-/]|:[0-9]+\/)*[a-z0-9]:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const DEPLOYMENT_NAME = /^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Dagster OSS has no login of its own: anyone reaching the webserver can launch, delete and wipe
 * runs. Rather than an unauthenticated public ALB, `expose` is refused with the way in that works.
 */
export const EXPOSE_REFUSED =
  "Dagster's open-source webserver has no authentication, so platinfra does not expose it — remove `expose` and reach the UI through `kubectl port-forward` (see the tool's outputs)";

const pythonName = (what: string) =>
  z.string().regex(PYTHON_NAME, { error: (issue) => `${what} ${JSON.stringify(issue.input)} is not a Python dotted name — expected e.g. my_project.definitions` });

export const userCodeSchema = z
  .strictObject({
    name: z
      .string()
      .regex(DEPLOYMENT_NAME, { error: (issue) => `name ${JSON.stringify(issue.input)} is not allowed — use up to 32 lowercase letters, digits and "-", starting with a letter` })
      .default("user-code")
      .describe("The code location's name (its Deployment and Service). Default: user-code."),
    image: z
      .string()
      .regex(TAGGED_IMAGE, { error: (issue) => `image ${JSON.stringify(issue.input)} is not an image with a tag — pin it, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-project:1.0.0` })
      .describe("The image with your Dagster definitions (with dagster 1.13.27 and dagster-k8s, dagster-postgres, dagster-aws 0.29.27 installed). Run pods use it too."),
    module: pythonName("module").optional().describe("The module holding the definitions (`dagster api grpc -m`)."),
    package: pythonName("package").optional().describe("The installed package holding the definitions (`dagster api grpc --package-name`)."),
  })
  .refine((code) => (code.module === undefined) !== (code.package === undefined), {
    error: "give exactly one of `module` or `package` — where Dagster finds the definitions in the image",
  })
  .describe("One code location served from your image. Default: none (the webserver then shows no definitions).");

export const dagsterParams = z.strictObject({
  replicas: replicasSchema(1).describe("Webserver replicas. Default: 1."),
  resources: resourcesSchema.optional().describe("CPU and memory of the webserver and of the daemon, each."),
  run_resources: resourcesSchema
    .optional()
    .describe("CPU and memory of each run pod (a job's `dagster-k8s/config` tag may override them), taken as given. Default: requests 500m/1Gi, limits 2/4Gi."),
  user_code: userCodeSchema.optional(),
  // Any value is refused with the reason (a `never` type would only say "expected never").
  expose: z
    .unknown()
    .refine((value) => value === undefined, { error: EXPOSE_REFUSED })
    .optional()
    .describe("Not available: Dagster OSS has no authentication, the UI is reached through `kubectl port-forward` (see outputs)."),
  database: databaseSchema("Dagster's run, event and schedule storage: PostgreSQL on RDS."),
});

export type DagsterParams = z.output<typeof dagsterParams>;
export type UserCode = z.output<typeof userCodeSchema>;

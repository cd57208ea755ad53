import * as z from "zod";
import { databaseSchema, exposeSchema, resourcesSchema } from "../shared/params";

export const kubeflowParams = z.strictObject({
  api_server: z
    .strictObject({ resources: resourcesSchema.optional() })
    .prefault({})
    .describe("The KFP API server (ml-pipeline): pipelines, runs, the artifact store client."),
  // Accepted by the schema only so `validate` can refuse it with the reason (see checks.ts).
  expose: exposeSchema.optional().describe("Not supported: standalone Kubeflow Pipelines has no authentication, so it stays inside the cluster."),
  database: databaseSchema("The MySQL databases of the API server (mlpipeline) and ML Metadata (metadb) on RDS."),
});

export type KubeflowParams = z.output<typeof kubeflowParams>;

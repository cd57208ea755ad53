import * as z from "zod";
import { databaseSchema, exposeSchema, resourcesSchema } from "../shared/params";

export const argoParams = z.strictObject({
  controller: z
    .strictObject({ resources: resourcesSchema.optional() })
    .prefault({})
    .describe("The workflow controller (one replica: it elects a leader)."),
  server: z
    .strictObject({ resources: resourcesSchema.optional() })
    .prefault({})
    .describe("The Argo Server (UI and API); it always requires a Kubernetes bearer token (client auth)."),
  expose: exposeSchema.optional(),
  database: databaseSchema("The workflow archive (finished workflows kept after their objects are deleted) in PostgreSQL on RDS."),
});

export type ArgoParams = z.output<typeof argoParams>;

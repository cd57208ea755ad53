import * as z from "zod";
import { databaseSchema, exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

export const lakefsParams = z.strictObject({
  replicas: replicasSchema(1).describe("lakeFS server replicas (they share the PostgreSQL metadata store). Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  database: databaseSchema("lakeFS's PostgreSQL metadata store (branches, commits, users) on RDS."),
});

export type LakefsParams = z.output<typeof lakefsParams>;

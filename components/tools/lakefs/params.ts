import * as z from "zod";
import { exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

export const lakefsParams = z.strictObject({
  replicas: replicasSchema(1).describe("lakeFS server replicas (they share the PostgreSQL metadata store). Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  database: z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.small` })
        .default("db.t4g.small")
        .describe("RDS instance class of the PostgreSQL metadata store. Default: db.t4g.small."),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .prefault({})
    .describe("lakeFS's PostgreSQL metadata store (branches, commits, users) on RDS."),
});

export type LakefsParams = z.output<typeof lakefsParams>;

import * as z from "zod";
import { exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

export const zenmlParams = z.strictObject({
  replicas: replicasSchema(1).describe("ZenML server replicas. Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  database: z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.small` })
        // The smallest Graviton class on which RDS for MySQL allows Performance Insights.
        .default("db.t4g.medium")
        .describe("RDS instance class of the MySQL database. Default: db.t4g.medium (RDS for MySQL refuses Performance Insights on micro and small classes; platinfra then turns it off)."),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .prefault({})
    .describe("The ZenML server's MySQL database on RDS."),
});

export type ZenmlParams = z.output<typeof zenmlParams>;

import * as z from "zod";
import { exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

export const airflowParams = z.strictObject({
  replicas: replicasSchema(1).describe("API server (UI and REST API) replicas. Default: 1."),
  resources: resourcesSchema.optional().describe("CPU and memory of the API server, scheduler, DAG processor and triggerer, each."),
  // Airflow's FAB login is always on: exposing is allowed, behind the admin login created at deploy time.
  expose: exposeSchema.optional(),
  database: z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.small` })
        .default("db.t4g.small")
        .describe("RDS instance class of the PostgreSQL metadata database. Default: db.t4g.small."),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .prefault({})
    .describe("Airflow's metadata database: PostgreSQL on RDS."),
});

export type AirflowParams = z.output<typeof airflowParams>;

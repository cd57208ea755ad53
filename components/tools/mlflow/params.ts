import * as z from "zod";
import { exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

export const mlflowParams = z.strictObject({
  replicas: replicasSchema(1).describe("Tracking server replicas. Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  admin_username: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, { error: (issue) => `admin_username "${issue.input}" is not allowed — use 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter` })
    .default("admin")
    .describe("The MLflow admin user when the server is exposed (basic auth is then on). Default: admin."),
  database: z
    .strictObject({
      instance_class: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.medium` }).default("db.t4g.small"),
      storage_gb: z.number().int().min(20).max(65536).default(20),
    })
    .prefault({})
    .describe("The PostgreSQL backend store on RDS."),
});

export type MlflowParams = z.output<typeof mlflowParams>;

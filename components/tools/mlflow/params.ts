import * as z from "zod";
import { databaseSchema, exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

export const mlflowParams = z.strictObject({
  replicas: replicasSchema(1).describe("Tracking server replicas. Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  admin_username: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, { error: (issue) => `admin_username "${issue.input}" is not allowed — use 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter` })
    .default("admin")
    .describe("The MLflow admin user when the server is exposed (basic auth is then on). Default: admin."),
  database: databaseSchema("The PostgreSQL backend store on RDS."),
});

export type MlflowParams = z.output<typeof mlflowParams>;

import * as z from "zod";
import { exposeSchema, resourcesSchema } from "../shared/params";

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

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
  database: z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.small` })
        .default("db.t4g.small")
        .describe("RDS instance class of the PostgreSQL workflow archive. Default: db.t4g.small."),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .prefault({})
    .describe("The workflow archive (finished workflows kept after their objects are deleted) in PostgreSQL on RDS."),
});

export type ArgoParams = z.output<typeof argoParams>;

import * as z from "zod";
import { databaseSchema, exposeSchema, resourcesSchema } from "../shared/params";

const WORK_POOL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const prefectParams = z.strictObject({
  // One server replica: with the chart's in-memory messaging, Prefect's background services run in
  // the server process, and several replicas would each run them.
  resources: resourcesSchema.optional().describe("Requests/limits of the Prefect server. Default: 500m/512Mi requested, 1 CPU/1Gi limit."),
  work_pool: z
    .string()
    .regex(WORK_POOL, { error: (issue) => `"${issue.input}" is not a work pool name — use lowercase letters, digits and "-" (e.g. kubernetes)` })
    .default("kubernetes")
    .describe("Name of the Kubernetes work pool the worker serves (created by the worker on first start). Default: kubernetes."),
  worker: z
    .strictObject({ resources: resourcesSchema.optional().describe("Requests/limits of the worker. Default: 100m/256Mi requested, 1 CPU/1Gi limit (the chart's defaults).") })
    .prefault({})
    .describe("The Prefect worker that submits flow runs as Kubernetes Jobs."),
  expose: exposeSchema.optional(),
  database: databaseSchema("Prefect's PostgreSQL database (flows, runs, logs, events) on RDS."),
});

export type PrefectParams = z.output<typeof prefectParams>;

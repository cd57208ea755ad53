import * as z from "zod";
import { databaseSchema, exposeSchema, replicasSchema, resourcesSchema } from "../shared/params";

export const zenmlParams = z.strictObject({
  replicas: replicasSchema(1).describe("ZenML server replicas. Default: 1."),
  resources: resourcesSchema.optional(),
  expose: exposeSchema.optional(),
  database: databaseSchema("The ZenML server's MySQL database on RDS.", { default: "db.t4g.medium", why: "RDS for MySQL refuses Performance Insights on micro and small classes; platinfra then turns it off" }),
});

export type ZenmlParams = z.output<typeof zenmlParams>;

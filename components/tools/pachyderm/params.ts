import * as z from "zod";
import { databaseSchema, resourcesSchema } from "../shared/params";

/**
 * No `expose`: Pachyderm's auth is an Enterprise feature (2.11's auth server refuses to activate
 * without an active Enterprise licence), so pachd and the console stay inside the cluster.
 */
export const pachydermParams = z.strictObject({
  resources: resourcesSchema.optional().describe("CPU and memory requests and limits of pachd (and of the pachw storage workers, which inherit them)."),
  console: z.boolean().default(true).describe("Deploy Pachyderm's web console, in-cluster (reached through a port-forward). Default: true."),
  etcd: z
    .strictObject({
      storage_gb: z.number().int().min(1).max(16384).default(10).describe("Size of etcd's encrypted gp3 volume, in GiB, fixed when Pachyderm is first deployed: the chart's etcd StatefulSet cannot change its volume claim later (an up with another size fails; grow the PVC etcd-storage-etcd-0 with kubectl instead). Default: 10 (the chart's)."),
    })
    .prefault({})
    .describe("The chart's etcd (one member, on a persistent volume): pachd's coordination store."),
  // A custom check, not z.never(): validate words type errors itself, and this message says why and what to do.
  expose: z
    .custom<never>(() => false, { error: "Pachyderm cannot be exposed: its auth is an Enterprise feature (it needs a licence), and an open pachd would let anyone read and change all its data — remove expose; from a laptop use the port-forward (platinfra outputs <stack.yaml> --env --local)" })
    .optional()
    .describe("Not available: Pachyderm's community edition has no auth, so it stays in-cluster."),
  database: databaseSchema("Pachyderm's PostgreSQL on RDS: the `pachyderm` database (metadata) and `dex` (its identity service's), both owned by a role of their own."),
});

export type PachydermParams = z.output<typeof pachydermParams>;

import * as z from "zod";
import { resourcesSchema } from "../shared/params";

/** Flyte project names as flyteadmin accepts them; each becomes `<project>-<domain>` namespaces (≤ 63 characters). */
const PROJECT = /^[a-z][a-z0-9-]{0,40}[a-z0-9]$/;

export const flyteParams = z.strictObject({
  resources: resourcesSchema.optional(),
  projects: z
    .array(z.string().regex(PROJECT, { error: (issue) => `project "${issue.input}" is not allowed — use 2–42 lowercase letters, digits or "-", starting with a letter and not ending with "-"` }))
    .min(1)
    .refine((projects) => new Set(projects).size === projects.length, { error: "projects are listed twice — list each Flyte project once" })
    .default(["flytesnacks"])
    .describe("Flyte projects created at deploy time; only their task pods (namespaces <project>-development, -staging, -production) get the buckets through IRSA. Default: [flytesnacks]."),
  database: z
    .strictObject({
      instance_class: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. db.t4g.medium` }).default("db.t4g.small"),
      storage_gb: z.number().int().min(20).max(65536).default(20),
    })
    .prefault({})
    .describe("The PostgreSQL database of flyteadmin and datacatalog on RDS."),
});

export type FlyteParams = z.output<typeof flyteParams>;

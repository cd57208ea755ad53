import * as z from "zod";
import { optionalDatabaseSchema, resourcesSchema } from "../shared/params";

/** Params of `luigi`. Kept free of Pulumi: the catalog loads them for `validate`. */

/**
 * luigid has no authentication: anyone reaching it can see every task and its parameters, and
 * pause, disable or forgive tasks. Rather than an open public ALB, `expose` is refused with the way
 * in that works.
 */
export const EXPOSE_REFUSED =
  "the Luigi scheduler (luigid) has no authentication, so platinfra does not expose it — remove `expose`; pods use the in-cluster schedulerUrl, laptops `kubectl port-forward` (see the tool's outputs)";

export const DATABASE_WITHOUT_HISTORY = "database only configures the task history database — set task_history: true, or remove database";

const databaseSchema = optionalDatabaseSchema("The task history database (PostgreSQL on RDS), when task_history is on.", {
  default: "db.t4g.micro",
  why: "the history is small and written once per task event",
});

/** The database settings when task_history is on and `database` is not given. */
export const DATABASE_DEFAULTS = databaseSchema.parse({});

export const luigiParams = z
  .strictObject({
    task_history: z
      .boolean()
      .default(false)
      .describe("Record every task's events and parameters in a PostgreSQL database on RDS (the scheduler's /history pages). Default: false."),
    database: databaseSchema.optional(),
    state_storage_gb: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(1)
      .describe("Size of the encrypted gp3 volume holding the scheduler's state file, in GiB. Default: 1."),
    resources: resourcesSchema.optional(),
    // Any value is refused with the reason (a `never` type would only say "expected never").
    expose: z
      .unknown()
      .refine((value) => value === undefined, { error: EXPOSE_REFUSED })
      .optional()
      .describe("Not available: luigid has no authentication; it is reached in the cluster or through `kubectl port-forward` (see outputs)."),
  })
  .superRefine((params, context) => {
    if (params.database && !params.task_history) context.addIssue({ code: "custom", path: ["database"], message: DATABASE_WITHOUT_HISTORY });
  })
  .describe(
    "The Luigi central scheduler (luigid), one instance with its state on a persistent volume, and optionally a task history " +
      "database on RDS. luigid has no authentication, so it is reachable inside the cluster only (no `expose`).",
  );

export type LuigiParams = z.output<typeof luigiParams>;

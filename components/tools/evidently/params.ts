import * as z from "zod";
import { resourcesSchema } from "../shared/params";
import { servingExposeSchema } from "../shared/serving-params";

/** Params of `evidently`. Kept free of Pulumi: the catalog loads them for `validate`. */
export const evidentlyParams = z
  .strictObject({
    workspace_gb: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(20)
      .describe("Size of the encrypted gp3 volume holding the workspace (projects, snapshots, uploaded datasets), in GiB. It can be grown later, never shrunk. Default: 20."),
    resources: resourcesSchema.optional(),
    expose: servingExposeSchema("evidently"),
  })
  .describe(
    "The Evidently UI service: one pod with its workspace on an encrypted gp3 volume, writes guarded by a generated secret (reads are open to whoever reaches it). " +
      "In-cluster only unless exposed behind ALB sign-in.",
  );

export type EvidentlyParams = z.output<typeof evidentlyParams>;

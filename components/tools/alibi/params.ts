import * as z from "zod";
import { resourcesSchema } from "../shared/params";
import { dataFileSchema, scheduleSchema } from "../shared/scheduled-job-params";

/** Params of `alibi`. Kept free of Pulumi: the catalog loads them for `validate`. */

/** Alibi Detect's univariate drift detectors for tabular data (alibi_detect.cd at v0.12.0), CPU only. */
export const DETECTORS = ["tabular", "ks", "cvm"] as const;
/** The uses of Alibi Detect a stack may state (`licence`); the validate check in checks.ts knows them too. */
export const LICENCE_USES = ["commercial", "non-production"] as const;

const COLUMN = z.string().min(1, { error: "a column name cannot be empty" });

export const alibiParams = z
  .strictObject({
    schedule: scheduleSchema,
    reference_data: dataFileSchema("reference"),
    analysis_data: dataFileSchema("analysis"),
    detector: z
      .enum(DETECTORS, {
        error: (issue) => `detector ${JSON.stringify(issue.input)} is not available — use tabular (K-S on numbers, Chi-squared on the categorical columns), ks (Kolmogorov-Smirnov) or cvm (Cramér-von Mises)`,
      })
      .default("tabular")
      .describe("The drift detector: tabular (TabularDrift: K-S on numerical, Chi-squared on categorical columns), ks (KSDrift) or cvm (CVMDrift), one test per feature. Default: tabular."),
    features: z.array(COLUMN).default([]).describe("The columns to test. Default: every column of the reference data."),
    categorical: z.array(COLUMN).default([]).describe("The categorical columns among them (tabular only): tested with Chi-squared on the reference's categories. Default: none."),
    p_val: z.number().gt(0).lt(1).default(0.05).describe("The significance level of each feature's test (before the correction). Default: 0.05."),
    correction: z.enum(["bonferroni", "fdr"]).default("bonferroni").describe("How the features' p-values combine into the batch's verdict: bonferroni or fdr (false discovery rate). Default: bonferroni."),
    licence: z
      .enum(LICENCE_USES, {
        error: (issue) => `licence ${JSON.stringify(issue.input)} is not allowed — use commercial (you hold a commercial licence from Seldon) or non-production (development, testing, evaluation)`,
      })
      .optional()
      .describe(
        "Your use of Alibi Detect, which is under the Business Source License 1.1 since 0.11.5: non-production use is free; production use needs a commercial licence from Seldon Technologies (seldon.io/pricing), " +
          "unless you are a non-profit educational institution. Stating it silences validate's licence warning and is recorded in the outputs (licence). Default: unstated (validate warns).",
      ),
    resources: resourcesSchema.optional(),
  })
  .superRefine((params, ctx) => {
    if (params.categorical.length > 0 && params.detector !== "tabular") {
      ctx.addIssue({ code: "custom", path: ["categorical"], message: `${params.detector} tests numerical columns only — use detector: tabular for categorical columns, or remove categorical` });
    }
    const unknown = params.features.length > 0 ? params.categorical.filter((column) => !params.features.includes(column)) : [];
    if (unknown.length > 0) {
      ctx.addIssue({ code: "custom", path: ["categorical"], message: `${unknown.join(", ")} ${unknown.length > 1 ? "are" : "is"} not among features — list every categorical column in features too` });
    }
  })
  .describe(
    "Alibi Detect (Business Source License 1.1) as a scheduled drift check: a CronJob runs a detector on reference and analysis data in S3 and writes each verdict as JSON to its results bucket.",
  );

export type AlibiParams = z.output<typeof alibiParams>;
export type Detector = (typeof DETECTORS)[number];

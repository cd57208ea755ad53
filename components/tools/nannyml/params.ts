import * as z from "zod";
import { resourcesSchema } from "../shared/params";
import { dataFileSchema, scheduleSchema } from "../shared/scheduled-job-params";

const COLUMN = z.string().min(1, { error: "a column name cannot be empty" });

export const problemTypes = ["classification_binary", "classification_multiclass", "regression"] as const;

const columnMapping = z
  .strictObject({
    features: z.array(COLUMN).default([]).describe("The model's feature columns: drift and missing values are monitored on them."),
    timestamp: COLUMN.optional().describe("The timestamp column, when the data has one."),
    y_pred: COLUMN.optional().describe("The prediction column."),
    y_pred_proba: z
      .union([COLUMN, z.record(z.string(), COLUMN)])
      .optional()
      .describe("The predicted probability column; for multiclass, a map of class → column."),
    y_true: COLUMN.optional().describe("The target column (in reference data; in analysis data when targets arrive)."),
  })
  .prefault({})
  .describe("Which columns of the data are features, predictions and targets (NannyML's column mapping).");

export const nannymlParams = z
  .strictObject({
    schedule: scheduleSchema,
    reference_data: dataFileSchema("reference"),
    analysis_data: dataFileSchema("analysis"),
    problem_type: z.enum(problemTypes).default("classification_binary").describe("The model's problem type. Default: classification_binary."),
    column_mapping: columnMapping,
    chunk_size: z.number().int().min(1).default(5000).describe("Observations per chunk NannyML computes each metric over. Default: 5000."),
    resources: resourcesSchema.optional(),
  })
  .superRefine((params, context) => {
    const proba = params.column_mapping.y_pred_proba;
    const problem = probabilityProblem(params.problem_type, proba);
    if (problem) context.addIssue({ code: "custom", path: ["column_mapping", "y_pred_proba"], message: problem });
  });

/** The probability columns must fit the problem type: one column, a map per class, or none. */
function probabilityProblem(problemType: ProblemType, proba: string | Record<string, string> | undefined): string | undefined {
  if (proba === undefined) return undefined;
  if (problemType === "regression") return "regression has no predicted probabilities — remove y_pred_proba";
  if (problemType === "classification_multiclass" && typeof proba === "string") {
    return "classification_multiclass needs a map of class → probability column, e.g. {cat: proba_cat, dog: proba_dog}";
  }
  if (problemType === "classification_binary" && typeof proba !== "string") return "classification_binary needs one probability column name, not a map";
  return undefined;
}

export type NannymlParams = z.output<typeof nannymlParams>;
export type ProblemType = (typeof problemTypes)[number];

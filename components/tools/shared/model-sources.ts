/** The tools whose data bucket a model server may sync a model from, besides its own models bucket (Pulumi- and zod-free: `validate` reads it). */
export const MODEL_SOURCES = ["mlflow", "bentoml"] as const;
export type ModelSourceTool = (typeof MODEL_SOURCES)[number];

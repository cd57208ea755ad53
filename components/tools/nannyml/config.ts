import { stringify } from "yaml";
import type { NannymlParams, ProblemType } from "./params";

/**
 * The NannyML CLI configuration (`nml -c <file> run`), in the format of nannyml 0.13's `Config`:
 * `input` (reference and analysis data files) and `calculators`, each with its own params (column
 * mapping, chunking, problem type) and `outputs`. The older top-level `column_mapping`, `chunker`
 * and `output` sections that some docs still show are ignored by that version, and `calculators`
 * is required. Pure, so it is tested as a plain function.
 */

export type ColumnMapping = NannymlParams["column_mapping"];

export interface NannymlConfigArgs {
  /** A Parquet or CSV file, read whole: the period the model is known to perform well on. */
  referenceData: string;
  /** A Parquet or CSV file, read whole: the data to monitor. */
  analysisData: string;
  /** Where results go, ending in "/": each run writes a timestamped folder under it. */
  resultsLocation: string;
  problemType: ProblemType;
  columnMapping: ColumnMapping;
  chunkSize: number;
}

export interface NannymlWriter {
  type: "raw_files";
  params: { path: string };
  write_args: { filename: string; format: "parquet" };
}

export interface NannymlCalculator {
  type: string;
  params: Record<string, unknown>;
  outputs: NannymlWriter[];
}

export interface NannymlConfig {
  input: { reference_data: { path: string }; analysis_data: { path: string } };
  calculators: NannymlCalculator[];
}

/** NannyML renders these placeholders per run: hourly runs never overwrite each other. */
const RUN_FOLDER = "{{year}}/{{month}}/{{day}}/{{hour}}{{minute}}/";
const CLASSIFICATION_METRICS = ["roc_auc", "f1", "accuracy"];
const REGRESSION_METRICS = ["mae", "rmse"];

/**
 * The calculators the column mapping allows: row counts always; drift and missing values when
 * features are named; realized and estimated performance when predictions and targets are named.
 */
export function nannymlConfig(args: NannymlConfigArgs): NannymlConfig {
  const { columnMapping: columns, problemType } = args;
  const common = { chunk_size: args.chunkSize, ...(columns.timestamp ? { timestamp_column_name: columns.timestamp } : {}) };
  const calculators: [string, Record<string, unknown>][] = [["summary_stats_row_count", common]];
  if (columns.features.length > 0) {
    calculators.push(["univariate_drift", { column_names: columns.features, ...common }], ["missing_values", { column_names: columns.features, ...common }]);
  }
  if (problemType === "regression") calculators.push(...regressionCalculators(columns, common));
  else calculators.push(...classificationCalculators(columns, problemType, common));
  return {
    input: { reference_data: { path: args.referenceData }, analysis_data: { path: args.analysisData } },
    calculators: calculators.map(([type, params]) => ({ type, params, outputs: [resultsWriter(args.resultsLocation, type)] })),
  };
}

/** The configuration file as the CronJob mounts it. */
export function nannymlConfigYaml(args: NannymlConfigArgs): string {
  return stringify(nannymlConfig(args));
}

/** Realized performance (needs targets in the analysis data) and CBPE's estimate (does not). */
function classificationCalculators(columns: ColumnMapping, problemType: ProblemType, common: Record<string, unknown>): [string, Record<string, unknown>][] {
  if (!columns.y_true || !columns.y_pred_proba) return [];
  const params = {
    metrics: columns.y_pred ? CLASSIFICATION_METRICS : ["roc_auc"],
    y_true: columns.y_true,
    ...(columns.y_pred ? { y_pred: columns.y_pred } : {}),
    y_pred_proba: columns.y_pred_proba,
    problem_type: problemType,
    ...common,
  };
  return [
    ["performance", params],
    ["cbpe", params],
  ];
}

/** Realized performance and, given features, DLE's estimate of it. */
function regressionCalculators(columns: ColumnMapping, common: Record<string, unknown>): [string, Record<string, unknown>][] {
  if (!columns.y_true || !columns.y_pred) return [];
  const targets = { y_true: columns.y_true, y_pred: columns.y_pred };
  const performance: [string, Record<string, unknown>] = ["performance", { metrics: REGRESSION_METRICS, ...targets, problem_type: "regression", ...common }];
  if (columns.features.length === 0) return [performance];
  return [performance, ["dle", { feature_column_names: columns.features, metrics: REGRESSION_METRICS, ...targets, ...common }]];
}

function resultsWriter(resultsLocation: string, calculator: string): NannymlWriter {
  return { type: "raw_files", params: { path: `${resultsLocation}${RUN_FOLDER}` }, write_args: { filename: `${calculator}.parquet`, format: "parquet" } };
}

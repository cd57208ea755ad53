import * as z from "zod";

/**
 * Params of the scheduled monitoring jobs (nannyml, alibi): when they run and which data files
 * they read. Kept free of Pulumi: the catalog loads them for `validate`.
 */

/** Five fields (minute hour day-of-month month day-of-week) of digits, names, `*`, `,`, `-`, `/`. */
const CRON = /^[0-9A-Za-z*,/-]+( +[0-9A-Za-z*,/-]+){4}$/;
/** One object the job reads whole: Parquet or CSV, by its extension. */
const DATA_FILE = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/\S+\.(parquet|pq|csv)$/;

export const scheduleSchema = z
  .string()
  .regex(CRON, { error: (issue) => `"${issue.input}" is not a cron schedule — expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 * * * *"` })
  .default("0 * * * *")
  .describe("When the monitoring job runs, as a cron schedule in UTC. Default: hourly, \"0 * * * *\".");

/** `reference_data` or `analysis_data`: an s3:// URI of one data file, by default in the job's results bucket. */
export function dataFileSchema(what: string) {
  return z
    .string()
    .regex(DATA_FILE, { error: (issue) => `"${issue.input}" is not an S3 URI of a .parquet, .pq or .csv file — expected e.g. s3://my-bucket/monitoring/${what}.parquet` })
    .optional()
    .describe(`The ${what} data file. Default: s3://<results bucket>/${what}/${what}.parquet, where teams drop it.`);
}

import * as z from "zod";
import { computeSchema } from "../shared/params";

/** Params of `spark`. Kept free of Pulumi: the catalog loads them for `validate`. */

/** A registry path with a tag or a digest: a Spark image must be pinned, as the jars it carries must match Spark's Hadoop. */
const PINNED_IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;

const cpu = computeSchema.shape.cpu;
const memory = computeSchema.shape.memory;

export const sparkParams = z
  .strictObject({
    image: z
      .string()
      .regex(PINNED_IMAGE, { error: (issue) => `image ${JSON.stringify(issue.input)} is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest>` })
      .optional()
      .describe(
        "Your own Spark 4.0.4 image that already holds hadoop-aws 3.4.1 and the AWS SDK v2 bundle 2.24.6 in /opt/spark/jars " +
          "(e.g. built FROM apache/spark:4.0.4): jobs and the history server then start without downloading them. " +
          "Default: apache/spark:4.0.4, with both jars fetched from Maven Central into each pod at start.",
      ),
    event_log_retention_days: z
      .number({ error: (issue) => `event_log_retention_days ${JSON.stringify(issue.input)} is not a number of days — expected a whole number from 1 to 3650` })
      .int({ error: (issue) => `event_log_retention_days ${String(issue.input)} is not a whole number of days` })
      .min(1, { error: (issue) => `event_log_retention_days ${String(issue.input)} is below 1` })
      .max(3650, { error: (issue) => `event_log_retention_days ${String(issue.input)} is above 3650 (10 years)` })
      .default(30)
      .describe("Days an event log stays in the event-log bucket (and in the history server's list) before S3 expires it. Default: 30."),
    history_server: z
      .strictObject({
        cpu: cpu.default("500m").describe('CPU of the history server (request; the limit is twice it). Default: "500m".'),
        memory: memory.default("2Gi").describe('Memory of the history server (request and limit; the JVM heap is half). Default: "2Gi".'),
      })
      .prefault({})
      .describe("The Spark history server, reading every job's event log from the event-log bucket."),
  })
  .describe(
    "The Spark operator (kubeflow/spark-operator), a job namespace whose service account reaches the stack's data buckets " +
      "through IRSA, event logs in S3 and a history server. Nothing is exposed: the history server has no authentication, " +
      "reach it with `kubectl -n spark port-forward svc/spark-history-server 18080`.",
  );

export type SparkParams = z.output<typeof sparkParams>;

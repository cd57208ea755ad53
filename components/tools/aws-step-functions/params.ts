import * as z from "zod";
import { LOG_RETENTION_DAYS } from "../aws-batch/params";

/** Params of `aws-step-functions`. Kept free of Pulumi: the catalog loads them for `validate`. */
export const awsStepFunctionsParams = z
  .strictObject({
    target: z
      .enum(["auto", "batch", "eks"], { error: (issue) => `target ${JSON.stringify(issue.input)} is not allowed — use "auto", "batch" or "eks"` })
      .default("auto")
      .describe(
        "Where the example state machine runs its job: on this stack's AWS Batch queue (batch: submitJob.sync), or as a Kubernetes Job on this stack's cluster (eks: eks:runJob.sync). " +
          "Default: auto — batch when the stack lists aws-batch, else eks.",
      ),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: (issue) => `namespace "${String(issue.input)}" is not a Kubernetes namespace name — lowercase letters, digits and hyphens, at most 63` })
      .default("step-functions")
      .describe("The namespace where eks:runJob creates Jobs (only with target eks, and without aws-fargate, whose namespace is used then). Default: step-functions."),
    log_level: z
      .enum(["ALL", "ERROR", "FATAL"], { error: (issue) => `log_level ${JSON.stringify(issue.input)} is not allowed — use "ALL", "ERROR" or "FATAL"` })
      .default("ERROR")
      .describe("Which execution events go to CloudWatch Logs (billed at the vended-logs rate; the full history of Standard workflows stays in Step Functions). Default: ERROR."),
    include_execution_data: z
      .boolean()
      .default(false)
      .describe("Log states' input and output too (they may hold bucket paths or parameters). Default: false."),
    log_retention_days: z
      .literal(LOG_RETENTION_DAYS, {
        error: (issue) => `log_retention_days ${JSON.stringify(issue.input)} is not a CloudWatch Logs retention — use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(30)
      .describe("Days the state machines' logs are kept in CloudWatch Logs. Default: 30."),
  })
  .describe(
    "A Step Functions role scoped to this stack (its Batch queue, its cluster, the linked tools' data buckets), a log group, and an example Standard state machine " +
      "running one job on this stack's Batch queue or cluster",
  );

export type AwsStepFunctionsParams = z.output<typeof awsStepFunctionsParams>;

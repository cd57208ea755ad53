import * as z from "zod";
import { LOG_RETENTION_DAYS } from "../aws-batch/params";

/** Params of `aws-fargate`. Kept free of Pulumi: the catalog loads them for `validate`. */
export const awsFargateParams = z
  .strictObject({
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: (issue) => `namespace "${String(issue.input)}" is not a Kubernetes namespace name — lowercase letters, digits and hyphens, at most 63` })
      .refine((name) => !["default", "kube-system", "aws-observability"].includes(name), { error: (issue) => `namespace "${String(issue.input)}" is the cluster's own — name a namespace for pipeline pods only, e.g. fargate-pipelines` })
      .default("fargate-pipelines")
      .describe("The namespace whose pods run on Fargate (the profile selects it; nothing else does). Default: fargate-pipelines."),
    logging: z
      .boolean()
      .default(true)
      .describe(
        "Create the cluster's one aws-observability/aws-logging ConfigMap, sending Fargate pods' logs to this tool's log group. Set false when an existing cluster already has one. Default: true.",
      ),
    log_retention_days: z
      .literal(LOG_RETENTION_DAYS, {
        error: (issue) => `log_retention_days ${JSON.stringify(issue.input)} is not a CloudWatch Logs retention — use one of ${LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(30)
      .describe("Days Fargate pods' logs are kept in CloudWatch Logs. Default: 30."),
  })
  .describe("An EKS Fargate profile for one pipeline namespace (private subnets), its pod execution role, an IRSA service account for the linked tools' data buckets, and the pods' logs in CloudWatch");

export type AwsFargateParams = z.output<typeof awsFargateParams>;

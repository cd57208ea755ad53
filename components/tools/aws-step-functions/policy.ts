import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../base/policies";
import { bucketStatements } from "../shared/bucket";
import type { DataBucket } from "../shared/types";

/** The account, region and partition the role's ARNs are written in. */
export interface ArnScope {
  partition: pulumi.Input<string>;
  region: string;
  accountId: string;
}

/**
 * The rule Step Functions creates in the account for every Batch `.sync` task (fixed name, shared
 * by every state machine of the account): the role may manage it, and only it.
 */
export const BATCH_EVENTS_RULE = "StepFunctionsGetEventsForBatchJobsRule";

/**
 * Submitting jobs, only to this stack's queue and with this stack's job definitions (the request's
 * ARN carries the revision, hence the wildcard after the prefix). DescribeJobs and TerminateJob
 * take no resource: AWS documents them on "*".
 */
export function batchStatements(scope: ArnScope, jobQueueArn: pulumi.Input<string>, jobDefinitionPrefix: string): PolicyStatement[] {
  const { partition, region, accountId } = scope;
  return [
    { Sid: "BatchSubmit", Effect: "Allow", Action: ["batch:SubmitJob"], Resource: [jobQueueArn, pulumi.interpolate`arn:${partition}:batch:${region}:${accountId}:job-definition/${jobDefinitionPrefix}-*`] },
    { Sid: "BatchJobs", Effect: "Allow", Action: ["batch:DescribeJobs", "batch:TerminateJob"], Resource: "*" },
    {
      Sid: "BatchSyncEvents",
      Effect: "Allow",
      Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
      Resource: [pulumi.interpolate`arn:${partition}:events:${region}:${accountId}:rule/${BATCH_EVENTS_RULE}`],
    },
  ];
}

/**
 * Logging to CloudWatch Logs goes through the vended-logs delivery APIs, which take no resource:
 * AWS documents exactly these actions on "*" for a state machine's role.
 */
export const LOG_DELIVERY_STATEMENT: PolicyStatement = {
  Sid: "LogDelivery",
  Effect: "Allow",
  Action: [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
  ],
  Resource: "*",
};

/** The state machine's statements: its target's, logging, and the linked tools' data buckets (for aws-sdk:s3 tasks). */
export function stateMachineStatements(targetStatements: PolicyStatement[], buckets: DataBucket[]): PolicyStatement[] {
  const data = buckets.length ? bucketStatements(buckets.map((bucket) => bucket.arn), "readwrite", "DataBuckets") : [];
  return [...targetStatements, LOG_DELIVERY_STATEMENT, ...data];
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import type { PolicyStatement } from "../../base/policies";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "./bucket";
import { createNamespace, type ToolNamespace } from "./namespace";
import type { Resources } from "./params";
import { createToolRole } from "./role";
import type { ToolScope } from "./scope";

/**
 * A monitoring job on a schedule (nannyml, alibi): a CronJob that installs a pinned Python package
 * into the official Python image at start, as an unprivileged user writing only to /tmp, reads
 * reference and analysis data from S3 and writes results to its own bucket, through IRSA.
 */

/** An unprivileged user: the job writes only to /tmp (pip's user site and the tool's scratch). */
const JOB_UID = 1000;
const SCRATCH = "/tmp";

/** Why the job does not run yet, and how to start it: a deployment warning and the `status` output. */
export const SUSPENDED_NOTICE =
  "suspended: the monitoring CronJob runs once params.reference_data and params.analysis_data name the data files (s3://…); set both and run `platinfra up` again";

/** Where the job reads and writes, as s3:// URIs. */
export interface DataLocations {
  referenceData: pulumi.Output<string>;
  analysisData: pulumi.Output<string>;
  resultsLocation: pulumi.Output<string>;
}

/** What every monitoring job has before its own configuration and CronJob. */
export interface MonitoringJobBase {
  suspended: boolean;
  namespace: ToolNamespace;
  results: Bucket;
  locations: DataLocations;
  role: ServiceAccountRole;
}

/**
 * The job's namespace, results bucket and IRSA role, where it reads and writes, and whether it is
 * suspended (with a deployment warning saying how to start it).
 */
export function createMonitoringJobBase(
  scope: ToolScope,
  options: { namespace: string; serviceAccount: string; links: readonly string[]; params: { reference_data?: string; analysis_data?: string } },
): MonitoringJobBase {
  const suspended = isSuspended(options.params);
  if (suspended) pulumi.log.warn(SUSPENDED_NOTICE, scope.parent);
  const namespace = createNamespace(scope, options.namespace);
  const results = createToolBucket(scope, "results");
  const locations = dataLocations(results, options.params);
  const role = createJobRole(scope, { namespace, serviceAccount: options.serviceAccount, links: options.links, results, params: options.params });
  return { suspended, namespace, results, locations, role };
}

/** The outputs every monitoring job has: when it runs, whether it does, where it reads and writes. */
export function monitoringJobOutputs(base: MonitoringJobBase, schedule: string): Record<string, pulumi.Input<string>> {
  return { schedule, status: base.suspended ? SUSPENDED_NOTICE : "scheduled", ...base.locations, resultsBucket: base.results.name };
}

/** The data files the params name or, by default, the places in the results bucket where teams drop them. */
export function dataLocations(results: Bucket, params: { reference_data?: string; analysis_data?: string }): DataLocations {
  return {
    referenceData: pulumi.output(params.reference_data ?? pulumi.interpolate`s3://${results.name}/reference/reference.parquet`),
    analysisData: pulumi.output(params.analysis_data ?? pulumi.interpolate`s3://${results.name}/analysis/analysis.parquet`),
    resultsLocation: pulumi.interpolate`s3://${results.name}/results/`,
  };
}

/** The job has nothing to monitor until both data files are named. */
export function isSuspended(params: { reference_data?: string; analysis_data?: string }): boolean {
  return !(params.reference_data && params.analysis_data);
}

/** The ARN of the bucket an s3:// URI points into. */
export function bucketArnOf(uri: string): string {
  return `arn:aws:s3:::${uri.replace(/^s3:\/\//, "").split("/")[0]}`;
}

/**
 * Read on the stack's data (the linked peers' data buckets, and the buckets the params name), read
 * and write on the job's own results bucket; nothing else.
 */
export function createJobRole(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceAccount: string; links: readonly string[]; results: Bucket; params: { reference_data?: string; analysis_data?: string } },
): ServiceAccountRole {
  const { params } = options;
  const peerArns = linkedDataBuckets(scope.context, options.links).map((bucket) => bucket.arn);
  const inputArns = [...new Set([params.reference_data, params.analysis_data].flatMap((uri) => (uri ? [bucketArnOf(uri)] : [])))];
  const readArns: pulumi.Input<string>[] = [...peerArns, ...inputArns];
  const statements: PolicyStatement[] = [
    ...(readArns.length > 0 ? bucketStatements(readArns, "read", "StackData") : []),
    ...bucketStatements([options.results.arn], "readwrite", "Results"),
  ];
  return createToolRole(scope, { namespace: options.namespace, serviceAccount: options.serviceAccount, statements });
}

export interface ScheduledJob {
  /** The Kubernetes name of the CronJob, its container and its pods' `app` label. */
  app: string;
  namespace: string;
  serviceAccount: string;
  schedule: string;
  suspended: boolean;
  image: string;
  /** pip requirements installed for the job's user at start, pinned (`name==version`). */
  packages: string[];
  /** The command run once the packages are installed (exec'd: the job ends with it). */
  run: string;
  /** The ConfigMap mounted read-only at `configDir`. */
  configMap: string;
  configDir: string;
  /** Settings beside HOME, PYTHONUSERBASE and PATH, e.g. switching the tool's usage analytics off. */
  env: k8s.types.input.core.v1.EnvVar[];
  resources: Required<Resources>;
}

/**
 * One run at a time (a slow run is not overlapped by the next), a few finished jobs kept for their
 * logs. Suspended until there is data to monitor: failing every run helps no one.
 */
export function createScheduledJob(scope: ToolScope, job: ScheduledJob, dependsOn: pulumi.Resource[]): k8s.batch.v1.CronJob {
  return new k8s.batch.v1.CronJob(
    `${scope.name}-cronjob`,
    {
      metadata: { name: job.app, namespace: job.namespace },
      spec: {
        schedule: job.schedule,
        suspend: job.suspended,
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { backoffLimit: 1, template: { metadata: { labels: { app: job.app } }, spec: jobPod(job) } } },
      },
    },
    { parent: scope.parent, dependsOn },
  );
}

/** Installs the pinned packages for this user, then runs the job's command once. */
export function jobCommand(packages: string[], run: string): string {
  return `pip install --user --no-cache-dir --disable-pip-version-check --quiet ${packages.join(" ")} && exec ${run}`;
}

function jobPod(job: ScheduledJob): k8s.types.input.core.v1.PodSpec {
  return {
    serviceAccountName: job.serviceAccount,
    restartPolicy: "Never",
    securityContext: { runAsNonRoot: true, runAsUser: JOB_UID, runAsGroup: JOB_UID, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: job.app,
        image: job.image,
        command: ["sh", "-c", jobCommand(job.packages, job.run)],
        env: [
          { name: "HOME", value: SCRATCH },
          { name: "PYTHONUSERBASE", value: `${SCRATCH}/.local` },
          { name: "PATH", value: `${SCRATCH}/.local/bin:/usr/local/bin:/usr/bin:/bin` },
          ...job.env,
        ],
        resources: job.resources,
        volumeMounts: [
          { name: "config", mountPath: job.configDir, readOnly: true },
          { name: "scratch", mountPath: SCRATCH },
        ],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes: [
      { name: "config", configMap: { name: job.configMap } },
      { name: "scratch", emptyDir: {} },
    ],
  };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import type { PolicyStatement } from "../../base/policies";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "../shared/bucket";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { nannymlConfigYaml } from "./config";
import { nannymlParams, type NannymlParams } from "./params";
import { resourcesWithDefaults } from "../shared/params";
import type { ToolComponent, ToolComponentModule } from "../shared/types";

/**
 * NannyML's latest release, as published to PyPI by its release workflow. The project publishes
 * no versioned container image (no workflow builds `nannyml/nannyml`; its docs show only the
 * untagged image), so the job installs this version into the official Python image at start.
 */
export const NANNYML_VERSION = "0.13.1";
/**
 * The official Python image on Debian bookworm (the full one: it ships libgomp, which NannyML's
 * LightGBM needs and the slim image lacks), on a Python NannyML 0.13 supports (< 3.13).
 */
export const NANNYML_IMAGE = "python:3.11-bookworm";
/** An unprivileged user: the job writes only to /tmp (pip's user site and NannyML's scratch). */
const NANNYML_UID = 1000;
const SCRATCH = "/tmp";
/** The tools whose data NannyML monitors (it reads their `dataBuckets`). */
const NANNYML_LINKS = ["dvc", "mlflow", "zenml", "bentoml", "aws-batch"];
const NAMESPACE = "nannyml";
const SERVICE_ACCOUNT = "nannyml";
const CONFIG_MAP = "nannyml-config";
const CONFIG_DIR = "/config";
const CONFIG_FILE = "nml.yml";
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };

/** Where the job reads and writes, as s3:// URIs. */
interface Locations {
  referenceData: pulumi.Output<string>;
  analysisData: pulumi.Output<string>;
  resultsLocation: pulumi.Output<string>;
}

/**
 * NannyML (monitoring) as a scheduled job: a CronJob runs the `nml` CLI on reference and analysis
 * data in S3 and writes its results (drift, missing values, realized and estimated performance) to
 * its results bucket. It reads the data of every tool of the stack that keeps some, through IRSA.
 * The CronJob stays suspended (with a warning and a `status` output saying so) until the params
 * name both the reference and the analysis data files.
 */
export class Nannyml extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Nannyml", name, {}, opts);
    const params = nannymlParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const suspended = !(params.reference_data && params.analysis_data);
    if (suspended) pulumi.log.warn(SUSPENDED_NOTICE, this);

    const namespace = createNamespace(scope, NAMESPACE);
    const results = createToolBucket(scope, "results");
    const locations: Locations = {
      referenceData: pulumi.output(params.reference_data ?? pulumi.interpolate`s3://${results.name}/reference/reference.parquet`),
      analysisData: pulumi.output(params.analysis_data ?? pulumi.interpolate`s3://${results.name}/analysis/analysis.parquet`),
      resultsLocation: pulumi.interpolate`s3://${results.name}/results/`,
    };
    const role = this.createRole(scope, namespace, results, params);
    const config = this.createConfig(scope, namespace, params, locations);
    this.createCronJob(scope, params, suspended, [role, config]);

    this.dataBuckets = [{ name: results.name, arn: results.arn }];
    this.outputs = pulumi.all({ schedule: params.schedule, status: suspended ? SUSPENDED_NOTICE : "scheduled", ...locations, resultsBucket: results.name });
    this.env = pulumi.all({ NANNYML_RESULTS: locations.resultsLocation });
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * Read on the stack's data (every peer's data buckets, and the buckets the params name), read and
   * write on its own results bucket; nothing else.
   */
  private createRole(scope: ToolScope, namespace: ToolNamespace, results: Bucket, params: NannymlParams): ServiceAccountRole {
    const peerArns = linkedDataBuckets(scope.context, NANNYML_LINKS).map((bucket) => bucket.arn);
    const inputArns = [...new Set([params.reference_data, params.analysis_data].flatMap((uri) => (uri ? [bucketArnOf(uri)] : [])))];
    const readArns: pulumi.Input<string>[] = [...peerArns, ...inputArns];
    const statements: PolicyStatement[] = [
      ...(readArns.length > 0 ? bucketStatements(readArns, "read", "StackData") : []),
      ...bucketStatements([results.arn], "readwrite", "Results"),
    ];
    return createToolRole(scope, { namespace, serviceAccount: SERVICE_ACCOUNT, statements });
  }

  private createConfig(scope: ToolScope, namespace: ToolNamespace, params: NannymlParams, locations: Locations): k8s.core.v1.ConfigMap {
    const yaml = pulumi
      .all([locations.referenceData, locations.analysisData, locations.resultsLocation])
      .apply(([referenceData, analysisData, resultsLocation]) =>
        nannymlConfigYaml({ referenceData, analysisData, resultsLocation, problemType: params.problem_type, columnMapping: params.column_mapping, chunkSize: params.chunk_size }),
      );
    return new k8s.core.v1.ConfigMap(
      `${scope.name}-config`,
      { metadata: { name: CONFIG_MAP, namespace: NAMESPACE }, data: { [CONFIG_FILE]: yaml } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }

  /**
   * One run at a time (a slow run is not overlapped by the next), a few finished jobs kept for their
   * logs. `nml -c <file> run` is the CLI's shape in nannyml 0.13 (`-c` is a group option, before the
   * command); with no `scheduling` section in the file, `run` runs once and exits, as a job must.
   */
  private createCronJob(scope: ToolScope, params: NannymlParams, suspended: boolean, dependsOn: pulumi.Resource[]): k8s.batch.v1.CronJob {
    return new k8s.batch.v1.CronJob(
      `${scope.name}-cronjob`,
      {
        metadata: { name: "nannyml", namespace: NAMESPACE },
        spec: {
          schedule: params.schedule,
          // Until both data files are named there is nothing to monitor: failing every run helps no one.
          suspend: suspended,
          timeZone: "Etc/UTC",
          concurrencyPolicy: "Forbid",
          startingDeadlineSeconds: 600,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 3,
          jobTemplate: { spec: { backoffLimit: 1, template: { metadata: { labels: { app: "nannyml" } }, spec: podSpec(params) } } },
        },
      },
      { parent: this, dependsOn },
    );
  }
}

/** Why the job does not run yet, and how to start it: a deployment warning and the `status` output. */
export const SUSPENDED_NOTICE =
  "suspended: the monitoring CronJob runs once params.reference_data and params.analysis_data name the data files (s3://…); set both and run `platinfra up` again";

/** Installs the pinned NannyML for this user, then runs the CLI once (`-c` is a group option, before `run`). */
const NANNYML_COMMAND = `pip install --user --no-cache-dir --disable-pip-version-check --quiet nannyml==${NANNYML_VERSION} && exec nml -c ${CONFIG_DIR}/${CONFIG_FILE} run`;

function podSpec(params: NannymlParams): k8s.types.input.core.v1.PodSpec {
  return {
    serviceAccountName: SERVICE_ACCOUNT,
    restartPolicy: "Never",
    securityContext: { runAsNonRoot: true, runAsUser: NANNYML_UID, runAsGroup: NANNYML_UID, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "nannyml",
        image: NANNYML_IMAGE,
        command: ["sh", "-c", NANNYML_COMMAND],
        env: [
          { name: "HOME", value: SCRATCH },
          { name: "PYTHONUSERBASE", value: `${SCRATCH}/.local` },
          { name: "PATH", value: `${SCRATCH}/.local/bin:/usr/local/bin:/usr/bin:/bin` },
          // NannyML otherwise sends usage analytics from every run.
          { name: "NML_DISABLE_USAGE_LOGGING", value: "1" },
        ],
        resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
        volumeMounts: [
          { name: "config", mountPath: CONFIG_DIR, readOnly: true },
          { name: "scratch", mountPath: SCRATCH },
        ],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      },
    ],
    volumes: [
      { name: "config", configMap: { name: CONFIG_MAP } },
      { name: "scratch", emptyDir: {} },
    ],
  };
}

/** The ARN of the bucket an s3:// URI points into. */
export function bucketArnOf(uri: string): string {
  return `arn:aws:s3:::${uri.replace(/^s3:\/\//, "").split("/")[0]}`;
}

export const nannyml: ToolComponentModule = {
  links: NANNYML_LINKS,
  create: (name, context) => new Nannyml(name, context, toolComponentOptions(context)),
};

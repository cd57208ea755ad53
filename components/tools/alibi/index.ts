import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import type { ToolNamespace } from "../shared/namespace";
import { resourcesWithDefaults } from "../shared/params";
import { createMonitoringJobBase, createScheduledJob, monitoringJobOutputs, type DataLocations } from "../shared/scheduled-job";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolComponent, ToolComponentModule } from "../shared/types";
import { alibiParams, type AlibiParams } from "./params";
import { DETECT_SCRIPT, runnerConfig } from "./runner";

/**
 * The newest Alibi Detect release read at its source (SeldonIO/alibi-detect tag v0.12.0,
 * alibi_detect/version.py). Upstream publishes the library only (no Dockerfile, no image workflow),
 * so the job installs it into the official Python image at start.
 */
export const ALIBI_DETECT_VERSION = "0.12.0";
/**
 * The official Python image on Debian bookworm, on a Python Alibi Detect 0.12.0 supports (setup.py
 * classifiers 3.8–3.11; numba < 0.60 and numpy < 2 rule out the newest Pythons).
 */
export const ALIBI_IMAGE = "python:3.11-bookworm";
/** What the runner reads and writes with: boto3 for S3 (IRSA through web identity), pyarrow for Parquet (numpy 1.x builds). */
export const RUNNER_PACKAGES = [`alibi-detect==${ALIBI_DETECT_VERSION}`, "boto3==1.44.5", "pyarrow==16.1.0"];
/** The tools whose data the drift check may read (their `dataBuckets`), as NannyML's. */
const ALIBI_LINKS = ["dvc", "mlflow", "zenml", "bentoml", "aws-batch"];
const NAMESPACE = "alibi";
const SERVICE_ACCOUNT = "alibi";
const CONFIG_MAP = "alibi-runner";
const CONFIG_DIR = "/config";
/** The `licence` output when the stack does not state its use of Alibi Detect (BSL 1.1). */
export const UNSTATED_LICENCE = "not stated — Business Source License 1.1: production use needs a commercial licence from Seldon (set licence: commercial or non-production)";
/** Univariate tests on a table: memory for the two data files and their copies. */
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };

/**
 * Alibi Detect (monitoring) as a scheduled drift check, shaped like nannyml: a CronJob fits a
 * detector on the reference data and runs it on the analysis data, both in S3, and writes the
 * verdict (per-feature p-values and distances) as JSON to its results bucket. Suspended until both
 * data files are named. Alibi Detect is under the Business Source License 1.1: validate warns unless
 * the stack states its use.
 */
export class Alibi extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Alibi", name, {}, opts);
    const params = alibiParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const base = createMonitoringJobBase(scope, { namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT, links: ALIBI_LINKS, params });
    const { results, locations } = base;
    const config = this.createRunner(scope, base.namespace, params, locations);
    createScheduledJob(
      scope,
      {
        app: "alibi",
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        schedule: params.schedule,
        suspended: base.suspended,
        image: ALIBI_IMAGE,
        packages: RUNNER_PACKAGES,
        run: `python ${CONFIG_DIR}/detect.py ${CONFIG_DIR}/config.json`,
        configMap: CONFIG_MAP,
        configDir: CONFIG_DIR,
        env: [
          { name: "AWS_REGION", value: context.platform.region },
          { name: "AWS_DEFAULT_REGION", value: context.platform.region },
          // Numba (a dependency) caches compiled functions next to the package, on the read-only root otherwise.
          { name: "NUMBA_CACHE_DIR", value: "/tmp/numba-cache" },
        ],
        resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
      },
      [base.role, config],
    );

    this.dataBuckets = [{ name: results.name, arn: results.arn }];
    this.outputs = pulumi.all({
      ...monitoringJobOutputs(base, params.schedule),
      detector: params.detector,
      latestResult: pulumi.interpolate`aws s3 cp ${locations.resultsLocation}latest.json -`,
      feedData: pulumi.interpolate`aws s3 cp reference.parquet ${locations.referenceData} && aws s3 cp analysis.parquet ${locations.analysisData}`,
      runNow: `kubectl -n ${NAMESPACE} create job --from=cronjob/alibi alibi-manual-$(date +%s)`,
      licence: params.licence ?? UNSTATED_LICENCE,
    });
    this.env = pulumi.all({ ALIBI_RESULTS: locations.resultsLocation });
    this.registerOutputs({ outputs: this.outputs });
  }

  /** The runner script and its settings, in one ConfigMap mounted read-only. */
  private createRunner(scope: ToolScope, namespace: ToolNamespace, params: AlibiParams, locations: DataLocations): k8s.core.v1.ConfigMap {
    const config = pulumi
      .all([locations.referenceData, locations.analysisData, locations.resultsLocation])
      .apply(([referenceData, analysisData, resultsLocation]) => JSON.stringify(runnerConfig(params, { referenceData, analysisData, resultsLocation }), null, 2));
    return new k8s.core.v1.ConfigMap(
      `${scope.name}-runner`,
      { metadata: { name: CONFIG_MAP, namespace: NAMESPACE }, data: { "detect.py": DETECT_SCRIPT, "config.json": config } },
      { parent: this, dependsOn: [namespace.resource] },
    );
  }
}

export const alibi: ToolComponentModule = {
  links: ALIBI_LINKS,
  create: (name, context) => new Alibi(name, context, toolComponentOptions(context)),
};

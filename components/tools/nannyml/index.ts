import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "../shared/namespace";
import { resourcesWithDefaults } from "../shared/params";
import { createMonitoringJobBase, createScheduledJob, monitoringJobOutputs, type DataLocations } from "../shared/scheduled-job";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { nannymlConfigYaml } from "./config";
import { nannymlParams, type NannymlParams } from "./params";
import type { ToolComponent, ToolComponentModule } from "../shared/types";

export { bucketArnOf, SUSPENDED_NOTICE } from "../shared/scheduled-job";

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
/** The tools whose data NannyML monitors (it reads their `dataBuckets`). */
const NANNYML_LINKS = ["dvc", "mlflow", "zenml", "bentoml", "aws-batch"];
const NAMESPACE = "nannyml";
const SERVICE_ACCOUNT = "nannyml";
const CONFIG_MAP = "nannyml-config";
const CONFIG_DIR = "/config";
const CONFIG_FILE = "nml.yml";
const DEFAULT_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };

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
    const base = createMonitoringJobBase(scope, { namespace: NAMESPACE, serviceAccount: SERVICE_ACCOUNT, links: NANNYML_LINKS, params });
    const { results, locations } = base;
    const config = this.createConfig(scope, base.namespace, params, locations);
    createScheduledJob(
      scope,
      {
        app: "nannyml",
        namespace: NAMESPACE,
        serviceAccount: SERVICE_ACCOUNT,
        schedule: params.schedule,
        suspended: base.suspended,
        image: NANNYML_IMAGE,
        packages: [`nannyml==${NANNYML_VERSION}`],
        // `-c` is a group option, before the command; with no `scheduling` section in the file, `run` runs once and exits, as a job must.
        run: `nml -c ${CONFIG_DIR}/${CONFIG_FILE} run`,
        configMap: CONFIG_MAP,
        configDir: CONFIG_DIR,
        // NannyML otherwise sends usage analytics from every run.
        env: [{ name: "NML_DISABLE_USAGE_LOGGING", value: "1" }],
        resources: resourcesWithDefaults(params.resources, DEFAULT_RESOURCES),
      },
      [base.role, config],
    );

    this.dataBuckets = [{ name: results.name, arn: results.arn }];
    this.outputs = pulumi.all(monitoringJobOutputs(base, params.schedule));
    this.env = pulumi.all({ NANNYML_RESULTS: locations.resultsLocation });
    this.registerOutputs({ outputs: this.outputs });
  }

  private createConfig(scope: ToolScope, namespace: ToolNamespace, params: NannymlParams, locations: DataLocations): k8s.core.v1.ConfigMap {
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
}

export const nannyml: ToolComponentModule = {
  links: NANNYML_LINKS,
  create: (name, context) => new Nannyml(name, context, toolComponentOptions(context)),
};

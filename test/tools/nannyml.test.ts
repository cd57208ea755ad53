import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";
import { NANNYML_IMAGE, NANNYML_VERSION, SUSPENDED_NOTICE, bucketArnOf, nannyml } from "../../components/tools/nannyml/index";
import { nannymlConfig, nannymlConfigYaml, type NannymlConfigArgs } from "../../components/tools/nannyml/config";
import { nannymlParams } from "../../components/tools/nannyml/params";
import type { RenderResult } from "../../src/engine/render";
import { named, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

/** A stand-in peer that keeps data in one bucket, as dvc or mlflow do. */
function fakeDataTool(): ToolComponentModule {
  class FakeDataTool extends pulumi.ComponentResource implements ToolComponent {
    readonly outputs = pulumi.output({});
    readonly env = pulumi.output<Record<string, string>>({});
    readonly dataBuckets: ToolComponent["dataBuckets"];
    constructor(name: string) {
      super("platinfra:test:FakeDataTool", name, {});
      const bucket = new aws.s3.Bucket(`${name}-data`, { bucket: `${name}-data-bucket` }, { parent: this });
      this.dataBuckets = [{ name: bucket.bucket, arn: bucket.arn }];
      this.registerOutputs({});
    }
  }
  return { create: (name) => new FakeDataTool(name) };
}

const childrenOf = (result: RenderResult) =>
  result.resources.filter((resource) => resource.parent?.endsWith("platinfra:tools:Nannyml::nannyml")).map((resource) => `${resource.type} ${resource.name}`).sort();
const resultsBucket = (result: RenderResult) => String(named(result, "nannyml-results", "aws:s3/bucket:Bucket").inputs.bucket);
const messages = (input: unknown) => paramsErrors(nannymlParams, input);

const ARGS: NannymlConfigArgs = {
  referenceData: "s3://data/reference.parquet",
  analysisData: "s3://data/analysis.csv",
  resultsLocation: "s3://results/results/",
  problemType: "classification_binary",
  columnMapping: { features: [] },
  chunkSize: 5000,
};
const OUT = "s3://results/results/{{year}}/{{month}}/{{day}}/{{hour}}{{minute}}/";
const writer = (calculator: string) => [{ type: "raw_files", params: { path: OUT }, write_args: { filename: `${calculator}.parquet`, format: "parquet" } }];

describe("nannyml config", () => {
  it("no column mapping: the input files and row counts only, written under a per-run folder", () => {
    assert.deepEqual(nannymlConfig(ARGS), {
      input: { reference_data: { path: "s3://data/reference.parquet" }, analysis_data: { path: "s3://data/analysis.csv" } },
      calculators: [{ type: "summary_stats_row_count", params: { chunk_size: 5000 }, outputs: writer("summary_stats_row_count") }],
    });
  });

  it("binary classification with features, timestamp, predictions and targets: drift, missing values, realized and estimated performance", () => {
    const columnMapping = { features: ["age", "income"], timestamp: "ts", y_pred: "pred", y_pred_proba: "proba", y_true: "label" };
    const common = { chunk_size: 1000, timestamp_column_name: "ts" };
    const performance = { metrics: ["roc_auc", "f1", "accuracy"], y_true: "label", y_pred: "pred", y_pred_proba: "proba", problem_type: "classification_binary", ...common };
    assert.deepEqual(nannymlConfig({ ...ARGS, columnMapping, chunkSize: 1000 }).calculators, [
      { type: "summary_stats_row_count", params: common, outputs: writer("summary_stats_row_count") },
      { type: "univariate_drift", params: { column_names: ["age", "income"], ...common }, outputs: writer("univariate_drift") },
      { type: "missing_values", params: { column_names: ["age", "income"], ...common }, outputs: writer("missing_values") },
      { type: "performance", params: performance, outputs: writer("performance") },
      { type: "cbpe", params: performance, outputs: writer("cbpe") },
    ]);
  });

  it("table: which calculators each mapping allows", () => {
    const cases: [Partial<NannymlConfigArgs>, string[]][] = [
      [{ columnMapping: { features: [], y_true: "label" } }, ["summary_stats_row_count"]],
      [{ columnMapping: { features: [], y_pred_proba: "proba", y_true: "label" } }, ["summary_stats_row_count", "performance", "cbpe"]],
      [{ problemType: "classification_multiclass", columnMapping: { features: [], y_pred_proba: { a: "pa", b: "pb" }, y_true: "label" } }, ["summary_stats_row_count", "performance", "cbpe"]],
      [{ problemType: "regression", columnMapping: { features: [], y_pred: "pred", y_true: "y" } }, ["summary_stats_row_count", "performance"]],
      [{ problemType: "regression", columnMapping: { features: ["x"], y_pred: "pred", y_true: "y" } }, ["summary_stats_row_count", "univariate_drift", "missing_values", "performance", "dle"]],
    ];
    for (const [overrides, expected] of cases) {
      assert.deepEqual(nannymlConfig({ ...ARGS, ...overrides }).calculators.map((calculator) => calculator.type), expected, JSON.stringify(overrides));
    }
    const regression = nannymlConfig({ ...ARGS, problemType: "regression", columnMapping: { features: ["x"], y_pred: "pred", y_true: "y" } }).calculators;
    assert.deepEqual(regression[4].params, { feature_column_names: ["x"], metrics: ["mae", "rmse"], y_true: "y", y_pred: "pred", chunk_size: 5000 });
    const rocOnly = nannymlConfig({ ...ARGS, columnMapping: { features: [], y_pred_proba: "proba", y_true: "label" } }).calculators[1].params;
    assert.deepEqual(rocOnly.metrics, ["roc_auc"]);
  });

  it("the YAML is exactly the object", () => {
    assert.equal(
      nannymlConfigYaml(ARGS),
      `input:
  reference_data:
    path: s3://data/reference.parquet
  analysis_data:
    path: s3://data/analysis.csv
calculators:
  - type: summary_stats_row_count
    params:
      chunk_size: 5000
    outputs:
      - type: raw_files
        params:
          path: s3://results/results/{{year}}/{{month}}/{{day}}/{{hour}}{{minute}}/
        write_args:
          filename: summary_stats_row_count.parquet
          format: parquet
`,
    );
  });
});

describe("nannyml", () => {
  let plain: RenderResult;
  let linked: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ monitoring: ["nannyML"] }), { nannyml }, { nannyml: nannymlParams.parse({}) });
    const params = nannymlParams.parse({
      schedule: "30 6 * * 1-5",
      reference_data: "s3://team-data/churn/reference.parquet",
      analysis_data: "s3://team-data/churn/latest.parquet",
      problem_type: "regression",
      column_mapping: { features: ["tenure"], y_pred: "pred", y_true: "churned" },
      chunk_size: 1000,
      resources: { requests: { cpu: "1", memory: "2Gi" } },
    });
    linked = await renderWithTools(stackWith({ monitoring: ["nannyml"], data_versioning: ["dvc"] }), { nannyml, dvc: fakeDataTool() }, { nannyml: params });
  });

  it("creates exactly its namespace, results bucket, IRSA role, ConfigMap and CronJob", () => {
    assert.deepEqual(childrenOf(plain), [
      "kubernetes:batch/v1:CronJob nannyml-cronjob",
      "kubernetes:core/v1:ConfigMap nannyml-config",
      "kubernetes:core/v1:Namespace nannyml-namespace",
      "platinfra:base:Bucket nannyml-results",
      "platinfra:base:ServiceAccountRole nannyml-irsa",
    ]);
  });

  it("the CronJob: hourly by default, never overlapping, NannyML 0.13.1 from PyPI in the official Python image, run as `nml -c /config/nml.yml run`", () => {
    const spec = (named(plain, "nannyml-cronjob").inputs as any).spec;
    assert.deepEqual([spec.schedule, spec.concurrencyPolicy, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ["0 * * * *", "Forbid", 3, 3]);
    const pod = spec.jobTemplate.spec.template.spec;
    assert.deepEqual([pod.serviceAccountName, pod.restartPolicy], ["nannyml", "Never"]);
    assert.deepEqual(pod.volumes, [
      { name: "config", configMap: { name: "nannyml-config" } },
      { name: "scratch", emptyDir: {} },
    ]);
    const [container] = pod.containers;
    // No NannyML workflow publishes a versioned nannyml/nannyml image; PyPI has every release.
    assert.deepEqual([container.image, NANNYML_IMAGE, NANNYML_VERSION], ["python:3.11-bookworm", "python:3.11-bookworm", "0.13.1"]);
    assert.deepEqual(container.command, [
      "sh",
      "-c",
      "pip install --user --no-cache-dir --disable-pip-version-check --quiet nannyml==0.13.1 && exec nml -c /config/nml.yml run",
    ]);
    assert.deepEqual(container.env, [
      { name: "HOME", value: "/tmp" },
      { name: "PYTHONUSERBASE", value: "/tmp/.local" },
      { name: "PATH", value: "/tmp/.local/bin:/usr/local/bin:/usr/bin:/bin" },
      { name: "NML_DISABLE_USAGE_LOGGING", value: "1" },
    ]);
    assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(container.volumeMounts, [
      { name: "config", mountPath: "/config", readOnly: true },
      { name: "scratch", mountPath: "/tmp" },
    ]);
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } });
  });

  it("without both data files named, the CronJob is suspended and says how to start it", () => {
    assert.equal((named(plain, "nannyml-cronjob").inputs as any).spec.suspend, true);
    assert.equal((plain.outputs.tools as any).nannyml.status, SUSPENDED_NOTICE);
    assert.match(SUSPENDED_NOTICE, /^suspended: .*params\.reference_data and params\.analysis_data/);
  });

  it("with both data files named, the CronJob runs on its schedule", () => {
    assert.equal((named(linked, "nannyml-cronjob").inputs as any).spec.suspend, false);
    assert.equal((linked.outputs.tools as any).nannyml.status, "scheduled");
  });

  it("the ConfigMap holds nml.yml: by default the data files are expected in the results bucket", () => {
    const bucket = resultsBucket(plain);
    const config = named(plain, "nannyml-config").inputs as any;
    assert.deepEqual(config.metadata, { name: "nannyml-config", namespace: "nannyml" });
    assert.equal(
      config.data["nml.yml"],
      nannymlConfigYaml({
        referenceData: `s3://${bucket}/reference/reference.parquet`,
        analysisData: `s3://${bucket}/analysis/analysis.parquet`,
        resultsLocation: `s3://${bucket}/results/`,
        problemType: "classification_binary",
        columnMapping: { features: [] },
        chunkSize: 5000,
      }),
    );
    assert.deepEqual((plain.outputs.tools as any).nannyml, {
      schedule: "0 * * * *",
      status: SUSPENDED_NOTICE,
      referenceData: `s3://${bucket}/reference/reference.parquet`,
      analysisData: `s3://${bucket}/analysis/analysis.parquet`,
      resultsLocation: `s3://${bucket}/results/`,
      resultsBucket: bucket,
    });
    assert.deepEqual(plain.outputs.env, { NANNYML_RESULTS: `s3://${bucket}/results/` });
  });

  it("params reach the CronJob and the config", () => {
    const spec = (named(linked, "nannyml-cronjob").inputs as any).spec;
    assert.equal(spec.schedule, "30 6 * * 1-5");
    assert.deepEqual(spec.jobTemplate.spec.template.spec.containers[0].resources.requests, { cpu: "1", memory: "2Gi" });
    const config = parse((named(linked, "nannyml-config").inputs as any).data["nml.yml"]);
    assert.deepEqual(config.input, { reference_data: { path: "s3://team-data/churn/reference.parquet" }, analysis_data: { path: "s3://team-data/churn/latest.parquet" } });
    assert.deepEqual(config.calculators.map((calculator: any) => calculator.type), ["summary_stats_row_count", "univariate_drift", "missing_values", "performance", "dle"]);
  });

  it("IRSA: one service account; read on the peers' data and the named buckets, read/write on its results only", () => {
    const trust = json(named(linked, "nannyml-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:nannyml:nannyml"]);
    const statements = json(named(linked, "nannyml-irsa-policy").inputs.policy).Statement;
    const bySid = Object.fromEntries(statements.map((statement: any) => [statement.Sid, statement]));
    const results = `arn:aws:s3:::${resultsBucket(linked)}`;
    assert.deepEqual(bySid.StackDataList.Resource, ["arn:aws:s3:::dvc-data-bucket", "arn:aws:s3:::team-data"]);
    assert.deepEqual(bySid.StackDataObjects.Action, ["s3:GetObject", "s3:GetObjectVersion"]);
    assert.deepEqual(bySid.StackDataObjects.Resource, ["arn:aws:s3:::dvc-data-bucket/*", "arn:aws:s3:::team-data/*"]);
    assert.deepEqual(bySid.ResultsObjects.Resource, [`${results}/*`]);
    assert.ok(bySid.ResultsObjects.Action.includes("s3:PutObject"));
    assert.deepEqual(Object.keys(bySid).sort(), ["ResultsList", "ResultsObjects", "StackDataList", "StackDataObjects"]);
    const plainSids = json(named(plain, "nannyml-irsa-policy").inputs.policy).Statement.map((statement: any) => statement.Sid);
    assert.deepEqual(plainSids, ["ResultsList", "ResultsObjects"]);
  });

  it("links to the tools that keep data; bucketArnOf reads the bucket of an s3:// URI", () => {
    assert.deepEqual(nannyml.links, ["dvc", "mlflow", "zenml", "bentoml", "aws-batch"]);
    assert.equal(bucketArnOf("s3://team-data/churn/reference.parquet"), "arn:aws:s3:::team-data");
  });

  it("params: defaults (so a bare `nannyML` is valid), and exact errors", () => {
    assert.deepEqual(nannymlParams.parse({}), { schedule: "0 * * * *", problem_type: "classification_binary", column_mapping: { features: [] }, chunk_size: 5000 });
    assert.deepEqual(messages({ schedule: "0 * *", reference_data: "s3://data/reference", analysis_data: "/local/analysis.csv", chunk_size: 0 }), [
      'schedule: "0 * *" is not a cron schedule — expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 * * * *"',
      'reference_data: "s3://data/reference" is not an S3 URI of a .parquet, .pq or .csv file — expected e.g. s3://my-bucket/monitoring/reference.parquet',
      'analysis_data: "/local/analysis.csv" is not an S3 URI of a .parquet, .pq or .csv file — expected e.g. s3://my-bucket/monitoring/analysis.parquet',
      "chunk_size: Too small: expected number to be >=1",
    ]);
    assert.deepEqual(messages({ problem_type: "classification_multiclass", column_mapping: { y_pred_proba: "proba" } }), [
      "column_mapping.y_pred_proba: classification_multiclass needs a map of class → probability column, e.g. {cat: proba_cat, dog: proba_dog}",
    ]);
    assert.deepEqual(messages({ column_mapping: { y_pred_proba: { a: "pa" } } }), ["column_mapping.y_pred_proba: classification_binary needs one probability column name, not a map"]);
    assert.deepEqual(messages({ problem_type: "regression", column_mapping: { y_pred_proba: "p" } }), ["column_mapping.y_pred_proba: regression has no predicted probabilities — remove y_pred_proba"]);
    assert.deepEqual(messages({ column_mapping: { label: "y" } }), ['column_mapping: Unrecognized key: "label"']);
  });
});

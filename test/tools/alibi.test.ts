import { strict as assert } from "node:assert";
import { alibiChecks, LICENCE_WARNING } from "../../components/tools/alibi/checks";
import { ALIBI_IMAGE, RUNNER_PACKAGES, UNSTATED_LICENCE, alibi } from "../../components/tools/alibi/index";
import { alibiParams } from "../../components/tools/alibi/params";
import { dvc } from "../../components/tools/dvc/index";
import { DETECT_SCRIPT, runnerConfig } from "../../components/tools/alibi/runner";
import { SUSPENDED_NOTICE } from "../../components/tools/shared/scheduled-job";
import type { RenderResult } from "../../src/engine/render";
import { paramsErrors } from "../helpers/params";
import { childrenOf, json, named } from "../helpers/render";
import { problemsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Alibi::alibi");
const inputs = (result: RenderResult, name: string, type?: string) => named(result, name, type).inputs as Record<string, any>;
const resultsBucket = (result: RenderResult) => String(inputs(result, "alibi-results", "aws:s3/bucket:Bucket").bucket);
const messages = (input: unknown) => paramsErrors(alibiParams, input);

describe("alibi", () => {
  let plain: RenderResult;
  let linked: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ monitoring: ["alibi"] }), { alibi }, { alibi: alibiParams.parse({}) });
    const params = alibiParams.parse({
      schedule: "15 */6 * * *",
      reference_data: "s3://team-data/churn/reference.parquet",
      analysis_data: "s3://team-data/churn/latest.csv",
      detector: "tabular",
      features: ["tenure", "plan"],
      categorical: ["plan"],
      p_val: 0.01,
      correction: "fdr",
      licence: "non-production",
      resources: { requests: { cpu: "1", memory: "2Gi" } },
    });
    linked = await renderWithTools(stackWith({ monitoring: ["alibi"], data_versioning: ["dvc"] }), { alibi, dvc }, { alibi: params });
  });

  it("creates exactly its namespace, results bucket, IRSA role, runner ConfigMap and CronJob", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:batch/v1:CronJob alibi-cronjob",
      "kubernetes:core/v1:ConfigMap alibi-runner",
      "kubernetes:core/v1:Namespace alibi-namespace",
      "platinfra:base:Bucket alibi-results",
      "platinfra:base:ServiceAccountRole alibi-irsa",
    ]);
    assert.equal(inputs(plain, "alibi-namespace").metadata.name, "alibi");
  });

  it("the CronJob: Alibi Detect 0.12.0 from PyPI in the official Python image, running the runner once, unprivileged on a read-only root", () => {
    const spec = inputs(plain, "alibi-cronjob").spec;
    assert.deepEqual([spec.schedule, spec.suspend, spec.concurrencyPolicy, spec.timeZone], ["0 * * * *", true, "Forbid", "Etc/UTC"]);
    const pod = spec.jobTemplate.spec.template.spec;
    assert.deepEqual([pod.serviceAccountName, pod.restartPolicy], ["alibi", "Never"]);
    assert.deepEqual(pod.securityContext, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } });
    const [container] = pod.containers;
    // SeldonIO/alibi-detect publishes no image (no Dockerfile, no image workflow at v0.12.0).
    assert.deepEqual([container.image, ALIBI_IMAGE], ["python:3.11-bookworm", "python:3.11-bookworm"]);
    assert.deepEqual(RUNNER_PACKAGES, ["alibi-detect==0.12.0", "boto3==1.44.5", "pyarrow==16.1.0"]);
    assert.deepEqual(container.command, [
      "sh",
      "-c",
      "pip install --user --no-cache-dir --disable-pip-version-check --quiet alibi-detect==0.12.0 boto3==1.44.5 pyarrow==16.1.0 && exec python /config/detect.py /config/config.json",
    ]);
    assert.deepEqual(container.env, [
      { name: "HOME", value: "/tmp" },
      { name: "PYTHONUSERBASE", value: "/tmp/.local" },
      { name: "PATH", value: "/tmp/.local/bin:/usr/local/bin:/usr/bin:/bin" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
      { name: "NUMBA_CACHE_DIR", value: "/tmp/numba-cache" },
    ]);
    assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(container.volumeMounts, [
      { name: "config", mountPath: "/config", readOnly: true },
      { name: "scratch", mountPath: "/tmp" },
    ]);
    assert.deepEqual(pod.volumes, [
      { name: "config", configMap: { name: "alibi-runner" } },
      { name: "scratch", emptyDir: {} },
    ]);
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    // Component dependencies expand to their children: the role and its service account exist first.
    assert.ok(named(plain, "alibi-cronjob").dependencies?.includes(named(plain, "alibi-irsa-sa", "kubernetes:core/v1:ServiceAccount").urn), "the service account comes first");
  });

  it("the runner ConfigMap: the script and its settings, by default the data expected in the results bucket", () => {
    const bucket = resultsBucket(plain);
    const config = inputs(plain, "alibi-runner");
    assert.deepEqual(config.metadata, { name: "alibi-runner", namespace: "alibi" });
    assert.equal(config.data["detect.py"], DETECT_SCRIPT);
    assert.deepEqual(JSON.parse(config.data["config.json"]), {
      reference_data: `s3://${bucket}/reference/reference.parquet`,
      analysis_data: `s3://${bucket}/analysis/analysis.parquet`,
      results_location: `s3://${bucket}/results/`,
      detector: "tabular",
      features: [],
      categorical: [],
      p_val: 0.05,
      correction: "bonferroni",
    });
  });

  it("params reach the settings and the CronJob; with both files named it runs", () => {
    const settings = JSON.parse(inputs(linked, "alibi-runner").data["config.json"]);
    assert.deepEqual(settings, {
      reference_data: "s3://team-data/churn/reference.parquet",
      analysis_data: "s3://team-data/churn/latest.csv",
      results_location: `s3://${resultsBucket(linked)}/results/`,
      detector: "tabular",
      features: ["tenure", "plan"],
      categorical: ["plan"],
      p_val: 0.01,
      correction: "fdr",
    });
    const spec = inputs(linked, "alibi-cronjob").spec;
    assert.deepEqual([spec.schedule, spec.suspend], ["15 */6 * * *", false]);
    assert.deepEqual(spec.jobTemplate.spec.template.spec.containers[0].resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } });
    assert.equal((linked.outputs.tools as any).alibi.status, "scheduled");
  });

  it("IRSA: read on the linked tools' data and the named buckets, read/write on its results only", () => {
    const trust = json(inputs(linked, "alibi-irsa", "aws:iam/role:Role").assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:alibi:alibi"]);
    const bySid = Object.fromEntries(json(inputs(linked, "alibi-irsa-policy").policy).Statement.map((statement: any) => [statement.Sid, statement]));
    const dvc = `arn:aws:s3:::${inputs(linked, "dvc-remote", "aws:s3/bucket:Bucket").bucket}`;
    assert.deepEqual(Object.keys(bySid).sort(), ["ResultsList", "ResultsObjects", "StackDataList", "StackDataObjects"]);
    assert.deepEqual(bySid.StackDataList.Resource, [dvc, "arn:aws:s3:::team-data"]);
    assert.deepEqual(bySid.StackDataObjects, { Sid: "StackDataObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [`${dvc}/*`, "arn:aws:s3:::team-data/*"] });
    assert.deepEqual(bySid.ResultsObjects.Resource, [`arn:aws:s3:::${resultsBucket(linked)}/*`]);
    assert.ok(bySid.ResultsObjects.Action.includes("s3:PutObject"));
    assert.deepEqual(json(inputs(plain, "alibi-irsa-policy").policy).Statement.map((statement: any) => statement.Sid), ["ResultsList", "ResultsObjects"]);
  });

  it("outputs: where to drop the data, where the verdicts are, how to read the latest and run one now; the licence stated or not", () => {
    const bucket = resultsBucket(plain);
    assert.deepEqual((plain.outputs.tools as any).alibi, {
      schedule: "0 * * * *",
      status: SUSPENDED_NOTICE,
      detector: "tabular",
      referenceData: `s3://${bucket}/reference/reference.parquet`,
      analysisData: `s3://${bucket}/analysis/analysis.parquet`,
      resultsLocation: `s3://${bucket}/results/`,
      resultsBucket: bucket,
      latestResult: `aws s3 cp s3://${bucket}/results/latest.json -`,
      feedData: `aws s3 cp reference.parquet s3://${bucket}/reference/reference.parquet && aws s3 cp analysis.parquet s3://${bucket}/analysis/analysis.parquet`,
      runNow: "kubectl -n alibi create job --from=cronjob/alibi alibi-manual-$(date +%s)",
      licence: UNSTATED_LICENCE,
    });
    assert.equal((linked.outputs.tools as any).alibi.licence, "non-production");
    assert.deepEqual(plain.outputs.env, { ALIBI_RESULTS: `s3://${bucket}/results/` });
  });

  it("the runner reads both files with boto3, runs the detector once on the batch, writes the run's JSON and latest.json", () => {
    assert.match(DETECT_SCRIPT, /^from alibi_detect\.cd import CVMDrift, KSDrift, TabularDrift$/m);
    assert.match(DETECT_SCRIPT, /^DETECTORS = \{"tabular": TabularDrift, "ks": KSDrift, "cvm": CVMDrift\}$/m);
    assert.match(DETECT_SCRIPT, /detector\.predict\(x, drift_type="batch", return_p_val=True, return_distance=True\)\["data"\]/);
    assert.match(DETECT_SCRIPT, /options\["categories_per_feature"\] = \{features\.index\(c\): None for c in config\["categorical"\]\}/);
    assert.match(DETECT_SCRIPT, /run_key = prefix \+ now\.strftime\("%Y\/%m\/%d\/%H%M"\) \+ "\/drift\.json"/);
    assert.match(DETECT_SCRIPT, /sys\.exit\("columns that are not numbers: " \+ ", "\.join\(text\) \+ " - list them in params\.categorical \(detector: tabular\), or name the numeric ones in params\.features"\)/);
    assert.match(DETECT_SCRIPT, /for key in \(run_key, prefix \+ "latest\.json"\):/);
    assert.deepEqual(
      runnerConfig(alibiParams.parse({ detector: "ks", features: ["a"] }), { referenceData: "s3://d/r.parquet", analysisData: "s3://d/a.parquet", resultsLocation: "s3://r/results/" }),
      { reference_data: "s3://d/r.parquet", analysis_data: "s3://d/a.parquet", results_location: "s3://r/results/", detector: "ks", features: ["a"], categorical: [], p_val: 0.05, correction: "bonferroni" },
    );
  });

  it("validate: the BSL warning unless the stack states its use", () => {
    const problems = (params: string) => problemsOf(stackWith({ monitoring: [params] }));
    assert.deepEqual(problems("alibi"), [`stack.yaml:9:16: stack.monitoring[0]: warning: ${LICENCE_WARNING}`]);
    assert.deepEqual(problems("{alibi: {licence: commercial}}"), []);
    assert.deepEqual(problems("{alibi: {licence: non-production}}"), []);
    assert.deepEqual(alibiChecks({ params: { licence: "yes" } } as never), [{ severity: "warning", message: LICENCE_WARNING }]);
    assert.match(LICENCE_WARNING, /^alibi: Alibi Detect is under the Business Source License 1\.1 since 0\.11\.5 — /);
  });

  it("params: defaults (a bare `alibi` is valid), and exact errors", () => {
    assert.deepEqual(alibiParams.parse({}), { schedule: "0 * * * *", detector: "tabular", features: [], categorical: [], p_val: 0.05, correction: "bonferroni" });
    assert.deepEqual(messages({ schedule: "hourly", reference_data: "s3://d/reference", detector: "mmd", p_val: 1, licence: "yes" }), [
      'schedule: "hourly" is not a cron schedule — expected 5 fields (minute hour day-of-month month day-of-week), e.g. "0 * * * *"',
      'reference_data: "s3://d/reference" is not an S3 URI of a .parquet, .pq or .csv file — expected e.g. s3://my-bucket/monitoring/reference.parquet',
      'detector: detector "mmd" is not available — use tabular (K-S on numbers, Chi-squared on the categorical columns), ks (Kolmogorov-Smirnov) or cvm (Cramér-von Mises)',
      "p_val: Too big: expected number to be <1",
      'licence: licence "yes" is not allowed — use commercial (you hold a commercial licence from Seldon) or non-production (development, testing, evaluation)',
    ]);
    assert.deepEqual(messages({ detector: "ks", categorical: ["plan"] }), ["categorical: ks tests numerical columns only — use detector: tabular for categorical columns, or remove categorical"]);
    assert.deepEqual(messages({ features: ["tenure"], categorical: ["plan", "region"] }), ["categorical: plan, region are not among features — list every categorical column in features too"]);
  });
});

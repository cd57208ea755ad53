import { strict as assert } from "node:assert";
import * as YAML from "yaml";
import { spark } from "../../components/tools/spark/index";
import { sparkParams } from "../../components/tools/spark/params";
import { daemonMemory, historyServerOptions } from "../../components/tools/spark/history";
import { downloadJarsScript, S3A_JARS, s3aSparkConf, WEB_IDENTITY_PROVIDER } from "../../components/tools/spark/s3a";
import { findTool, isDeployable } from "../../src/catalog";
import type { RenderResult } from "../../src/engine/render";
import { creationOrder } from "../../src/program";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { crdFixture, schemaProblems } from "../helpers/crd-schema";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { MLFLOW_POD_ENV, MLFLOW_WITH_AUTH } from "../helpers/peers";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { errorsOf, problemsOf } from "../helpers/spec-text";
import { JAR_DOWNLOAD_COST } from "../../components/tools/spark/checks";
import { renderWithTools, stackWith } from "../helpers/tools";
import type { ToolComponentModule } from "../../components/tools/shared/types";

const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, any>>;
const SPARK_COMPONENT = "platinfra:tools:Spark::spark";
const children = (result: RenderResult) => childrenOf(result, SPARK_COMPONENT);
const bucketName = (result: RenderResult, purpose: string) => named(result, `spark-${purpose}`, "aws:s3/bucket:Bucket").inputs.bucket as string;
const policy = (result: RenderResult, role: string) => json(named(result, `spark-${role}-irsa-policy`, "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
const sparkOutputs = (result: RenderResult) => (result.outputs.tools as any).spark as Record<string, string>;
const example = (result: RenderResult) => YAML.parse(sparkOutputs(result).exampleManifest) as Record<string, any>;
const historyPod = (result: RenderResult) => (named(result, "spark-history-server", "kubernetes:apps/v1:Deployment").inputs as any).spec.template;

const OBJECT_ACTIONS_RW = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
const LIST_ACTIONS = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"];
const JARS_SCRIPT = [
  "set -euo pipefail",
  "cd /opt/spark/s3a-jars",
  "wget --no-hsts -nv -O hadoop-aws-3.4.1.jar https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.4.1/hadoop-aws-3.4.1.jar",
  "wget --no-hsts -nv -O hadoop-aws-3.4.1.jar.sha1 https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.4.1/hadoop-aws-3.4.1.jar.sha1",
  'echo "$(cut -c1-40 hadoop-aws-3.4.1.jar.sha1)  hadoop-aws-3.4.1.jar" | sha1sum -c -',
  "wget --no-hsts -nv -O bundle-2.24.6.jar https://repo1.maven.org/maven2/software/amazon/awssdk/bundle/2.24.6/bundle-2.24.6.jar",
  "wget --no-hsts -nv -O bundle-2.24.6.jar.sha1 https://repo1.maven.org/maven2/software/amazon/awssdk/bundle/2.24.6/bundle-2.24.6.jar.sha1",
  'echo "$(cut -c1-40 bundle-2.24.6.jar.sha1)  bundle-2.24.6.jar" | sha1sum -c -',
].join("\n");
const SECURITY_CONTEXT = { runAsUser: 185, runAsGroup: 185, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };
const INIT_CONTAINER = {
  name: "fetch-s3a-jars",
  image: "docker.io/apache/spark:4.0.4",
  command: ["/bin/bash", "-c", JARS_SCRIPT],
  volumeMounts: [{ name: "s3a-jars", mountPath: "/opt/spark/s3a-jars" }],
  resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" }, limits: { cpu: "1", memory: "256Mi" } },
  securityContext: SECURITY_CONTEXT,
};
const OWN_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark:4.0.4-s3a";

describe("spark", () => {
  let plain: RenderResult;
  let withMlflow: RenderResult;
  let ownImage: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ runtime_engine: ["spark"] }), { spark }, { spark: sparkParams.parse({}) });
    withMlflow = await renderWithTools(
      stackWith({ runtime_engine: ["spark"], experiment_tracker: ["mlflow"] }),
      { spark, mlflow: MLFLOW_WITH_AUTH.module },
      { spark: sparkParams.parse({}), mlflow: MLFLOW_WITH_AUTH.params },
    );
    ownImage = await renderWithTools(stackWith({ runtime_engine: ["spark"] }), { spark }, { spark: sparkParams.parse({ image: OWN_IMAGE, event_log_retention_days: 90, history_server: { memory: "3Gi" } }) });
  });

  it("creates exactly its two namespaces, two buckets and the event-log prefix, two IRSA roles, the CRDs, the operator and the history server", () => {
    const expected = [
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration spark-event-log-retention",
      "aws:s3/bucketObjectv2:BucketObjectv2 spark-event-log-prefix",
      "kubernetes:apps/v1:Deployment spark-history-server",
      "kubernetes:core/v1:Namespace spark-jobs-namespace",
      "kubernetes:core/v1:Namespace spark-namespace",
      "kubernetes:core/v1:Service spark-history-service",
      "kubernetes:helm.sh/v3:Release spark-operator",
      "kubernetes:yaml/v2:ConfigFile spark-crds-scheduledsparkapplications",
      "kubernetes:yaml/v2:ConfigFile spark-crds-sparkapplications",
      "kubernetes:yaml/v2:ConfigFile spark-crds-sparkconnects",
      "platinfra:base:Bucket spark-data",
      "platinfra:base:Bucket spark-event-logs",
      "platinfra:base:ServiceAccountRole spark-history-server-irsa",
      "platinfra:base:ServiceAccountRole spark-jobs-irsa",
    ];
    assert.deepEqual(children(plain), expected);
    assert.deepEqual(children(withMlflow), [...expected, "kubernetes:core/v1:Secret spark-mlflow-client"].sort());
    const labels = { "app.kubernetes.io/managed-by": "platinfra", "platinfra.dev/tool": "spark" };
    assert.deepEqual([named(plain, "spark-namespace").inputs.metadata, named(plain, "spark-jobs-namespace").inputs.metadata], [{ name: "spark", labels }, { name: "spark-jobs", labels }]);
    // Event logs are rewritten (in-progress, then renamed): the bucket keeps no old versions; the data bucket does.
    assert.equal(ofType(plain, "aws:s3/bucketVersioning:BucketVersioning").filter((resource) => resource.parent?.includes("spark-event-logs")).length, 0);
    assert.equal(ofType(plain, "aws:s3/bucketVersioning:BucketVersioning").filter((resource) => resource.parent?.includes("spark-data")).length, 1);
  });

  it("event logs expire after the retention (30 days by default), rolled logs' directories whole (their empty markers too), the empty prefix marker never", () => {
    const retention = (result: RenderResult) => named(result, "spark-event-log-retention").inputs as Record<string, any>;
    assert.deepEqual(retention(plain).rules, [
      { id: "expire-event-logs", status: "Enabled", filter: { and: { prefix: "spark-events/", objectSizeGreaterThan: 0 } }, expiration: { days: 30 } },
      { id: "expire-rolled-event-log-dirs", status: "Enabled", filter: { prefix: "spark-events/eventlog_v2_" }, expiration: { days: 30 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
    ]);
    assert.equal(retention(plain).bucket, bucketName(plain, "event-logs"));
    assert.deepEqual(retention(ownImage).rules.slice(0, 2).map((rule: any) => rule.expiration), [{ days: 90 }, { days: 90 }]);
    // No rule reaches the `spark-events/` marker (empty, and shorter than the second rule's prefix).
  });

  it("pins the operator chart 2.5.2, skips its CRDs (platinfra applies them from the v2.5.2 tag) and sets only keys the chart declares", () => {
    const release = named(plain, "spark-operator", "kubernetes:helm.sh/v3:Release");
    const inputs = release.inputs as Record<string, any>;
    assert.deepEqual([inputs.chart, inputs.version, inputs.repositoryOpts.repo], ["spark-operator", "2.5.2", "https://kubeflow.github.io/spark-operator"]);
    assert.equal(inputs.version, fixtureVersion("spark-operator"));
    assert.deepEqual([inputs.name, inputs.namespace, inputs.atomic, inputs.skipCrds], ["spark-operator", "spark", true, true]);
    assert.deepEqual(inputs.values, {
      hook: { upgradeCrd: false },
      controller: {
        resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        uiService: { enable: true },
        uiIngress: { enable: false },
      },
      webhook: { enable: true, failurePolicy: "Fail", resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } } },
      spark: { jobNamespaces: ["spark-jobs"], serviceAccount: { create: false, name: "spark" }, rbac: { create: true } },
      prometheus: { metrics: { enable: true }, podMonitor: { create: false } },
    });
    assert.deepEqual(unknownValuesKeys(release), []);
    const base = "https://raw.githubusercontent.com/kubeflow/spark-operator/v2.5.2/charts/spark-operator-chart/crds";
    assert.deepEqual(
      ["sparkapplications", "scheduledsparkapplications", "sparkconnects"].map((kind) => named(plain, `spark-crds-${kind}`).inputs.file),
      ["sparkapplications", "scheduledsparkapplications", "sparkconnects"].map((kind) => `${base}/sparkoperator.k8s.io_${kind}.yaml`),
    );
  });

  it("order: CRDs and the job service account before the operator; the history server's role and the event-log prefix before it", () => {
    const release = named(plain, "spark-operator", "kubernetes:helm.sh/v3:Release");
    for (const kind of ["sparkapplications", "scheduledsparkapplications", "sparkconnects"]) assert.ok(waitsFor(plain, release, named(plain, `spark-crds-${kind}`)), kind);
    assert.ok(waitsFor(plain, release, named(plain, "spark-jobs-irsa-sa", "kubernetes:core/v1:ServiceAccount")));
    assert.ok(waitsFor(plain, release, named(plain, "spark-jobs-namespace")));
    const history = named(plain, "spark-history-server", "kubernetes:apps/v1:Deployment");
    assert.ok(waitsFor(plain, history, named(plain, "spark-history-server-irsa-sa", "kubernetes:core/v1:ServiceAccount")));
    assert.ok(waitsFor(plain, history, named(plain, "spark-event-log-prefix")));
    const marker = named(plain, "spark-event-log-prefix").inputs;
    assert.deepEqual([marker.key, marker.content], ["spark-events/", ""]);
  });

  it("the jobs' role: read and write on its data bucket, its links' data buckets and the event-log bucket; trusted by spark-jobs/spark only", () => {
    const eventLogs = `arn:aws:s3:::${bucketName(plain, "event-logs")}`;
    const data = `arn:aws:s3:::${bucketName(plain, "data")}`;
    assert.deepEqual(policy(plain, "jobs"), [
      { Sid: "DataBucketsList", Effect: "Allow", Action: LIST_ACTIONS, Resource: [data] },
      { Sid: "DataBucketsObjects", Effect: "Allow", Action: OBJECT_ACTIONS_RW, Resource: [`${data}/*`] },
      { Sid: "EventLogsList", Effect: "Allow", Action: LIST_ACTIONS, Resource: [eventLogs] },
      { Sid: "EventLogsObjects", Effect: "Allow", Action: OBJECT_ACTIONS_RW, Resource: [`${eventLogs}/*`] },
    ]);
    const mlflowArtifacts = `arn:aws:s3:::${named(withMlflow, "mlflow-artifacts", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const linked = [mlflowArtifacts, `arn:aws:s3:::${bucketName(withMlflow, "data")}`];
    assert.deepEqual(policy(withMlflow, "jobs").slice(0, 2).map((statement: any) => statement.Resource), [linked, linked.map((arn) => `${arn}/*`)]);
    const account = named(plain, "spark-jobs-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs.metadata as any;
    assert.deepEqual([account.name, account.namespace, account.annotations["eks.amazonaws.com/role-arn"]], ["spark", "spark-jobs", "arn:aws:iam::123456789012:role/demo-dev-spark-jobs"]);
    const trust = json(named(plain, "spark-jobs-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement;
    assert.equal(trust.length, 1);
    assert.deepEqual(Object.values(trust[0].Condition.StringEquals).sort(), ["sts.amazonaws.com", "system:serviceaccount:spark-jobs:spark"]);
  });

  it("the history server's role: read-only on the event-log bucket; trusted by spark/spark-history-server only", () => {
    const eventLogs = `arn:aws:s3:::${bucketName(plain, "event-logs")}`;
    assert.deepEqual(policy(plain, "history-server"), [
      { Sid: "EventLogsList", Effect: "Allow", Action: LIST_ACTIONS, Resource: [eventLogs] },
      { Sid: "EventLogsObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: [`${eventLogs}/*`] },
    ]);
    const trust = json(named(plain, "spark-history-server-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement;
    assert.deepEqual(Object.values(trust[0].Condition.StringEquals).sort(), ["sts.amazonaws.com", "system:serviceaccount:spark:spark-history-server"]);
    assert.equal(historyPod(plain).spec.serviceAccountName, "spark-history-server");
  });

  it("the history server: spark-class in the foreground on the pinned image, S3A by web identity, the jars fetched first; in-cluster only", () => {
    const pod = historyPod(plain);
    const eventLogDir = `s3a://${bucketName(plain, "event-logs")}/spark-events`;
    assert.deepEqual(pod.spec.initContainers, [INIT_CONTAINER]);
    const [container] = pod.spec.containers;
    assert.equal(container.image, "docker.io/apache/spark:4.0.4");
    assert.deepEqual(container.args, ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.history.HistoryServer"]);
    assert.deepEqual(container.env, [
      {
        name: "SPARK_HISTORY_OPTS",
        value: `-Dspark.history.fs.logDirectory=${eventLogDir} -Dspark.history.fs.update.interval=60s -Dspark.history.ui.port=18080 -Dspark.hadoop.fs.s3a.aws.credentials.provider=software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider -Dspark.hadoop.fs.s3a.endpoint.region=eu-west-1`,
      },
      { name: "SPARK_DAEMON_MEMORY", value: "1024m" },
      { name: "SPARK_DAEMON_CLASSPATH", value: "/opt/spark/s3a-jars/*" },
    ]);
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "1000m", memory: "2Gi" } });
    assert.deepEqual(container.securityContext, { ...SECURITY_CONTEXT, readOnlyRootFilesystem: true });
    assert.deepEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }, { name: "s3a-jars", mountPath: "/opt/spark/s3a-jars", readOnly: true }]);
    assert.deepEqual(container.readinessProbe.httpGet, { path: "/", port: "http" });
    const service = named(plain, "spark-history-service", "kubernetes:core/v1:Service").inputs as any;
    assert.deepEqual([service.metadata.name, service.metadata.namespace, service.spec.type, service.spec.ports], ["spark-history-server", "spark", "ClusterIP", [{ name: "http", port: 18080, targetPort: "http" }]]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("with the user's own image (jars inside): no download, no extra class path, the image everywhere", () => {
    const pod = historyPod(ownImage);
    assert.equal(pod.spec.initContainers, undefined);
    assert.equal(pod.spec.containers[0].image, OWN_IMAGE);
    assert.deepEqual(pod.spec.containers[0].env.map((variable: any) => variable.name), ["SPARK_HISTORY_OPTS", "SPARK_DAEMON_MEMORY"]);
    assert.equal(pod.spec.containers[0].env[1].value, "1536m");
    const spec = example(ownImage).spec;
    assert.equal(spec.image, OWN_IMAGE);
    assert.equal(spec.sparkConf["spark.driver.extraClassPath"], undefined);
    assert.deepEqual(spec.driver.template.spec.initContainers, undefined);
    assert.equal(JSON.stringify(spec).includes("s3a-jars"), false);
  });

  it("the example SparkApplication names what this stack created and is valid against the operator's v2.5.2 CRD", async () => {
    const app = example(plain);
    const fixture = crdFixture("spark-operator", "SparkApplication");
    assert.equal(`${fixture.group}/${fixture.version}`, app.apiVersion);
    const { apiVersion: _apiVersion, kind, ...body } = app;
    assert.equal(kind, fixture.kind);
    assert.deepEqual(schemaProblems(fixture.schema, body), []);
    const metadata = body.metadata;
    // Names: the watched namespace, the IRSA service account for driver and executors, the stack's buckets.
    const account = named(plain, "spark-jobs-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs.metadata as any;
    assert.deepEqual(metadata, { name: "spark-pi", namespace: account.namespace });
    assert.deepEqual((named(plain, "spark-operator").inputs as any).values.spark.jobNamespaces, [account.namespace]);
    assert.deepEqual([app.spec.driver.serviceAccount, app.spec.executor.serviceAccount], [account.name, account.name]);
    assert.deepEqual(app.spec.sparkConf, {
      "spark.eventLog.enabled": "true",
      "spark.eventLog.dir": `s3a://${bucketName(plain, "event-logs")}/spark-events`,
      "spark.sql.warehouse.dir": `s3a://${bucketName(plain, "data")}/warehouse`,
      "spark.hadoop.fs.s3a.aws.credentials.provider": WEB_IDENTITY_PROVIDER,
      "spark.hadoop.fs.s3a.endpoint.region": "eu-west-1",
      "spark.driver.extraClassPath": "/opt/spark/s3a-jars/*",
      "spark.executor.extraClassPath": "/opt/spark/s3a-jars/*",
    });
    assert.equal(app.spec.sparkConf["spark.eventLog.dir"], sparkOutputs(plain).eventLogDir);
    // Written out in full: no YAML anchors or aliases for people (and tools) to follow.
    assert.equal(/[&*]a\d/.test(sparkOutputs(withMlflow).exampleManifest), false);
    assert.deepEqual([app.spec.image, app.spec.sparkVersion, app.spec.mainApplicationFile], ["docker.io/apache/spark:4.0.4", "4.0.4", "local:///opt/spark/examples/jars/spark-examples.jar"]);
    // The pod templates (free-form in the CRD) against Kubernetes' own PodTemplate schema.
    const { PodTemplate } = await importModule("kubernetes-models/v1/PodTemplate");
    for (const role of ["driver", "executor"]) {
      const template = app.spec[role].template;
      new PodTemplate({ metadata: { name: role }, template }).validate();
      assert.deepEqual(template.spec.initContainers, [INIT_CONTAINER]);
      assert.deepEqual(template.spec.volumes, [{ name: "s3a-jars", emptyDir: { sizeLimit: "1Gi" } }]);
      const [container] = template.spec.containers;
      assert.equal(container.name, role === "driver" ? "spark-kubernetes-driver" : "spark-kubernetes-executor");
      assert.deepEqual(container.volumeMounts, [{ name: "s3a-jars", mountPath: "/opt/spark/s3a-jars", readOnly: true }]);
      assert.equal(container.env, undefined);
    }
  });

  it("a misspelled field of the example would be caught by the CRD check", () => {
    const { apiVersion: _apiVersion, kind: _kind, ...body } = example(plain);
    const wrong = { ...body, spec: { ...body.spec, driver: { ...body.spec.driver, serviceAcount: "spark" } } };
    assert.deepEqual(schemaProblems(crdFixture("spark-operator", "SparkApplication").schema, wrong), [".spec.driver.serviceAcount: unknown key"]);
  });

  it("MLflow's client settings reach the driver and executors through the templates, the password by reference to a Secret in spark-jobs", () => {
    const app = example(withMlflow);
    for (const role of ["driver", "executor"]) assert.deepEqual(app.spec[role].template.spec.containers[0].env, MLFLOW_POD_ENV);
    const secret = named(withMlflow, "spark-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "mlflow-client", namespace: "spark-jobs" }, "[secret]"]);
    assert.ok(waitsFor(withMlflow, secret, named(withMlflow, "spark-jobs-namespace")));
    assert.equal(JSON.stringify(withMlflow).includes("mock-mlflow-admin-password"), false);
  });

  it("outputs: the job namespace, service account, image, buckets, event-log location, history URL, the example and how to run it", () => {
    const outputs = sparkOutputs(plain);
    const eventLogDir = `s3a://${bucketName(plain, "event-logs")}/spark-events`;
    assert.deepEqual({ ...outputs, exampleManifest: "…" }, {
      jobNamespace: "spark-jobs",
      serviceAccount: "spark",
      image: "docker.io/apache/spark:4.0.4",
      historyUrl: "http://spark-history-server.spark.svc.cluster.local:18080",
      historyPortForward: "kubectl -n spark port-forward svc/spark-history-server 18080:18080  # then http://localhost:18080",
      eventLogDir,
      eventLogBucket: bucketName(plain, "event-logs"),
      dataBucket: bucketName(plain, "data"),
      exampleManifest: "…",
      applyExample: "platinfra outputs <stack.yaml> --json | jq -r '.tools.spark.exampleManifest' | kubectl apply -f -",
      watchExample: "kubectl -n spark-jobs get sparkapplication spark-pi -w",
      exampleLogs: "kubectl -n spark-jobs logs -f spark-pi-driver",
    });
    assert.deepEqual(plain.outputs.env, { SPARK_HISTORY_URL: "http://spark-history-server.spark.svc.cluster.local:18080", SPARK_EVENT_LOG_DIR: eventLogDir });
    assert.deepEqual((plain.outputs.local as any).spark, {
      namespace: "spark",
      service: "spark-history-server",
      ports: [{ local: 18080, remote: 18080 }],
      env: { SPARK_HISTORY_URL: "http://localhost:18080" },
    });
  });

  it("the catalog: deployable as runtime_engine, under its aliases, with these params and this component", () => {
    for (const name of ["spark", "apache-spark", "spark-operator"]) assert.equal(findTool(name)?.name, "spark");
    const tool = findTool("spark")!;
    assert.equal(isDeployable(tool), true);
    assert.deepEqual(tool.categories, ["runtime_engine"]);
    assert.equal(tool.params(), sparkParams);
    assert.equal(tool.load!(), spark);
  });

  it("links: the tools whose data and settings Spark reads are created before it", () => {
    const tool = (name: string) => ({ name, roles: [], params: {}, deployable: true });
    const stub: ToolComponentModule = { create: () => undefined as never };
    const modules = new Map<string, ToolComponentModule>([["spark", spark], ["mlflow", stub], ["dvc", stub]]);
    assert.deepEqual(creationOrder([tool("spark"), tool("mlflow"), tool("dvc")], modules).map((instance) => instance.name), ["dvc", "mlflow", "spark"]);
    assert.deepEqual(spark.links, ["dvc", "mlflow", "wandb", "zenml", "bentoml", "nannyml", "aws-batch", "ray"]);
  });

  describe("S3A and the history server's settings (pure)", () => {
    it("the jars: hadoop-aws at Spark's Hadoop version and the SDK v2 bundle hadoop-aws 3.4.1 is built with, from Maven Central", () => {
      assert.deepEqual(S3A_JARS.map((jar) => jar.coordinate), ["org.apache.hadoop:hadoop-aws:3.4.1", "software.amazon.awssdk:bundle:2.24.6"]);
      assert.equal(downloadJarsScript(), JARS_SCRIPT);
    });

    it("the web-identity provider is the SDK v2 class (hadoop-aws 3.4 maps no v1 web-identity name)", () => {
      assert.equal(WEB_IDENTITY_PROVIDER, "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider");
      assert.deepEqual(s3aSparkConf("us-east-2", false), {
        "spark.hadoop.fs.s3a.aws.credentials.provider": WEB_IDENTITY_PROVIDER,
        "spark.hadoop.fs.s3a.endpoint.region": "us-east-2",
      });
    });

    const heaps: [string, string][] = [["2Gi", "1024m"], ["3Gi", "1536m"], ["1500Mi", "750m"]];
    for (const [memory, heap] of heaps) it(`a ${memory} history server gets a ${heap} heap`, () => assert.equal(daemonMemory(memory), heap));

    it("the history server's options", () => {
      assert.equal(
        historyServerOptions({ eventLogDir: "s3a://b/spark-events", region: "eu-west-1" }),
        `-Dspark.history.fs.logDirectory=s3a://b/spark-events -Dspark.history.fs.update.interval=60s -Dspark.history.ui.port=18080 -Dspark.hadoop.fs.s3a.aws.credentials.provider=${WEB_IDENTITY_PROVIDER} -Dspark.hadoop.fs.s3a.endpoint.region=eu-west-1`,
      );
    });
  });

  describe("params", () => {
    it("defaults", () => {
      assert.deepEqual(sparkParams.parse({}), { event_log_retention_days: 30, history_server: { cpu: "500m", memory: "2Gi" } });
    });

    const cases: [string, unknown, string[]][] = [
      ["an unpinned image", { image: "apache/spark" }, ['image: image "apache/spark" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest>']],
      ["a bad CPU quantity", { history_server: { cpu: "one" } }, ['history_server.cpu: "one" is not a Kubernetes cpu quantity — expected e.g. "500m" or "2"']],
      ["a bad memory quantity", { history_server: { memory: "2GB" } }, ['history_server.memory: "2GB" is not a Kubernetes memory quantity — expected e.g. "512Mi" or "4Gi"']],
      ["expose, which Spark does not offer", { expose: { host: "spark.example.com" } }, [': Unrecognized key: "expose"']],
      ["a retention of zero days", { event_log_retention_days: 0 }, ["event_log_retention_days: event_log_retention_days 0 is below 1"]],
      ["a fractional retention", { event_log_retention_days: 7.5 }, ["event_log_retention_days: event_log_retention_days 7.5 is not a whole number of days"]],
      ["a retention as text", { event_log_retention_days: "30" }, ['event_log_retention_days: event_log_retention_days "30" is not a number of days — expected a whole number from 1 to 3650']],
      ["an unknown history server key", { history_server: { replicas: 2 } }, ['history_server: Unrecognized key: "replicas"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(sparkParams, input), expected));
    }

    it("validate warns (not an error) at the tool's listing that the stock image downloads the jars in every pod; not with an own image", () => {
      assert.deepEqual(problemsOf(stackWith({ runtime_engine: ["spark"] })), [`stack.yaml:9:20: stack.runtime_engine[0]: warning: ${JAR_DOWNLOAD_COST}`]);
      assert.deepEqual(problemsOf(stackWith({ runtime_engine: [`{spark: {image: "${OWN_IMAGE}"}}`] })), []);
      assert.match(JAR_DOWNLOAD_COST, /hadoop-aws 3\.4\.1 and the AWS SDK v2 bundle 2\.24\.6 \(about 0\.5 GB\) from Maven Central through the NAT gateway/);
    });

    it("validate: errors at their file position", () => {
      const image = stackWith({ runtime_engine: ["{spark: {image: apache/spark}}"] });
      assert.deepEqual(errorsOf(image), ['stack.yaml:9:36: stack.runtime_engine[0].spark.image: image "apache/spark" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest>']);
      const memory = stackWith({ runtime_engine: ["{spark: {history_server: {memory: 2GB}}}"] });
      assert.deepEqual(errorsOf(memory), ['stack.yaml:9:54: stack.runtime_engine[0].spark.history_server.memory: "2GB" is not a Kubernetes memory quantity — expected e.g. "512Mi" or "4Gi"']);
    });
  });
});

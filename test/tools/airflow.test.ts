import { strict as assert } from "node:assert";
import { airflow } from "../../components/tools/airflow/index";
import { airflowParams } from "../../components/tools/airflow/params";
import { AIRFLOW_VERSION } from "../../components/tools/airflow/values";
import { CHARTS } from "../../components/base/charts";
import type { RenderResult } from "../../src/engine/render";
import { unknownValuesKeys } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { errorsOf } from "../helpers/spec-text";
import { assertMlflowClientSecret, MLFLOW_POD_ENV, MLFLOW_WITH_AUTH } from "../helpers/peers";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-airflow-db-AbCdEf";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";

const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const valuesOf = (result: RenderResult) => named(result, "airflow", RELEASE).inputs.values as Record<string, any>;
const toolOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).airflow;

describe("airflow", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ pipelining: ["airflow"] }), { airflow }, { airflow: airflowParams.parse({}) });
    exposed = await renderWithTools(stackWith({ pipelining: ["airflow"] }), { airflow }, { airflow: airflowParams.parse({ expose: { host: "airflow.example.com", certificate_arn: CERT } }) });
    withMlflow = await renderWithTools(
      stackWith({ pipelining: ["airflow"], experiment_tracker: ["mlflow"] }),
      { airflow, mlflow: MLFLOW_WITH_AUTH.module },
      { airflow: airflowParams.parse({}), mlflow: MLFLOW_WITH_AUTH.params },
    );
  });

  it("creates exactly its namespace, logs bucket, PostgreSQL, IRSA role, synced DB secret, generated secrets and release", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Airflow::airflow"), [
      "kubernetes:core/v1:Namespace airflow-namespace",
      "kubernetes:core/v1:Secret airflow-admin",
      "kubernetes:core/v1:Secret airflow-fernet-key",
      "kubernetes:core/v1:Secret airflow-keys",
      "kubernetes:external-secrets.io/v1:ExternalSecret airflow-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore airflow-secret-store",
      "kubernetes:helm.sh/v3:Release airflow",
      "platinfra:base:Bucket airflow-logs",
      "platinfra:base:Database airflow-db",
      "platinfra:base:ServiceAccountRole airflow-irsa",
      "random:index/randomId:RandomId airflow-fernet-key",
      "random:index/randomPassword:RandomPassword airflow-admin-password",
      "random:index/randomPassword:RandomPassword airflow-keys-api-secret-key",
      "random:index/randomPassword:RandomPassword airflow-keys-jwt-secret",
    ]);
    // Not exposed: nothing leaves the cluster.
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("pins chart 1.22.0 and the Airflow 3.2.2 image, KubernetesExecutor without Redis, bundled PostgreSQL, PgBouncer or StatsD", () => {
    const release = named(plain, "airflow", RELEASE).inputs as any;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts.repo, release.namespace, release.name], ["airflow", "1.22.0", "https://airflow.apache.org", "airflow", "airflow"]);
    assert.deepEqual(CHARTS.airflow, { chart: "airflow", version: "1.22.0", repo: "https://airflow.apache.org", fixture: "airflow" });
    const values = valuesOf(plain);
    assert.equal(AIRFLOW_VERSION, "3.2.2");
    assert.deepEqual([values.airflowVersion, values.defaultAirflowTag, values.images], ["3.2.2", "3.2.2", { airflow: { repository: "apache/airflow", tag: "3.2.2", pullPolicy: "IfNotPresent" } }]);
    assert.equal(values.executor, "KubernetesExecutor");
    assert.deepEqual([values.postgresql, values.redis, values.pgbouncer, values.statsd], [{ enabled: false }, { enabled: false }, { enabled: false }, { enabled: false }]);
    for (const result of [plain, exposed]) assert.deepEqual(unknownValuesKeys(named(result, "airflow", RELEASE)), []);
  });

  it("reads the metadata DB URL from the synced Secret's `connection` key, rendered in-cluster with sslmode=require", () => {
    assert.deepEqual(valuesOf(plain).data, { metadataSecretName: "airflow-metadata" });
    const external = named(plain, "airflow-db-credentials").inputs as any;
    assert.equal(external.spec.target.name, "airflow-metadata");
    const connection = external.spec.target.template.data.connection as string;
    assert.match(connection, /^postgresql:\/\/\{\{ \.username \| urlquery \}\}:\{\{ \.password \| urlquery \}\}@[^/]+:5432\/airflow\?sslmode=require$/);
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "airflow-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "airflow" } } });
    assert.ok(waitsFor(plain, named(plain, "airflow", RELEASE), named(plain, "airflow-db-credentials")));
  });

  it("every long-running component restarts on rotation and runs as the one IRSA account, task pods and jobs too", () => {
    const values = valuesOf(plain);
    const account = { create: false, name: "airflow" };
    const reload = { "secret.reloader.stakater.com/reload": "airflow-metadata" };
    for (const component of ["apiServer", "scheduler", "dagProcessor", "triggerer"]) {
      assert.deepEqual(values[component].serviceAccount, account, component);
      assert.deepEqual(values[component].annotations, reload, component);
      assert.deepEqual(values[component].resources, { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } }, component);
    }
    assert.deepEqual(values.triggerer.persistence, { enabled: false });
    assert.deepEqual(values.workers, { serviceAccount: account, kubernetes: { serviceAccount: account } });
    assert.deepEqual(values.migrateDatabaseJob, { serviceAccount: account, useHelmHooks: false });
    // Not hooks: under Helm's wait a post-install hook never runs while the pods wait for the migration.
    assert.equal(values.createUserJob.useHelmHooks, false);
    assert.deepEqual(values.createUserJob.serviceAccount, account);
    const sa = named(plain, "airflow-irsa-sa").inputs as any;
    assert.deepEqual(sa.metadata, { name: "airflow", namespace: "airflow", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-airflow" } });
  });

  it("the IRSA role trusts exactly airflow:airflow and names only the logs bucket and the DB secret; logs go there", () => {
    const bucket = named(plain, "airflow-logs", "aws:s3/bucket:Bucket").inputs.bucket;
    const bucketArn = `arn:aws:s3:::${bucket}`;
    const trust = json(named(plain, "airflow-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:airflow:airflow"]);
    const statements = json(named(plain, "airflow-irsa-policy").inputs.policy).Statement;
    assert.deepEqual([...new Set(statements.flatMap((statement: any) => [statement.Resource].flat()))].sort(), [bucketArn, `${bucketArn}/*`, SECRET_ARN]);
    assert.deepEqual(statements.map((statement: any) => statement.Sid), ["TaskLogsList", "TaskLogsObjects", "DatabaseSecret"]);
    assert.deepEqual(valuesOf(plain).config, { logging: { remote_logging: "True", remote_base_log_folder: `s3://${bucket}/logs`, remote_log_conn_id: "aws_default" } });
  });

  it("generates the fernet key (url-safe base64 of 32 bytes, 44 chars), API secret key and JWT secret as Pulumi secrets in our Secrets", () => {
    const values = valuesOf(plain);
    assert.deepEqual([values.fernetKeySecretName, values.apiSecretKeySecretName, values.jwtSecretName], ["airflow-fernet-key", "airflow-keys", "airflow-keys"]);
    const fernetBytes = named(plain, "airflow-fernet-key", "random:index/randomId:RandomId").inputs as any;
    assert.equal(fernetBytes.byteLength, 32);
    const fernet = named(plain, "airflow-fernet-key", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual([fernet.metadata, fernet.stringData], [{ name: "airflow-fernet-key", namespace: "airflow" }, "[secret]"]);
    // 32 bytes in url-safe base64 without padding are 43 characters: the one "=" makes Fernet's 44.
    assert.equal(Buffer.from(new Uint8Array(32)).toString("base64url").length + 1, 44);
    const keys = named(plain, "airflow-keys", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual([keys.metadata, keys.stringData], [{ name: "airflow-keys", namespace: "airflow" }, "[secret]"]);
    assert.deepEqual([32, 64], ["airflow-keys-api-secret-key", "airflow-keys-jwt-secret"].map((name) => (named(plain, name).inputs as any).length));
  });

  it("creates the admin at deploy time with the password read from a Secret mounted into the create-user job only", () => {
    const job = valuesOf(plain).createUserJob;
    assert.deepEqual(job.args.slice(0, 4), ["bash", "-c", 'exec airflow users create "$@" --password "$(cat /opt/airflow/admin-credentials/password)"', "--"]);
    assert.deepEqual(job.args.slice(4), ["--role", "Admin", "--username", "admin", "--email", "admin@example.com", "--firstname", "Airflow", "--lastname", "Admin"]);
    assert.deepEqual(job.extraVolumes, [{ name: "admin-credentials", secret: { secretName: "airflow-admin" } }]);
    assert.deepEqual(job.extraVolumeMounts, [{ name: "admin-credentials", mountPath: "/opt/airflow/admin-credentials", readOnly: true }]);
    const admin = named(plain, "airflow-admin", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual([admin.metadata, admin.stringData], [{ name: "airflow-admin", namespace: "airflow" }, "[secret]"]);
    assert.equal((named(plain, "airflow-admin-password").inputs as any).length, 32);
    // Nothing secret in the values: no password, no key, no URL with credentials; the chart's default password is unused.
    const text = JSON.stringify(valuesOf(plain));
    assert.doesNotMatch(text, /\[secret\]|defaultUser|password"|fernetKey"|jwtSecret"|apiSecretKey"|postgresql:\/\//);
    assert.ok(waitsFor(plain, named(plain, "airflow", RELEASE), named(plain, "airflow-admin", "kubernetes:core/v1:Secret")));
  });

  it("outputs the port-forward URL, admin username and password as secretEnv; exposed: HTTPS URL behind the login", () => {
    const outputs = toolOutputs(plain);
    assert.equal(outputs.uiUrl, "http://localhost:8080");
    assert.equal(outputs.portForward, "kubectl --namespace airflow port-forward service/airflow-api-server 8080:8080");
    assert.equal(outputs.apiServerUrl, "http://airflow-api-server.airflow.svc.cluster.local:8080");
    assert.equal(outputs.adminUsername, "admin");
    assert.equal(outputs.remoteLogs, `s3://${named(plain, "airflow-logs", "aws:s3/bucket:Bucket").inputs.bucket}/logs`);
    assert.equal(plain.outputs.secretEnv, "[secret]");
    const ingress = ofType(exposed, "kubernetes:networking.k8s.io/v1:Ingress");
    assert.equal(ingress.length, 1);
    assert.deepEqual((ingress[0].inputs as any).spec.rules[0].host, "airflow.example.com");
    assert.equal((ingress[0].inputs as any).metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/api/v2/monitor/health");
    assert.equal(toolOutputs(exposed).uiUrl, "https://airflow.example.com");
    assert.equal(toolOutputs(exposed).portForward, undefined);
    assert.deepEqual(valuesOf(exposed).config.api, { base_url: "https://airflow.example.com" });
  });

  it("DAGs from git-sync: repo, branch and sub-folder; none by default", async () => {
    assert.equal(valuesOf(plain).dags, undefined);
    const params = airflowParams.parse({ dags: { repo: "https://github.com/my-org/dags.git", sub_path: "pipelines/dags" } });
    const result = await renderWithTools(stackWith({ pipelining: ["airflow"] }), { airflow }, { airflow: params });
    assert.deepEqual(valuesOf(result).dags, { gitSync: { enabled: true, repo: "https://github.com/my-org/dags.git", branch: "main", ref: "main", subPath: "pipelines/dags" } });
    assert.deepEqual(unknownValuesKeys(named(result, "airflow", RELEASE)), []);
    assert.deepEqual(paramsErrors(airflowParams, { dags: { repo: "https://user:token@github.com/x.git", sub_path: "/abs" } }), [
      'dags.repo: repo "https://user:token@github.com/x.git" is not a git URL without credentials — expected e.g. https://github.com/my-org/dags.git',
      'dags.sub_path: sub_path "/abs" is not a relative folder — expected e.g. dags',
    ]);
  });

  it("with MLflow in the stack, task pods (and only they) get its in-cluster URI and credentials, the password from a Secret in airflow's namespace", () => {
    const account = { create: false, name: "airflow" };
    assert.deepEqual(valuesOf(withMlflow).workers, { serviceAccount: account, kubernetes: { serviceAccount: account, env: MLFLOW_POD_ENV } });
    assert.deepEqual(unknownValuesKeys(named(withMlflow, "airflow", RELEASE)), []);
    // Not the top-level env/secret lists: those reach the scheduler, API server and every other Airflow pod.
    assert.deepEqual([valuesOf(withMlflow).env, valuesOf(withMlflow).secret, valuesOf(withMlflow).extraEnv], [undefined, undefined, undefined]);
    assertMlflowClientSecret(withMlflow, { tool: "airflow", namespace: "airflow", namespaceResource: "airflow-namespace", reader: "airflow" });
    // Without MLflow: nothing of it.
    assert.equal(plain.resources.some((resource) => resource.name === "airflow-mlflow-client"), false);
    assert.deepEqual(airflow.links, ["mlflow", "wandb"]);
  });

  it("params: strict, with working defaults and exact errors", () => {
    assert.deepEqual(airflowParams.parse({}), { replicas: 1, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    assert.deepEqual(paramsErrors(airflowParams, { replicas: 0, database: { instance_class: "t3.micro" } }), [
      "replicas: Too small: expected number to be >=1",
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
    ]);
    assert.deepEqual(paramsErrors(airflowParams, { executor: "CeleryExecutor" }), [': Unrecognized key: "executor"']);
  });

  it("validate: a bad instance class at its file position", () => {
    const text = stackWith({ pipelining: ["{airflow: {database: {instance_class: t3.micro}}}"] });
    assert.deepEqual(errorsOf(text), ['stack.yaml:9:54: stack.pipelining[0].airflow.database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small']);
  });
});

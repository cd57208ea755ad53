import { strict as assert } from "node:assert";
import { dagster } from "../../components/tools/dagster/index";
import { dagsterParams, EXPOSE_REFUSED } from "../../components/tools/dagster/params";
import { DAGSTER_VERSION, splitImage } from "../../components/tools/dagster/values";
import { CHARTS } from "../../components/base/charts";
import type { RenderResult } from "../../src/engine/render";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { errorsOf } from "../helpers/spec-text";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";
import { fakeMlflowWithAuth } from "../helpers/peers";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-dagster-db-AbCdEf";
const IN_CLUSTER_MLFLOW = "http://mlflow.mlflow.svc.cluster.local:5000";
const USER_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-project:1.4.0";


const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const valuesOf = (result: RenderResult) => named(result, "dagster", RELEASE).inputs.values as Record<string, any>;
/** Every string value in the values, with its path (list items by index). */
function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
}
const dagsterOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).dagster;

describe("dagster", () => {
  let plain: RenderResult;
  let withCode: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ pipelining: ["dagster"] }), { dagster }, { dagster: dagsterParams.parse({}) });
    withCode = await renderWithTools(stackWith({ pipelining: ["dagster"] }), { dagster }, { dagster: dagsterParams.parse({ user_code: { image: USER_IMAGE, module: "my_project.definitions" } }) });
    withMlflow = await renderWithTools(stackWith({ pipelining: ["dagster"], experiment_tracker: ["mlflow"] }), { dagster, mlflow: fakeMlflowWithAuth() }, { dagster: dagsterParams.parse({}) });
  });

  it("creates exactly its namespace, logs bucket, PostgreSQL, IRSA role, synced DB secret and release", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Dagster::dagster"), [
      "kubernetes:core/v1:Namespace dagster-namespace",
      "kubernetes:external-secrets.io/v1:ExternalSecret dagster-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore dagster-secret-store",
      "kubernetes:helm.sh/v3:Release dagster",
      "platinfra:base:Bucket dagster-logs",
      "platinfra:base:Database dagster-db",
      "platinfra:base:ServiceAccountRole dagster-irsa",
    ]);
    assert.deepEqual(childrenOf(plain, "platinfra:base:ServiceAccountRole::dagster-irsa"), [
      "aws:iam/role:Role dagster-irsa",
      "aws:iam/rolePolicy:RolePolicy dagster-irsa-policy",
      "kubernetes:core/v1:ServiceAccount dagster-irsa-sa",
    ]);
    // Dagster OSS has no login: nothing ever leaves the cluster.
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("pins the chart at the Dagster release 1.13.27 and the webserver/daemon image at the same version", () => {
    const release = named(plain, "dagster", RELEASE).inputs as any;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts], ["dagster", "1.13.27", { repo: "https://dagster-io.github.io/helm" }]);
    assert.deepEqual([release.namespace, release.name, release.atomic], ["dagster", "dagster", true]);
    const image = { repository: "docker.io/dagster/dagster-celery-k8s", tag: "1.13.27", pullPolicy: "IfNotPresent" };
    assert.deepEqual([release.values.dagsterWebserver.image, release.values.dagsterDaemon.image], [image, image]);
    assert.equal(DAGSTER_VERSION, CHARTS.dagster.version);
    // The saved chart is main's source, which always says 0.0.1-dev (the release job stamps the version).
    assert.equal(fixtureVersion("dagster"), "0.0.1-dev");
  });

  it("sets only values keys the chart's fixture declares", () => {
    for (const result of [plain, withCode, withMlflow]) assert.deepEqual(unknownValuesKeys(named(result, "dagster", RELEASE)), []);
  });

  it("PostgreSQL on RDS, private, RDS-managed password; the chart's own PostgreSQL and password Secret off; TLS required", () => {
    const db = named(plain, "dagster-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.publiclyAccessible, db.manageMasterUserPassword, db.instanceClass, db.password], ["postgres", "dagster", false, true, "db.t4g.small", undefined]);
    const values = valuesOf(plain);
    assert.deepEqual(values.postgresql, {
      enabled: false,
      postgresqlHost: "dagster-db.abcdefghij.eu-west-1.rds.amazonaws.com",
      postgresqlUsername: "platinfra",
      postgresqlDatabase: "dagster",
      postgresqlParams: { sslmode: "require" },
      service: { port: 5432 },
    });
    assert.equal(values.generatePostgresqlPasswordSecret, false);
  });

  it("the password reaches every container under the key they all read: postgresql-password", () => {
    // webserver, daemon and migration Job read key `postgresql-password` of global.postgresqlSecretName
    // (helm/dagster/templates); run pods get it from dagster-k8s's DAGSTER_PG_PASSWORD_SECRET_KEY.
    const values = valuesOf(plain);
    assert.deepEqual(values.global, { postgresqlSecretName: "dagster-postgresql", postgresqlSecretUsernameKey: "", postgresqlSecretPasswordKey: "postgresql-password", serviceAccountName: "dagster" });
    const external = named(plain, "dagster-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "dagster-postgresql", namespace: "dagster" });
    assert.deepEqual(external.spec.target.template, { engineVersion: "v2", mergePolicy: "Merge", data: { "postgresql-password": "{{ .password }}" } });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "dagster-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "dagster" } } });
  });

  it("Reloader restarts the webserver, daemon and code server when the password rotates; the release waits for the synced Secret", () => {
    const values = valuesOf(plain);
    const reload = { "secret.reloader.stakater.com/reload": "dagster-postgresql" };
    assert.deepEqual([values.dagsterWebserver.annotations, values.dagsterDaemon.annotations], [reload, reload]);
    assert.equal(ofType(plain, "platinfra:base:Reloader").length, 1);
    assert.ok(waitsFor(plain, named(plain, "dagster", RELEASE), named(plain, "dagster-db-credentials")));
    assert.ok(waitsFor(plain, named(plain, "dagster", RELEASE), named(plain, "dagster-irsa-sa")));
  });

  it("no password anywhere in the release's values: only the Secret's name and key", () => {
    for (const result of [plain, withCode, withMlflow]) {
      const values = valuesOf(result);
      assert.doesNotMatch(JSON.stringify(values), /\[secret\]|mlflow-password-value|postgresqlPassword/);
      const mentions = stringLeaves(values).filter(([path, value]) => /password/i.test(`${path}=${value}`));
      assert.deepEqual(mentions, [["global.postgresqlSecretPasswordKey", "postgresql-password"]]);
    }
  });

  it("K8sRunLauncher and S3 compute logs in the tool's bucket; one IRSA service account for every Dagster pod, run pods included", () => {
    const values = valuesOf(plain);
    const bucket = named(plain, "dagster-logs", "aws:s3/bucket:Bucket").inputs.bucket;
    const runResources = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } };
    assert.deepEqual(values.runLauncher, {
      type: "K8sRunLauncher",
      config: { k8sRunLauncher: { imagePullPolicy: "IfNotPresent", runK8sConfig: { containerConfig: { resources: runResources } } } },
    });
    assert.deepEqual(values.computeLogManager, { type: "S3ComputeLogManager", config: { s3ComputeLogManager: { bucket, prefix: "compute-logs" } } });
    // global.serviceAccountName is what the chart hands the run launcher (service_account_name) and the subchart.
    assert.deepEqual(values.serviceAccount, { create: false, name: "dagster" });
    const sa = named(plain, "dagster-irsa-sa").inputs as any;
    assert.deepEqual(sa.metadata, { name: "dagster", namespace: "dagster", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-dagster" } });
    assert.deepEqual(values.telemetry, { enabled: false });
  });

  it("the IRSA role trusts exactly dagster:dagster and names only the logs bucket and the DB secret", () => {
    const bucketArn = `arn:aws:s3:::${named(plain, "dagster-logs", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const trust = json(named(plain, "dagster-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:dagster:dagster"]);
    const statements = json(named(plain, "dagster-irsa-policy").inputs.policy).Statement;
    assert.deepEqual([...new Set(statements.flatMap((statement: any) => [statement.Resource].flat()))].sort(), [bucketArn, `${bucketArn}/*`, SECRET_ARN]);
    assert.deepEqual(statements.map((statement: any) => statement.Sid), ["ComputeLogsList", "ComputeLogsObjects", "DatabaseSecret"]);
  });

  it("no code location by default; with user_code, one deployment from the given image and module", () => {
    // enabled: the chart writes workspace.yaml (load_from: []) and passes -w; disabled, webserver and daemon exit.
    assert.deepEqual(valuesOf(plain)["dagster-user-deployments"], { enabled: true, enableSubchart: false, deployments: [] });
    assert.deepEqual(valuesOf(withCode)["dagster-user-deployments"], {
      enabled: true,
      enableSubchart: true,
      deployments: [
        {
          name: "user-code",
          image: { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-project", tag: "1.4.0", pullPolicy: "IfNotPresent" },
          dagsterApiGrpcArgs: ["--module-name", "my_project.definitions"],
          port: 3030,
          includeConfigInLaunchedRuns: { enabled: true },
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
          annotations: { "secret.reloader.stakater.com/reload": "dagster-postgresql" },
        },
      ],
    });
    const packaged = dagsterParams.parse({ user_code: { name: "etl", image: "localhost:5000/etl:2", package: "etl_pkg" } }).user_code!;
    assert.deepEqual(packaged, { name: "etl", image: "localhost:5000/etl:2", package: "etl_pkg" });
    assert.deepEqual(splitImage("localhost:5000/etl:2"), ["localhost:5000/etl", "2"]);
    assert.equal(dagsterOutputs(withCode).codeLocation, `user-code (${USER_IMAGE})`);
  });

  it("run pods get their own resources, not the code server's (dagster-k8s replaces the launcher's `resources` with the code location's)", async () => {
    // The code location's container context carries the code server's resources (sized for an idle gRPC
    // server) into every run; run_k8s_config.container_config is applied over them.
    const codeServer = valuesOf(withCode)["dagster-user-deployments"].deployments[0];
    const runContainer = valuesOf(withCode).runLauncher.config.k8sRunLauncher.runK8sConfig.containerConfig;
    assert.deepEqual([codeServer.includeConfigInLaunchedRuns, runContainer], [{ enabled: true }, { resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } } }]);
    const sized = await renderWithTools(stackWith({ pipelining: ["dagster"] }), { dagster }, {
      dagster: dagsterParams.parse({ run_resources: { requests: { cpu: "2", memory: "8Gi" } }, user_code: { image: USER_IMAGE, module: "m" } }),
    });
    assert.deepEqual(valuesOf(sized).runLauncher.config.k8sRunLauncher.runK8sConfig, {
      // Taken whole: the default limits (4Gi) would sit under the 8Gi asked for, and Kubernetes would refuse the pod.
      containerConfig: { resources: { requests: { cpu: "2", memory: "8Gi" } } },
    });
  });

  it("outputs: how to reach the UI (port-forward), the in-cluster URL, logs and database; env and local access", () => {
    const bucket = named(plain, "dagster-logs", "aws:s3/bucket:Bucket").inputs.bucket;
    const portForward = "kubectl --namespace dagster port-forward service/dagster-dagster-webserver 3000:80";
    assert.deepEqual(dagsterOutputs(plain), {
      uiUrl: "http://localhost:3000",
      portForward,
      webserverUrl: "http://dagster-dagster-webserver.dagster.svc.cluster.local:80",
      usage: `Dagster has no login: its UI is only reachable from inside the cluster. Run \`${portForward}\` and open http://localhost:3000.`,
      computeLogs: `s3://${bucket}/compute-logs`,
      databaseEndpoint: "dagster-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432",
      codeLocation: "none: add user_code (image, module or package) to load definitions",
    });
    assert.deepEqual(plain.outputs.env, { DAGSTER_WEBSERVER_URL: "http://dagster-dagster-webserver.dagster.svc.cluster.local:80" });
  });

  it("with MLflow in the stack, run pods get its in-cluster URI and credentials (password through a Secret in dagster's namespace)", () => {
    const k8sRunLauncher = valuesOf(withMlflow).runLauncher.config.k8sRunLauncher;
    assert.deepEqual(k8sRunLauncher, {
      imagePullPolicy: "IfNotPresent",
      runK8sConfig: { containerConfig: { resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi" } } } },
      envVars: [`MLFLOW_TRACKING_URI=${IN_CLUSTER_MLFLOW}`, "MLFLOW_TRACKING_USERNAME=admin"],
      envSecrets: [{ name: "mlflow-client" }],
    });
    const secret = named(withMlflow, "dagster-mlflow-client", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual([secret.metadata, secret.stringData], [{ name: "mlflow-client", namespace: "dagster" }, "[secret]"]);
    assert.deepEqual(dagster.links, ["mlflow", "wandb"]);
  });

  it("params: defaults, and exact errors (expose refused: Dagster OSS has no authentication)", () => {
    assert.deepEqual(dagsterParams.parse({}), { replicas: 1, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    assert.deepEqual(paramsErrors(dagsterParams, { expose: { host: "dagster.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } }), [`expose: ${EXPOSE_REFUSED}`]);
    assert.deepEqual(paramsErrors(dagsterParams, { replicas: 0, database: { instance_class: "t3.micro" }, user_code: { image: "my-project", module: "1bad" } }), [
      "replicas: Too small: expected number to be >=1",
      'user_code.image: image "my-project" is not an image with a tag — pin it, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-project:1.0.0',
      'user_code.module: module "1bad" is not a Python dotted name — expected e.g. my_project.definitions',
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
    ]);
    const both = { image: USER_IMAGE, module: "a.b", package: "a" };
    assert.deepEqual(paramsErrors(dagsterParams, { user_code: both }), ["user_code: give exactly one of `module` or `package` — where Dagster finds the definitions in the image"]);
    assert.deepEqual(paramsErrors(dagsterParams, { user_code: { image: USER_IMAGE } }), ["user_code: give exactly one of `module` or `package` — where Dagster finds the definitions in the image"]);
    assert.deepEqual(paramsErrors(dagsterParams, { user_code: { image: USER_IMAGE, module: "m", name: "Bad_Name" } }), [
      'user_code.name: name "Bad_Name" is not allowed — use up to 32 lowercase letters, digits and "-", starting with a letter',
    ]);
    assert.deepEqual(paramsErrors(dagsterParams, { auth: true }), [': Unrecognized key: "auth"']);
  });

  it("validate: the refusal of expose and a bad image, at their file positions", () => {
    const text = stackWith({ pipelining: ['{dagster: {expose: {host: dagster.example.com}, user_code: {image: my-project, module: m}}}'] });
    assert.deepEqual(errorsOf(text), [
      `stack.yaml:9:35: stack.pipelining[0].dagster.expose: ${EXPOSE_REFUSED}`,
      'stack.yaml:9:83: stack.pipelining[0].dagster.user_code.image: image "my-project" is not an image with a tag — pin it, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-project:1.0.0',
    ]);
  });
});

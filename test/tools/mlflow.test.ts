import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RenderResult } from "../../src/engine/render";
import { AUTH_DATABASE, CREATE_AUTH_DATABASE, mlflowAllowedHosts, mlflowCorsOrigins } from "../../components/tools/mlflow/access";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { named, ofType, renderSpec, json, childrenOf } from "../helpers/render";
import { errorsOf, specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const EXPOSE = '{host: mlflow.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"}';
const PLAIN = stackWith({ experiment_tracker: ["mlflow"], model_registry: ["mlflow"] });
const EXPOSED = PLAIN.replace("experiment_tracker: [mlflow]", `experiment_tracker: [{mlflow: {expose: ${EXPOSE}}}]`);

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Mlflow::mlflow");

describe("mlflow", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  before(async () => {
    plain = await renderSpec(specOf(PLAIN));
    exposed = await renderSpec(specOf(EXPOSED));
  });

  it("is one deployment for every role: its own namespace, bucket, PostgreSQL, IRSA role, synced DB secret and release", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:core/v1:Namespace mlflow-namespace",
      "kubernetes:external-secrets.io/v1:ExternalSecret mlflow-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore mlflow-secret-store",
      "kubernetes:helm.sh/v3:Release mlflow",
      "platinfra:base:Bucket mlflow-artifacts",
      "platinfra:base:Database mlflow-db",
      "platinfra:base:ServiceAccountRole mlflow-irsa",
    ]);
    assert.deepEqual(children(exposed).filter((child) => !children(plain).includes(child)), [
      "kubernetes:core/v1:Secret mlflow-admin",
      "kubernetes:core/v1:Secret mlflow-auth-db",
      "kubernetes:networking.k8s.io/v1:Ingress mlflow-ingress",
      "random:index/randomPassword:RandomPassword mlflow-admin-password",
      "random:index/randomPassword:RandomPassword mlflow-auth-db-password",
    ]);
    assert.equal(ofType(plain, "platinfra:tools:Mlflow").length, 1);
    assert.equal((plain.outputs.tools as any).mlflow.roles, "experiment_tracker, model_registry");
  });

  it("pins the chart and the image", () => {
    const release = named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs;
    assert.deepEqual([release.chart, release.version, (release.repositoryOpts as any).repo], ["mlflow", "1.11.5", "https://community-charts.github.io/helm-charts"]);
    assert.equal(release.version, fixtureVersion("mlflow"));
    assert.deepEqual((release.values as any).image, { repository: "burakince/mlflow", tag: "3.15.1" });
    assert.equal(release.atomic, true);
    assert.equal(release.namespace, "mlflow");
  });

  it("wires PostgreSQL on RDS, its RDS-managed credentials, S3 artifacts and the IRSA role through the values", () => {
    const values = named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    const db = named(plain, "mlflow-db", "aws:rds/instance:Instance");
    assert.equal(db.inputs.engine, "postgres");
    assert.equal(db.inputs.manageMasterUserPassword, true);
    assert.deepEqual(values.backendStore.postgres, { enabled: true, host: "mlflow-db.abcdefghij.eu-west-1.rds.amazonaws.com", port: 5432, database: "mlflow" });
    assert.deepEqual(values.backendStore.existingDatabaseSecret, { name: "mlflow-db", usernameKey: "username", passwordKey: "password" });
    const bucket = named(plain, "mlflow-artifacts", "aws:s3/bucket:Bucket").inputs.bucket;
    assert.deepEqual(values.artifactRoot, { proxiedArtifactStorage: true, s3: { enabled: true, bucket, path: "artifacts" } });
  });

  it("platinfra creates the service account the secret sync authenticates as; the chart does not", () => {
    const sa = named(plain, "mlflow-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs as any;
    assert.deepEqual(sa.metadata, { name: "mlflow", namespace: "mlflow", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-mlflow" } });
    assert.deepEqual((named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any).serviceAccount, { create: false, name: "mlflow" });
    assert.equal((named(plain, "mlflow-secret-store").inputs as any).spec.provider.aws.auth.jwt.serviceAccountRef.name, sa.metadata.name);
  });

  it("allows every Host header a client sends: each in-cluster name bare and with :5000, localhost for port-forward", () => {
    const values = named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    assert.deepEqual(values.serverAllowedHosts, [
      "mlflow",
      "mlflow:5000",
      "mlflow.mlflow",
      "mlflow.mlflow:5000",
      "mlflow.mlflow.svc",
      "mlflow.mlflow.svc:5000",
      "mlflow.mlflow.svc.cluster.local",
      "mlflow.mlflow.svc.cluster.local:5000",
      "localhost",
      "localhost:*",
      "127.0.0.1",
      "127.0.0.1:*",
    ]);
    assert.equal(values.corsAllowedOrigins, undefined);
    // The tracking URI tools are given (Ray, ZenML) sends exactly this Host header.
    const trackingHost = new URL((plain.outputs.env as Record<string, string>).MLFLOW_TRACKING_URI).host;
    assert.equal(trackingHost, "mlflow.mlflow.svc.cluster.local:5000");
    assert.ok(values.serverAllowedHosts.includes(trackingHost));
  });

  it("exposed: the public host is allowed too, and is the one cross-origin caller", () => {
    const values = named(exposed, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    assert.deepEqual(values.serverAllowedHosts.slice(-1), ["mlflow.example.com"]);
    assert.equal(values.serverAllowedHosts.length, 13);
    assert.deepEqual(values.corsAllowedOrigins, ["https://mlflow.example.com"]);
  });

  it("allowed hosts and origins, as plain functions", () => {
    const service = { name: "tracking", namespace: "ml", port: 8080 };
    assert.deepEqual(mlflowAllowedHosts(service).slice(0, 2), ["tracking", "tracking:8080"]);
    assert.deepEqual(mlflowAllowedHosts(service, { host: "ml.example.org", certificate_arn: "x" }).slice(-2), ["127.0.0.1:*", "ml.example.org"]);
    assert.deepEqual(mlflowCorsOrigins(), []);
    assert.deepEqual(mlflowCorsOrigins({ host: "ml.example.org", certificate_arn: "x" }), ["https://ml.example.org"]);
  });

  it("sets only values keys that chart 1.11.5 declares", () => {
    for (const result of [plain, exposed]) {
      assert.deepEqual(unknownValuesKeys(named(result, "mlflow", "kubernetes:helm.sh/v3:Release")), []);
    }
  });

  it("the database password is synced from the RDS-managed secret, by the tool's own service account", () => {
    const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-mlflow-db-AbCdEf";
    const external = named(plain, "mlflow-db-credentials").inputs as any;
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: secretArn, property: "username" } },
      { secretKey: "password", remoteRef: { key: secretArn, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "mlflow-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "mlflow" } } });
  });

  it("the IRSA role names exactly one service account and only mlflow's bucket and secret", () => {
    const role = named(plain, "mlflow-irsa", "aws:iam/role:Role");
    const trust = json(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:mlflow:mlflow"]);
    const bucketArn = `arn:aws:s3:::${named(plain, "mlflow-artifacts", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const resources = json(named(plain, "mlflow-irsa-policy").inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat());
    assert.deepEqual([...new Set(resources)].sort(), [bucketArn, `${bucketArn}/*`, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-mlflow-db-AbCdEf"]);
  });

  it("in-cluster by default: no ingress, no auth, the in-cluster tracking URI", () => {
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal((named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any).auth, undefined);
    assert.deepEqual(plain.outputs.env, { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc.cluster.local:5000" });
    assert.equal((plain.outputs.tools as any).mlflow.artifactLocation, `s3://${named(plain, "mlflow-artifacts", "aws:s3/bucket:Bucket").inputs.bucket}/artifacts`);
  });

  it("exposed: an HTTPS-only ALB with the certificate, and basic auth on with a generated admin password", () => {
    const ingress = named(exposed, "mlflow-ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"], "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123");
    assert.equal(ingress.spec.rules[0].host, "mlflow.example.com");
    const values = named(exposed, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    assert.deepEqual(values.auth.existingAdminSecret, { name: "mlflow-admin", usernameKey: "username", passwordKey: "password" });
    assert.deepEqual(exposed.outputs.env, { MLFLOW_TRACKING_URI: "https://mlflow.example.com", MLFLOW_TRACKING_USERNAME: "admin" });
    assert.equal(exposed.outputs.secretEnv, "[secret]");
  });

  it("exposed: basic auth keeps its users in PostgreSQL on the tool's RDS instance, not in SQLite on a read-only disk", () => {
    const values = named(exposed, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    assert.equal(values.auth.enabled, true);
    assert.deepEqual(values.auth.postgres, {
      enabled: true,
      host: "mlflow-db.abcdefghij.eu-west-1.rds.amazonaws.com",
      port: 5432,
      database: "mlflow_auth",
      existingSecret: { name: "mlflow-auth-db", usernameKey: "username", passwordKey: "password" },
    });
    assert.equal(AUTH_DATABASE.name, "mlflow_auth");
    const authDb = named(exposed, "mlflow-auth-db", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(authDb.metadata, { name: "mlflow-auth-db", namespace: "mlflow" });
    assert.equal(authDb.stringData, "[secret]");
    const generated = named(exposed, "mlflow-auth-db-password", "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([generated.length, generated.special], [32, false]);
  });

  it("exposed: an init container creates the auth role and database, with every password from a Secret", () => {
    const values = named(exposed, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any;
    assert.equal(values.initContainers.length, 1);
    const init = values.initContainers[0];
    assert.deepEqual([init.name, init.image, init.command.slice(0, 2)], ["auth-database", "burakince/mlflow:3.15.1", ["python", "-c"]]);
    assert.match(init.command[2], /CREATE DATABASE \{\} OWNER \{\}/);
    assert.deepEqual(init.env, [
      { name: "PGHOST", value: "mlflow-db.abcdefghij.eu-west-1.rds.amazonaws.com" },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "mlflow" },
      { name: "PGSSLMODE", value: "require" },
      { name: "PGUSER", valueFrom: { secretKeyRef: { name: "mlflow-db", key: "username" } } },
      { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-db", key: "password" } } },
      { name: "AUTH_DB_NAME", value: "mlflow_auth" },
      { name: "AUTH_DB_USER", valueFrom: { secretKeyRef: { name: "mlflow-auth-db", key: "username" } } },
      { name: "AUTH_DB_PASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-auth-db", key: "password" } } },
    ]);
    assert.equal(init.securityContext.readOnlyRootFilesystem, true);
    assert.equal(values.auth.postgres.password, undefined);
    assert.equal(values.auth.postgres.user, undefined);
    assert.equal((named(plain, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values as any).initContainers, undefined);
  });

  it("no secret appears in plain text in any recorded input or output", () => {
    const text = JSON.stringify(exposed);
    assert.doesNotMatch(text, /mock-mlflow-admin-password/);
    assert.equal((named(exposed, "mlflow-admin", "kubernetes:core/v1:Secret").inputs as any).stringData, "[secret]");
    const values = JSON.stringify(named(exposed, "mlflow", "kubernetes:helm.sh/v3:Release").inputs.values);
    assert.doesNotMatch(values, /"password":"(?!password")/);
  });

  it("params are validated with positions", () => {
    const text = PLAIN.replace("experiment_tracker: [mlflow]", "experiment_tracker: [{mlflow: {replicas: 0, expose: {host: localhost, certificate_arn: x}}}]");
    assert.deepEqual(errorsOf(text), [
      "stack.yaml:9:44: stack.experiment_tracker[0].mlflow.replicas: received the number 0 — must be at least 1",
      'stack.yaml:9:62: stack.experiment_tracker[0].mlflow.expose.host: "localhost" is not a DNS host name — expected e.g. mlflow.example.com',
      'stack.yaml:9:90: stack.experiment_tracker[0].mlflow.expose.certificate_arn: "x" is not an ACM certificate ARN — expected arn:aws:acm:<region>:<account>:certificate/<id>',
    ]);
  });

  describe("the auth-database script, run against a psycopg2 test double (not a database)", () => {
    const run = (existing: string) => {
      const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-pg-")), "statements.json");
      execFileSync("python3", ["-c", CREATE_AUTH_DATABASE], {
        env: { ...process.env, PYTHONPATH: path.join(__dirname, "..", "..", "..", "test", "fixtures", "fake-psycopg2"), FAKE_PG_EXISTING: existing, FAKE_PG_LOG: log, AUTH_DB_USER: "mlflow_auth", AUTH_DB_PASSWORD: "p", AUTH_DB_NAME: "mlflow_auth" },
      });
      return JSON.parse(fs.readFileSync(log, "utf8")) as string[];
    };

    it("first start: creates the role, then the database it owns", () => {
      assert.deepEqual(run(""), [
        'CREATE ROLE "mlflow_auth" WITH LOGIN PASSWORD %s',
        "SELECT 1 FROM pg_database WHERE datname = %s",
        'GRANT "mlflow_auth" TO CURRENT_USER',
        'CREATE DATABASE "mlflow_auth" OWNER "mlflow_auth"',
      ]);
    });

    it("a replica starting at the same moment: the role another pod created is updated, its database kept, and the script succeeds", () => {
      assert.deepEqual(run("role,database"), [
        'CREATE ROLE "mlflow_auth" WITH LOGIN PASSWORD %s',
        'ALTER ROLE "mlflow_auth" WITH LOGIN PASSWORD %s',
        "SELECT 1 FROM pg_database WHERE datname = %s",
        'GRANT "mlflow_auth" TO CURRENT_USER',
        'CREATE DATABASE "mlflow_auth" OWNER "mlflow_auth"',
      ]);
    });
  });
});

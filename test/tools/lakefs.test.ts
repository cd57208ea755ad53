import { strict as assert } from "node:assert";
import * as path from "node:path";
import { lakefs } from "../../components/tools/lakefs/index";
import { lakefsCommands } from "../../components/tools/lakefs/commands";
import { lakefsParams } from "../../components/tools/lakefs/params";
import { SETUP_SCRIPT } from "../../components/tools/lakefs/setup";
import { LAKEFS_IMAGE } from "../../components/tools/lakefs/values";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB = "kubernetes:batch/v1:Job";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-lakefs-db-AbCdEf";
const IN_CLUSTER = "http://lakefs.lakefs.svc.cluster.local:8000";
const DB_URL_ENV = { name: "LAKEFS_DATABASE_POSTGRES_CONNECTION_STRING", valueFrom: { secretKeyRef: { name: "lakefs-db", key: "connection-string" } } };
const SIGNING_ENV = { name: "LAKEFS_BLOCKSTORE_SIGNING_SECRET_KEY", valueFrom: { secretKeyRef: { name: "lakefs-server-credentials", key: "blockstore-signing-secret-key" } } };

const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const lakefsOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).lakefs;
const values = (result: RenderResult) => named(result, "lakefs", RELEASE).inputs.values as Record<string, any>;
const setupContainer = (result: RenderResult) => (named(result, "lakefs-setup", JOB).inputs as any).spec.template.spec.containers[0];

/** Every string value, with its path (list items by index). */
function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
}

describe("lakefs", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ data_versioning: ["lakefs"] }), { lakefs }, { lakefs: lakefsParams.parse({}) });
    const expose = { host: "lakefs.example.com", certificate_arn: CERTIFICATE };
    exposed = await renderWithTools(stackWith({ data_versioning: ["lakefs"] }), { lakefs }, { lakefs: lakefsParams.parse({ expose }) });
  });

  it("creates exactly its namespace, bucket, PostgreSQL, IRSA role, synced DB secret, server secrets, setup Job and release", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Lakefs::lakefs"), [
      "kubernetes:batch/v1:Job lakefs-setup",
      "kubernetes:core/v1:Namespace lakefs-namespace",
      "kubernetes:core/v1:Secret lakefs-server-credentials",
      "kubernetes:external-secrets.io/v1:ExternalSecret lakefs-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore lakefs-secret-store",
      "kubernetes:helm.sh/v3:Release lakefs",
      "platinfra:base:Bucket lakefs-data",
      "platinfra:base:Database lakefs-db",
      "platinfra:base:ServiceAccountRole lakefs-irsa",
      "random:index/randomPassword:RandomPassword lakefs-server-credentials-admin-access-key-id",
      "random:index/randomPassword:RandomPassword lakefs-server-credentials-admin-secret-access-key",
      "random:index/randomPassword:RandomPassword lakefs-server-credentials-auth-encrypt-secret-key",
      "random:index/randomPassword:RandomPassword lakefs-server-credentials-blockstore-signing-secret-key",
    ]);
    assert.deepEqual(childrenOf(exposed, "platinfra:tools:Lakefs::lakefs").filter((child) => child.includes("Ingress")), ["kubernetes:networking.k8s.io/v1:Ingress lakefs-ingress"]);
  });

  it("pins chart 1.12.16 from charts.lakefs.io and the image at 1.86.0 (the comm-prefs fix of 1.84.1; not the chart's 1.84.0 nor its appVersion)", () => {
    const release = named(plain, "lakefs", RELEASE).inputs;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts, release.namespace, release.name], ["lakefs", "1.12.16", { repo: "https://charts.lakefs.io" }, "lakefs", "lakefs"]);
    // The chart's templates/_helpers.tpl: repository treeverse/lakefs unless enterprise; tag image.community.tag.
    // values.yaml's image.community.tag at chart 1.12.16 is "1.84.0", whose unauthenticated POST /setup_comm_prefs
    // overwrites the stored preferences (fixed in v1.84.1, treeverse/lakeFS#10499); the chart's appVersion 1.97.0 is
    // a chart-release counter ("Release chart 1.12.16 for lakeFS Enterprise v1.92.0").
    assert.deepEqual(values(plain).image, { community: { tag: "1.86.0" }, pullPolicy: "IfNotPresent" });
    assert.deepEqual(LAKEFS_IMAGE, { repository: "treeverse/lakefs", tag: "1.86.0" });
    assert.notEqual(LAKEFS_IMAGE.tag, (chartFixture("lakefs") as unknown as { appVersion: string }).appVersion);
    assert.equal(setupContainer(plain).image, "treeverse/lakefs:1.86.0");
  });

  it("sets only values keys the chart's fixture declares", () => {
    const fixture = chartFixture("lakefs");
    for (const result of [plain, exposed]) {
      assert.deepEqual(valuesKeyPaths(values(result)).filter((keyPath) => !isKnownKeyPath(fixture, keyPath)), []);
    }
    assert.deepEqual(valuesKeyPaths(values(plain)).sort(), [
      "existingSecret",
      "extraEnvVars",
      "image.community.tag",
      "image.pullPolicy",
      "ingress.enabled",
      "lakefsConfig",
      "podAnnotations.secret\\.reloader\\.stakater\\.com/reload",
      "replicaCount",
      "resources.limits.cpu",
      "resources.limits.memory",
      "resources.requests.cpu",
      "resources.requests.memory",
      "secretKeys.authEncryptSecretKey",
      "secretKeys.databaseConnectionString",
      "service.port",
      "service.type",
      "serviceAccount.create",
      "serviceAccount.name",
    ]);
  });

  it("PostgreSQL on RDS, private, with an RDS-managed password", () => {
    const db = named(plain, "lakefs-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.port, db.publiclyAccessible, db.manageMasterUserPassword, db.instanceClass], ["postgres", "lakefs", 5432, false, true, "db.t4g.small"]);
    assert.equal(db.password, undefined);
  });

  it("the connection URL (password inside) is rendered by External Secrets in the cluster, never in values", () => {
    const external = named(plain, "lakefs-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "lakefs-db", namespace: "lakefs" });
    assert.deepEqual(external.spec.target.template, {
      engineVersion: "v2",
      mergePolicy: "Merge",
      data: { "connection-string": "postgres://{{ .username | urlquery }}:{{ .password | urlquery }}@lakefs-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432/lakefs?sslmode=require" },
    });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "lakefs-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "lakefs" } } });
  });

  it("the server reads the URL from the synced Secret and the encryption key from platinfra's (the chart's fallback is a constant)", () => {
    // charts/lakefs/templates/_shared_env.tpl: existingSecret → LAKEFS_AUTH_ENCRYPT_SECRET_KEY from secretKeys.authEncryptSecretKey;
    // the URL from existingSecret only when secretKeys.databaseConnectionString is set — null here, so extraEnvVars brings it.
    const chart = values(plain);
    assert.equal(chart.existingSecret, "lakefs-server-credentials");
    assert.deepEqual(chart.secretKeys, { authEncryptSecretKey: "auth-encrypt-secret-key", databaseConnectionString: null });
    assert.deepEqual(chart.extraEnvVars, [DB_URL_ENV, SIGNING_ENV]);
    assert.deepEqual(chart.podAnnotations, { "secret.reloader.stakater.com/reload": "lakefs-db" });
  });

  it("lakeFS's config: PostgreSQL, S3 with no static keys (default chain → IRSA web identity), no usage stats, no secret", () => {
    assert.equal(values(plain).lakefsConfig, "database:\n  type: postgres\nblockstore:\n  type: s3\n  s3:\n    region: eu-west-1\nstats:\n  enabled: false\n");
  });

  it("no secret anywhere in the release's values: only Secret names and keys", () => {
    for (const result of [plain, exposed]) {
      const mentions = stringLeaves(values(result)).filter(([, value]) => /secret|password|postgres:\/\//i.test(value));
      assert.deepEqual(mentions.sort(), [
        ["extraEnvVars.1.name", "LAKEFS_BLOCKSTORE_SIGNING_SECRET_KEY"],
        ["extraEnvVars.1.valueFrom.secretKeyRef.key", "blockstore-signing-secret-key"],
        ["secretKeys.authEncryptSecretKey", "auth-encrypt-secret-key"],
      ]);
      assert.doesNotMatch(JSON.stringify(values(result)), /\[secret\]/);
    }
  });

  it("generated keys: secret in state, in a Secret only", () => {
    const generated = (key: string) => named(plain, `lakefs-server-credentials-${key}`, "random:index/randomPassword:RandomPassword").inputs;
    // The access key ID: at most 20 characters, or the S3 gateway's SigV4 parser (v1.84.0 pkg/gateway/sig/v4.go,
    // `Credential=(?P<AccessKeyId>.{3,20})/`) rejects every signed request.
    assert.deepEqual(
      ["auth-encrypt-secret-key", "blockstore-signing-secret-key", "admin-access-key-id", "admin-secret-access-key"].map((key) => [generated(key).length, generated(key).special]),
      [[64, false], [64, false], [20, false], [40, false]],
    );
    const secret = named(plain, "lakefs-server-credentials", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(secret.metadata, { name: "lakefs-server-credentials", namespace: "lakefs" });
    assert.equal(secret.stringData, "[secret]");
  });

  it("the admin is created by a setup Job before the release: no first visitor claims the setup page", () => {
    const job = named(plain, "lakefs-setup", JOB);
    assert.deepEqual((job.inputs as any).metadata, { name: "lakefs-setup", namespace: "lakefs" });
    assert.equal((job.inputs as any).spec.template.spec.serviceAccountName, "lakefs");
    const container = setupContainer(plain);
    assert.deepEqual(container.command, ["/bin/sh", "-c", SETUP_SCRIPT]);
    const ref = (key: string) => ({ valueFrom: { secretKeyRef: { name: "lakefs-server-credentials", key } } });
    assert.deepEqual(container.env, [
      { name: "LAKEFS_DATABASE_TYPE", value: "postgres" },
      { name: "LAKEFS_BLOCKSTORE_TYPE", value: "s3" },
      { name: "LAKEFS_BLOCKSTORE_S3_REGION", value: "eu-west-1" },
      { name: "LAKEFS_STATS_ENABLED", value: "false" },
      DB_URL_ENV,
      SIGNING_ENV,
      { name: "LAKEFS_AUTH_ENCRYPT_SECRET_KEY", ...ref("auth-encrypt-secret-key") },
      { name: "ADMIN_USER_NAME", ...ref("admin-user-name") },
      { name: "ADMIN_ACCESS_KEY_ID", ...ref("admin-access-key-id") },
      { name: "ADMIN_SECRET_ACCESS_KEY", ...ref("admin-secret-access-key") },
    ]);
    assert.ok(named(plain, "lakefs", RELEASE).dependencies?.includes(job.urn), "the release waits for the setup Job");
  });

  it("the setup script treats 'already complete' as success and never prints the secret key", () => {
    assert.match(SETUP_SCRIPT, /--access-key-id "\$ADMIN_ACCESS_KEY_ID" --secret-access-key "\$ADMIN_SECRET_ACCESS_KEY" 2>&1\)/);
    assert.match(SETUP_SCRIPT, /\*"Setup is already complete"\*\) echo "lakeFS admin already exists"; exit 0;;/);
    assert.doesNotMatch(SETUP_SCRIPT, /echo "\$out"\s*;/);
  });

  it("the IRSA role trusts lakefs:lakefs and names only its bucket and DB secret", () => {
    const bucketArn = `arn:aws:s3:::${named(plain, "lakefs-data", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const trusted = Object.values(json(named(plain, "lakefs-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:lakefs:lakefs"]);
    const statements = json(named(plain, "lakefs-irsa-policy").inputs.policy).Statement;
    const resources = [...new Set(statements.flatMap((statement: any) => [statement.Resource].flat()))].sort();
    assert.deepEqual(resources, [bucketArn, `${bucketArn}/*`, SECRET_ARN]);
    // pkg/block/s3/adapter.go (v1.84.0) calls ListParts: S3 checks s3:ListMultipartUploadParts on the object.
    assert.deepEqual(
      statements.filter((statement: any) => statement.Sid === "DataMultipartParts"),
      [{ Sid: "DataMultipartParts", Effect: "Allow", Action: ["s3:ListMultipartUploadParts"], Resource: [`${bucketArn}/*`] }],
    );
    assert.deepEqual(values(plain).serviceAccount, { create: false, name: "lakefs" });
  });

  it("in-cluster by default: no ingress; env and pods use the Service, the laptop the port-forward", () => {
    const bucket = named(plain, "lakefs-data", "aws:s3/bucket:Bucket").inputs.bucket;
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.deepEqual(values(plain).service, { type: "ClusterIP", port: 8000 });
    assert.deepEqual(plain.outputs.env, { LAKECTL_SERVER_ENDPOINT_URL: `${IN_CLUSTER}/api/v1` });
    assert.equal(plain.outputs.secretEnv, "[secret]");
    const outputs = lakefsOutputs(plain);
    assert.deepEqual(
      [outputs.endpoint, outputs.inClusterEndpoint, outputs.s3GatewayEndpoint, outputs.storageNamespace, outputs.adminUsername],
      [IN_CLUSTER, IN_CLUSTER, "http://localhost:8000", `s3://${bucket}`, "admin"],
    );
    assert.equal(outputs.lakectlConfig, "server:\n  endpoint_url: http://localhost:8000/api/v1\n");
    assert.deepEqual(plain.outputs.local, {
      lakefs: { namespace: "lakefs", service: "lakefs", ports: [{ local: 8000, remote: 8000 }], env: { LAKECTL_SERVER_ENDPOINT_URL: "http://localhost:8000/api/v1" } },
    });
    assert.deepEqual(outputs.commands, [
      "kubectl port-forward -n lakefs svc/lakefs 8000:8000",
      `eval "$(platinfra outputs stack.yaml --env --local --show-secrets)"   # LAKECTL_SERVER_ENDPOINT_URL and the admin's LAKECTL_CREDENTIALS_*`,
      `lakectl repo create lakefs://example s3://${bucket}/example`,
      `AWS_ACCESS_KEY_ID="$LAKECTL_CREDENTIALS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY" aws s3 ls s3://example/main/ --endpoint-url http://localhost:8000   # the S3 gateway: the admin's keys as AWS keys`,
    ]);
  });

  it("exposed: an HTTPS-only ALB checking /_health, and the public URL in env, outputs and lakectl config", () => {
    const ingress = named(exposed, "lakefs-ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/_health");
    assert.deepEqual(ingress.spec.rules, [
      { host: "lakefs.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "lakefs", port: { number: 8000 } } } }] } },
    ]);
    assert.deepEqual(exposed.outputs.env, { LAKECTL_SERVER_ENDPOINT_URL: "https://lakefs.example.com/api/v1" });
    assert.equal(lakefsOutputs(exposed).lakectlConfig, "server:\n  endpoint_url: https://lakefs.example.com/api/v1\n");
    assert.equal((exposed.outputs.local as Record<string, unknown>).lakefs, undefined);
    assert.ok(!lakefsOutputs(exposed).commands.some((command: string) => command.includes("port-forward")));
  });

  it("commands without a port-forward when exposed", () => {
    assert.deepEqual(lakefsCommands({ endpoint: "https://lakefs.example.com", storageNamespace: "s3://b" }), [
      `eval "$(platinfra outputs stack.yaml --env --show-secrets)"   # LAKECTL_SERVER_ENDPOINT_URL and the admin's LAKECTL_CREDENTIALS_*`,
      "lakectl repo create lakefs://example s3://b/example",
      `AWS_ACCESS_KEY_ID="$LAKECTL_CREDENTIALS_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY" aws s3 ls s3://example/main/ --endpoint-url https://lakefs.example.com   # the S3 gateway: the admin's keys as AWS keys`,
    ]);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(lakefsParams.parse({}), { replicas: 1, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    const messages = (input: unknown) => paramsErrors(lakefsParams, input);
    assert.deepEqual(messages({ replicas: 0, database: { instance_class: "t3.micro", storage_gb: 10 } }), [
      "replicas: Too small: expected number to be >=1",
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
      "database.storage_gb: Too small: expected number to be >=20",
    ]);
    assert.deepEqual(messages({ admin: true }), [': Unrecognized key: "admin"']);
  });
});

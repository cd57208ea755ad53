import { strict as assert } from "node:assert";
import { CHARTS } from "../../components/base/charts";
import { UPSTREAM_STATUS } from "../../components/tools/pachyderm/checks";
import { pachctlContext, pachydermCommands, portForwards } from "../../components/tools/pachyderm/commands";
import { pachydermParams } from "../../components/tools/pachyderm/params";
import { PSQL_IMAGE, SETUP_SCRIPT, SETUP_SQL } from "../../components/tools/pachyderm/setup";
import { PACHYDERM_VERSION, storageUrl } from "../../components/tools/pachyderm/values";
import { formatEnv } from "../../src/cli/outputs-format";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, fixtureVersion, unknownValuesKeys, valuesKeyPaths } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { named, ofType, renderSpec, json, childrenOf } from "../helpers/render";
import { errorsOf, problemsOf, specOf } from "../helpers/spec-text";
import { stringLeaves } from "../helpers/string-leaves";
import { stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB = "kubernetes:batch/v1:Job";
const PLAIN = stackWith({ data_versioning: ["pachyderm"] });
const SIZED = PLAIN.replace("data_versioning: [pachyderm]", "data_versioning: [{pachyderm: {console: false, etcd: {storage_gb: 50}, resources: {requests: {cpu: '1', memory: 2Gi}}}}]");
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-pachyderm-db-AbCdEf";
const IN_CLUSTER = "grpc://pachd.pachyderm.svc.cluster.local:30650";

const values = (result: RenderResult) => named(result, "pachyderm", RELEASE).inputs.values as Record<string, any>;
const pachydermOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).pachyderm;
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Pachyderm::pachyderm");
const setupContainer = (result: RenderResult) => (named(result, "pachyderm-db-setup", JOB).inputs as any).spec.template.spec.containers[0];

describe("pachyderm", () => {
  let plain: RenderResult;
  let sized: RenderResult;
  before(async () => {
    plain = await renderSpec(specOf(PLAIN));
    sized = await renderSpec(specOf(SIZED));
  });

  it("creates exactly its namespace, bucket, PostgreSQL, three IRSA roles, synced master secret, generated credentials, setup Job and release", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:batch/v1:Job pachyderm-db-setup",
      "kubernetes:core/v1:Namespace pachyderm-namespace",
      "kubernetes:core/v1:Secret pachyderm-credentials",
      "kubernetes:external-secrets.io/v1:ExternalSecret pachyderm-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore pachyderm-secret-store",
      "kubernetes:helm.sh/v3:Release pachyderm",
      "platinfra:base:Bucket pachyderm-data",
      "platinfra:base:Database pachyderm-db",
      "platinfra:base:ServiceAccountRole pachyderm-database-irsa",
      "platinfra:base:ServiceAccountRole pachyderm-irsa",
      "platinfra:base:ServiceAccountRole pachyderm-worker-irsa",
      "random:index/randomPassword:RandomPassword pachyderm-credentials-OAUTH_CLIENT_SECRET",
      "random:index/randomPassword:RandomPassword pachyderm-credentials-postgresql-password",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("pins chart 2.11.6 from helm.pachyderm.com, pachd/worker/console at 2.11.6, the chart's etcd and pgbouncer images", () => {
    const release = named(plain, "pachyderm", RELEASE).inputs as any;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts, release.namespace, release.name], ["pachyderm", "2.11.6", { repo: "https://helm.pachyderm.com" }, "pachyderm", "pachyderm"]);
    assert.deepEqual(CHARTS.pachyderm, { chart: "pachyderm", version: "2.11.6", repo: "https://helm.pachyderm.com", fixture: "pachyderm" });
    assert.equal(release.version, fixtureVersion("pachyderm"));
    // pachd.image.tag also sets the worker image (deployment.yaml: WORKER_IMAGE uses `or pachd.worker.image.tag pachd.image.tag`).
    assert.equal(PACHYDERM_VERSION, "2.11.6");
    assert.deepEqual([values(plain).pachd.image, values(plain).console.image], [{ tag: "2.11.6" }, { tag: "2.11.6" }]);
    assert.equal(values(plain).etcd.image, undefined);
    assert.equal(values(plain).pgbouncer.image, undefined);
    assert.deepEqual(PSQL_IMAGE, { repository: "pachyderm/postgresql", tag: "13.3.0" });
    assert.equal(setupContainer(plain).image, "pachyderm/postgresql:13.3.0");
  });

  it("sets only values keys chart 2.11.6 declares (global.postgresql.ssl: read by its templates, declared by none)", () => {
    for (const result of [plain, sized]) assert.deepEqual(unknownValuesKeys(named(result, "pachyderm", RELEASE)), []);
    assert.ok(chartFixture("pachyderm").keys.includes("global.postgresql.ssl"));
    assert.deepEqual(valuesKeyPaths(values(plain)).sort(), [
      "console.config.disableTelemetry",
      "console.config.oauthClientSecretSecretName",
      "console.enabled",
      "console.image.tag",
      "console.resources.limits.memory",
      "console.resources.requests.cpu",
      "console.resources.requests.memory",
      "deployTarget",
      "etcd.resources.limits.memory",
      "etcd.resources.requests.cpu",
      "etcd.resources.requests.memory",
      "etcd.storageClass",
      "etcd.storageSize",
      "global.postgresql.identityDatabaseFullNameOverride",
      "global.postgresql.postgresqlAuthType",
      "global.postgresql.postgresqlDatabase",
      "global.postgresql.postgresqlExistingSecretKey",
      "global.postgresql.postgresqlExistingSecretName",
      "global.postgresql.postgresqlHost",
      "global.postgresql.postgresqlPassword",
      "global.postgresql.postgresqlPort",
      "global.postgresql.postgresqlSSL",
      "global.postgresql.postgresqlUsername",
      "global.postgresql.ssl",
      "oidc.mockIDP",
      "pachd.activateAuth",
      "pachd.clusterDeploymentID",
      "pachd.image.tag",
      "pachd.lokiDeploy",
      "pachd.lokiLogging",
      "pachd.metrics.enabled",
      "pachd.resources.limits.cpu",
      "pachd.resources.limits.memory",
      "pachd.resources.requests.cpu",
      "pachd.resources.requests.memory",
      "pachd.service.type",
      "pachd.serviceAccount.create",
      "pachd.serviceAccount.name",
      "pachd.storage.amazon.bucket",
      "pachd.storage.amazon.region",
      "pachd.storage.backend",
      "pachd.storage.storageURL",
      "pachd.worker.serviceAccount.create",
      "pachd.worker.serviceAccount.name",
      "pgbouncer.resources.limits.memory",
      "pgbouncer.resources.requests.cpu",
      "pgbouncer.resources.requests.memory",
      "postgresql.enabled",
      "proxy.enabled",
    ]);
  });

  it("PostgreSQL on RDS, private, RDS-managed master password; the bundled PostgreSQL off", () => {
    const db = named(plain, "pachyderm-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.port, db.publiclyAccessible, db.manageMasterUserPassword, db.instanceClass], ["postgres", "pachyderm", 5432, false, true, "db.t4g.small"]);
    assert.equal(db.password, undefined);
    assert.deepEqual(values(plain).postgresql, { enabled: false });
  });

  it("pachd, pgbouncer and the workers read Pachyderm's own role's password from platinfra's Secret; TLS to RDS on both paths; dex in its own database", () => {
    // pachd/deployment.yaml and pgbouncer/deployment.yaml both take POSTGRES(QL)_PASSWORD from
    // postgresqlExistingSecretName/Key; worker_rc.go copies pachd's secretKeyRef into the workers.
    assert.deepEqual(values(plain).global, {
      postgresql: {
        postgresqlHost: "pachyderm-db.abcdefghij.eu-west-1.rds.amazonaws.com",
        postgresqlPort: "5432",
        postgresqlUsername: "pachyderm",
        // SCRAM: with the chart's md5, pgbouncer's userlist holds an md5 hash, which cannot answer RDS's SCRAM challenge.
        postgresqlAuthType: "scram-sha-256",
        postgresqlPassword: "",
        postgresqlExistingSecretName: "pachyderm-credentials",
        postgresqlExistingSecretKey: "postgresql-password",
        postgresqlDatabase: "pachyderm",
        identityDatabaseFullNameOverride: "dex",
        postgresqlSSL: "require",
        ssl: true,
      },
    });
    const generated = (key: string) => named(plain, `pachyderm-credentials-${key}`, "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([generated("postgresql-password").length, generated("postgresql-password").special], [40, false]);
    assert.deepEqual([generated("OAUTH_CLIENT_SECRET").length, generated("OAUTH_CLIENT_SECRET").special], [32, false]);
    const secret = named(plain, "pachyderm-credentials", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(secret.metadata, { name: "pachyderm-credentials", namespace: "pachyderm" });
    assert.equal(secret.stringData, "[secret]");
  });

  it("the master's credentials are synced for the setup Job only, through a service account of their own (not pachd's)", () => {
    const external = named(plain, "pachyderm-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "pachyderm-db-master", namespace: "pachyderm" });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "pachyderm-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "pachyderm-database" } } });
    assert.doesNotMatch(JSON.stringify(values(plain)), /pachyderm-db-master/);
  });

  it("a setup Job makes the role and both databases before pachd starts (pachd panics without the dex database)", () => {
    const job = named(plain, "pachyderm-db-setup", JOB);
    const spec = (job.inputs as any).spec.template.spec;
    // replaceUnready: a Job that failed once is replaced (run again) by the next `up`, not waited on forever.
    assert.deepEqual((job.inputs as any).metadata, { name: "pachyderm-db-setup", namespace: "pachyderm", annotations: { "pulumi.com/replaceUnready": "true" } });
    assert.equal(spec.automountServiceAccountToken, false);
    // RDS's own ID of the instance in the pod template: a replaced instance (empty, maybe at the same address) replaces the Job, which runs again.
    assert.deepEqual((job.inputs as any).spec.template.metadata, { annotations: { "platinfra.dev/database-instance": "db-PACHYDERMDB" } });
    const container = setupContainer(plain);
    assert.deepEqual(container.command, ["/bin/bash", "-c", SETUP_SCRIPT]);
    const ref = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    assert.deepEqual(container.env, [
      { name: "PGHOST", value: "pachyderm-db.abcdefghij.eu-west-1.rds.amazonaws.com" },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "pachyderm" },
      { name: "PGSSLMODE", value: "require" },
      { name: "PGCONNECT_TIMEOUT", value: "10" },
      ref("PGUSER", "pachyderm-db-master", "username"),
      ref("PGPASSWORD", "pachyderm-db-master", "password"),
      { name: "APP_USER", value: "pachyderm" },
      ref("APP_PASSWORD", "pachyderm-credentials", "postgresql-password"),
      { name: "APP_DATABASE", value: "pachyderm" },
      { name: "IDENTITY_DATABASE", value: "dex" },
      { name: "SETUP_SQL", value: SETUP_SQL },
    ]);
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.deepEqual(container.volumeMounts, [{ name: "tmp", mountPath: "/tmp" }]);
    const release = named(plain, "pachyderm", RELEASE);
    assert.ok(waitsFor(plain, release, job), "the release waits for the setup Job");
    assert.ok(waitsFor(plain, job, named(plain, "pachyderm-db-credentials")), "the Job waits for the synced master Secret");
    assert.ok(waitsFor(plain, job, named(plain, "pachyderm-credentials", "kubernetes:core/v1:Secret")));
  });

  it("the setup SQL quotes every value with format() and is idempotent; the script never echoes the password", () => {
    assert.deepEqual(SETUP_SQL.split("\n"), [
      "SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \\gexec",
      "SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \\gexec",
      "SELECT format('GRANT %I TO CURRENT_USER', :'role') \\gexec",
      "SELECT format('ALTER DATABASE %I OWNER TO %I', :'database', :'role') \\gexec",
      "SELECT format('CREATE DATABASE %I OWNER %I', :'identity', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'identity') \\gexec",
      "",
    ]);
    assert.equal(
      SETUP_SCRIPT,
      `printf '%s' "$SETUP_SQL" | psql -v ON_ERROR_STOP=1 -q -v role="$APP_USER" -v password="$APP_PASSWORD" -v database="$APP_DATABASE" -v identity="$IDENTITY_DATABASE" -f - && echo "Pachyderm's database role and databases are ready"`,
    );
  });

  it("S3 through IRSA: the storage URL with its region and no keys; pachd and the workers each on their own role, naming only the bucket; the master secret only on the sync's role", () => {
    const bucket = named(plain, "pachyderm-data", "aws:s3/bucket:Bucket").inputs.bucket as string;
    const bucketArn = `arn:aws:s3:::${bucket}`;
    assert.deepEqual(values(plain).pachd.storage, { backend: "AMAZON", storageURL: `s3://${bucket}?region=eu-west-1`, amazon: { bucket, region: "eu-west-1" } });
    assert.equal(storageUrl("b", "us-east-1"), "s3://b?region=us-east-1");
    assert.deepEqual(values(plain).pachd.serviceAccount, { create: false, name: "pachyderm" });
    assert.deepEqual(values(plain).pachd.worker, { serviceAccount: { create: false, name: "pachyderm-worker" } });
    const trusted = (role: string) => Object.values(json(named(plain, role, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted("pachyderm-irsa"), ["sts.amazonaws.com", "system:serviceaccount:pachyderm:pachyderm"]);
    assert.deepEqual(trusted("pachyderm-worker-irsa"), ["sts.amazonaws.com", "system:serviceaccount:pachyderm:pachyderm-worker"]);
    assert.deepEqual(trusted("pachyderm-database-irsa"), ["sts.amazonaws.com", "system:serviceaccount:pachyderm:pachyderm-database"]);
    const resources = (policy: string) => [...new Set(json(named(plain, policy).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
    assert.deepEqual(resources("pachyderm-irsa-policy"), [bucketArn, `${bucketArn}/*`]);
    assert.deepEqual(resources("pachyderm-worker-irsa-policy"), [bucketArn, `${bucketArn}/*`]);
    assert.deepEqual(resources("pachyderm-database-irsa-policy"), [SECRET_ARN]);
    const accounts = ofType(plain, "kubernetes:core/v1:ServiceAccount").map((account) => (account.inputs as any).metadata).filter((metadata) => metadata.namespace === "pachyderm");
    assert.deepEqual(accounts.map((metadata) => [metadata.namespace, metadata.name, metadata.annotations["eks.amazonaws.com/role-arn"]]).sort(), [
      ["pachyderm", "pachyderm", "arn:aws:iam::123456789012:role/demo-dev-pachyderm"],
      ["pachyderm", "pachyderm-database", "arn:aws:iam::123456789012:role/demo-dev-pachyderm-database"],
      ["pachyderm", "pachyderm-worker", "arn:aws:iam::123456789012:role/demo-dev-pachyderm-worker"],
    ]);
    // Unversioned: Pachyderm garbage-collects its own chunks.
    assert.deepEqual(ofType(plain, "aws:s3/bucketVersioning:BucketVersioning").map((resource) => resource.name).filter((name) => name.startsWith("pachyderm-")), []);
  });

  it("no auth to turn on without an Enterprise licence: auth off, no mock identity provider, no Envoy proxy, in-cluster Services only", () => {
    const chart = values(plain);
    assert.deepEqual([chart.pachd.activateAuth, chart.oidc, chart.proxy, chart.pachd.service], [false, { mockIDP: false }, { enabled: false }, { type: "ClusterIP" }]);
    assert.equal(chart.pachd.enterpriseLicenseKey, undefined);
    assert.deepEqual(errorsOf(PLAIN.replace("data_versioning: [pachyderm]", "data_versioning: [{pachyderm: {expose: {host: pachyderm.example.com}}}]")), [
      "stack.yaml:9:42: stack.data_versioning[0].pachyderm.expose: Pachyderm cannot be exposed: its auth is an Enterprise feature (it needs a licence), and an open pachd would let anyone read and change all its data — remove expose; from a laptop use the port-forward (platinfra outputs <stack.yaml> --env --local)",
    ]);
  });

  it("etcd on an encrypted gp3 volume of the given size; no Loki, no usage metrics, a stable cluster deployment ID", () => {
    assert.deepEqual([values(plain).etcd.storageClass, values(plain).etcd.storageSize, values(sized).etcd.storageSize], ["gp3-encrypted", "10Gi", "50Gi"]);
    // The size is the StatefulSet's volumeClaimTemplates (etcd/statefulset.yaml), which Kubernetes never updates: the param says so.
    assert.match(pachydermParams.shape.etcd.unwrap().shape.storage_gb.description ?? "", /fixed when Pachyderm is first deployed: .* grow the PVC etcd-storage-etcd-0 with kubectl instead/);
    assert.deepEqual([values(plain).pachd.lokiDeploy, values(plain).pachd.lokiLogging, values(plain).pachd.metrics], [false, false, { enabled: false }]);
    // The data bucket's name: the same on every upgrade, unlike the chart's randAlphaNum.
    assert.equal(values(plain).pachd.clusterDeploymentID, named(plain, "pachyderm-data", "aws:s3/bucket:Bucket").inputs.bucket);
  });

  it("sizes: pachd's resources from params, the console optional", () => {
    assert.deepEqual(values(sized).pachd.resources, { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } });
    assert.equal(values(sized).console.enabled, false);
    assert.deepEqual(values(sized).console.config, { oauthClientSecretSecretName: "pachyderm-credentials", disableTelemetry: true });
  });

  it("no secret in plain text in any recorded input: only Secret names and keys", () => {
    for (const result of [plain, sized]) {
      const mentions = stringLeaves(values(result)).filter(([, value]) => /secret|password/i.test(value));
      assert.deepEqual(mentions.sort(), [
        ["global.postgresql.postgresqlExistingSecretKey", "postgresql-password"],
      ]);
      for (const resource of result.resources.filter((candidate) => candidate.parent?.endsWith("platinfra:tools:Pachyderm::pachyderm") || candidate.name.startsWith("pachyderm"))) {
        const text = JSON.stringify(resource.inputs);
        assert.doesNotMatch(text, /insecure-user-password|insecure-root-password/, resource.name);
      }
    }
    assert.equal((named(plain, "pachyderm-credentials", "kubernetes:core/v1:Secret").inputs as any).stringData, "[secret]");
    // The mock runtime's generated values ("mock-<resource>-xxx…") appear in no recorded input of the stack.
    const everything = JSON.stringify(plain.resources.map((resource) => resource.inputs));
    assert.doesNotMatch(everything, /mock-pachyderm-credentials/);
  });

  it("outputs: the in-cluster address, port-forwards, a pachctl context and first commands; env for pods and for laptops", () => {
    const bucket = named(plain, "pachyderm-data", "aws:s3/bucket:Bucket").inputs.bucket as string;
    assert.deepEqual(pachydermOutputs(plain), {
      pachdAddress: IN_CLUSTER,
      consoleUrl: "http://console.pachyderm.svc.cluster.local:4000",
      localConsoleUrl: "http://localhost:4000",
      portForwards: ["kubectl -n pachyderm port-forward svc/pachd 30650:30650", "kubectl -n pachyderm port-forward svc/console 4000:4000"],
      pachctlContext: '{"pachd_address":"grpc://localhost:30650"}',
      commands: [
        "# pachctl 2.11.6: https://github.com/pachyderm/pachyderm/releases/tag/v2.11.6",
        "kubectl -n pachyderm port-forward svc/pachd 30650:30650 &",
        "kubectl -n pachyderm port-forward svc/console 4000:4000 &",
        "pachctl connect grpc://localhost:30650 --alias demo-dev   # creates the context and makes it active",
        "pachctl version",
        "pachctl create repo example && echo hello | pachctl put file example@master:/hello.txt && pachctl list file example@master",
        "# the console: http://localhost:4000 in a browser, while its port-forward runs",
      ],
      dataBucket: bucket,
      storageUrl: `s3://${bucket}?region=eu-west-1`,
      databaseEndpoint: "pachyderm-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432",
      workerRoleArn: "arn:aws:iam::123456789012:role/demo-dev-pachyderm-worker",
    });
    assert.deepEqual(plain.outputs.env, { PACHD_ADDRESS: IN_CLUSTER });
    assert.deepEqual((plain.outputs.local as Record<string, unknown>).pachyderm, {
      namespace: "pachyderm",
      service: "pachd",
      ports: [{ local: 30650, remote: 30650 }],
      env: { PACHD_ADDRESS: "grpc://localhost:30650" },
    });
    assert.equal(pachydermOutputs(sized).consoleUrl, undefined);
    assert.deepEqual(pachydermOutputs(sized).portForwards, ["kubectl -n pachyderm port-forward svc/pachd 30650:30650"]);
  });

  it("outputs --env: the in-cluster address, said to be one; --env --local: the port-forward and localhost", () => {
    const stackOutputs = Object.fromEntries(Object.entries(plain.outputs).map(([key, value]) => [key, { value, secret: false }]));
    assert.equal(
      formatEnv(stackOutputs, false),
      [
        "# In-cluster addresses, which resolve only inside the cluster: PACHD_ADDRESS",
        "# From a laptop: add --local for the kubectl port-forward commands and the localhost settings",
        `export PACHD_ADDRESS='${IN_CLUSTER}'`,
      ].join("\n"),
    );
    const local = formatEnv(stackOutputs, false, { local: true }).split("\n");
    assert.deepEqual(local.slice(-2), ["#   kubectl --namespace pachyderm port-forward svc/pachd 30650:30650", "export PACHD_ADDRESS='grpc://localhost:30650'"]);
  });

  it("pure client builders", () => {
    assert.equal(pachctlContext(), '{"pachd_address":"grpc://localhost:30650"}');
    assert.deepEqual(portForwards(false), ["kubectl -n pachyderm port-forward svc/pachd 30650:30650"]);
    assert.deepEqual(pachydermCommands({ contextName: "prod", withConsole: false }), [
      "# pachctl 2.11.6: https://github.com/pachyderm/pachyderm/releases/tag/v2.11.6",
      "kubectl -n pachyderm port-forward svc/pachd 30650:30650 &",
      "pachctl connect grpc://localhost:30650 --alias prod   # creates the context and makes it active",
      "pachctl version",
      "pachctl create repo example && echo hello | pachctl put file example@master:/hello.txt && pachctl list file example@master",
    ]);
  });

  it("validate warns (not an error) that upstream releases stopped in 2024-12, at the tool's listing", () => {
    assert.deepEqual(errorsOf(PLAIN), []);
    assert.deepEqual(problemsOf(PLAIN), [`stack.yaml:9:21: stack.data_versioning[0]: warning: ${UPSTREAM_STATUS}`]);
    // Listed under both its roles: one deployment, one warning (at its first listing).
    const both = stackWith({ data_versioning: ["pachyderm"], artifact_tracker: ["pachyderm"] });
    assert.deepEqual(problemsOf(both), [`stack.yaml:9:21: stack.data_versioning[0]: warning: ${UPSTREAM_STATUS}`]);
    assert.match(UPSTREAM_STATUS, /^pachyderm: upstream releases stopped in 2024-12 — 2\.11\.6, deployed here, is the last stable release/);
  });

  it("params: working defaults, and errors that say what is allowed, at their position", () => {
    assert.deepEqual(pachydermParams.parse({}), { console: true, etcd: { storage_gb: 10 }, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    assert.deepEqual(paramsErrors(pachydermParams, { console: "yes", etcd: { storage_gb: 0 }, database: { instance_class: "t3.micro" } }), [
      "console: Invalid input: expected boolean, received string",
      "etcd.storage_gb: Too small: expected number to be >=1",
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
    ]);
    assert.deepEqual(paramsErrors(pachydermParams, { etcd: { size: 5 } }), ['etcd: Unrecognized key: "size"']);
    const text = PLAIN.replace("data_versioning: [pachyderm]", "data_versioning: [{pachyderm: {etcd: {storage_gb: 0}}}]");
    assert.deepEqual(errorsOf(text), ["stack.yaml:9:53: stack.data_versioning[0].pachyderm.etcd.storage_gb: received the number 0 — must be at least 1"]);
  });
});

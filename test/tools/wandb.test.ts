import { strict as assert } from "node:assert";
import { wandbParams } from "../../components/tools/wandb/params";
import { CAPACITY_WITHOUT_KARPENTER, selfManagedNotice, wandbChecks, wandbDeployInputs } from "../../components/tools/wandb/checks";
import { CHARTS } from "../../components/base/charts";
import { preview, up, render } from "../../src/api";
import { presentDeployInputs, RENDER_PLACEHOLDER, requireDeployInputs } from "../../src/deploy-inputs";
import type { RenderResult } from "../../src/engine/render";
import { withEnv, tempDir } from "../helpers/environment";
import { FakeEngine, fakeDependencies } from "../helpers/fake-engine";
import { paramsErrors } from "../helpers/params";
import { childrenOf, json, named, ofType, renderSpec } from "../helpers/render";
import { fixtureVersion, unknownKeysOf, unknownValuesKeys } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { chartSizing, containerRequests, eksAllocatable, M6I_LARGE, sum, unplaced } from "../helpers/capacity";
import { DEFAULT_POOL_LIMITS } from "../../components/base/node-pools";
import { errorsOf, specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";
import * as fs from "node:fs";
import { platinfra } from "../helpers/cli";
import { engineCli } from "../helpers/engine-cli";

const API_KEY = "wandb-test-api-key-0123456789abcdef0123456789abcdef";
const CLOUD_SPEC = specOf(stackWith({ experiment_tracker: ["wandb"] }));
const toolOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).wandb;

/** Renders a stack with W&B (and `others`) as the program would after `requireDeployInputs`. */
function renderWandb(params: Record<string, unknown>, inputs: Record<string, string>, stack: Record<string, string[]> = { experiment_tracker: ["wandb"] }) {
  const spec = specOf(stackWith(stack), { allDeployable: true });
  const tools = spec.tools.map((tool) => (tool.name === "wandb" ? { ...tool, params: wandbParams.parse(params) } : tool));
  return renderSpec({ ...spec, tools }, { deployInputs: inputs });
}

describe("wandb params", () => {
  it("defaults to cloud at W&B's hosted API, with no self-managed settings", () => {
    assert.deepEqual(wandbParams.parse({}), { mode: "cloud" });
    assert.deepEqual(wandbParams.parse({ base_url: "https://acme.wandb.io" }), { mode: "cloud", base_url: "https://acme.wandb.io" });
  });

  it("refuses wrong values and settings of the other mode, at their key, with the fix", () => {
    const cases: [unknown, string[]][] = [
      [{ mode: "hosted" }, ['mode: mode "hosted" is not allowed — use cloud (W&B\'s hosted service or your Dedicated Cloud) or self-managed (the W&B server in this cluster, needs a W&B licence)']],
      [{ base_url: "http://acme.wandb.io" }, ['base_url: base_url "http://acme.wandb.io" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']],
      [{ base_url: "https://acme.wandb.io/api" }, ['base_url: base_url "https://acme.wandb.io/api" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']],
      [{ api_key: "x" }, [': Unrecognized key: "api_key"']],
      [{ database: {} }, ["database: database is a self-managed setting, and mode is cloud — add mode: self-managed to run the W&B server in this cluster, or remove database"]],
      [
        { license_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:wandb-licence" },
        ["license_secret_arn: license_secret_arn is a self-managed setting, and mode is cloud — add mode: self-managed to run the W&B server in this cluster, or remove license_secret_arn"],
      ],
      [{ mode: "self-managed", base_url: "https://acme.wandb.io" }, ["base_url: base_url is the W&B cloud host, and mode is self-managed: the server's URL is this stack's (expose.host, or the in-cluster Service) — remove base_url"]],
      [{ mode: "self-managed", license_secret_arn: "wandb-licence" }, ['license_secret_arn: license_secret_arn "wandb-licence" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>']],
    ];
    for (const [input, errors] of cases) assert.deepEqual(paramsErrors(wandbParams, input), errors, JSON.stringify(input));
  });

  it("validate reports a param error at its position in the file", () => {
    const text = stackWith({ experiment_tracker: ["wandb"] }).replace("[wandb]", "\n    - wandb: {mode: cloud, base_url: http://x.example.com}");
    assert.deepEqual(errorsOf(text), ['stack.yaml:10:38: stack.experiment_tracker[0].wandb.base_url: base_url "http://x.example.com" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path']);
  });
});

describe("wandb deploy-time inputs", () => {
  it("cloud reads the API key; self-managed the licence unless it is in Secrets Manager", () => {
    assert.deepEqual(wandbDeployInputs({}).map((input) => input.variable), ["WANDB_API_KEY"]);
    assert.deepEqual(wandbDeployInputs({ mode: "self-managed" }).map((input) => input.variable), ["WANDB_LICENSE"]);
    assert.deepEqual(wandbDeployInputs({ mode: "self-managed", license_secret_arn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l" }), []);
  });

  it("validate needs no key; up and preview refuse without it before the engine or AWS is asked anything", async () => {
    assert.deepEqual(wandbChecks({ params: {}, roles: ["experiment_tracker"], deployment: CLOUD_SPEC.deployment, tools: ["wandb"] }), []);
    assert.deepEqual(errorsOf(stackWith({ experiment_tracker: ["wandb"] })), []);
    const engine = new FakeEngine();
    let preflights = 0;
    const dependencies = fakeDependencies(engine, async () => (preflights++, { accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/x", region: "eu-west-1" }));
    const env = withEnv({ PLATINFRA_HOME: tempDir(), PLATINFRA_PASSPHRASE: "x" });
    try {
      for (const run of [() => preview(CLOUD_SPEC, { dependencies, env: { WANDB_API_KEY: " " } }), () => up(CLOUD_SPEC, { dependencies, yes: true, env: {} })]) {
        await assert.rejects(run(), (error: Error & { code: string; hints: string[]; exitCode: number }) => {
          assert.equal(error.code, "DEPLOY_INPUT_MISSING");
          assert.equal(error.exitCode, 2);
          assert.equal(error.message, "stack.yaml: wandb reads the W&B API key the stack's pods log with from the environment variable WANDB_API_KEY at deploy time, and it is not set — nothing was deployed");
          assert.deepEqual(error.hints, ["export WANDB_API_KEY=<your API key from https://wandb.ai/authorize, or your Dedicated Cloud's /authorize>, then run again"]);
          return true;
        });
      }
      assert.deepEqual([engine.calls, preflights], [[], 0]);
    } finally {
      env.restore();
    }
  });

  it("only the declared variables reach the program; render puts a placeholder in for a missing one", () => {
    assert.deepEqual(requireDeployInputs(CLOUD_SPEC, { WANDB_API_KEY: API_KEY, AWS_SECRET_ACCESS_KEY: "nope" }), { WANDB_API_KEY: API_KEY });
    assert.deepEqual(presentDeployInputs(CLOUD_SPEC, {}), {});
    assert.deepEqual(presentDeployInputs(CLOUD_SPEC, {}, RENDER_PLACEHOLDER), { WANDB_API_KEY: "not-set-when-rendering" });
  });

  it("self-managed: validate says a licence is needed and how to give it", () => {
    const check = (params: Record<string, unknown>) => wandbChecks({ params, roles: ["experiment_tracker"], deployment: CLOUD_SPEC.deployment, tools: ["wandb"] });
    assert.deepEqual(check({ mode: "self-managed" }), [{ severity: "warning", message: selfManagedNotice(true) }]);
    assert.match(selfManagedNotice(true), /^wandb: self-managed W&B needs a licence issued by W&B — export WANDB_LICENSE=<licence> before up\/preview/);
    assert.match(selfManagedNotice(false), /— it is synced from license_secret_arn\. The W&B operator runs connected/);
  });
});

describe("wandb: platinfra preview without the key (CLI, in-memory engine)", () => {
  const cli = engineCli();
  it("prints the refusal and its fix, exits 2, runs nothing", async () => {
    fs.writeFileSync(cli.spec, stackWith({ experiment_tracker: ["wandb"] }));
    const env = withEnv({ WANDB_API_KEY: undefined });
    try {
      const { stderr, exitCode } = await platinfra(["preview", cli.spec]);
      assert.equal(exitCode, 2);
      assert.match(stderr, /stack\.yaml: wandb reads the W&B API key the stack's pods log with from the environment variable WANDB_API_KEY at deploy time, and it is not set — nothing was deployed/);
      assert.match(stderr, /export WANDB_API_KEY=<your API key from https:\/\/wandb\.ai\/authorize/);
      assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
      assert.deepEqual(cli.engine.operations, []);
    } finally {
      env.restore();
    }
  });
});

describe("wandb, mode: cloud", () => {
  let cloud: RenderResult;
  let dedicated: RenderResult;
  before(async () => {
    cloud = await renderWandb({}, { WANDB_API_KEY: API_KEY });
    dedicated = await renderWandb({ base_url: "https://acme.wandb.io" }, { WANDB_API_KEY: API_KEY });
  });

  it("creates nothing in the cluster or AWS: W&B runs at W&B", () => {
    assert.deepEqual(childrenOf(cloud, "platinfra:tools:Wandb::wandb"), []);
  });

  it("client settings: the host as a value, the key only as a secret", () => {
    assert.deepEqual(cloud.outputs.env, { WANDB_BASE_URL: "https://api.wandb.ai" });
    assert.equal(cloud.outputs.secretEnv, "[secret]");
    assert.deepEqual((dedicated.outputs.env as Record<string, string>).WANDB_BASE_URL, "https://acme.wandb.io");
    assert.deepEqual(toolOutputs(dedicated), {
      mode: "cloud",
      baseUrl: "https://acme.wandb.io",
      apiKey: "read from WANDB_API_KEY at deploy time; a Pulumi secret (platinfra outputs --env --show-secrets), never in plain outputs",
      pods: "training and pipeline pods of this stack's tools read WANDB_BASE_URL, and WANDB_API_KEY from Secret wandb-client in their own namespace",
      laptop: "export WANDB_BASE_URL=https://acme.wandb.io WANDB_API_KEY=<your key>, or wandb login --host=https://acme.wandb.io",
      check: `python -c "import wandb; run = wandb.init(project='platinfra-smoke'); run.log({'x': 1}); run.finish()"`,
    });
    assert.equal(JSON.stringify(cloud).includes(API_KEY), false, "the API key in plain text");
  });

  it("render runs offline without the key; a program given none says what is missing", async () => {
    const env = withEnv({ WANDB_API_KEY: undefined });
    try {
      const rendered = await render(specOf(stackWith({ experiment_tracker: ["wandb"] }), { allDeployable: true }), { env: {} });
      assert.deepEqual(rendered.outputs.env, { WANDB_BASE_URL: "https://api.wandb.ai" });
    } finally {
      env.restore();
    }
    await assert.rejects(renderWandb({}, {}), /wandb: WANDB_API_KEY was not passed to the program — deploy with platinfra \(up\/preview read it from the environment first\), or pass deployInputs: \{WANDB_API_KEY: …\} to stackProgram/);
  });
});

describe("wandb cloud, linked: the pods of training and pipeline tools log to W&B", () => {
  let linked: RenderResult;
  before(async () => {
    linked = await renderWandb({}, { WANDB_API_KEY: API_KEY }, { experiment_tracker: ["mlflow", "wandb"], runtime_engine: ["ray"], pipelining: ["argo"] });
  });

  it("each consuming tool gets Secret wandb-client in its own namespace, its value a Pulumi secret, before its pods", () => {
    for (const [tool, namespace, reader, type] of [["ray", "ray", "ray-cluster", "kubernetes:ray.io/v1:RayCluster"], ["argo", "argo-workflows", "argo", "kubernetes:helm.sh/v3:Release"]]) {
      const secret = named(linked, `${tool}-wandb-client`, "kubernetes:core/v1:Secret");
      assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "wandb-client", namespace }, "[secret]"], tool);
      assert.ok(named(linked, reader, type).dependencies?.includes(secret.urn), `${reader} waits for the Secret its pods read`);
    }
    assert.equal(JSON.stringify(linked).includes(API_KEY), false, "the API key in plain text");
  });

  it("Ray's containers get MLflow's and W&B's settings, the key by reference", () => {
    const cluster = named(linked, "ray-cluster").inputs as any;
    for (const group of [cluster.spec.headGroupSpec, ...cluster.spec.workerGroupSpecs]) {
      const env = group.template.spec.containers[0].env.filter((variable: { name: string }) => /^(MLFLOW|WANDB)_/.test(variable.name));
      assert.deepEqual(env, [
        { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" },
        { name: "WANDB_BASE_URL", value: "https://api.wandb.ai" },
        { name: "WANDB_API_KEY", valueFrom: { secretKeyRef: { name: "wandb-client", key: "WANDB_API_KEY" } } },
      ]);
    }
  });
});

const LICENCE = "wandb-test-licence-eyJhbGciOiJSUzI1NiJ9.payload.signature";
const LICENCE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:wandb-licence-AbCdEf";
const OIDC_CLIENT_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:wandb-oidc-AbCdEf";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
const OIDC = {
  type: "oidc",
  issuer: "https://idp.example.com",
  authorization_endpoint: "https://idp.example.com/authorize",
  token_endpoint: "https://idp.example.com/token",
  user_info_endpoint: "https://idp.example.com/userinfo",
  client_id: "wandb",
  client_secret_arn: OIDC_CLIENT_ARN,
};
const COGNITO = {
  type: "cognito",
  user_pool_arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123",
  client_id: "4abcdefghij5klmnopqrs6tuvw",
  domain: "acme-wandb",
};
const CR = "kubernetes:apps.wandb.com/v1:WeightsAndBiases";
const statementsOf = (result: RenderResult, policy: string) => json(named(result, policy, "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;

describe("wandb, mode: self-managed", () => {
  let internal: RenderResult;
  let exposed: RenderResult;
  before(async () => {
    internal = await renderWandb({ mode: "self-managed" }, { WANDB_LICENSE: LICENCE });
    exposed = await renderWandb({ mode: "self-managed", license_secret_arn: LICENCE_ARN, redis: { replicas: 1 }, expose: { host: "wandb.example.com", certificate_arn: CERTIFICATE, auth: OIDC } }, {});
  });

  it("creates its namespace, files bucket, MySQL, ElastiCache Redis, two IRSA roles, the secrets, the operator with its CRD, and the W&B resource", () => {
    assert.deepEqual(childrenOf(internal, "platinfra:tools:Wandb::wandb"), [
      "aws:ec2/securityGroup:SecurityGroup wandb-redis-sg",
      "aws:elasticache/replicationGroup:ReplicationGroup wandb-redis",
      "aws:elasticache/subnetGroup:SubnetGroup wandb-redis-subnets",
      "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration wandb-files-cors",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule wandb-redis-from-0",
      "kubernetes:apps.wandb.com/v1:WeightsAndBiases wandb-server",
      "kubernetes:core/v1:Namespace wandb-namespace",
      "kubernetes:core/v1:Secret wandb-license",
      "kubernetes:core/v1:Secret wandb-redis",
      "kubernetes:external-secrets.io/v1:ExternalSecret wandb-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore wandb-secret-store",
      "kubernetes:helm.sh/v3:Release wandb-operator",
      "kubernetes:yaml/v2:ConfigFile wandb-crds-weightsandbiases",
      "platinfra:base:Bucket wandb-files",
      "platinfra:base:Database wandb-db",
      "platinfra:base:ServiceAccountRole wandb-app-irsa",
      "platinfra:base:ServiceAccountRole wandb-parquet-irsa",
      "random:index/randomPassword:RandomPassword wandb-redis-REDIS_PASSWORD",
    ]);
    assert.equal(ofType(internal, "kubernetes:networking.k8s.io/v1:Ingress").length, 0, "not exposed unless asked");
    // Browsers move files to and from S3 with presigned URLs, from W&B's URL only.
    const cors = (result: RenderResult) => named(result, "wandb-files-cors").inputs as any;
    assert.deepEqual(cors(internal), {
      bucket: named(internal, "wandb-files", "aws:s3/bucket:Bucket").inputs.bucket,
      corsRules: [{ allowedOrigins: ["http://localhost:8060"], allowedMethods: ["GET", "HEAD", "PUT"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 3000 }],
    });
    assert.deepEqual(cors(exposed).corsRules[0].allowedOrigins, ["https://wandb.example.com"]);
  });

  it("the operator: chart operator 1.4.8 with its CRD applied first at the chart's commit, image pinned, Roles in its namespace only, connected", () => {
    const release = named(internal, "wandb-operator", "kubernetes:helm.sh/v3:Release");
    assert.deepEqual([release.inputs.chart, release.inputs.version, release.inputs.namespace, release.inputs.skipCrds], ["operator", "1.4.8", "wandb", true]);
    assert.equal(fixtureVersion(CHARTS.wandbOperator.fixture), CHARTS.wandbOperator.version);
    assert.deepEqual(release.inputs.values, { image: { repository: "wandb/controller", tag: "1.22.0", pullPolicy: "IfNotPresent" }, namespaceIsolation: { enabled: true }, airgapped: false });
    assert.deepEqual(unknownValuesKeys(release), []);
    const crd = named(internal, "wandb-crds-weightsandbiases", "kubernetes:yaml/v2:ConfigFile");
    assert.equal(crd.inputs.file, "https://raw.githubusercontent.com/wandb/helm-charts/82d5626a27d4e0e608067d9fe7f12f4b791e0d89/charts/operator/crds/wandb.yaml");
    assert.ok(waitsFor(internal, release, crd), "the operator waits for its CRD");
  });

  it("the W&B resource: chart operator-wandb 0.43.8, every values key known to that chart (wandb-base for the subcharts' service accounts)", () => {
    const server = named(internal, "wandb-server", CR).inputs as any;
    assert.deepEqual([server.metadata, server.spec.chart], [{ name: "wandb", namespace: "wandb", labels: { "wandb.ai/console-default": "true" } }, { url: "https://charts.wandb.ai", name: "operator-wandb", version: "0.43.8" }]);
    assert.equal(fixtureVersion("operator-wandb"), "0.43.8");
    const { app, parquet, ...values } = server.spec.values;
    assert.deepEqual(unknownKeysOf("operator-wandb", { ...values, app: { internalJWTMap: app.internalJWTMap } }), []);
    assert.deepEqual(unknownKeysOf("wandb-base", { serviceAccount: app.serviceAccount }), []);
    assert.deepEqual([app.serviceAccount, parquet], [{ create: false, name: "wandb-app" }, { serviceAccount: { create: false, name: "wandb-parquet" } }]);
  });

  it("values: MySQL, bucket and Redis wired, secrets only by reference, bundled stores and cluster-wide parts off", () => {
    const values = (named(internal, "wandb-server", CR).inputs as any).spec.values;
    const bucket = named(internal, "wandb-files", "aws:s3/bucket:Bucket").inputs.bucket;
    assert.deepEqual(values.global, {
      host: "http://localhost:8060",
      cloudProvider: "aws",
      size: "small",
      licenseSecret: { name: "wandb-license", key: "license" },
      mysql: { host: "wandb-db.abcdefghij.eu-west-1.rds.amazonaws.com", port: 3306, database: "wandb_local", user: "platinfra", passwordSecret: { name: "wandb-mysql", passwordKey: "MYSQL_PASSWORD" } },
      defaultBucket: { provider: "s3", name: bucket, region: "eu-west-1", path: "", kmsKey: "" },
      redis: { host: "master.demo-dev-wandb.abcdef.eu-west-1.cache.amazonaws.com", port: 6379, params: { tls: "true" }, secret: { secretName: "wandb-redis", secretKey: "REDIS_PASSWORD" } },
      pod: { annotations: { "secret.reloader.stakater.com/reload": "wandb-mysql" } },
      nodeSelector: { "kubernetes.io/arch": "amd64" },
      operator: { namespace: "wandb" },
    });
    assert.deepEqual(
      [values.ingress, values.mysql, values.redis, values.otel, values.prometheus, values.console, values.app.internalJWTMap],
      [{ install: false }, { install: false }, { install: false }, { install: false }, { install: false }, { role: { type: "Role" } }, []],
    );
    assert.equal(JSON.stringify(internal).includes(LICENCE), false, "the licence in plain text");
    assert.equal(JSON.stringify(internal).includes("mock-wandb-redis-REDIS_PASSWORD"), false, "the Redis token in plain text");
  });

  it("MySQL 8.4 on RDS with W&B's parameters; its password synced URL-escaped into wandb-mysql; the resource waits for every secret and the operator", () => {
    const instance = named(internal, "wandb-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([instance.engine, instance.engineVersion, instance.instanceClass, instance.dbName], ["mysql", "8.4", "db.t4g.medium", "wandb_local"]);
    const parameters = named(internal, "wandb-db-parameters", "aws:rds/parameterGroup:ParameterGroup").inputs;
    assert.deepEqual([parameters.family, parameters.parameters], ["mysql8.4", [
      { name: "max_prepared_stmt_count", value: "1048576", applyMethod: "pending-reboot" },
      { name: "innodb_online_alter_log_max_size", value: "268435456", applyMethod: "pending-reboot" },
    ]]);
    const sync = named(internal, "wandb-db-credentials").inputs as any;
    assert.deepEqual(sync.spec.target.template.data, { MYSQL_PASSWORD: "{{ .password | urlquery }}" });
    assert.equal(sync.metadata.name, "wandb-mysql");
    const server = named(internal, "wandb-server", CR);
    for (const [name, type] of [["wandb-operator", "kubernetes:helm.sh/v3:Release"], ["wandb-db-credentials", "kubernetes:external-secrets.io/v1:ExternalSecret"], ["wandb-license", "kubernetes:core/v1:Secret"], ["wandb-redis", "kubernetes:core/v1:Secret"], ["wandb-app-irsa-sa", "kubernetes:core/v1:ServiceAccount"], ["wandb-parquet-irsa-sa", "kubernetes:core/v1:ServiceAccount"]]) {
      assert.ok(waitsFor(internal, server, named(internal, name, type)), `the resource waits for ${name}`);
    }
  });

  it("the licence: a Pulumi secret from WANDB_LICENSE, or synced from Secrets Manager (the app role may read exactly it)", () => {
    const secret = named(internal, "wandb-license", "kubernetes:core/v1:Secret").inputs;
    assert.deepEqual([secret.metadata, secret.stringData], [{ name: "wandb-license", namespace: "wandb" }, "[secret]"]);
    const synced = named(exposed, "wandb-license", "kubernetes:external-secrets.io/v1:ExternalSecret").inputs as any;
    assert.deepEqual(synced.spec, {
      refreshInterval: "1h",
      secretStoreRef: { name: "wandb-aws", kind: "SecretStore" },
      target: { name: "wandb-license", creationPolicy: "Owner" },
      data: [{ secretKey: "license", remoteRef: { key: LICENCE_ARN } }],
    });
    assert.deepEqual(statementsOf(exposed, "wandb-app-irsa-policy").find((statement: any) => statement.Sid === "LicenseSecret").Resource, [LICENCE_ARN]);
  });

  it("IRSA: app and parquet, each trusted for its own service account, may use exactly the files bucket (app also the database secret)", () => {
    const bucketArn = `arn:aws:s3:::${named(internal, "wandb-files", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const files = [
      { Sid: "FilesList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: [bucketArn] },
      { Sid: "FilesObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: [`${bucketArn}/*`] },
    ];
    assert.deepEqual(statementsOf(internal, "wandb-parquet-irsa-policy"), files);
    assert.deepEqual(statementsOf(internal, "wandb-app-irsa-policy"), [
      ...files,
      { Sid: "DatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-wandb-db-AbCdEf"] },
    ]);
    for (const account of ["app", "parquet"]) {
      const role = named(internal, `wandb-${account}-irsa`, "aws:iam/role:Role").inputs;
      assert.equal(role.name, `demo-dev-wandb-${account}`);
      assert.equal(Object.values(json(role.assumeRolePolicy).Statement[0].Condition.StringEquals)[0], `system:serviceaccount:wandb:wandb-${account}`);
      assert.deepEqual((named(internal, `wandb-${account}-irsa-sa`, "kubernetes:core/v1:ServiceAccount").inputs as any).metadata.name, `wandb-${account}`);
    }
  });

  it("Redis: ElastiCache 7.1 in the isolated subnets, encrypted, the AUTH token a generated secret; replicas turn on Multi-AZ failover", () => {
    const group = named(internal, "wandb-redis", "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
    assert.deepEqual(
      [group.replicationGroupId, group.engine, group.engineVersion, group.nodeType, group.numCacheClusters, group.automaticFailoverEnabled, group.multiAzEnabled, group.atRestEncryptionEnabled, group.transitEncryptionEnabled, group.authToken],
      ["demo-dev-wandb", "redis", "7.1", "cache.t4g.small", 1, false, false, true, true, "[secret]"],
    );
    assert.deepEqual(named(internal, "wandb-redis-subnets", "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds, ["demo-network-database-0-id", "demo-network-database-1-id", "demo-network-database-2-id"]);
    const replicated = named(exposed, "wandb-redis", "aws:elasticache/replicationGroup:ReplicationGroup").inputs;
    assert.deepEqual([replicated.numCacheClusters, replicated.automaticFailoverEnabled, replicated.multiAzEnabled], [2, true, true]);
  });

  it("internal: a port-forward whose local URL is W&B's host; SDK clients use the Service in pods, the forward on laptops; no API key is minted", () => {
    const forward = { wandb: { namespace: "wandb", service: "wandb-app", ports: [{ local: 8060, remote: 8080 }], env: { WANDB_BASE_URL: "http://localhost:8060" } } };
    assert.deepEqual([internal.outputs.local, exposed.outputs.local], [forward, forward]);
    assert.deepEqual(internal.outputs.env, { WANDB_BASE_URL: "http://wandb-app.wandb.svc.cluster.local:8080" });
    const outputs = toolOutputs(internal);
    assert.deepEqual([outputs.url, outputs.inClusterUrl, outputs.portForward], ["http://localhost:8060", "http://wandb-app.wandb.svc.cluster.local:8080", "kubectl -n wandb port-forward svc/wandb-app 8060:8080"]);
    assert.equal(outputs.beforeDestroy, `nothing to run; if destroy waits on the WeightsAndBiases resource (its finalizer could not run helm uninstall), remove the finalizer: kubectl -n wandb patch weightsandbiases wandb --type merge -p '{"metadata":{"finalizers":[]}}'`);
    assert.match(outputs.serverVersions, /connected mode.*operator 1\.22\.0 and chart operator-wandb 0\.43\.8$/);
  });

  it("exposed: behind the ALB's OIDC sign-in, its client secret synced by a store and role that may read only it", () => {
    const ingress = named(exposed, "wandb-ingress", "kubernetes:networking.k8s.io/v1:Ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/auth-type"], "oidc");
    assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend.service, { name: "wandb-app", port: { number: 8080 } });
    assert.deepEqual(statementsOf(exposed, "wandb-ui-irsa-policy"), [{ Sid: "OidcClientSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [OIDC_CLIENT_ARN] }]);
    assert.equal((named(exposed, "wandb-ui-oidc-client").inputs as any).spec.secretStoreRef.name, "wandb-ui-aws");
    assert.equal(((named(exposed, "wandb-server", CR).inputs as any).spec.values.global.host), "https://wandb.example.com");
    assert.equal(toolOutputs(exposed).url, "https://wandb.example.com");
    assert.match(toolOutputs(exposed).sdk, /laptops: kubectl -n wandb port-forward svc\/wandb-app 8060:8080, then WANDB_BASE_URL=http:\/\/localhost:8060 \(the ALB's browser sign-in stops API clients\)$/);
  });

  it("W&B's own sign-in: with auth oidc, the ALB's client (PKCE) and its synced secret by reference; none unless exposed with oidc", async () => {
    const valuesOf = (result: RenderResult) => (named(result, "wandb-server", CR).inputs as any).spec.values;
    assert.deepEqual(valuesOf(exposed).global.auth, {
      oidc: { clientId: "wandb", issuer: "https://idp.example.com", authMethod: "pkce", oidcSecret: { name: "wandb-oidc-client", secretKey: "clientSecret" } },
    });
    assert.deepEqual(unknownKeysOf("operator-wandb", { global: { auth: valuesOf(exposed).global.auth } }), []);
    // The chart's `wandb.oidcEnvs` reads oidcSecret.name/secretKey: the Secret the ALB's client is synced into, with that key.
    const client = named(exposed, "wandb-ui-oidc-client").inputs as any;
    assert.deepEqual([client.metadata.namespace, client.spec.target.name, Object.keys(client.spec.target.template.data)], ["wandb", "wandb-oidc-client", ["clientID", "clientSecret"]]);
    assert.ok(waitsFor(exposed, named(exposed, "wandb-server", CR), named(exposed, "wandb-ui-oidc-client")), "W&B's pods start once the client secret exists");
    assert.equal(
      toolOutputs(exposed).sso,
      "W&B signs users in through your OIDC provider too (client wandb, authorization code with PKCE, scopes openid profile email): allow the redirect https://wandb.example.com/oidc/callback in that client, beside the ALB's https://wandb.example.com/oauth2/idpresponse",
    );

    const cognito = await renderWandb({ mode: "self-managed", license_secret_arn: LICENCE_ARN, expose: { host: "wandb.example.com", certificate_arn: CERTIFICATE, auth: COGNITO } }, {});
    assert.equal(valuesOf(cognito).global.auth, undefined, "the Cognito client's secret is not platinfra's to give W&B");
    assert.equal(valuesOf(internal).global.auth, undefined);
    assert.equal(toolOutputs(internal).sso, undefined);
    assert.equal(ofType(cognito, "kubernetes:external-secrets.io/v1:ExternalSecret").filter((secret) => secret.name === "wandb-ui-oidc-client").length, 0);
    assert.equal(
      toolOutputs(cognito).sso,
      "not wired for Cognito: W&B keeps its own sign-up form behind the ALB's Cognito sign-in, so the first person through the ALB to sign up becomes W&B's instance admin and W&B's accounts are separate passwords. " +
        "To sign in to W&B with the pool too: create a second app client without a secret in that pool (authorization code grant, scopes openid profile email, callback https://wandb.example.com/oidc/callback) " +
        "and enter its ID, issuer https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123 and auth method pkce in W&B's settings page (W&B's SSO docs)",
    );
  });

  it("pods of linked tools get the in-cluster URL, and no secret", async () => {
    const linked = await renderWandb({ mode: "self-managed" }, { WANDB_LICENSE: LICENCE }, { experiment_tracker: ["wandb"], runtime_engine: ["ray"] });
    const head = (named(linked, "ray-cluster").inputs as any).spec.headGroupSpec.template.spec.containers[0].env;
    assert.deepEqual(head.filter((variable: { name: string }) => variable.name.startsWith("WANDB_")), [{ name: "WANDB_BASE_URL", value: "http://wandb-app.wandb.svc.cluster.local:8080" }]);
    assert.equal(linked.resources.some((resource) => resource.name === "ray-wandb-client"), false);
  });

  it("capacity: the server's pods at size small (chart defaults) need more than the two m6i.large system nodes, and fit Karpenter's default pool", () => {
    const chart = chartSizing("operator-wandb");
    assert.equal(chart.version, "0.43.8");
    const requests = (key: string) => containerRequests(chart.values[key]);
    const pods = [
      { name: "app", count: 1, pod: requests("app.sizing.small.resources") },
      { name: "console", count: 1, pod: requests("console.containers.console.resources") },
      // HPA minReplicas 2 at size small.
      { name: "parquet", count: 2, pod: requests("parquet.sizing.small.resources") },
      { name: "weave", count: 2, pod: sum([requests("weave.sizing.small.resources"), requests("weave.containers.weave-cache-clear.resources")]) },
    ];
    assert.deepEqual(sum(pods.map((pods) => ({ cpu: pods.pod.cpu * pods.count, memory: pods.pod.memory * pods.count }))), { cpu: 6200, memory: 36096 });
    const node = eksAllocatable(M6I_LARGE);
    assert.deepEqual(unplaced(pods, 2, node).sort(), ["parquet#1", "parquet#2", "weave#1", "weave#2"]);
    assert.ok(6.2 <= Number(DEFAULT_POOL_LIMITS.cpu) && 36096 / 1024 <= Number.parseInt(DEFAULT_POOL_LIMITS.memory), "within Karpenter's default pool");
  });

  it("validate: jwt auth is refused (a browser UI), and without Karpenter it warns about the server's size", () => {
    assert.deepEqual(paramsErrors(wandbParams, { mode: "self-managed", expose: { host: "wandb.example.com", certificate_arn: CERTIFICATE, auth: { type: "jwt", issuer: "https://idp.example.com", jwks_endpoint: "https://idp.example.com/jwks", claims: [{ name: "aud", format: "single-string", values: ["wandb"] }] } } }), [
      "expose.auth.type: W&B's UI is used in a browser: auth type jwt would leave no way to sign in — use type oidc or cognito (the SDK and pods use the in-cluster Service, or kubectl port-forward)",
    ]);
    const fixed = specOf(stackWith({ experiment_tracker: ["wandb"] }).replace("deployment:\n", "deployment:\n  autoscaling: none\n"));
    assert.deepEqual(wandbChecks({ params: { mode: "self-managed" }, roles: ["experiment_tracker"], deployment: fixed.deployment, tools: ["wandb"] }), [
      { severity: "warning", message: selfManagedNotice(true) },
      { severity: "warning", message: CAPACITY_WITHOUT_KARPENTER },
    ]);
  });
});

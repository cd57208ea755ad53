import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as YAML from "yaml";
import { clearml } from "../../components/tools/clearml/index";
import { clearmlChecks, LICENCE } from "../../components/tools/clearml/checks";
import { passwordCommand } from "../../components/tools/clearml/commands";
import { clientConfig, serverConfig } from "../../components/tools/clearml/config";
import { clearmlParams } from "../../components/tools/clearml/params";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { paramsErrors } from "../helpers/params";
import { problemsOf } from "../helpers/spec-text";
import { childrenOf, json, named, ofType } from "../helpers/render";
import { stringLeaves } from "../helpers/string-leaves";
import { renderWithTools, stackWith } from "../helpers/tools";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SECRET = "kubernetes:core/v1:Secret";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const API = "http://clearml-apiserver.clearml.svc.cluster.local:8008";
const WEB = "http://clearml-webserver.clearml.svc.cluster.local:8080";
const FILES = "http://clearml-fileserver.clearml.svc.cluster.local:8081";
const keyRef = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: "clearml-server-keys", key } } });
const FILESERVER_CREDENTIAL = [keyRef("CLEARML__SECURE__CREDENTIALS__FILESERVER__USER_KEY", "fileserver_key"), keyRef("CLEARML__SECURE__CREDENTIALS__FILESERVER__USER_SECRET", "fileserver_secret")];
const S3_CHAIN = [
  { name: "CLEARML__SERVICES__STORAGE_CREDENTIALS__AWS__S3__USE_CREDENTIALS_CHAIN", value: "true" },
  { name: "CLEARML__SERVICES__STORAGE_CREDENTIALS__AWS__S3__REGION", value: "eu-west-1" },
];

const outputsOf = (result: RenderResult) => (result.outputs.tools as Record<string, any>).clearml;
const values = (result: RenderResult) => named(result, "clearml", RELEASE).inputs.values as Record<string, any>;
const bucketOf = (result: RenderResult) => String(named(result, "clearml-artifacts", "aws:s3/bucket:Bucket").inputs.bucket);

describe("clearml", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ experiment_tracker: ["clearml"] }), { clearml }, { clearml: clearmlParams.parse({}) });
    const params = clearmlParams.parse({ expose: { host: "clearml.example.com", certificate_arn: CERTIFICATE }, users: ["alice", "bob"], storage: { elasticsearch_gb: 100 } });
    exposed = await renderWithTools(stackWith({ experiment_tracker: ["clearml"] }), { clearml }, { clearml: params });
  });

  it("creates exactly its namespace, bucket, two IRSA roles, its Secrets, the release (and the ingress when exposed)", () => {
    const expected = [
      "kubernetes:core/v1:Namespace clearml-namespace",
      "kubernetes:core/v1:Secret clearml-client-config",
      "kubernetes:core/v1:Secret clearml-server-config",
      "kubernetes:core/v1:Secret clearml-server-keys",
      "kubernetes:core/v1:Secret clearml-users",
      "kubernetes:helm.sh/v3:Release clearml",
      "platinfra:base:Bucket clearml-artifacts",
      "platinfra:base:ServiceAccountRole clearml-client-irsa",
      "platinfra:base:ServiceAccountRole clearml-irsa",
      ...["apiserver_key", "apiserver_secret", "fileserver_key", "fileserver_secret", "secure_auth_token_secret", "session_secret", "test_user_key", "test_user_secret"].map(
        (key) => `random:index/randomPassword:RandomPassword clearml-server-keys-${key}`,
      ),
      "random:index/randomPassword:RandomPassword clearml-users-admin",
    ].sort();
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Clearml::clearml"), expected);
    assert.deepEqual(
      childrenOf(exposed, "platinfra:tools:Clearml::clearml"),
      [
        ...expected,
        "kubernetes:networking.k8s.io/v1:Ingress clearml-ingress",
        "random:index/randomPassword:RandomPassword clearml-users-alice",
        "random:index/randomPassword:RandomPassword clearml-users-bob",
      ].sort(),
    );
  });

  it("pins chart 7.15.0 from clearml.github.io with its own images (allegroai/clearml:2.0.0-613), and waits 15 minutes for Elasticsearch's first start", () => {
    const release = named(plain, "clearml", RELEASE).inputs;
    assert.deepEqual(
      [release.chart, release.version, release.repositoryOpts, release.namespace, release.name, release.timeout, release.atomic],
      ["clearml", "7.15.0", { repo: "https://clearml.github.io/clearml-helm-charts" }, "clearml", "clearml", 900, true],
    );
    assert.equal(chartFixture("clearml").version, "7.15.0");
    for (const server of ["apiserver", "fileserver", "webserver"]) assert.equal(values(plain)[server].image, undefined, `${server} keeps the chart's image`);
  });

  it("sets only values keys the chart (or its pinned subcharts) declares", () => {
    const fixture = chartFixture("clearml");
    for (const result of [plain, exposed]) assert.deepEqual(valuesKeyPaths(values(result)).filter((keyPath) => !isKnownKeyPath(fixture, keyPath)), []);
    assert.deepEqual(valuesKeyPaths(values(plain)).sort(), [
      "apiserver.asyncdelete.extraEnvs",
      "apiserver.existingAdditionalConfigsSecret",
      "apiserver.extraEnvs",
      "apiserver.prepopulateEnabled",
      "apiserver.resources.limits.cpu",
      "apiserver.resources.limits.memory",
      "apiserver.resources.requests.cpu",
      "apiserver.resources.requests.memory",
      "apiserver.service.type",
      "apiserver.serviceAccountAnnotations.eks\\.amazonaws\\.com/role-arn",
      "clearml.apiserverKey",
      "clearml.apiserverSecret",
      "clearml.clientConfigurationApiUrl",
      "clearml.clientConfigurationFilesUrl",
      "clearml.existingSecret",
      "clearml.fileserverKey",
      "clearml.fileserverSecret",
      "clearml.readinessprobeKey",
      "clearml.readinessprobeSecret",
      "clearml.secureAuthTokenSecret",
      "clearml.testUserKey",
      "clearml.testUserSecret",
      "dragonfly.resources.limits.cpu",
      "dragonfly.resources.limits.memory",
      "dragonfly.resources.requests.cpu",
      "dragonfly.resources.requests.memory",
      "dragonfly.storage.storageClassName",
      "elasticsearch.httpScheme",
      "elasticsearch.sysctlInitContainer.enabled",
      "elasticsearch.volumeClaimTemplate.resources.requests.storage",
      "elasticsearch.volumeClaimTemplate.storageClassName",
      "fileserver.extraEnvs",
      "fileserver.service.type",
      "fileserver.storage.data.class",
      "fileserver.storage.data.size",
      "mongodb.persistence.size",
      "mongodb.persistence.storageClass",
      "mongodb.resources.limits.memory",
      "mongodb.resources.requests.cpu",
      "mongodb.resources.requests.memory",
      "webserver.additionalConfigs.configuration\\.json",
      "webserver.service.type",
    ]);
  });

  it("every key the chart would take from its published defaults comes from platinfra's generated Secret; the chart's own fields hold stand-ins", () => {
    const chart = values(plain).clearml;
    assert.equal(chart.existingSecret, "clearml-server-keys");
    // clearml-secrets.yaml renders Secret clearml-conf from these whatever existingSecret says; nothing reads it then.
    for (const key of ["apiserverKey", "apiserverSecret", "fileserverKey", "fileserverSecret", "secureAuthTokenSecret", "testUserKey", "testUserSecret", "readinessprobeKey", "readinessprobeSecret"]) {
      assert.equal(chart[key], "unused-see-clearml-server-keys", key);
    }
    const generated = (key: string) => named(plain, `clearml-server-keys-${key}`, "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual(
      ["apiserver_key", "apiserver_secret", "fileserver_key", "fileserver_secret", "secure_auth_token_secret", "test_user_key", "test_user_secret", "session_secret"].map((key) => [generated(key).length, generated(key).special]),
      [[30, false], [64, false], [30, false], [64, false], [64, false], [30, false], [64, false], [64, false]],
    );
    const secret = named(plain, "clearml-server-keys", SECRET).inputs as any;
    assert.deepEqual(secret.metadata, { name: "clearml-server-keys", namespace: "clearml" });
    assert.equal(secret.stringData, "[secret]");
  });

  it("the session secret and the file server's system credential (public constants in secure.conf) are set on both sides through secretKeyRef", () => {
    assert.deepEqual(values(plain).apiserver.extraEnvs, [keyRef("CLEARML__SECURE__HTTP__SESSION_SECRET__APISERVER", "session_secret"), ...FILESERVER_CREDENTIAL, ...S3_CHAIN]);
    assert.deepEqual(values(plain).fileserver.extraEnvs, [...FILESERVER_CREDENTIAL, { name: "CLEARML__FILESERVER__AUTH__COOKIE_NAMES", value: '["clearml-token-k8s"]' }]);
    assert.deepEqual(values(plain).apiserver.asyncdelete.extraEnvs, S3_CHAIN);
  });

  it("fixed users only (no sign-up), from a Secret mounted as apiserver.conf; passwords generated, never in values", () => {
    assert.equal(values(plain).apiserver.existingAdditionalConfigsSecret, "clearml-apiserver-config");
    const config = named(exposed, "clearml-server-config", SECRET).inputs as any;
    assert.deepEqual(config.metadata, { name: "clearml-apiserver-config", namespace: "clearml" });
    assert.equal(config.stringData, "[secret]");
    const users = named(exposed, "clearml-users", SECRET).inputs as any;
    assert.deepEqual(users.metadata, { name: "clearml-users", namespace: "clearml" });
    for (const user of ["admin", "alice", "bob"]) assert.equal(named(exposed, `clearml-users-${user}`, "random:index/randomPassword:RandomPassword").inputs.length, 32);
    assert.equal(
      serverConfig([
        { username: "admin", password: "p1" },
        { username: "alice", password: "p2" },
      ]),
      [
        "auth {",
        "  fixed_users {",
        "    enabled: true",
        "    pass_hashed: false",
        "    users: [",
        '      { username: "admin", password: "p1", name: "admin" }',
        '      { username: "alice", password: "p2", name: "alice" }',
        "    ]",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
    assert.equal(values(plain).apiserver.prepopulateEnabled, false);
  });

  it("no secret anywhere in the release's values: words like secret or password only in env names and secretKeyRef names and keys", () => {
    for (const result of [plain, exposed]) {
      const mentions = stringLeaves(values(result)).filter(([, value]) => /secret|password/i.test(value));
      assert.equal(mentions.length, 6, "the session secret and the file server secret, on the API server and the file server");
      assert.deepEqual(mentions.filter(([keyPath]) => !/\.\d+\.(name|valueFrom\.secretKeyRef\.(name|key))$/.test(keyPath)), []);
      assert.doesNotMatch(JSON.stringify(values(result)), /\[secret\]/);
    }
  });

  it("services stay ClusterIP (the chart defaults to NodePort 30008/30081/30080)", () => {
    for (const server of ["apiserver", "fileserver", "webserver"]) assert.deepEqual(values(plain)[server].service, { type: "ClusterIP" });
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("MongoDB, Elasticsearch, Dragonfly and the file server on gp3-encrypted volumes of the given sizes; requests for the stores", () => {
    const chart = values(exposed);
    assert.deepEqual(chart.fileserver.storage, { data: { class: "gp3-encrypted", size: "50Gi" } });
    assert.deepEqual(chart.mongodb.persistence, { storageClass: "gp3-encrypted", size: "50Gi" });
    assert.deepEqual(chart.elasticsearch.volumeClaimTemplate, { storageClassName: "gp3-encrypted", resources: { requests: { storage: "100Gi" } } });
    assert.deepEqual(chart.dragonfly.storage, { storageClassName: "gp3-encrypted" });
    assert.deepEqual(chart.mongodb.resources, { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "2Gi" } });
    // Dragonfly: one I/O thread per CPU of its limit (else of the node), 256 MiB each or it exits: 2 threads in 1 GiB.
    assert.deepEqual(chart.dragonfly.resources, { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "1Gi" } });
    // No privileged root init container: the EKS AL2023 nodes already set vm.max_map_count=524288.
    assert.deepEqual(chart.elasticsearch.sysctlInitContainer, { enabled: false });
    assert.equal(chart.elasticsearch.httpScheme, "http");
  });

  it("the server's IRSA role: the chart's clearml-apiserver account (API server and async-delete), listing and deleting in its bucket only", () => {
    const bucketArn = `arn:aws:s3:::${bucketOf(plain)}`;
    const trusted = Object.values(json(named(plain, "clearml-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:clearml:clearml-apiserver"]);
    assert.deepEqual(json(named(plain, "clearml-irsa-policy").inputs.policy).Statement, [
      { Sid: "ArtifactsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [bucketArn] },
      { Sid: "ArtifactsDelete", Effect: "Allow", Action: ["s3:DeleteObject"], Resource: [`${bucketArn}/*`] },
    ]);
    const roleArn = values(plain).apiserver.serviceAccountAnnotations["eks.amazonaws.com/role-arn"];
    assert.match(roleArn, /^arn:aws:iam::\d{12}:role\//);
    assert.equal(ofType(plain, "kubernetes:core/v1:ServiceAccount").filter((account) => (account.inputs as any).metadata.name === "clearml-apiserver").length, 0, "the chart creates it");
  });

  it("the client role: service account clearml-client, reading and writing its bucket only", () => {
    const bucketArn = `arn:aws:s3:::${bucketOf(plain)}`;
    const trusted = Object.values(json(named(plain, "clearml-client-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    assert.deepEqual(trusted, ["sts.amazonaws.com", "system:serviceaccount:clearml:clearml-client"]);
    const resources = [...new Set(json(named(plain, "clearml-client-irsa-policy").inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
    assert.deepEqual(resources, [bucketArn, `${bucketArn}/*`]);
  });

  it("in-cluster: outputs through one port-forward to the web app (/api and /files behind its nginx), env rewritten for --local", () => {
    const outputs = outputsOf(plain);
    const bucket = bucketOf(plain);
    assert.deepEqual(
      [outputs.webUrl, outputs.apiUrl, outputs.filesUrl, outputs.portForward, outputs.inClusterApiUrl, outputs.inClusterWebUrl, outputs.inClusterFilesUrl],
      ["http://localhost:8090", "http://localhost:8090/api", "http://localhost:8090/files", "kubectl -n clearml port-forward svc/clearml-webserver 8090:8080", API, WEB, FILES],
    );
    assert.deepEqual([outputs.adminUsername, outputs.users, outputs.artifactBucket, outputs.defaultOutputUri], ["admin", ["admin"], bucket, `s3://${bucket}/clearml`]);
    assert.equal(outputs.passwordCommand, "kubectl -n clearml get secret clearml-users -o jsonpath='{.data.admin}' | base64 -d   # any user listed in users: replace admin");
    // A dot in a user name is escaped, else kubectl's JSONPath reads {.data.ml} then {.ops}.
    assert.equal(passwordCommand("ml.ops"), "kubectl -n clearml get secret clearml-users -o jsonpath='{.data.ml\\.ops}' | base64 -d   # any user listed in users: replace ml\\.ops");
    assert.deepEqual(plain.outputs.env, { CLEARML_API_HOST: "http://localhost:8090/api", CLEARML_WEB_HOST: "http://localhost:8090", CLEARML_FILES_HOST: "http://localhost:8090/files", CLEARML_API_ACCESS_KEY: "admin" });
    assert.equal(plain.outputs.secretEnv, "[secret]");
    assert.deepEqual((plain.outputs.local as Record<string, unknown>).clearml, {
      namespace: "clearml",
      service: "clearml-webserver",
      ports: [{ local: 8090, remote: 8080 }],
      env: { CLEARML_API_HOST: "http://localhost:8090/api", CLEARML_WEB_HOST: "http://localhost:8090", CLEARML_FILES_HOST: "http://localhost:8090/files" },
    });
    assert.equal(outputs.clearmlConf, clientConfig({ urls: { api: "http://localhost:8090/api", web: "http://localhost:8090", files: "http://localhost:8090/files" }, region: "eu-west-1", outputUri: `s3://${bucket}/clearml` }));
    // What pods store as file URLs; the async-delete worker deletes from the file server what starts with it.
    assert.deepEqual([values(plain).clearml.clientConfigurationApiUrl, values(plain).clearml.clientConfigurationFilesUrl], [API, FILES]);
    assert.deepEqual(values(plain).webserver.additionalConfigs, { "configuration.json": '{"apiBaseUrl":"/api","fileBaseUrl":"/files"}' });
  });

  it("exposed: the web app alone on the shared HTTPS ALB; API and files under the same host", () => {
    const ingress = named(exposed, "clearml-ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/auth-type"], undefined, "ClearML's own login: the SDK cannot pass an ALB sign-in");
    assert.deepEqual(ingress.spec.rules, [
      { host: "clearml.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "clearml-webserver", port: { number: 8080 } } } }] } },
    ]);
    const outputs = outputsOf(exposed);
    assert.deepEqual([outputs.webUrl, outputs.apiUrl, outputs.filesUrl, outputs.portForward], ["https://clearml.example.com", "https://clearml.example.com/api", "https://clearml.example.com/files", undefined]);
    assert.deepEqual(exposed.outputs.env, { CLEARML_API_HOST: "https://clearml.example.com/api", CLEARML_WEB_HOST: "https://clearml.example.com", CLEARML_FILES_HOST: "https://clearml.example.com/files", CLEARML_API_ACCESS_KEY: "admin" });
    assert.equal((exposed.outputs.local as Record<string, unknown>).clearml, undefined);
    assert.deepEqual([values(exposed).clearml.clientConfigurationApiUrl, values(exposed).clearml.clientConfigurationFilesUrl], ["https://clearml.example.com/api", "https://clearml.example.com/files"]);
    assert.deepEqual(outputs.users, ["admin", "alice", "bob"]);
  });

  it("the example manifest runs the SDK as clearml-client with the clearml.conf Secret platinfra created", () => {
    const manifest = YAML.parse(outputsOf(plain).exampleManifest);
    assert.deepEqual([manifest.kind, manifest.metadata.namespace, manifest.spec.serviceAccountName], ["Pod", "clearml", "clearml-client"]);
    const trusted = Object.values(json(named(plain, "clearml-client-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals);
    assert.ok(trusted.includes(`system:serviceaccount:${manifest.metadata.namespace}:${manifest.spec.serviceAccountName}`));
    const secret = named(plain, "clearml-client-config", SECRET).inputs as any;
    assert.deepEqual(secret.metadata, { name: manifest.spec.volumes[0].secret.secretName, namespace: "clearml" });
    assert.equal(secret.stringData, "[secret]");
    const container = manifest.spec.containers[0];
    assert.deepEqual(container.env, [{ name: "CLEARML_CONFIG_FILE", value: "/etc/clearml/clearml.conf" }]);
    assert.deepEqual(container.volumeMounts, [{ name: "clearml-config", mountPath: "/etc/clearml", readOnly: true }]);
    assert.match(container.args[0], /pip install --quiet 'clearml\[s3\]'/);
  });

  it("clearml.conf: the three URLs, credentials when given, S3 through the credential chain, models to the bucket", () => {
    assert.equal(
      clientConfig({ urls: { api: "http://a", web: "http://w", files: "http://f" }, credentials: { accessKey: "admin", secretKey: "s" }, region: "eu-west-1", outputUri: "s3://b/clearml" }),
      [
        "api {",
        '  api_server: "http://a"',
        '  web_server: "http://w"',
        '  files_server: "http://f"',
        '  credentials { access_key: "admin", secret_key: "s" }',
        "}",
        "sdk {",
        '  aws { s3 { use_credentials_chain: true, region: "eu-west-1" } }',
        '  development { default_output_uri: "s3://b/clearml" }',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("licences: SSPL (server, MongoDB), Elastic License (Elasticsearch), BSL (Dragonfly) — a warning at validate and an output", () => {
    assert.equal(outputsOf(plain).licence, LICENCE);
    assert.deepEqual(clearmlChecks({} as never), [{ severity: "warning", message: `clearml: licences — ${LICENCE}` }]);
    const problems = problemsOf(stackWith({ experiment_tracker: ["clearml"] }));
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^stack\.yaml:\d+:\d+: stack\.experiment_tracker\[0\]: warning: clearml: licences — ClearML server 2\.0/);
    assert.match(LICENCE, /Server Side Public License/);
    assert.match(LICENCE, /Elastic License 2\.0/);
    assert.match(LICENCE, /Business Source License 1\.1/);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(clearmlParams.parse({}), { admin_username: "admin", users: [], storage: { files_gb: 50, mongodb_gb: 50, elasticsearch_gb: 50 } });
    const messages = (input: unknown) => paramsErrors(clearmlParams, input);
    assert.deepEqual(messages({ users: ["Alice", "admin"], storage: { files_gb: 0 } }), [
      'users.0: user name "Alice" is not allowed — use 3–32 lowercase letters, digits, ".", "_" or "-", starting with a letter',
      "storage.files_gb: Too small: expected number to be >=1",
      'users.1: user "admin" is listed twice (admin_username counts) — ClearML refuses to start with duplicate fixed users; remove one',
    ]);
    assert.deepEqual(messages({ users: ["bob", "admin", "bob"] }), [
      'users.1: user "admin" is listed twice (admin_username counts) — ClearML refuses to start with duplicate fixed users; remove one',
      'users.2: user "bob" is listed twice (admin_username counts) — ClearML refuses to start with duplicate fixed users; remove one',
    ]);
    assert.deepEqual(messages({ signup: true }), [': Unrecognized key: "signup"']);
  });
});

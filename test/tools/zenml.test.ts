import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";
import { zenml } from "../../components/tools/zenml/index";
import { ZENML_IMAGE } from "../../components/tools/zenml/values";
import { zenmlCommands } from "../../components/tools/zenml/commands";
import { zenmlParams } from "../../components/tools/zenml/params";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-zenml-db-AbCdEf";
const IN_CLUSTER_MLFLOW = "http://mlflow.mlflow.svc.cluster.local:5000";
/** zenmlCommands' arguments for an exposed server. */
const EXPOSED_COMMAND_ARGS = {
  serverUrl: "https://zenml.example.com",
  artifactStore: "s3://artifacts",
  cluster: "demo-dev",
  region: "eu-west-1",
  registry: { host: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "demo-dev-zenml" },
};

/** A stand-in MLflow peer: zenml reads only its `env`. */
function fakeMlflow(env: Record<string, string>): ToolComponentModule {
  class FakeMlflow extends pulumi.ComponentResource implements ToolComponent {
    readonly outputs = pulumi.output({});
    readonly env = pulumi.output(env);
    constructor(name: string) {
      super("platinfra:test:FakeMlflow", name, {});
      this.registerOutputs({});
    }
  }
  return { create: (name) => new FakeMlflow(name) };
}

const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const zenmlOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).zenml;

/** Every string value in the values, with its path (list items by index). */
function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
}

describe("zenml", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ pipelining: ["zenml"] }), { zenml }, { zenml: zenmlParams.parse({}) });
    const expose = { host: "zenml.example.com", certificate_arn: CERTIFICATE };
    exposed = await renderWithTools(stackWith({ pipelining: ["zenml"] }), { zenml }, { zenml: zenmlParams.parse({ expose }) });
    withMlflow = await renderWithTools(stackWith({ pipelining: ["zenml"], experiment_tracker: ["mlflow"] }), { zenml, mlflow: fakeMlflow({ MLFLOW_TRACKING_URI: IN_CLUSTER_MLFLOW }) }, {
      zenml: zenmlParams.parse({}),
    });
  });

  it("creates exactly its namespace, bucket, MySQL, IRSA role, synced DB secret, server secrets, release, image repository and pipeline runtime", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Zenml::zenml"), [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy zenml-images-lifecycle",
      "aws:ecr/repository:Repository zenml-images",
      "kubernetes:core/v1:Namespace zenml-namespace",
      "kubernetes:core/v1:Namespace zenml-pipelines-namespace",
      "kubernetes:core/v1:Secret zenml-server-credentials",
      "kubernetes:external-secrets.io/v1:ExternalSecret zenml-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore zenml-secret-store",
      "kubernetes:helm.sh/v3:Release zenml",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding zenml-pipelines-edit",
      "platinfra:base:Bucket zenml-artifacts",
      "platinfra:base:Database zenml-db",
      "platinfra:base:ServiceAccountRole zenml-irsa",
      "platinfra:base:ServiceAccountRole zenml-pipelines-irsa",
      "random:index/randomPassword:RandomPassword zenml-server-credentials-admin-password",
      "random:index/randomPassword:RandomPassword zenml-server-credentials-encryption-key",
    ]);
    assert.deepEqual(childrenOf(plain, "platinfra:base:ServiceAccountRole::zenml-irsa"), [
      "aws:iam/role:Role zenml-irsa",
      "aws:iam/rolePolicy:RolePolicy zenml-irsa-policy",
      "kubernetes:core/v1:ServiceAccount zenml-irsa-sa",
    ]);
  });

  it("pins the OCI chart at 0.98.0 and the server image at the same version", () => {
    const release = named(plain, "zenml", RELEASE).inputs;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts], ["oci://public.ecr.aws/zenml/zenml", "0.98.0", undefined]);
    assert.equal(release.namespace, "zenml");
    assert.equal(release.name, "zenml");
    assert.equal(release.atomic, true);
    assert.deepEqual((release.values as any).server.image, { repository: "zenmldocker/zenml-server", tag: "0.98.0", pullPolicy: "IfNotPresent" });
    assert.equal(ZENML_IMAGE.tag, release.version);
  });

  it("sets only values keys the chart's fixture declares", () => {
    const fixture = chartFixture("zenml");
    for (const result of [plain, exposed, withMlflow]) {
      const keys = valuesKeyPaths(named(result, "zenml", RELEASE).inputs.values);
      assert.deepEqual(keys.filter((keyPath) => !isKnownKeyPath(fixture, keyPath)), []);
    }
    assert.deepEqual(valuesKeyPaths(named(plain, "zenml", RELEASE).inputs.values).sort(), [
      "podAnnotations.secret\\.reloader\\.stakater\\.com/reload",
      "resources.limits.cpu",
      "resources.limits.memory",
      "resources.requests.cpu",
      "resources.requests.memory",
      "server.analyticsOptIn",
      "server.database.passwordSecretRef.key",
      "server.database.passwordSecretRef.name",
      "server.database.ssl",
      "server.database.url",
      "server.environmentSecretKeyRefs",
      "server.image.pullPolicy",
      "server.image.repository",
      "server.image.tag",
      "server.ingress.enabled",
      "server.replicaCount",
      "server.secretsStore.enabled",
      "server.secretsStore.type",
      "server.serverURL",
      "server.service.port",
      "serviceAccount.create",
      "serviceAccount.name",
    ]);
  });

  it("MySQL on RDS, private, with an RDS-managed password; the URL names the user but no password", () => {
    const db = named(plain, "zenml-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.engineVersion, db.dbName, db.port, db.publiclyAccessible, db.manageMasterUserPassword], ["mysql", "8.4", "zenml", 3306, false, true]);
    // The default class supports Performance Insights on MySQL (db.t4g.small would be refused with it on).
    assert.deepEqual([db.instanceClass, db.performanceInsightsEnabled, db.engineLifecycleSupport], ["db.t4g.medium", true, "open-source-rds-extended-support-disabled"]);
    assert.equal(db.password, undefined);
    const server = (named(plain, "zenml", RELEASE).inputs.values as any).server;
    assert.equal(server.database.url, "mysql://platinfra@zenml-db.abcdefghij.eu-west-1.rds.amazonaws.com:3306/zenml");
    assert.deepEqual([server.analyticsOptIn, server.ingress, server.replicaCount], [false, { enabled: false }, 1]);
  });

  it("the DB password reaches the migration hook: passwordSecretRef, which the chart's db-migration Job reads", () => {
    // zenml-io/zenml helm/templates/server-db-job.yaml sets ZENML_STORE_PASSWORD from
    // database.passwordSecretRef only; environmentSecretKeyRefs reach the server Deployment alone.
    const server = (named(plain, "zenml", RELEASE).inputs.values as any).server;
    assert.deepEqual(server.database.passwordSecretRef, { name: "zenml-db", key: "password" });
    assert.ok(!server.environmentSecretKeyRefs.some((ref: any) => ref.name === "ZENML_STORE_PASSWORD"));
  });

  it("talks TLS to MySQL 8.4 (ZENML_STORE_SSL)", () => {
    assert.equal((named(plain, "zenml", RELEASE).inputs.values as any).server.database.ssl, true);
  });

  it("activates the server during the deployment with a generated admin password: no first visitor claims it", () => {
    for (const result of [plain, exposed]) {
      const server = (named(result, "zenml", RELEASE).inputs.values as any).server;
      assert.deepEqual(server.environmentSecretKeyRefs, [
        { name: "ZENML_SERVER_AUTO_ACTIVATE", secretName: "zenml-server-credentials", secretKey: "auto-activate" },
        { name: "ZENML_DEFAULT_USER_NAME", secretName: "zenml-server-credentials", secretKey: "admin-username" },
        { name: "ZENML_DEFAULT_USER_PASSWORD", secretName: "zenml-server-credentials", secretKey: "admin-password" },
        { name: "ZENML_SECRETS_STORE_ENCRYPTION_KEY", secretName: "zenml-server-credentials", secretKey: "encryption-key" },
      ]);
      // `server.environment` also reaches the chart's migration Job, which would activate the server
      // without the password (ZenML's default: empty): activation settings travel with the password only.
      assert.equal(server.environment, undefined);
      assert.equal(zenmlOutputs(result).adminUsername, "admin");
      assert.equal(result.outputs.secretEnv, "[secret]");
    }
  });

  it("the admin password and the secrets-store key are generated, secret in state, and in a Secret only", () => {
    const generated = (key: string) => named(plain, `zenml-server-credentials-${key}`, "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([generated("admin-password").length, generated("admin-password").special], [32, false]);
    assert.deepEqual([generated("encryption-key").length, generated("encryption-key").special], [64, false]);
    const secret = named(plain, "zenml-server-credentials", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(secret.metadata, { name: "zenml-server-credentials", namespace: "zenml" });
    assert.equal(secret.stringData, "[secret]");
    const server = (named(plain, "zenml", RELEASE).inputs.values as any).server;
    assert.deepEqual(server.secretsStore, { enabled: true, type: "sql" });
    assert.doesNotMatch(JSON.stringify(named(plain, "zenml", RELEASE).inputs.values), /encryptionKey|\[secret\]/);
  });

  it("no password anywhere in the release's values: only the variable's and the synced Secret key's names", () => {
    for (const result of [plain, exposed, withMlflow]) {
      const values = named(result, "zenml", RELEASE).inputs.values;
      const mentions = stringLeaves(values).filter(([, value]) => /password|\[secret\]/i.test(value));
      assert.deepEqual(mentions, [
        ["server.database.passwordSecretRef.key", "password"],
        ["server.environmentSecretKeyRefs.2.name", "ZENML_DEFAULT_USER_PASSWORD"],
        ["server.environmentSecretKeyRefs.2.secretKey", "admin-password"],
      ]);
      assert.doesNotMatch(JSON.stringify(values), /mysql:\/\/[^@"]*:[^@"]*@/);
    }
  });

  it("the DB password is synced by External Secrets from the RDS secret, as the zenml service account", () => {
    const external = named(plain, "zenml-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "zenml-db", namespace: "zenml" });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "zenml-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "zenml" } } });
  });

  it("platinfra creates the server's service account with the role (the chart's migration hook needs it first)", () => {
    const sa = named(plain, "zenml-irsa-sa").inputs as any;
    assert.deepEqual(sa.metadata, { name: "zenml", namespace: "zenml", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-zenml" } });
    assert.deepEqual((named(plain, "zenml", RELEASE).inputs.values as any).serviceAccount, { create: false, name: "zenml" });
  });

  it("each IRSA role trusts exactly one service account; the server's names only zenml's bucket and DB secret", () => {
    const bucketArn = `arn:aws:s3:::${named(plain, "zenml-artifacts", "aws:s3/bucket:Bucket").inputs.bucket}`;
    const trusted = (role: string) => Object.values(json(named(plain, role, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();
    const resources = (policy: string) => [...new Set(json(named(plain, policy).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
    assert.deepEqual(trusted("zenml-irsa"), ["sts.amazonaws.com", "system:serviceaccount:zenml:zenml"]);
    assert.deepEqual(resources("zenml-irsa-policy"), [bucketArn, `${bucketArn}/*`, SECRET_ARN]);
    assert.deepEqual(trusted("zenml-pipelines-irsa"), ["sts.amazonaws.com", "system:serviceaccount:zenml-pipelines:zenml-pipelines"]);
    assert.deepEqual(resources("zenml-pipelines-irsa-policy"), [bucketArn, `${bucketArn}/*`]);
  });

  it("pipeline pods' service account may edit its own namespace only", () => {
    const binding = named(plain, "zenml-pipelines-edit").inputs as any;
    assert.deepEqual(binding.metadata, { name: "zenml-pipelines", namespace: "zenml-pipelines" });
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" });
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "zenml-pipelines", namespace: "zenml-pipelines" }]);
  });

  it("in-cluster by default: no ingress, the in-cluster URL as serverURL, outputs and env", () => {
    const bucket = named(plain, "zenml-artifacts", "aws:s3/bucket:Bucket").inputs.bucket;
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal((named(plain, "zenml", RELEASE).inputs.values as any).server.serverURL, "http://zenml.zenml.svc.cluster.local:8080");
    assert.equal((named(plain, "zenml", RELEASE).inputs.values as any).server.service.port, 8080);
    assert.equal(zenmlOutputs(plain).serverUrl, "http://zenml.zenml.svc.cluster.local:8080");
    assert.equal(zenmlOutputs(plain).artifactStore, `s3://${bucket}`);
    assert.deepEqual(plain.outputs.env, { ZENML_STORE_URL: "http://zenml.zenml.svc.cluster.local:8080" });
  });

  it("exposed: an HTTPS-only ALB on the zenml service, the certificate, and the external URL everywhere", () => {
    const ingress = named(exposed, "zenml-ingress").inputs as any;
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"], CERTIFICATE);
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/health");
    assert.deepEqual(ingress.spec.rules, [
      { host: "zenml.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "zenml", port: { number: 8080 } } } }] } },
    ]);
    assert.equal((named(exposed, "zenml", RELEASE).inputs.values as any).server.serverURL, "https://zenml.example.com");
    assert.deepEqual(exposed.outputs.env, { ZENML_STORE_URL: "https://zenml.example.com" });
  });

  it("an ECR repository for pipeline images: scanned, encrypted, tags movable (ZenML re-pushes them), old images expiring", () => {
    const repository = named(plain, "zenml-images", "aws:ecr/repository:Repository").inputs as any;
    assert.deepEqual(
      [repository.name, repository.imageTagMutability, repository.imageScanningConfiguration, repository.encryptionConfigurations, repository.forceDelete],
      ["demo-dev-zenml", "MUTABLE", { scanOnPush: true }, [{ encryptionType: "AES256" }], false],
    );
    const policy = json(named(plain, "zenml-images-lifecycle").inputs.policy);
    assert.deepEqual(policy.rules.map((rule: any) => rule.selection.countNumber), [14, 100]);
    assert.equal(zenmlOutputs(plain).imageRepository, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-zenml");
  });

  it("commands register a stack that can run a pipeline: artifact store, ECR registry, local image builder, orchestrator", () => {
    const bucket = named(plain, "zenml-artifacts", "aws:s3/bucket:Bucket").inputs.bucket;
    const base = [
      "aws eks update-kubeconfig --name demo-dev --region eu-west-1 --alias demo-dev",
      "grep -qxF '127.0.0.1 zenml.zenml.svc.cluster.local' /etc/hosts || echo '127.0.0.1 zenml.zenml.svc.cluster.local' | sudo tee -a /etc/hosts >/dev/null",
      "kubectl --context demo-dev --namespace zenml port-forward service/zenml 8080:8080 &",
      "zenml login http://zenml.zenml.svc.cluster.local:8080",
      "zenml integration install s3 aws kubernetes -y",
      "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com",
      `zenml artifact-store register s3_store --flavor=s3 --path=s3://${bucket}`,
      "zenml container-registry register ecr --flavor=aws --uri=123456789012.dkr.ecr.eu-west-1.amazonaws.com --default_repository=demo-dev-zenml",
      "zenml image-builder register local_docker --flavor=local",
      "zenml orchestrator register eks --flavor=kubernetes --kubernetes_context=demo-dev --kubernetes_namespace=zenml-pipelines --service_account_name=zenml-pipelines --step_pod_service_account_name=zenml-pipelines",
    ];
    assert.deepEqual(zenmlOutputs(plain).commands, [...base, "zenml stack register platinfra -a s3_store -o eks -c ecr -i local_docker --set"]);
    assert.deepEqual(zenmlOutputs(withMlflow).commands, [
      ...base.map((command) => (command === "zenml integration install s3 aws kubernetes -y" ? "zenml integration install s3 aws kubernetes mlflow -y" : command)),
      `zenml experiment-tracker register mlflow --flavor=mlflow --tracking_uri=${IN_CLUSTER_MLFLOW} --tracking_username=platinfra --tracking_password=unused`,
      "zenml stack register platinfra -a s3_store -o eks -c ecr -i local_docker -e mlflow --set",
    ]);
  });

  it("in-cluster: the laptop uses the in-cluster URL pods get from the client (hosts entry + port-forward on the same port); exposed: the public URL, no port-forward", () => {
    assert.equal(zenmlOutputs(plain).localUrl, "http://zenml.zenml.svc.cluster.local:8080");
    assert.equal(zenmlOutputs(exposed).localUrl, undefined);
    const commands: string[] = zenmlOutputs(exposed).commands;
    assert.equal(commands[1], "zenml login https://zenml.example.com");
    assert.ok(!commands.some((command) => command.includes("port-forward")));
  });

  it("commands quote every value for the shell: a hostile value stays one word", () => {
    const commands = zenmlCommands({ ...EXPOSED_COMMAND_ARGS, artifactStore: "s3://bucket/x; rm -rf ~" });
    assert.equal(commands[4], "zenml artifact-store register s3_store --flavor=s3 '--path=s3://bucket/x; rm -rf ~'");
  });

  it("commands for an MLflow with basic auth keep its password in a ZenML secret, never in the text", () => {
    const commands = zenmlCommands({
      ...EXPOSED_COMMAND_ARGS,
      mlflow: { MLFLOW_TRACKING_URI: "https://mlflow.example.com", MLFLOW_TRACKING_USERNAME: "admin" },
    });
    assert.deepEqual(commands.slice(8), [
      'zenml secret create mlflow_tracking --username=admin --password="$MLFLOW_TRACKING_PASSWORD"',
      "zenml experiment-tracker register mlflow --flavor=mlflow --tracking_uri=https://mlflow.example.com '--tracking_username={{mlflow_tracking.username}}' '--tracking_password={{mlflow_tracking.password}}'",
      "zenml stack register platinfra -a s3_store -o eks -c ecr -i local_docker -e mlflow --set",
    ]);
  });

  it("links to mlflow, which is then created first", () => {
    assert.deepEqual(zenml.links, ["mlflow"]);
    const order = withMlflow.resources.map((resource) => resource.type).filter((type) => type === "platinfra:test:FakeMlflow" || type === "platinfra:tools:Zenml");
    assert.deepEqual(order, ["platinfra:test:FakeMlflow", "platinfra:tools:Zenml"]);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(zenmlParams.parse({}), { replicas: 1, database: { instance_class: "db.t4g.medium", storage_gb: 20 } });
    const messages = (input: unknown) => paramsErrors(zenmlParams, input);
    assert.deepEqual(messages({ replicas: 0, database: { instance_class: "t3.micro" }, expose: { host: "localhost", certificate_arn: "x" } }), [
      "replicas: Too small: expected number to be >=1",
      'expose.host: "localhost" is not a DNS host name — expected e.g. mlflow.example.com',
      'expose.certificate_arn: "x" is not an ACM certificate ARN — expected arn:aws:acm:<region>:<account>:certificate/<id>',
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.medium',
    ]);
    assert.deepEqual(messages({ admin: true }), [': Unrecognized key: "admin"']);
  });
});

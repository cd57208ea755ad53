import { strict as assert } from "node:assert";
import * as path from "node:path";
import { argo } from "../../components/tools/argo/index";
import { argoCommands, TOKEN_COMMAND } from "../../components/tools/argo/commands";
import { argoParams } from "../../components/tools/argo/params";
import { SUBMITTER_RULES } from "../../components/tools/argo/submitter";
import { ARGO_VERSION } from "../../components/tools/argo/values";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { paramsErrors } from "../helpers/params";
import { assertMlflowClientSecret, MLFLOW_POD_ENV, MLFLOW_WITH_AUTH } from "../helpers/peers";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-argo-db-AbCdEf";
const DB_HOST = "argo-db.abcdefghij.eu-west-1.rds.amazonaws.com";

const childrenOf = (result: RenderResult, component: string) =>
  result.resources.filter((resource) => resource.parent?.endsWith(component)).map((resource) => `${resource.type} ${resource.name}`).sort();
const argoOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).argo;
const values = (result: RenderResult) => named(result, "argo", RELEASE).inputs.values as Record<string, any>;
const bucketName = (result: RenderResult) => named(result, "argo-artifacts", "aws:s3/bucket:Bucket").inputs.bucket as string;
const policyResources = (result: RenderResult, role: string) =>
  [...new Set(json(named(result, `argo-${role}-irsa-policy`).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
const trusted = (result: RenderResult, role: string) =>
  Object.values(json(named(result, `argo-${role}-irsa`, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();

/** Every string value, with its path (list items by index). */
function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, prefix ? `${prefix}.${key}` : key));
}

describe("argo", () => {
  let plain: RenderResult;
  let exposed: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    plain = await renderWithTools(stackWith({ pipelining: ["argo"] }), { argo }, { argo: argoParams.parse({}) });
    const expose = { host: "argo.example.com", certificate_arn: CERTIFICATE };
    exposed = await renderWithTools(stackWith({ pipelining: ["argo"] }), { argo }, { argo: argoParams.parse({ expose }) });
    withMlflow = await renderWithTools(
      stackWith({ pipelining: ["argo"], experiment_tracker: ["mlflow"] }),
      { argo, mlflow: MLFLOW_WITH_AUTH.module },
      { argo: argoParams.parse({}), mlflow: MLFLOW_WITH_AUTH.params },
    );
  });

  it("creates exactly its namespaces, artifact bucket, PostgreSQL, three IRSA roles, synced DB secret, submitter account and release", () => {
    assert.deepEqual(childrenOf(plain, "platinfra:tools:Argo::argo"), [
      "kubernetes:core/v1:Namespace argo-namespace",
      "kubernetes:core/v1:Namespace argo-workflows-namespace",
      "kubernetes:core/v1:Secret argo-submitter-token",
      "kubernetes:core/v1:ServiceAccount argo-submitter",
      "kubernetes:external-secrets.io/v1:ExternalSecret argo-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore argo-secret-store",
      "kubernetes:helm.sh/v3:Release argo",
      "kubernetes:rbac.authorization.k8s.io/v1:Role argo-submitter",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding argo-submitter",
      "platinfra:base:Bucket argo-artifacts",
      "platinfra:base:Database argo-db",
      "platinfra:base:ServiceAccountRole argo-database-irsa",
      "platinfra:base:ServiceAccountRole argo-server-irsa",
      "platinfra:base:ServiceAccountRole argo-workflow-irsa",
    ]);
    assert.deepEqual(childrenOf(exposed, "platinfra:tools:Argo::argo").filter((child) => child.includes("Ingress")), ["kubernetes:networking.k8s.io/v1:Ingress argo-ingress"]);
  });

  it("pins chart argo-workflows 1.0.18 from argo-helm, its images at the chart's appVersion v4.0.6, CRDs installed and kept", () => {
    const release = named(plain, "argo", RELEASE).inputs;
    assert.deepEqual(
      [release.chart, release.version, release.repositoryOpts, release.namespace, release.name],
      ["argo-workflows", "1.0.18", { repo: "https://argoproj.github.io/argo-helm" }, "argo", "argo-workflows"],
    );
    assert.equal(ARGO_VERSION, (chartFixture("argo-workflows") as unknown as { appVersion: string }).appVersion);
    assert.deepEqual(values(plain).images, { tag: "v4.0.6", pullPolicy: "IfNotPresent" });
    // templates/crds-install-job.yaml: full CRDs by a pre-install/pre-upgrade hook Job (server-side apply).
    assert.deepEqual(values(plain).crds, { install: true, keep: true, full: true });
  });

  it("sets only values keys the chart's fixture declares", () => {
    const fixture = chartFixture("argo-workflows");
    for (const result of [plain, exposed]) {
      assert.deepEqual(valuesKeyPaths(values(result)).filter((keyPath) => !isKnownKeyPath(fixture, keyPath)), []);
    }
    assert.deepEqual(valuesKeyPaths(values(plain)).sort(), [
      "artifactRepository.s3.bucket",
      "artifactRepository.s3.endpoint",
      "artifactRepository.s3.insecure",
      "artifactRepository.s3.region",
      "artifactRepository.s3.useSDKCreds",
      "controller.persistence.archive",
      "controller.persistence.postgresql.database",
      "controller.persistence.postgresql.host",
      "controller.persistence.postgresql.passwordSecret.key",
      "controller.persistence.postgresql.passwordSecret.name",
      "controller.persistence.postgresql.port",
      "controller.persistence.postgresql.ssl",
      "controller.persistence.postgresql.sslMode",
      "controller.persistence.postgresql.tableName",
      "controller.persistence.postgresql.userNameSecret.key",
      "controller.persistence.postgresql.userNameSecret.name",
      "controller.podAnnotations.secret\\.reloader\\.stakater\\.com/reload",
      "controller.resources.limits.cpu",
      "controller.resources.limits.memory",
      "controller.resources.requests.cpu",
      "controller.resources.requests.memory",
      "controller.workflowDefaults.spec.serviceAccountName",
      "controller.workflowNamespaces",
      "crds.full",
      "crds.install",
      "crds.keep",
      "images.pullPolicy",
      "images.tag",
      "server.authModes",
      "server.podAnnotations.secret\\.reloader\\.stakater\\.com/reload",
      "server.resources.limits.cpu",
      "server.resources.limits.memory",
      "server.resources.requests.cpu",
      "server.resources.requests.memory",
      "server.secure",
      "server.serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn",
      "server.serviceAccount.create",
      "server.serviceAccount.name",
      "server.serviceType",
      "workflow.rbac.create",
      "workflow.serviceAccount.create",
      "workflow.serviceAccount.name",
    ]);
  });

  it("server: client auth only (a bearer token on every call), plain HTTP behind the port-forward or the ALB", () => {
    const server = values(plain).server;
    assert.deepEqual([server.authModes, server.secure, server.serviceType], [["client"], false, "ClusterIP"]);
    assert.ok(!JSON.stringify(values(exposed)).includes('"server"]'), "never the server auth mode");
  });

  it("workflow archive in RDS PostgreSQL over TLS, credentials from the synced Secret, controller and server restarted on rotation", () => {
    const db = named(plain, "argo-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.port, db.publiclyAccessible, db.manageMasterUserPassword, db.instanceClass], ["postgres", "argo", 5432, false, true, "db.t4g.small"]);
    assert.equal(db.password, undefined);
    assert.deepEqual(values(plain).controller.persistence, {
      archive: true,
      postgresql: {
        host: DB_HOST,
        port: 5432,
        database: "argo",
        tableName: "argo_workflows",
        userNameSecret: { name: "argo-postgres", key: "username" },
        passwordSecret: { name: "argo-postgres", key: "password" },
        ssl: true,
        sslMode: "require",
      },
    });
    const external = named(plain, "argo-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "argo-postgres", namespace: "argo" });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual((named(plain, "argo-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "argo-database" } } });
    const reload = { "secret.reloader.stakater.com/reload": "argo-postgres" };
    assert.deepEqual([values(plain).controller.podAnnotations, values(plain).server.podAnnotations], [reload, reload]);
    assert.ok(named(plain, "argo", RELEASE).dependencies?.includes(named(plain, "argo-db-credentials").urn), "the release waits for the synced Secret");
  });

  it("S3 artifacts with the SDK's default credential chain (IRSA web identity), workflows in their own namespace", () => {
    assert.deepEqual(values(plain).artifactRepository, {
      s3: { bucket: bucketName(plain), endpoint: "s3.amazonaws.com", region: "eu-west-1", insecure: false, useSDKCreds: true },
    });
    assert.deepEqual(values(plain).controller.workflowNamespaces, ["argo-workflows"]);
    // Workflows submitted without --serviceaccount still run as the account with the workflow Role and IRSA.
    assert.deepEqual(values(plain).controller.workflowDefaults, { spec: { serviceAccountName: "argo-workflow" } });
    assert.deepEqual(values(plain).workflow, { serviceAccount: { create: false, name: "argo-workflow" }, rbac: { create: true } });
    // platinfra creates the workflow account (the chart's `create: false`), annotated with its IRSA role.
    const account = named(plain, "argo-workflow-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs as any;
    assert.deepEqual([account.metadata.name, account.metadata.namespace], ["argo-workflow", "argo-workflows"]);
    assert.match(account.metadata.annotations["eks.amazonaws.com/role-arn"], /:role\//);
    const dependencies = named(plain, "argo", RELEASE).dependencies ?? [];
    // Component dependencies expand to their children: the workflow account and the server's role exist first.
    assert.ok(dependencies.includes(named(plain, "argo-workflow-irsa-sa", "kubernetes:core/v1:ServiceAccount").urn), "the release waits for the workflow account");
    assert.ok(dependencies.includes(named(plain, "argo-server-irsa", "aws:iam/role:Role").urn), "the release waits for the server's role");
  });

  it("with MLflow in the stack, every container and script step gets its in-cluster URI and credentials, the password from a Secret in the workflows namespace", () => {
    assert.deepEqual(values(withMlflow).controller.workflowDefaults, {
      spec: { serviceAccountName: "argo-workflow", templateDefaults: { container: { env: MLFLOW_POD_ENV }, script: { env: MLFLOW_POD_ENV } } },
    });
    assert.deepEqual(valuesKeyPaths(values(withMlflow)).filter((keyPath) => !isKnownKeyPath(chartFixture("argo-workflows"), keyPath)), []);
    // Where the workflow pods run, not the controller's namespace: a secretKeyRef reads only its own pod's namespace.
    assertMlflowClientSecret(withMlflow, { tool: "argo", namespace: "argo-workflows", namespaceResource: "argo-workflows-namespace", reader: "argo" });
    assert.equal(plain.resources.some((resource) => resource.name === "argo-mlflow-client"), false);
    assert.deepEqual(argo.links, ["mlflow", "wandb"]);
  });

  it("IRSA: workflows read/write only the artifact bucket, the server only reads it, the sync only reads the DB secret", () => {
    const bucketArn = `arn:aws:s3:::${bucketName(plain)}`;
    assert.deepEqual(trusted(plain, "workflow"), ["sts.amazonaws.com", "system:serviceaccount:argo-workflows:argo-workflow"]);
    assert.deepEqual(trusted(plain, "server"), ["sts.amazonaws.com", "system:serviceaccount:argo:argo-server"]);
    assert.deepEqual(trusted(plain, "database"), ["sts.amazonaws.com", "system:serviceaccount:argo:argo-database"]);
    assert.deepEqual(policyResources(plain, "workflow"), [bucketArn, `${bucketArn}/*`]);
    assert.deepEqual(policyResources(plain, "server"), [bucketArn, `${bucketArn}/*`]);
    assert.deepEqual(policyResources(plain, "database"), [SECRET_ARN]);
    const serverActions = json(named(plain, "argo-server-irsa-policy").inputs.policy).Statement.flatMap((statement: any) => statement.Action);
    assert.ok(!serverActions.includes("s3:PutObject"), "the server never writes artifacts");
    // The chart creates the server's account, annotated with its role.
    const { annotations, ...account } = values(plain).server.serviceAccount;
    assert.deepEqual(account, { create: true, name: "argo-server" });
    assert.deepEqual(Object.keys(annotations), ["eks.amazonaws.com/role-arn"]);
    assert.match(annotations["eks.amazonaws.com/role-arn"], new RegExp(`:role/${named(plain, "argo-server-irsa", "aws:iam/role:Role").inputs.name}$`));
  });

  it("the submitter: a service account with a token Secret Kubernetes fills in, allowed workflows and logs in the workflows namespace only", () => {
    const token = named(plain, "argo-submitter-token", "kubernetes:core/v1:Secret").inputs as any;
    assert.deepEqual(token, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "argo-submitter.service-account-token", namespace: "argo-workflows", annotations: { "kubernetes.io/service-account.name": "argo-submitter" } },
      type: "kubernetes.io/service-account-token",
    });
    const role = named(plain, "argo-submitter", "kubernetes:rbac.authorization.k8s.io/v1:Role").inputs as any;
    assert.deepEqual(role.metadata, { name: "argo-submitter", namespace: "argo-workflows" });
    assert.deepEqual(role.rules, SUBMITTER_RULES);
    assert.ok(!JSON.stringify(SUBMITTER_RULES).includes("secrets"));
    const binding = named(plain, "argo-submitter", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").inputs as any;
    assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "argo-submitter", namespace: "argo-workflows" }]);
    assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "argo-submitter" });
  });

  it("no secret anywhere in the release's values: only Secret names and keys", () => {
    for (const result of [plain, exposed]) {
      const mentions = stringLeaves(values(result)).filter(([, value]) => /secret|password|postgres(ql)?:\/\//i.test(value));
      assert.deepEqual(mentions.sort(), [["controller.persistence.postgresql.passwordSecret.key", "password"]]);
      assert.doesNotMatch(JSON.stringify(values(result)), /\[secret\]/);
    }
  });

  it("in-cluster by default: no ingress; the UI and CLI through a port-forward, with the token recipe and an argo submit", () => {
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    const env = { ARGO_SERVER: "localhost:2746", ARGO_SECURE: "false", ARGO_HTTP1: "true", ARGO_NAMESPACE: "argo-workflows" };
    assert.deepEqual(plain.outputs.env, env);
    assert.deepEqual(plain.outputs.local, { argo: { namespace: "argo", service: "argo-workflows-server", ports: [{ local: 2746, remote: 2746 }], env } });
    const outputs = argoOutputs(plain);
    assert.deepEqual(
      [outputs.uiUrl, outputs.inClusterUrl, outputs.workflowsNamespace, outputs.workflowServiceAccount, outputs.submitterServiceAccount, outputs.artifactBucket],
      ["http://localhost:2746", "http://argo-workflows-server.argo.svc.cluster.local:2746", "argo-workflows", "argo-workflow", "argo-submitter", bucketName(plain)],
    );
    assert.equal(outputs.tokenCommand, "kubectl -n argo-workflows get secret argo-submitter.service-account-token -o jsonpath='{.data.token}' | base64 -d");
    assert.deepEqual(outputs.commands, [
      "kubectl -n argo port-forward svc/argo-workflows-server 2746:2746",
      `export ARGO_TOKEN="Bearer $(${TOKEN_COMMAND})"   # also the UI's login: paste the whole "Bearer …" value`,
      `eval "$(platinfra outputs stack.yaml --env --local)"   # ARGO_SERVER, ARGO_SECURE, ARGO_HTTP1, ARGO_NAMESPACE`,
      "argo submit -n argo-workflows --serviceaccount argo-workflow --watch https://raw.githubusercontent.com/argoproj/argo-workflows/v4.0.6/examples/hello-world.yaml",
    ]);
  });

  it("exposed (client auth is always on): an HTTPS-only ALB to the HTTP server, the public host in env", () => {
    const ingress = named(exposed, "argo-ingress").inputs as any;
    assert.equal(ingress.metadata.namespace, "argo");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/listen-ports"], '[{"HTTPS":443}]');
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/backend-protocol"] ?? "HTTP", "HTTP");
    assert.deepEqual(ingress.spec.rules, [
      { host: "argo.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "argo-workflows-server", port: { number: 2746 } } } }] } },
    ]);
    assert.deepEqual(exposed.outputs.env, { ARGO_SERVER: "argo.example.com:443", ARGO_SECURE: "true", ARGO_HTTP1: "true", ARGO_NAMESPACE: "argo-workflows" });
    assert.equal(argoOutputs(exposed).uiUrl, "https://argo.example.com");
    assert.equal((exposed.outputs.local as Record<string, unknown>).argo, undefined);
    assert.deepEqual(argoCommands("argo.example.com").filter((command) => command.includes("port-forward") || command.includes("--local")), []);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(argoParams.parse({}), { controller: {}, server: {}, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    const messages = (input: unknown) => paramsErrors(argoParams, input);
    assert.deepEqual(messages({ database: { instance_class: "t3.micro", storage_gb: 10 }, server: { replicas: 2 } }), [
      'server: Unrecognized key: "replicas"',
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
      "database.storage_gb: Too small: expected number to be >=20",
    ]);
    assert.deepEqual(messages({ auth: "server" }), [': Unrecognized key: "auth"']);
  });
});

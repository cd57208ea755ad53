import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { flyte } from "../../components/tools/flyte/index";
import { mlflow } from "../../components/tools/mlflow/index";
import { mlflowParams } from "../../components/tools/mlflow/params";
import { PLACEHOLDER_IMAGE, TASK_POD_TEMPLATE, taskEnvValues } from "../../components/tools/flyte/task-env";
import { flytectlConfig, grpcEndpoint } from "../../components/tools/flyte/client";
import { flyteParams, projectNamespaces, taskSubjects, TRUST_POLICY_LIMIT, trustPolicySize } from "../../components/tools/flyte/params";
import { irsaTrustPolicy } from "../../components/base/policies";
import { DSN_PASSWORD_TEMPLATE } from "../../components/tools/flyte/values";
import type { RenderResult } from "../../src/engine/render";
import { fixtureVersion, unknownValuesKeys, valuesKeyPaths } from "../helpers/chart-keys";
import { paramsErrors } from "../helpers/params";
import { waitsFor } from "../helpers/graph";
import { assertMlflowClientSecret, MLFLOW_POD_ENV, MLFLOW_WITH_AUTH } from "../helpers/peers";
import { named, renderSpec, json, childrenOf } from "../helpers/render";
import { errorsOf, specOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PLAIN = stackWith({ pipelining: ["flyte"] });
const PROJECTS = PLAIN.replace("pipelining: [flyte]", "pipelining: [{flyte: {projects: [ml, fraud-detection]}}]");
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const METADATA_ARN = "arn:aws:s3:::demo-dev-flyte-metadata-836569";
const RAW_DATA_ARN = "arn:aws:s3:::demo-dev-flyte-raw-data-836569";

const values = (result: RenderResult) => named(result, "flyte", RELEASE).inputs.values as Record<string, any>;
const flyteOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).flyte;
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Flyte::flyte");

describe("flyte", () => {
  let plain: RenderResult;
  let projects: RenderResult;
  before(async () => {
    plain = await renderSpec(specOf(PLAIN));
    projects = await renderSpec(specOf(PROJECTS));
  });

  it("is its own namespace, two buckets, PostgreSQL, a server role, a task role, a synced DB secret and the release", () => {
    assert.deepEqual(children(plain), [
      "aws:iam/role:Role flyte-tasks-irsa",
      "aws:iam/rolePolicy:RolePolicy flyte-tasks-irsa-policy",
      "kubernetes:core/v1:Namespace flyte-namespace",
      "kubernetes:external-secrets.io/v1:ExternalSecret flyte-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore flyte-secret-store",
      "kubernetes:helm.sh/v3:Release flyte",
      "platinfra:base:Bucket flyte-metadata",
      "platinfra:base:Bucket flyte-raw-data",
      "platinfra:base:Database flyte-db",
      "platinfra:base:ServiceAccountRole flyte-irsa",
    ]);
  });

  it("pins flyte-binary v1.16.8 (the Flyte 1.x line) and its images at the same version", () => {
    const release = named(plain, "flyte", RELEASE).inputs as Record<string, any>;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts.repo, release.namespace, release.name], ["flyte-binary", "v1.16.8", "https://flyteorg.github.io/flyte", "flyte", "flyte"]);
    assert.equal(release.version, fixtureVersion("flyte-binary-v1"));
    assert.deepEqual(values(plain).deployment.image, { repository: "cr.flyte.org/flyteorg/flyte-binary-release", tag: "v1.16.8" });
    assert.deepEqual(values(plain).configuration["co-pilot"].image, { repository: "cr.flyte.org/flyteorg/flytecopilot-release", tag: "v1.16.8" });
  });

  it("sets only values keys flyte-binary v1.16.8 declares (deployment.resources: read by deployment.yaml, commented in values.yaml)", () => {
    for (const result of [plain, projects]) assert.deepEqual(unknownValuesKeys(named(result, "flyte", RELEASE)), []);
    assert.ok(valuesKeyPaths(values(plain)).includes("deployment.resources.requests.cpu"));
  });

  it("reads the RDS password from a file of the synced Secret (passwordPath), never from values; Reloader restarts it on rotation", () => {
    const db = named(plain, "flyte-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual([db.engine, db.dbName, db.manageMasterUserPassword, db.publiclyAccessible, db.password], ["postgres", "flyte", true, false, undefined]);
    const { configuration, deployment } = values(plain);
    assert.deepEqual(configuration.database, {
      username: "platinfra",
      host: "flyte-db.abcdefghij.eu-west-1.rds.amazonaws.com",
      port: 5432,
      dbname: "flyte",
      options: "sslmode=require",
      passwordPath: "/etc/flyte/db/password",
    });
    assert.deepEqual(deployment.extraVolumes, [{ name: "db-password", secret: { secretName: "flyte-db", items: [{ key: "dsn-password", path: "password" }] } }]);
    assert.deepEqual(deployment.extraVolumeMounts, [{ name: "db-password", mountPath: "/etc/flyte/db", readOnly: true }]);
    assert.deepEqual(deployment.podAnnotations, { "secret.reloader.stakater.com/reload": "flyte-db" });
    const synced = named(plain, "flyte-db-credentials").inputs as any;
    assert.equal(synced.spec.target.name, "flyte-db");
    // The password goes unquoted into flyteadmin's `password=… ` DSN: the file holds it quoted for libpq.
    assert.deepEqual(synced.spec.target.template, { engineVersion: "v2", mergePolicy: "Merge", data: { "dsn-password": String.raw`'{{ .password | replace "\\" "\\\\" | replace "'" "\\'" }}'` } });
    assert.doesNotMatch(JSON.stringify(values(plain)), /"password"\s*:\s*"(?!password")|\[secret\]/);
  });

  /** pgx's reading of a single-quoted keyword/value DSN value (pgconn parseKeywordValueSettings), after the opening quote. */
  const pgxQuoted = (text: string) => {
    let end = 0;
    for (; end < text.length && text[end] !== "'"; end++) if (text[end] === "\\") end++;
    assert.equal(text.slice(end), "'", "one closing quote, at the end");
    return text.slice(0, end).replaceAll("\\\\", "\\").replaceAll("\\'", "'");
  };
  /** External Secrets' rendering of DSN_PASSWORD_TEMPLATE: its `replace` steps, literals read as Go (here JSON-compatible) strings. */
  const renderDsnPassword = (password: string) => {
    const steps = [...DSN_PASSWORD_TEMPLATE.matchAll(/replace ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")/g)].map((match) => [JSON.parse(match[1]), JSON.parse(match[2])] as const);
    assert.equal(steps.length, 2);
    assert.match(DSN_PASSWORD_TEMPLATE, /^'\{\{ \.password \| replace .* \}\}'$/);
    return `'${steps.reduce((text, [from, to]) => text.replaceAll(from, to), password)}'`;
  };
  for (const password of ["plain-Pass1", "with space", "'leading quote", "back\\slash", "trailing\\", "\\'both", "a\\\\b''c", " padded "])
    it(`the password file carries ${JSON.stringify(password)} through flyteadmin's DSN unchanged`, () => {
      const file = renderDsnPassword(password).trim(); // resolvePassword trims the file
      assert.equal(file[0], "'");
      assert.equal(pgxQuoted(file.slice(1)), password);
    });

  it("stores metadata and raw data in its two buckets through the default credential chain (IRSA)", () => {
    assert.deepEqual(values(plain).configuration.storage, {
      metadataContainer: "demo-dev-flyte-metadata-836569",
      userDataContainer: "demo-dev-flyte-raw-data-836569",
      provider: "s3",
      providerConfig: { s3: { region: "eu-west-1", authType: "iam" } },
    });
    assert.deepEqual(values(plain).serviceAccount, { create: false, name: "flyte" });
    const sa = named(plain, "flyte-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs as any;
    assert.deepEqual(sa.metadata, { name: "flyte", namespace: "flyte", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/demo-dev-flyte" } });
    const policy = json(named(plain, "flyte-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    assert.deepEqual(policy.Statement.map((statement: any) => [statement.Sid, statement.Resource]), [
      ["FlyteDataList", [METADATA_ARN, RAW_DATA_ARN]],
      ["FlyteDataObjects", [`${METADATA_ARN}/*`, `${RAW_DATA_ARN}/*`]],
      ["DatabaseSecret", ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-flyte-db-AbCdEf"]],
    ]);
  });

  it("annotates the default service account of every project-domain namespace with the task role (cluster resource templates)", () => {
    const templates = values(plain).clusterResourceTemplates.inline;
    assert.deepEqual(Object.keys(templates), ["001_namespace.yaml", "002_serviceaccount.yaml"]);
    assert.equal(templates["001_namespace.yaml"], "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: '{{ namespace }}'\n");
    assert.equal(
      templates["002_serviceaccount.yaml"],
      "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: '{{ namespace }}'\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/demo-dev-flyte-tasks\n",
    );
  });

  it("the task role trusts exactly the default accounts of the listed projects' namespaces, and grants exactly the two buckets", () => {
    const trust = (result: RenderResult) => json(named(result, "flyte-tasks-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(trust(plain), {
      [`${ISSUER}:sub`]: ["system:serviceaccount:flytesnacks-development:default", "system:serviceaccount:flytesnacks-staging:default", "system:serviceaccount:flytesnacks-production:default"],
      [`${ISSUER}:aud`]: "sts.amazonaws.com",
    });
    assert.deepEqual(trust(projects)[`${ISSUER}:sub`], [
      "system:serviceaccount:ml-development:default",
      "system:serviceaccount:ml-staging:default",
      "system:serviceaccount:ml-production:default",
      "system:serviceaccount:fraud-detection-development:default",
      "system:serviceaccount:fraud-detection-staging:default",
      "system:serviceaccount:fraud-detection-production:default",
    ]);
    const policy = json(named(plain, "flyte-tasks-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    assert.deepEqual(policy.Statement.map((statement: any) => statement.Resource), [[METADATA_ARN, RAW_DATA_ARN], [`${METADATA_ARN}/*`, `${RAW_DATA_ARN}/*`]]);
  });

  it("seeds exactly the listed projects (the chart's default would add flytesnacks)", () => {
    assert.deepEqual(values(projects)["flyte-core-components"], {
      admin: {
        seedProjects: ["ml", "fraud-detection"],
        seedProjectsWithDetails: [
          { name: "ml", description: "ml (created by platinfra)" },
          { name: "fraud-detection", description: "fraud-detection (created by platinfra)" },
        ],
      },
    });
  });

  it("is never exposed: ClusterIP only, no Ingress, auth left off (there is no `expose` param)", () => {
    assert.deepEqual(values(plain).service, { type: "ClusterIP" });
    assert.equal(values(plain).ingress, undefined);
    assert.equal(plain.resources.filter((resource) => resource.type === "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.deepEqual(errorsOf(PLAIN.replace("pipelining: [flyte]", "pipelining: [{flyte: {expose: {host: flyte.example.com}}}]")), [
      'stack.yaml:9:25: stack.pipelining[0].flyte.expose: unknown key "expose" (allowed: resources, projects, database) — fix the spelling or remove it',
    ]);
  });

  it("outputs the in-cluster endpoint, the port-forward and a flytectl config.yaml for it; env for pods and for laptops", () => {
    assert.deepEqual(flyteOutputs(plain), {
      endpoint: "dns:///flyte-flyte-binary-grpc.flyte.svc.cluster.local:8089",
      consoleUrl: "http://flyte-flyte-binary-http.flyte.svc.cluster.local:8088/console",
      portForward: "kubectl -n flyte port-forward deployment/flyte-flyte-binary 8088:8088 8089:8089",
      localConsoleUrl: "http://localhost:8088/console",
      flytectlConfig: "admin:\n  endpoint: dns:///localhost:8089\n  insecure: true\nlogger:\n  show-source: true\n  level: 0\n",
      projects: "flytesnacks",
      taskNamespaces: "flytesnacks-development, flytesnacks-staging, flytesnacks-production",
      metadataBucket: "demo-dev-flyte-metadata-836569",
      rawDataPrefix: "s3://demo-dev-flyte-raw-data-836569/data",
      taskRoleArn: "arn:aws:iam::123456789012:role/demo-dev-flyte-tasks",
      databaseEndpoint: "flyte-db.abcdefghij.eu-west-1.rds.amazonaws.com:5432",
    });
    // flytekit's settings: host:port without the dns:/// resolver prefix flytectl uses.
    assert.deepEqual(plain.outputs.env, { FLYTE_PLATFORM_URL: "flyte-flyte-binary-grpc.flyte.svc.cluster.local:8089", FLYTE_PLATFORM_INSECURE: "true" });
    assert.deepEqual((plain.outputs.local as Record<string, unknown>).flyte, {
      namespace: "flyte",
      service: "flyte-flyte-binary-grpc",
      ports: [{ local: 8089, remote: 8089 }],
      env: { FLYTE_PLATFORM_URL: "localhost:8089", FLYTE_PLATFORM_INSECURE: "true" },
    });
  });

  it("pure client builders", () => {
    assert.equal(grpcEndpoint("localhost", 8089), "dns:///localhost:8089");
    assert.equal(flytectlConfig("flyte.internal:443"), "admin:\n  endpoint: dns:///flyte.internal:443\n  insecure: true\nlogger:\n  show-source: true\n  level: 0\n");
    assert.deepEqual(projectNamespaces(["a1"]), ["a1-development", "a1-staging", "a1-production"]);
    assert.deepEqual(irsaTrustPolicy("arn:p", "https://issuer.example/id/X/", taskSubjects(["p1"])).Statement[0].Condition.StringEquals, {
      "issuer.example/id/X:sub": ["system:serviceaccount:p1-development:default", "system:serviceaccount:p1-staging:default", "system:serviceaccount:p1-production:default"],
      "issuer.example/id/X:aud": "sts.amazonaws.com",
    });
  });

  it("params: working defaults, and errors that say what is allowed", () => {
    assert.deepEqual(flyteParams.parse({}), { projects: ["flytesnacks"], database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    assert.deepEqual(paramsErrors(flyteParams, { projects: ["ML", "ok", "ok"], database: { instance_class: "t3.micro", storage_gb: 10 } }), [
      'projects.0: project "ML" is not allowed — use 2–42 lowercase letters, digits or "-", starting with a letter and not ending with "-"',
      "projects: projects are listed twice — list each Flyte project once",
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
      "database.storage_gb: Too small: expected number to be >=20",
    ]);
    assert.deepEqual(paramsErrors(flyteParams, { projects: [] }), ["projects: Too small: expected array to have >=1 items"]);
  });

  it("params: the task role's trust policy fits IAM's 2048 characters, measured for the longest EKS issuer", () => {
    const issuer = `oidc.eks.ap-southeast-2.amazonaws.com/id/${"0123456789ABCDEF".repeat(2)}`;
    const arn = `arn:aws-us-gov:iam::123456789012:oidc-provider/${issuer}`;
    const longest = (count: number) => Array.from({ length: count }, (_, index) => `p${index}`.padEnd(42, "x"));
    for (const projects of [["flytesnacks"], ["ml", "fraud-detection"], longest(6)])
      assert.equal(JSON.stringify(irsaTrustPolicy(arn, `https://${issuer}`, taskSubjects(projects))).length, trustPolicySize(projects));
    assert.equal(TRUST_POLICY_LIMIT, 2048);
    assert.equal(flyteParams.parse({ projects: longest(6) }).projects.length, 6);
    assert.deepEqual(paramsErrors(flyteParams, { projects: longest(7) }), [
      "projects: these projects make the task role's trust policy 2252 characters long; IAM allows 2048 — list fewer projects or shorter names (each project trusts 3 namespaces)",
    ]);
  });

  it("reports a bad param at its position in the stack file", () => {
    const text = PLAIN.replace("pipelining: [flyte]", "pipelining: [{flyte: {projects: [Bad]}}]");
    assert.deepEqual(errorsOf(text), [
      'stack.yaml:9:36: stack.pipelining[0].flyte.projects[0]: project "Bad" is not allowed — use 2–42 lowercase letters, digits or "-", starting with a letter and not ending with "-"',
    ]);
  });
});

describe("flyte with MLflow in the stack", () => {
  const PASSWORD_ENV = MLFLOW_POD_ENV[2];
  const withFlyte = (mlflowParamsValue: Record<string, unknown>) =>
    renderWithTools(stackWith({ pipelining: ["flyte"], experiment_tracker: ["mlflow"] }), { flyte, mlflow }, { flyte: flyteParams.parse({}), mlflow: mlflowParamsValue });
  let withAuth: RenderResult;
  let withoutAuth: RenderResult;
  let alone: RenderResult;
  before(async () => {
    withAuth = await withFlyte(MLFLOW_WITH_AUTH.params);
    withoutAuth = await withFlyte(mlflowParams.parse({}));
    alone = await renderWithTools(stackWith({ pipelining: ["flyte"] }), { flyte }, { flyte: flyteParams.parse({}) });
  });

  it("task pods start from a default PodTemplate in flyte's namespace whose primary container carries MLflow's settings", () => {
    const template = named(withAuth, "flyte-task-pod-template", "kubernetes:core/v1:PodTemplate").inputs as any;
    assert.deepEqual(template.metadata, { name: TASK_POD_TEMPLATE, namespace: "flyte" });
    assert.deepEqual(template.template, { spec: { containers: [{ name: "primary", image: PLACEHOLDER_IMAGE, env: MLFLOW_POD_ENV }] } });
    assert.deepEqual(values(withAuth).configuration.inline.plugins, { k8s: { "default-pod-template-name": "flyte-task-defaults" } });
    assert.ok(waitsFor(withAuth, named(withAuth, "flyte", RELEASE), named(withAuth, "flyte-task-pod-template")), "the release waits for the PodTemplate");
    for (const result of [withAuth, withoutAuth]) assert.deepEqual(unknownValuesKeys(named(result, "flyte", RELEASE)), []);
    assert.deepEqual(flyte.links, ["mlflow", "wandb"]);
  });

  it("flyteadmin re-creates the mlflow-client Secret in every project-domain namespace, the password filled in from its own environment", () => {
    const inline = values(withAuth).clusterResourceTemplates.inline;
    assert.deepEqual(Object.keys(inline), ["001_namespace.yaml", "002_serviceaccount.yaml", "003_mlflow-client.yaml"]);
    assert.equal(
      inline["003_mlflow-client.yaml"],
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mlflow-client\n  namespace: '{{ namespace }}'\ntype: Opaque\nstringData:\n  MLFLOW_TRACKING_PASSWORD: '{{ MLFLOW_TRACKING_PASSWORD }}'\n",
    );
    assert.deepEqual(values(withAuth).configuration.inline.cluster_resources, { templateData: { MLFLOW_TRACKING_PASSWORD: { valueFrom: { env: "MLFLOW_TRACKING_PASSWORD" } } } });
    // The flyte container holds the password only as a reference to the Secret copied into flyte's namespace.
    assert.deepEqual(values(withAuth).deployment.extraEnvVars, [PASSWORD_ENV]);
    // The flyte container reads the password at start only, and flyteadmin re-applies the template only after a restart: Reloader rolls it.
    assert.deepEqual(values(withAuth).deployment.podAnnotations, { "secret.reloader.stakater.com/reload": "flyte-db,mlflow-client" });
    assertMlflowClientSecret(withAuth, { tool: "flyte", namespace: "flyte", namespaceResource: "flyte-namespace", reader: "flyte" });
    // flyteadmin's substitution (plain string replacement of "{{ name }}") gives a valid Secret manifest.
    const filled = inline["003_mlflow-client.yaml"].replace("{{ namespace }}", "flytesnacks-development").replace("{{ MLFLOW_TRACKING_PASSWORD }}", "Abc123");
    assert.deepEqual(parse(filled), { apiVersion: "v1", kind: "Secret", metadata: { name: "mlflow-client", namespace: "flytesnacks-development" }, type: "Opaque", stringData: { MLFLOW_TRACKING_PASSWORD: "Abc123" } });
  });

  it("taskEnvValues: one template per referenced Secret with each of its keys, one templateData entry per variable", () => {
    const ref = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });
    const result = taskEnvValues([{ name: "PLAIN", value: "x" }, { name: "A_USER", ...ref("a-client", "user") }, { name: "A_PASS", ...ref("a-client", "pass") }, { name: "B_TOKEN", ...ref("b-client", "token") }]);
    assert.deepEqual(result.templates, {
      "003_a-client.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a-client\n  namespace: '{{ namespace }}'\ntype: Opaque\nstringData:\n  user: '{{ A_USER }}'\n  pass: '{{ A_PASS }}'\n",
      "003_b-client.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: b-client\n  namespace: '{{ namespace }}'\ntype: Opaque\nstringData:\n  token: '{{ B_TOKEN }}'\n",
    });
    assert.deepEqual(Object.keys((result.inline.cluster_resources as any).templateData), ["A_USER", "A_PASS", "B_TOKEN"]);
    assert.deepEqual(result.serverEnv.map((entry) => entry.name), ["A_USER", "A_PASS", "B_TOKEN"]);
    assert.deepEqual(result.serverSecrets, ["a-client", "b-client"]);
  });

  it("MLflow without auth: the PodTemplate alone (URI only), no Secret anywhere; without MLflow: none of it", () => {
    const template = named(withoutAuth, "flyte-task-pod-template", "kubernetes:core/v1:PodTemplate").inputs as any;
    assert.deepEqual(template.template.spec.containers[0].env, [MLFLOW_POD_ENV[0]]);
    assert.deepEqual(values(withoutAuth).configuration.inline, { plugins: { k8s: { "default-pod-template-name": "flyte-task-defaults" } } });
    assert.deepEqual(Object.keys(values(withoutAuth).clusterResourceTemplates.inline), ["001_namespace.yaml", "002_serviceaccount.yaml"]);
    assert.equal(values(withoutAuth).deployment.extraEnvVars, undefined);
    assert.deepEqual(values(withoutAuth).deployment.podAnnotations, { "secret.reloader.stakater.com/reload": "flyte-db" });
    assert.equal(withoutAuth.resources.some((resource) => resource.name === "flyte-mlflow-client"), false);
    assert.equal(alone.resources.some((resource) => ["flyte-mlflow-client", "flyte-task-pod-template"].includes(resource.name)), false);
    assert.deepEqual([values(alone).configuration.inline, values(alone).deployment.extraEnvVars], [undefined, undefined]);
  });
});


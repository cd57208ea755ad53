import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { NO_AUTH, WITH_ARGO } from "../../components/tools/kubeflow/checks";
import { kubeflow, writeOverlay } from "../../components/tools/kubeflow/index";
import { KFP_VERSION, kustomizationYaml, mlmdConfigTemplate, type OverlaySettings, remoteBase } from "../../components/tools/kubeflow/manifests";
import { kubeflowParams } from "../../components/tools/kubeflow/params";
import type { RenderResult } from "../../src/engine/render";
import type { PlatinfraError } from "../../src/errors";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { MLFLOW_POD_ENV, MLFLOW_WITH_AUTH } from "../helpers/peers";
import { named, ofType, json } from "../helpers/render";
import { problemsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const DIRECTORY = "kubernetes:kustomize/v2:Directory";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-kubeflow-db-AbCdEf";
const DB_HOST = "kubeflow-db.abcdefghij.eu-west-1.rds.amazonaws.com";
const RELOAD = { "secret.reloader.stakater.com/reload": "mysql-secret" };

const childrenOf = (result: RenderResult) =>
  result.resources.filter((resource) => resource.parent?.endsWith("platinfra:tools:Kubeflow::kubeflow")).map((resource) => `${resource.type} ${resource.name}`).sort();
const bucketName = (result: RenderResult) => named(result, "kubeflow-artifacts", "aws:s3/bucket:Bucket").inputs.bucket as string;
const roleName = (result: RenderResult, role: string) => named(result, `kubeflow-${role}-irsa`, "aws:iam/role:Role").inputs.name as string;
const policyResources = (result: RenderResult, role: string) =>
  [...new Set(json(named(result, `kubeflow-${role}-irsa-policy`).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
const policyActions = (result: RenderResult, role: string) => json(named(result, `kubeflow-${role}-irsa-policy`).inputs.policy).Statement.flatMap((statement: any) => statement.Action);
const trusted = (result: RenderResult, role: string) =>
  Object.values(json(named(result, `kubeflow-${role}-irsa`, "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals).sort();

/** The overlay as the provider's kustomize reads it: the file the component wrote where the Directory points. */
function overlay(result: RenderResult): Record<string, any> {
  return parse(fs.readFileSync(path.join(named(result, "kubeflow", DIRECTORY).inputs.directory as string, "kustomization.yaml"), "utf8"));
}
const patches = (result: RenderResult) => (overlay(result).patches as { patch: string }[]).map((entry) => parse(entry.patch));
const patchOf = (result: RenderResult, kind: string, name: string) => patches(result).find((patch) => patch.kind === kind && patch.metadata.name === name);
const container = (result: RenderResult, deployment: string) => patchOf(result, "Deployment", deployment).spec.template.spec.containers[0];
const envOf = (result: RenderResult, deployment: string) => Object.fromEntries(container(result, deployment).env.map((entry: any) => [entry.name, entry]));

describe("kubeflow", () => {
  let plain: RenderResult;
  let sized: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    withMlflow = await renderWithTools(
      stackWith({ pipelining: ["kubeflow"], experiment_tracker: ["mlflow"] }),
      { kubeflow, mlflow: MLFLOW_WITH_AUTH.module },
      { kubeflow: kubeflowParams.parse({}), mlflow: MLFLOW_WITH_AUTH.params },
    );
    plain = await renderWithTools(stackWith({ pipelining: ["kubeflow"] }), { kubeflow }, { kubeflow: kubeflowParams.parse({}) });
    const resources = { requests: { cpu: "500m", memory: "1Gi" } };
    sized = await renderWithTools(stackWith({ pipelining: ["kubeflow"] }), { kubeflow }, { kubeflow: kubeflowParams.parse({ api_server: { resources } }) });
  });

  it("creates exactly its namespace, artifact bucket, MySQL, four IRSA roles, the synced DB secret and the kustomize Directory", () => {
    assert.deepEqual(childrenOf(plain), [
      "kubernetes:core/v1:Namespace kubeflow-namespace",
      "kubernetes:external-secrets.io/v1:ExternalSecret kubeflow-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore kubeflow-secret-store",
      `${DIRECTORY} kubeflow`,
      "platinfra:base:Bucket kubeflow-artifacts",
      "platinfra:base:Database kubeflow-db",
      "platinfra:base:ServiceAccountRole kubeflow-api-server-irsa",
      "platinfra:base:ServiceAccountRole kubeflow-database-irsa",
      "platinfra:base:ServiceAccountRole kubeflow-runner-irsa",
      "platinfra:base:ServiceAccountRole kubeflow-ui-irsa",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("deploys the official manifests of KFP 2.17.0 (remote bases at the tag), without the bundled MySQL, object store and v1 cache webhook", () => {
    assert.equal(KFP_VERSION, "2.17.0");
    const directory = named(plain, "kubeflow", DIRECTORY).inputs;
    assert.deepEqual([directory.namespace, directory.resourcePrefix], ["kubeflow", "kubeflow"]);
    const kustomization = overlay(plain);
    assert.deepEqual([kustomization.apiVersion, kustomization.kind, kustomization.namespace], ["kustomize.config.k8s.io/v1beta1", "Kustomization", "kubeflow"]);
    assert.deepEqual(kustomization.resources, [
      "https://github.com/kubeflow/pipelines/manifests/kustomize/base/pipeline/cluster-scoped?ref=2.17.0&timeout=180s",
      "https://github.com/kubeflow/pipelines/manifests/kustomize/third-party/argo/installs/namespace/cluster-scoped?ref=2.17.0&timeout=180s",
      "https://github.com/kubeflow/pipelines/manifests/kustomize/base/pipeline?ref=2.17.0&timeout=180s",
      "https://github.com/kubeflow/pipelines/manifests/kustomize/base/metadata/base?ref=2.17.0&timeout=180s",
      "https://github.com/kubeflow/pipelines/manifests/kustomize/third-party/argo/installs/namespace?ref=2.17.0&timeout=180s",
    ]);
    assert.ok(!JSON.stringify(kustomization.resources).match(/mysql|seaweedfs|minio|cache|installs\/generic/));
    assert.equal(remoteBase("base/pipeline"), kustomization.resources[2]);
    // The Directory waits for the namespace, the roles its service accounts name, and the synced Secret.
    const dependencies = named(plain, "kubeflow", DIRECTORY).dependencies ?? [];
    for (const [name, type] of [
      ["kubeflow-namespace", "kubernetes:core/v1:Namespace"],
      ["kubeflow-db-credentials", "kubernetes:external-secrets.io/v1:ExternalSecret"],
      ["kubeflow-api-server-irsa", "aws:iam/role:Role"],
      ["kubeflow-ui-irsa", "aws:iam/role:Role"],
      ["kubeflow-runner-irsa", "aws:iam/role:Role"],
    ]) {
      assert.ok(dependencies.includes(named(plain, name, type).urn), `the Directory waits for ${name}`);
    }
  });

  it("pipeline-install-config points KFP at RDS and the bucket (every key upstream's workloads read)", () => {
    const [generator] = overlay(plain).configMapGenerator;
    assert.deepEqual([generator.name, generator.options], ["pipeline-install-config", { disableNameSuffixHash: true }]);
    const data = Object.fromEntries(generator.literals.map((literal: string) => [literal.slice(0, literal.indexOf("=")), literal.slice(literal.indexOf("=") + 1)]));
    assert.deepEqual(data, {
      appName: "pipeline",
      appVersion: "2.17.0",
      dbType: "mysql",
      mysqlHost: DB_HOST,
      mysqlPort: "3306",
      mlmdDb: "metadb",
      cacheDb: "cachedb",
      pipelineDb: "mlpipeline",
      bucketName: bucketName(plain),
      defaultPipelineRoot: `s3://${bucketName(plain)}/v2/artifacts`,
      autoUpdatePipelineDefaultVersion: "true",
      cronScheduleTimezone: "UTC",
      ConMaxLifeTime: "120s",
      LOG_LEVEL: "info",
      ARTIFACTS_PROXY_ENABLED: "false",
      defaultSecurityContextRunAsUser: "",
      defaultSecurityContextRunAsGroup: "",
      defaultSecurityContextRunAsNonRoot: "",
      defaultSecurityContextHostUsers: "",
      BLOCK_V1_PIPELINES: "false",
      V1_ALLOWED_NAMESPACES: "",
    });
  });

  it("MySQL 8.4 on RDS: private, encrypted, managed password, mysql_native_password for ML Metadata's client", () => {
    const db = named(plain, "kubeflow-db", "aws:rds/instance:Instance").inputs;
    assert.deepEqual(
      [db.engine, db.engineVersion, db.dbName, db.port, db.publiclyAccessible, db.storageEncrypted, db.manageMasterUserPassword, db.instanceClass, db.parameterGroupName],
      ["mysql", "8.4", "mlpipeline", 3306, false, true, true, "db.t4g.small", "demo-dev-kubeflow-mysql8-4"],
    );
    assert.equal(db.password, undefined);
    const parameters = named(plain, "kubeflow-db-parameters", "aws:rds/parameterGroup:ParameterGroup").inputs;
    assert.deepEqual([parameters.name, parameters.family, parameters.parameters], ["demo-dev-kubeflow-mysql8-4", "mysql8.4", [{ name: "authentication_policy", value: "*:mysql_native_password", applyMethod: "pending-reboot" }]]);
  });

  it("the password only through the synced Secret mysql-secret: API server (TLS) and ML Metadata (config file rendered in the cluster), both restarted on rotation", () => {
    const external = named(plain, "kubeflow-db-credentials").inputs as any;
    assert.deepEqual(external.metadata, { name: "mysql-secret", namespace: "kubeflow" });
    assert.deepEqual(external.spec.data, [
      { secretKey: "username", remoteRef: { key: SECRET_ARN, property: "username" } },
      { secretKey: "password", remoteRef: { key: SECRET_ARN, property: "password" } },
    ]);
    assert.deepEqual(external.spec.target.template, { engineVersion: "v2", mergePolicy: "Merge", data: { "mlmd-config": mlmdConfigTemplate({ host: DB_HOST, port: 3306 }) } });
    assert.deepEqual((named(plain, "kubeflow-secret-store").inputs as any).spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "kubeflow-database" } } });
    // The API server reads username/password from mysql-secret upstream; TLS through go-sql-driver's params.
    assert.deepEqual(envOf(plain, "ml-pipeline").DBCONFIG_MYSQLCONFIG_EXTRAPARAMS, { name: "DBCONFIG_MYSQLCONFIG_EXTRAPARAMS", value: '{"tls":"skip-verify"}' });
    // ML Metadata: the config file from the Secret, no credentials on its command line.
    const metadata = container(plain, "metadata-grpc-deployment");
    assert.deepEqual(metadata.args.slice(0, 2), ["--grpc_port=8080", "--metadata_store_server_config_file=/etc/mlmd/config.pbtxt"]);
    assert.ok(!metadata.args.some((arg: string) => arg.includes("mysql_config")), "no --mysql_config_* flags");
    assert.deepEqual(metadata.env, [
      { name: "DBCONFIG_USER", $patch: "delete" },
      { name: "DBCONFIG_PASSWORD", $patch: "delete" },
    ]);
    assert.deepEqual(metadata.volumeMounts, [{ name: "mlmd-config", mountPath: "/etc/mlmd", readOnly: true }]);
    assert.deepEqual(patchOf(plain, "Deployment", "metadata-grpc-deployment").spec.template.spec.volumes, [
      { name: "mlmd-config", secret: { secretName: "mysql-secret", items: [{ key: "mlmd-config", path: "config.pbtxt" }] } },
    ]);
    for (const deployment of ["ml-pipeline", "metadata-grpc-deployment"]) {
      assert.deepEqual(patchOf(plain, "Deployment", deployment).spec.template.metadata.annotations, RELOAD, `${deployment} restarts on rotation`);
    }
  });

  it("ML Metadata's config: TLS on, the credentials escaped for the text format by External Secrets, upgrades on", () => {
    assert.equal(
      mlmdConfigTemplate({ host: "db.example", port: 3306 }),
      [
        "connection_config {",
        "  mysql {",
        '    host: "db.example"',
        "    port: 3306",
        '    database: "metadb"',
        '    user: "{{ .username | replace "\\\\" "\\\\\\\\" | replace "\\"" "\\\\\\"" }}"',
        '    password: "{{ .password | replace "\\\\" "\\\\\\\\" | replace "\\"" "\\\\\\"" }}"',
        "    ssl_options { verify_server_cert: false }",
        "  }",
        "}",
        "migration_options { enable_upgrade_migration: true }",
        "",
      ].join("\n"),
    );
  });

  it("S3 through IRSA: the API server with empty keys (the default credential chain), the UI, the launcher and Argo's artifact repository", () => {
    const api = envOf(plain, "ml-pipeline");
    assert.deepEqual(
      ["OBJECTSTORECONFIG_HOST", "OBJECTSTORECONFIG_PORT", "OBJECTSTORECONFIG_SECURE", "OBJECTSTORECONFIG_REGION"].map((name) => api[name].value),
      ["s3.eu-west-1.amazonaws.com", "", "true", "eu-west-1"],
    );
    // Set and empty (not removed): the image's config.json would otherwise supply MinIO's keys.
    assert.deepEqual(api.OBJECTSTORECONFIG_ACCESSKEY, { name: "OBJECTSTORECONFIG_ACCESSKEY", value: "", valueFrom: null });
    assert.deepEqual(api.OBJECTSTORECONFIG_SECRETACCESSKEY, { name: "OBJECTSTORECONFIG_SECRETACCESSKEY", value: "", valueFrom: null });
    const ui = envOf(plain, "ml-pipeline-ui");
    assert.deepEqual(Object.values(ui), [
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "ARGO_ARCHIVE_ARTIFACTORY", value: "s3" },
      { name: "ARGO_ARCHIVE_BUCKETNAME", value: bucketName(plain) },
      { name: "MINIO_ACCESS_KEY", $patch: "delete" },
      { name: "MINIO_SECRET_KEY", $patch: "delete" },
    ]);
    const launcher = patchOf(plain, "ConfigMap", "kfp-launcher").data;
    assert.equal(launcher.defaultPipelineRoot, `s3://${bucketName(plain)}/v2/artifacts`);
    assert.deepEqual(parse(launcher.providers), { s3: { default: { endpoint: "s3.amazonaws.com", region: "eu-west-1", credentials: { fromEnv: true } } } });
    const repository = parse(patchOf(plain, "ConfigMap", "workflow-controller-configmap").data.artifactRepository);
    assert.deepEqual(repository, {
      archiveLogs: true,
      s3: {
        endpoint: "s3.amazonaws.com",
        region: "eu-west-1",
        bucket: bucketName(plain),
        keyFormat: "private-artifacts/{{workflow.namespace}}/{{workflow.name}}/{{workflow.creationTimestamp.Y}}/{{workflow.creationTimestamp.m}}/{{workflow.creationTimestamp.d}}/{{pod.name}}",
        useSDKCreds: true,
      },
    });
    assert.ok(!JSON.stringify(patches(plain)).includes("mlpipeline-minio-artifact"), "nothing reads the MinIO Secret");
  });

  it("with MLflow in the stack, every pipeline step gets its in-cluster URI and credentials (password from a Secret in kubeflow), KFP's own defaults kept", () => {
    const controller = patchOf(withMlflow, "ConfigMap", "workflow-controller-configmap").data;
    assert.deepEqual(parse(controller.workflowDefaults), {
      spec: {
        ttlStrategy: { secondsAfterCompletion: 3600, secondsAfterSuccess: 3600, secondsAfterFailure: 3600 },
        templateDefaults: { retryStrategy: { limit: "2", retryPolicy: "OnError" }, container: { env: MLFLOW_POD_ENV }, script: { env: MLFLOW_POD_ENV } },
      },
    });
    const secret = named(withMlflow, "kubeflow-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "mlflow-client", namespace: "kubeflow" }, "[secret]"]);
    assert.ok(waitsFor(withMlflow, named(withMlflow, "kubeflow", DIRECTORY), secret), "the manifests wait for the Secret their steps read");
    assert.equal(JSON.stringify(withMlflow).includes("mock-mlflow-admin-password"), false, "MLflow's password in plain text");
    assert.doesNotMatch(fs.readFileSync(path.join(named(withMlflow, "kubeflow", DIRECTORY).inputs.directory as string, "kustomization.yaml"), "utf8"), /mock-mlflow-admin-password/);
    // Without MLflow, upstream's workflow defaults stay as they are (the key is not patched).
    assert.equal(patchOf(plain, "ConfigMap", "workflow-controller-configmap").data.workflowDefaults, undefined);
    assert.equal(plain.resources.some((resource) => resource.name === "kubeflow-mlflow-client"), false);
    assert.deepEqual(kubeflow.links, ["mlflow", "wandb"]);
  });

  it("IRSA: the roles name exactly the bucket (or the DB secret) and annotate upstream's service accounts", () => {
    const bucketArn = `arn:aws:s3:::${bucketName(plain)}`;
    for (const [role, account] of [
      ["api-server", "ml-pipeline"],
      ["ui", "ml-pipeline-ui"],
      ["runner", "pipeline-runner"],
    ]) {
      assert.deepEqual(trusted(plain, role), ["sts.amazonaws.com", `system:serviceaccount:kubeflow:${account}`]);
      assert.deepEqual(policyResources(plain, role), [bucketArn, `${bucketArn}/*`]);
      const annotation = patchOf(plain, "ServiceAccount", account).metadata.annotations["eks.amazonaws.com/role-arn"];
      assert.match(annotation, new RegExp(`:role/${roleName(plain, role)}$`), `${account} carries its role`);
      // Upstream's manifests create these accounts: platinfra only annotates them.
      assert.equal(ofType(plain, "kubernetes:core/v1:ServiceAccount").filter((resource) => (resource.inputs as any).metadata.name === account).length, 0);
    }
    assert.ok(policyActions(plain, "runner").includes("s3:PutObject"));
    assert.ok(!policyActions(plain, "ui").includes("s3:PutObject"), "the UI only reads");
    assert.deepEqual(trusted(plain, "database"), ["sts.amazonaws.com", "system:serviceaccount:kubeflow:kubeflow-database"]);
    assert.deepEqual(policyResources(plain, "database"), [SECRET_ARN]);
    // IAM role names are per account: each names the tool, never a bare "database" or "ui" another tool could take.
    assert.deepEqual(["api-server", "ui", "runner", "database"].map((role) => roleName(plain, role)), [
      "demo-dev-kubeflow-api-server",
      "demo-dev-kubeflow-ui",
      "demo-dev-kubeflow-runner",
      "demo-dev-kubeflow-database",
    ]);
  });

  it("the API server's resources: upstream's request by default, the params' when given", () => {
    assert.deepEqual(container(plain, "ml-pipeline").resources, { requests: { cpu: "250m", memory: "500Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    assert.deepEqual(container(sized, "ml-pipeline").resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } });
  });

  it("no secret in plain text in any recorded input, nor in the overlay", () => {
    const recorded = JSON.stringify(plain.resources.map((resource) => resource.inputs));
    assert.doesNotMatch(recorded, /minio123|"password":"[^{[]/);
    assert.doesNotMatch(JSON.stringify(overlay(plain)), /minio123|\[secret\]/);
    // Every env entry about a key or password in the overlay is emptied or deleted: none carries a value.
    const credentialEnv = patches(plain)
      .filter((patch) => patch.kind === "Deployment")
      .flatMap((patch) => patch.spec.template.spec.containers.flatMap((item: any) => item.env ?? []))
      .filter((entry: any) => /KEY|PASSWORD/.test(entry.name));
    assert.equal(credentialEnv.length, 5);
    assert.deepEqual(credentialEnv.filter((entry: any) => !(entry.$patch === "delete" || (entry.value === "" && entry.valueFrom === null))), []);
    // The only template with a password names it as an External Secrets variable, rendered in the cluster.
    assert.match((named(plain, "kubeflow-db-credentials").inputs as any).spec.target.template.data["mlmd-config"], /password: "\{\{ \.password /);
  });

  it("in-cluster only: the API URL for pods, the UI (which proxies the API) through a port-forward", () => {
    assert.deepEqual(plain.outputs.env, { KF_PIPELINES_ENDPOINT: "http://ml-pipeline.kubeflow.svc.cluster.local:8888" });
    assert.deepEqual(plain.outputs.local, { kubeflow: { namespace: "kubeflow", service: "ml-pipeline-ui", ports: [{ local: 8080, remote: 80 }], env: { KF_PIPELINES_ENDPOINT: "http://localhost:8080" } } });
    assert.deepEqual((plain.outputs.tools as Record<string, any>).kubeflow, {
      version: "2.17.0",
      apiUrl: "http://ml-pipeline.kubeflow.svc.cluster.local:8888",
      uiUrl: "http://localhost:8080",
      portForward: "kubectl port-forward -n kubeflow svc/ml-pipeline-ui 8080:80",
      apiPortForward: "kubectl port-forward -n kubeflow svc/ml-pipeline 8888:8888",
      pipelineRoot: `s3://${bucketName(plain)}/v2/artifacts`,
      artifactBucket: bucketName(plain),
      // The mock's endpoint of the instance (its port is the mock's, not the engine's).
      databaseEndpoint: `${DB_HOST}:5432`,
      runnerServiceAccount: "pipeline-runner",
      commands: [
        "kubectl port-forward -n kubeflow svc/ml-pipeline-ui 8080:80   # the UI at http://localhost:8080, which also proxies the API",
        'eval "$(platinfra outputs stack.yaml --env --local)"   # KF_PIPELINES_ENDPOINT=http://localhost:8080',
        "pip install kfp",
        "python -c 'import kfp; print([p.display_name for p in kfp.Client().list_pipelines().pipelines or []])'",
      ],
    });
  });

  it("the overlay's folder is named after its content: the same overlay, the same path; another, another", () => {
    const settings: OverlaySettings = {
      region: "eu-west-1",
      bucket: "bucket-a",
      database: { host: "db.example", port: 3306 },
      roleArns: { apiServer: "arn:aws:iam::1:role/a", ui: "arn:aws:iam::1:role/u", runner: "arn:aws:iam::1:role/r" },
      reloadAnnotations: RELOAD,
      apiServerResources: { requests: { cpu: "250m", memory: "500Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    };
    const first = writeOverlay(settings);
    assert.equal(writeOverlay(settings), first);
    assert.equal(fs.readFileSync(path.join(first, "kustomization.yaml"), "utf8"), kustomizationYaml(settings));
    assert.notEqual(writeOverlay({ ...settings, bucket: "bucket-b" }), first);
    // In a folder of this user's that nobody else can write to (a shared /tmp must not let another user swap it).
    const root = path.dirname(first);
    assert.equal(path.basename(root), `platinfra-kubeflow-${process.getuid!()}`);
    const stat = fs.lstatSync(root);
    assert.deepEqual([stat.isDirectory(), stat.uid, stat.mode & 0o077], [true, process.getuid!(), 0]);
    // Another user's or a group/world-writable folder there is refused, with what to do.
    const shared = fs.mkdtempSync(path.join(os.tmpdir(), "kubeflow-overlay-"));
    fs.chmodSync(shared, 0o777);
    assert.throws(() => writeOverlay(settings, shared), (error: PlatinfraError) => {
      assert.equal(error.code, "KUBEFLOW_OVERLAY_FOLDER_UNSAFE");
      assert.equal(error.message, `${shared} (where kubeflow's kustomize overlay is written) is not a folder of this user that only this user can write to`);
      assert.deepEqual(error.hints, [`remove ${shared} (or make it yours with mode 700) and run again`]);
      return true;
    });
    fs.chmodSync(shared, 0o700);
    assert.equal(path.dirname(writeOverlay(settings, shared)), shared);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(kubeflowParams.parse({}), { api_server: {}, database: { instance_class: "db.t4g.small", storage_gb: 20 } });
    const messages = (input: unknown) => paramsErrors(kubeflowParams, input);
    assert.deepEqual(messages({ database: { instance_class: "t3.micro", storage_gb: 10 }, api_server: { replicas: 2 } }), [
      'api_server: Unrecognized key: "replicas"',
      'database.instance_class: "t3.micro" is not an RDS instance class — expected e.g. db.t4g.small',
      "database.storage_gb: Too small: expected number to be >=20",
    ]);
    assert.deepEqual(messages({ api_server: { resources: { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } }), [
      "api_server.resources.requests.cpu: the cpu request 2 is above its limit 1 — Kubernetes refuses such a pod; raise limits.cpu or lower the request",
    ]);
  });

  it("validate refuses expose (no authentication) at its position, and argo in the same stack", () => {
    const exposed = stackWith({ pipelining: ["{kubeflow: {expose: {host: kfp.example.com, certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123'}}}"] });
    assert.deepEqual(problemsOf(exposed), [`stack.yaml:9:36: stack.pipelining[0].kubeflow.expose: ${NO_AUTH}`]);
    assert.deepEqual(problemsOf(stackWith({ pipelining: ["argo", "kubeflow"] })), [`stack.yaml:9:22: stack.pipelining[1]: ${WITH_ARGO}`]);
    assert.deepEqual(problemsOf(stackWith({ pipelining: ["kubeflow"] })), []);
  });
});

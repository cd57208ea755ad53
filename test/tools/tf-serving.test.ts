import { strict as assert } from "node:assert";
import { mlflow } from "../../components/tools/mlflow/index";
import { AWS_CLI_IMAGE } from "../../components/tools/shared/model-source";
import { tfServing, TF_SERVING_GPU_IMAGE, TF_SERVING_IMAGE } from "../../components/tools/tf-serving/index";
import { tfServingParams } from "../../components/tools/tf-serving/params";
import { modelServerConfig, SYNC_SCRIPT, versionSelector } from "../../components/tools/tf-serving/sync";
import type { RenderResult } from "../../src/engine/render";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { errorsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";
import { oidcAuth } from "../helpers/oidc";

const render = (params: unknown, options: { gpu?: boolean; withMlflow?: boolean } = {}) =>
  renderWithTools(
    stackWith({ ...(options.withMlflow ? { experiment_tracker: ["mlflow"] } : {}), model_serving: ["tf-serving"] }, options),
    { "tf-serving": tfServing, mlflow },
    { "tf-serving": tfServingParams.parse(params) },
  );
const inputs = (result: RenderResult, name: string, type: string) => named(result, name, type).inputs as Record<string, any>;
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:TfServing::tf-serving");
const deployment = (result: RenderResult) => inputs(result, "tf-serving-deployment", "kubernetes:apps/v1:Deployment");
const pod = (result: RenderResult) => deployment(result).spec.template.spec;
const server = (result: RenderResult) => pod(result).containers[0];
const sidecar = (result: RenderResult) => pod(result).initContainers[0];
const envOf = (container: any) => Object.fromEntries(container.env.map((variable: { name: string; value: string }) => [variable.name, variable.value]));
const policy = (result: RenderResult) => json(inputs(result, "tf-serving-irsa-policy", "aws:iam/rolePolicy:RolePolicy").policy).Statement;
const bucketOf = (result: RenderResult, name: string) => String(inputs(result, name, "aws:s3/bucket:Bucket").bucket);

const MODEL_CONFIG = `model_config_list {
  config {
    name: "model"
    base_path: "/models"
    model_platform: "tensorflow"
    model_version_policy { latest { num_versions: 1 } }
  }
}`;
const OIDC = oidcAuth("https://idp.example.com", "tf-serving-ui", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:serving/oidc-AbCdEf");
const HOST = { host: "tf.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" };

describe("tf-serving", () => {
  let cpu: RenderResult;
  let gpu: RenderResult;
  before(async () => {
    cpu = await render({});
    gpu = await render({}, { gpu: true });
  });

  it("creates exactly its namespace, models bucket, IRSA role, Deployment, Service, autoscaler and disruption budget (no ingress)", () => {
    const expected = [
      "kubernetes:apps/v1:Deployment tf-serving-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler tf-serving-hpa",
      "kubernetes:core/v1:Namespace tf-serving-namespace",
      "kubernetes:core/v1:Service tf-serving-service",
      "kubernetes:policy/v1:PodDisruptionBudget tf-serving-pdb",
      "platinfra:base:Bucket tf-serving-models",
      "platinfra:base:ServiceAccountRole tf-serving-irsa",
    ];
    assert.deepEqual(children(cpu), expected);
    assert.deepEqual(children(gpu), expected);
    assert.equal(ofType(cpu, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal(inputs(cpu, "tf-serving-namespace", "kubernetes:core/v1:Namespace").metadata.name, "tf-serving");
  });

  it("runs the pinned server binary on the config the sidecar writes: REST 8501, gRPC 8500, metrics on REST", () => {
    assert.deepEqual([TF_SERVING_IMAGE, TF_SERVING_GPU_IMAGE], ["tensorflow/serving:2.20.0", "tensorflow/serving:2.20.0-gpu"]);
    const container = server(cpu);
    assert.equal(container.name, "tf-serving");
    assert.equal(container.image, TF_SERVING_IMAGE);
    assert.deepEqual(container.command, ["tensorflow_model_server"]);
    assert.deepEqual(container.args, [
      "--port=8500",
      "--rest_api_port=8501",
      "--model_config_file=/models/.platinfra/models.config",
      "--model_config_file_poll_wait_seconds=10",
      "--file_system_poll_wait_seconds=10",
      "--monitoring_config_file=/models/.platinfra/monitoring.config",
    ]);
    assert.deepEqual(container.ports, [
      { name: "http", containerPort: 8501 },
      { name: "grpc", containerPort: 8500 },
    ]);
    assert.deepEqual(container.startupProbe, { tcpSocket: { port: "http" }, periodSeconds: 10, failureThreshold: 180 });
    assert.deepEqual(container.readinessProbe, { httpGet: { path: "/monitoring/prometheus/metrics", port: "http" }, periodSeconds: 10, failureThreshold: 3 });
    assert.deepEqual(container.livenessProbe, { tcpSocket: { port: "grpc" }, periodSeconds: 10, failureThreshold: 6 });
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "10Gi" }, limits: { cpu: "4", memory: "8Gi" } });
    assert.deepEqual(container.volumeMounts, [{ name: "models", mountPath: "/models", readOnly: true }]);
    assert.deepEqual(container.env, [{ name: "MODEL_DIR", value: "/models" }]);
    assert.equal(pod(cpu).serviceAccountName, "tf-serving");
    assert.equal(deployment(cpu).spec.replicas, undefined);
    // `up` waits for a rollout as long as the probes allow the first copy and load.
    assert.deepEqual(named(cpu, "tf-serving-deployment", "kubernetes:apps/v1:Deployment").customTimeouts, { create: "30m", update: "30m" });
    assert.equal(named(cpu, "tf-serving-service", "kubernetes:core/v1:Service").customTimeouts, undefined);
  });

  it("syncs through a native sidecar (restartPolicy Always) that gates the server's start, as the pod's IRSA service account", () => {
    const bucket = bucketOf(cpu, "tf-serving-models");
    assert.equal(pod(cpu).initContainers.length, 1);
    assert.deepEqual(sidecar(cpu), {
      name: "model-sync",
      image: AWS_CLI_IMAGE,
      env: [
        { name: "AWS_REGION", value: "eu-west-1" },
        { name: "HOME", value: "/aws-cli-home" },
        { name: "TMPDIR", value: "/aws-cli-home" },
        { name: "SOURCE", value: `s3://${bucket}/models/` },
        { name: "VERSIONS", value: "latest:1" },
        { name: "SYNC_INTERVAL_SECONDS", value: "60" },
        { name: "MODEL_CONFIG", value: MODEL_CONFIG },
        { name: "MONITORING_CONFIG", value: 'prometheus_config { enable: true path: "/monitoring/prometheus/metrics" }' },
      ],
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
      volumeMounts: [
        { name: "models", mountPath: "/models" },
        { name: "aws-cli-home", mountPath: "/aws-cli-home" },
      ],
      restartPolicy: "Always",
      command: ["/bin/sh", "-c", SYNC_SCRIPT],
      startupProbe: { exec: { command: ["/bin/sh", "-c", "test -f /models/.platinfra/models.config"] }, periodSeconds: 5, failureThreshold: 360 },
    });
    assert.deepEqual(pod(cpu).volumes, [
      { name: "models", emptyDir: { sizeLimit: "10Gi" } },
      { name: "aws-cli-home", emptyDir: { sizeLimit: "64Mi" } },
    ]);
    const account = named(cpu, "tf-serving-irsa-sa", "kubernetes:core/v1:ServiceAccount");
    assert.deepEqual([(account.inputs.metadata as any).name, (account.inputs.metadata as any).namespace], ["tf-serving", "tf-serving"]);
    assert.ok(waitsFor(cpu, named(cpu, "tf-serving-deployment", "kubernetes:apps/v1:Deployment"), account), "the Deployment waits for its IRSA service account");
  });

  it("may list and read exactly the model's prefix of its own bucket, as tf-serving/tf-serving", () => {
    const arn = `arn:aws:s3:::${bucketOf(cpu, "tf-serving-models")}`;
    assert.deepEqual(policy(cpu), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["models/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/models/*`] },
    ]);
    const trust = json(inputs(cpu, "tf-serving-irsa", "aws:iam/role:Role").assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:tf-serving:tf-serving"]);
  });

  it("from: mlflow reads the model's prefix of MLflow's artifact bucket only, without a bucket of its own", async () => {
    const result = await render({ models: { from: "mlflow", path: "artifacts/serving/churn", size: "30Gi" } }, { withMlflow: true });
    const bucket = bucketOf(result, "mlflow-artifacts");
    const arn = `arn:aws:s3:::${bucket}`;
    assert.deepEqual(policy(result), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["artifacts/serving/churn/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/artifacts/serving/churn/*`] },
    ]);
    assert.equal(envOf(sidecar(result)).SOURCE, `s3://${bucket}/artifacts/serving/churn/`);
    assert.equal(server(result).resources.requests["ephemeral-storage"], "30Gi");
    assert.deepEqual(pod(result).volumes, [
      { name: "models", emptyDir: { sizeLimit: "30Gi" } },
      { name: "aws-cli-home", emptyDir: { sizeLimit: "64Mi" } },
    ]);
    assert.equal(children(result).some((child) => child.includes("tf-serving-models")), false);
    assert.equal((result.outputs.tools as any)["tf-serving"].modelBasePath, `s3://${bucket}/artifacts/serving/churn/`);
  });

  it("model name, version policy and sync interval reach the sidecar's config and selection", async () => {
    const result = await render({ model_name: "churn", version_policy: { specific: [3, 4] }, sync_interval_seconds: 300 });
    const env = envOf(sidecar(result));
    assert.deepEqual([env.VERSIONS, env.SYNC_INTERVAL_SECONDS], ["specific:3 4", "300"]);
    assert.equal(env.MODEL_CONFIG, MODEL_CONFIG.replace('"model"', '"churn"').replace("latest { num_versions: 1 }", "specific { versions: 3 versions: 4 }"));
    const table: [unknown, string, string][] = [
      [{ latest: 1 }, "latest:1", "latest { num_versions: 1 }"],
      [{ latest: 3 }, "latest:3", "latest { num_versions: 3 }"],
      [{ all: true }, "all", "all {}"],
      [{ specific: [7] }, "specific:7", "specific { versions: 7 }"],
    ];
    for (const [given, selector, proto] of table) {
      const policyParams = tfServingParams.parse({ version_policy: given }).version_policy;
      assert.equal(versionSelector(policyParams), selector);
      assert.ok(modelServerConfig("m", "/models", policyParams).includes(`model_version_policy { ${proto} }`), proto);
    }
  });

  it("on GPU: the -gpu image, one nvidia.com/gpu and every GPU taint tolerated; gpu true without GPU nodes stops", async () => {
    assert.equal(server(gpu).image, "tensorflow/serving:2.20.0-gpu");
    assert.deepEqual(server(gpu).resources.limits, { cpu: "4", memory: "8Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual([pod(gpu).nodeSelector, pod(gpu).tolerations], [{ "platinfra.dev/gpu": "true" }, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]]);
    assert.equal(sidecar(gpu).resources.limits["nvidia.com/gpu"], undefined);
    assert.equal(server(cpu).image, "tensorflow/serving:2.20.0");
    assert.equal(JSON.stringify(pod(cpu)).includes("nvidia.com/gpu"), false);
    const onCpu = await render({ gpu: false }, { gpu: true });
    assert.equal(server(onCpu).image, "tensorflow/serving:2.20.0");
    await assert.rejects(render({ gpu: true }), { name: "PlatinfraError", code: "NO_GPU_NODES" });
  });

  it("a ClusterIP Service with REST and gRPC, and a CPU autoscaler within the replica bounds", async () => {
    const service = inputs(cpu, "tf-serving-service", "kubernetes:core/v1:Service");
    assert.deepEqual([service.metadata.name, service.metadata.namespace], ["tf-serving", "tf-serving"]);
    assert.deepEqual(service.spec, {
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "tf-serving" },
      ports: [
        { name: "http", port: 8501, targetPort: "http" },
        { name: "grpc", port: 8500, targetPort: "grpc" },
      ],
    });
    const hpa = inputs(await render({ replicas: { min: 2, max: 6 } }), "tf-serving-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
    assert.deepEqual([hpa.scaleTargetRef, hpa.minReplicas, hpa.maxReplicas], [{ apiVersion: "apps/v1", kind: "Deployment", name: "tf-serving" }, 2, 6]);
  });

  it("outputs the endpoints, the model base path, the port-forward and a predict request; TF_SERVING_URL in env", () => {
    const bucket = bucketOf(cpu, "tf-serving-models");
    assert.deepEqual((cpu.outputs.tools as any)["tf-serving"], {
      endpoint: "http://tf-serving.tf-serving.svc.cluster.local:8501",
      exampleRequest: `curl -X POST http://tf-serving.tf-serving.svc.cluster.local:8501/v1/models/model:predict -H 'Content-Type: application/json' -d '{"instances":[[1,2,5]]}'`,
      portForward: "kubectl -n tf-serving port-forward svc/tf-serving 8501:8501 8500:8500",
      modelSource: `s3://${bucket}/models/`,
      modelsBucket: bucket,
      modelUpload: `aws s3 sync ./model s3://${bucket}/models/`,
      modelDir: "/models",
      restEndpoint: "http://tf-serving.tf-serving.svc.cluster.local:8501",
      grpcEndpoint: "tf-serving.tf-serving.svc.cluster.local:8500",
      modelName: "model",
      modelBasePath: `s3://${bucket}/models/`,
      statusRequest: "curl http://tf-serving.tf-serving.svc.cluster.local:8501/v1/models/model",
      metricsEndpoint: "http://tf-serving.tf-serving.svc.cluster.local:8501/monitoring/prometheus/metrics",
      gpu: "false",
    });
    assert.deepEqual(cpu.outputs.env, { TF_SERVING_URL: "http://tf-serving.tf-serving.svc.cluster.local:8501", TF_SERVING_GRPC: "tf-serving.tf-serving.svc.cluster.local:8500" });
    assert.deepEqual((cpu.outputs.local as any)["tf-serving"], {
      namespace: "tf-serving",
      service: "tf-serving",
      ports: [
        { local: 8501, remote: 8501 },
        { local: 8500, remote: 8500 },
      ],
      env: { TF_SERVING_URL: "http://localhost:8501", TF_SERVING_GRPC: "localhost:8500" },
    });
  });

  it("expose: REST behind ALB OIDC sign-in, the ALB checking the metrics path; the role also reads exactly the OIDC client secret", async () => {
    const result = await render({ expose: { ...HOST, auth: OIDC } });
    const ingress = inputs(result, "tf-serving-ingress", "kubernetes:networking.k8s.io/v1:Ingress");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/auth-type"], "oidc");
    assert.equal(ingress.metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/monitoring/prometheus/metrics");
    assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend, { service: { name: "tf-serving", port: { number: 8501 } } });
    assert.deepEqual(policy(result)[2], { Sid: "OidcClientSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [OIDC.client_secret_arn] });
    assert.equal(policy(result).length, 3);
    // The client secret stays in Secrets Manager: synced by External Secrets, never a Secret of ours.
    assert.deepEqual(children(result).filter((child) => /Secret|Ingress/.test(child)), [
      "kubernetes:external-secrets.io/v1:ExternalSecret tf-serving-oidc-client",
      "kubernetes:external-secrets.io/v1:SecretStore tf-serving-secret-store",
      "kubernetes:networking.k8s.io/v1:Ingress tf-serving-ingress",
    ]);
    const outputs = (result.outputs.tools as any)["tf-serving"];
    assert.equal(outputs.externalUrl, "https://tf.example.com");
    assert.ok(String(outputs.externalAccess).startsWith("https://tf.example.com signs in through ALB oidc (a browser flow"));
  });

  describe("params", () => {
    it("defaults", () => {
      assert.deepEqual(tfServingParams.parse({}), {
        model_name: "model",
        models: { from: "own", path: "models", mount_path: "/models", size: "10Gi" },
        version_policy: { latest: 1 },
        sync_interval_seconds: 60,
        replicas: { min: 1, max: 3 },
        gpu: "auto",
      });
    });

    const cases: [string, unknown, string[]][] = [
      ["a model name with a slash", { model_name: "a/b" }, ['model_name: model_name "a/b" is not allowed — use up to 63 letters, digits, ".", "_" or "-", starting with a letter or digit (it appears in /v1/models/<model_name>)']],
      ["two version policies", { version_policy: { latest: 2, all: true } }, ["version_policy: version_policy needs exactly one of latest, all or specific — got latest and all; write e.g. {latest: 1}, {all: true} or {specific: [3, 4]}"]],
      ["an empty version policy", { version_policy: {} }, ["version_policy: version_policy needs exactly one of latest, all or specific — got none; write e.g. {latest: 1}, {all: true} or {specific: [3, 4]}"]],
      ["latest 0", { version_policy: { latest: 0 } }, ["version_policy.latest: Too small: expected number to be >=1"]],
      ["a sync interval under 10 s", { sync_interval_seconds: 5 }, ["sync_interval_seconds: Too small: expected number to be >=10"]],
      ["expose without auth", { expose: HOST }, [
        "expose.auth: tf-serving has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); or remove expose and reach it in the cluster or through kubectl port-forward",
      ]],
      ["an image, which is pinned", { image: "tensorflow/serving:latest" }, [': Unrecognized key: "image"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(tfServingParams, input), expected));
    }
  });

  it("validate refuses, at their positions: expose without auth, gpu true without GPU nodes, a model source the stack lacks", () => {
    const text = (params: string) => stackWith({ model_serving: [`{tf-serving: ${params}}`] });
    // validate words a missing key its own way (src/spec/issues.ts), whatever the schema's message.
    assert.deepEqual(errorsOf(text("{expose: {host: tf.example.com, certificate_arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc-123'}}")), [
      "stack.yaml:9:41: stack.model_serving[0].tf-serving.expose.auth: tf-serving has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); or remove expose and reach it in the cluster or through kubectl port-forward",
    ]);
    assert.deepEqual(errorsOf(text("{gpu: true}")), [
      "stack.yaml:9:38: stack.model_serving[0].tf-serving.gpu: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - tf-serving: {gpu: auto}",
    ]);
    assert.deepEqual(errorsOf(text("{models: {from: mlflow, path: artifacts/serving/churn}}")), [
      "stack.yaml:9:48: stack.model_serving[0].tf-serving.models.from: models.from is mlflow, but the stack has no mlflow — add mlflow to the stack (its bucket holds the model), or use from: own (this tool's models bucket)",
    ]);
    assert.deepEqual(errorsOf(text("{version_policy: {latest: 1, specific: [2]}}")), [
      "stack.yaml:9:49: stack.model_serving[0].tf-serving.version_policy: version_policy needs exactly one of latest, all or specific — got latest and specific; write e.g. {latest: 1}, {all: true} or {specific: [3, 4]}",
    ]);
    assert.deepEqual(errorsOf(stackWith({ experiment_tracker: ["mlflow"], model_serving: ["{tf-serving: {models: {from: mlflow, path: artifacts/serving/churn}}}"] })), []);
  });
});

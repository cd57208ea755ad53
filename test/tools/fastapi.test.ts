import { strict as assert } from "node:assert";
import { fastapi } from "../../components/tools/fastapi/index";
import { fastapiParams } from "../../components/tools/fastapi/params";
import { mlflow } from "../../components/tools/mlflow/index";
import { mlflowParams } from "../../components/tools/mlflow/params";
import { AWS_CLI_IMAGE } from "../../components/tools/shared/model-source";
import type { RenderResult } from "../../src/engine/render";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { errorsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";
import { oidcAuth } from "../helpers/oidc";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-api:v3";
const render = (params: Record<string, unknown>, options: { gpu?: boolean; withMlflow?: boolean; mlflowParams?: Record<string, unknown> } = {}) =>
  renderWithTools(
    stackWith({ ...(options.withMlflow ? { experiment_tracker: ["mlflow"] } : {}), model_serving: ["fastapi"] }, options),
    { fastapi, mlflow },
    { fastapi: fastapiParams.parse({ image: IMAGE, ...params }), ...(options.mlflowParams ? { mlflow: options.mlflowParams } : {}) },
  );
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Fastapi::fastapi");
const inputs = (result: RenderResult, name: string, type: string) => named(result, name, type).inputs as Record<string, any>;
const pod = (result: RenderResult) => inputs(result, "fastapi-deployment", "kubernetes:apps/v1:Deployment").spec.template.spec;
const app = (result: RenderResult) => pod(result).containers[0];
const policy = (result: RenderResult) => json(inputs(result, "fastapi-irsa-policy", "aws:iam/rolePolicy:RolePolicy").policy).Statement;
const bucketOf = (result: RenderResult, name: string) => String(inputs(result, name, "aws:s3/bucket:Bucket").bucket);
const HOST = { host: "churn.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" };
const OIDC = oidcAuth("https://login.example.com", "churn-api", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn/oidc-AbCdEf", { client_secret_key: "client_secret" });

describe("fastapi", () => {
  let plain: RenderResult;
  before(async () => {
    plain = await render({});
  });

  it("creates exactly its namespace, models bucket, IRSA role, Deployment, Service, autoscaler and disruption budget (no ingress)", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:apps/v1:Deployment fastapi-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler fastapi-hpa",
      "kubernetes:core/v1:Namespace fastapi-namespace",
      "kubernetes:core/v1:Service fastapi-service",
      "kubernetes:policy/v1:PodDisruptionBudget fastapi-pdb",
      "platinfra:base:Bucket fastapi-models",
      "platinfra:base:ServiceAccountRole fastapi-irsa",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal(inputs(plain, "fastapi-namespace", "kubernetes:core/v1:Namespace").metadata.name, "fastapi");
  });

  it("runs the image as fastapi/fastapi, probed on /health at 8000, the model synced from the own bucket into /models", () => {
    const spec = pod(plain);
    assert.equal(spec.serviceAccountName, "fastapi");
    assert.deepEqual(app(plain), {
      name: "fastapi",
      image: IMAGE,
      env: [{ name: "MODEL_DIR", value: "/models" }],
      ports: [{ name: "http", containerPort: 8000 }],
      startupProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 120 },
      readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
      livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
      resources: { requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "10Gi" }, limits: { cpu: "2", memory: "2Gi" } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      volumeMounts: [{ name: "models", mountPath: "/models", readOnly: true }],
    });
    // `up` waits as long as the startup probe allows (startup_minutes, default 20), not Pulumi's 10 minutes.
    assert.deepEqual(named(plain, "fastapi-deployment", "kubernetes:apps/v1:Deployment").customTimeouts, { create: "20m", update: "20m" });
    assert.deepEqual(
      spec.initContainers.map((container: any) => [container.name, container.image, container.args]),
      [["model-sync", AWS_CLI_IMAGE, ["s3", "sync", `s3://${bucketOf(plain, "fastapi-models")}/models/`, "/models", "--delete", "--only-show-errors", "--no-progress"]]],
    );
    assert.equal(inputs(plain, "fastapi-deployment", "kubernetes:apps/v1:Deployment").spec.replicas, undefined);
  });

  it("port, health_path, command, args, env, resources and the model's size reach the container", async () => {
    const result = await render({
      port: 9000,
      health_path: "/healthz",
      command: ["uvicorn", "app.main:app"],
      args: ["--host", "0.0.0.0", "--port", "9000"],
      env: { LOG_LEVEL: "debug" },
      resources: { limits: { cpu: "4", memory: "8Gi" } },
      models: { path: "churn/v3", size: "2Gi", mount_path: "/opt/model" },
    });
    const container = app(result);
    assert.deepEqual([container.command, container.args], [["uvicorn", "app.main:app"], ["--host", "0.0.0.0", "--port", "9000"]]);
    assert.deepEqual(container.env, [{ name: "MODEL_DIR", value: "/opt/model" }, { name: "LOG_LEVEL", value: "debug" }]);
    assert.deepEqual(container.ports, [{ name: "http", containerPort: 9000 }]);
    assert.equal(container.readinessProbe.httpGet.path, "/healthz");
    assert.deepEqual(container.resources, { requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "2Gi" }, limits: { cpu: "4", memory: "8Gi" } });
    assert.deepEqual(container.volumeMounts, [{ name: "models", mountPath: "/opt/model", readOnly: true }]);
    assert.deepEqual(pod(result).volumes, [
      { name: "models", emptyDir: { sizeLimit: "2Gi" } },
      { name: "aws-cli-home", emptyDir: { sizeLimit: "64Mi" } },
    ]);
    assert.deepEqual(inputs(result, "fastapi-service", "kubernetes:core/v1:Service").spec.ports, [{ name: "http", port: 9000, targetPort: "http" }]);
    assert.equal((result.outputs.tools as any).fastapi.exampleRequest, "curl -X GET http://fastapi.fastapi.svc.cluster.local:9000/healthz");
  });

  it("may only list and read the model's prefix of its own bucket", () => {
    const arn = `arn:aws:s3:::${bucketOf(plain, "fastapi-models")}`;
    assert.deepEqual(policy(plain), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["models/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/models/*`] },
    ]);
    const trust = json(inputs(plain, "fastapi-irsa", "aws:iam/role:Role").assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:fastapi:fastapi"]);
  });

  it("with MLflow: the model from MLflow's artifact bucket (exactly that prefix), MLflow's URI and password (by secretKeyRef) in the app's env", async () => {
    const result = await render({ models: { from: "mlflow", path: "artifacts/2/models/m-91c0/artifacts" } }, { withMlflow: true, mlflowParams: mlflowParams.parse({ expose: { host: "mlflow.example.com", certificate_arn: HOST.certificate_arn } }) });
    const arn = `arn:aws:s3:::${bucketOf(result, "mlflow-artifacts")}`;
    assert.deepEqual(policy(result), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["artifacts/2/models/m-91c0/artifacts/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/artifacts/2/models/m-91c0/artifacts/*`] },
    ]);
    assert.equal(children(result).includes("platinfra:base:Bucket fastapi-models"), false);
    assert.deepEqual(app(result).env, [
      { name: "MODEL_DIR", value: "/models" },
      { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" },
      { name: "MLFLOW_TRACKING_USERNAME", value: "admin" },
      { name: "MLFLOW_TRACKING_PASSWORD", valueFrom: { secretKeyRef: { name: "mlflow-client", key: "MLFLOW_TRACKING_PASSWORD" } } },
    ]);
    const secret = inputs(result, "fastapi-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual(secret.metadata, { name: "mlflow-client", namespace: "fastapi" });
    const everyInput = JSON.stringify(result.resources.filter((resource) => resource.type !== "kubernetes:core/v1:Secret" && !resource.type.startsWith("random:")).map((resource) => resource.inputs));
    assert.equal(everyInput.includes(String(secret.stringData.MLFLOW_TRACKING_PASSWORD)), false, "the MLflow password is only in the Secret");
    assert.deepEqual((result.outputs.tools as any).fastapi.modelSource, `s3://${bucketOf(result, "mlflow-artifacts")}/artifacts/2/models/m-91c0/artifacts/`);
    assert.equal((result.outputs.tools as any).fastapi.modelUpload, undefined, "MLflow writes its own bucket");
  });

  it("with MLflow and its own models: only MLflow's settings join, the role keeps to the own bucket", async () => {
    const result = await render({}, { withMlflow: true });
    assert.deepEqual(app(result).env, [{ name: "MODEL_DIR", value: "/models" }, { name: "MLFLOW_TRACKING_URI", value: "http://mlflow.mlflow.svc.cluster.local:5000" }]);
    assert.equal(JSON.stringify(policy(result)).includes(bucketOf(result, "mlflow-artifacts")), false);
  });

  it("gpu: one GPU on the GPU nodes; refused without GPU nodes", async () => {
    const gpu = await render({ gpu: true }, { gpu: true });
    assert.deepEqual(app(gpu).resources.limits, { cpu: "2", memory: "2Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual(pod(gpu).nodeSelector, { "platinfra.dev/gpu": "true" });
    const cpuOnGpuStack = await render({}, { gpu: true });
    assert.equal(JSON.stringify(pod(cpuOnGpuStack)).includes("nvidia.com/gpu"), false, "a user image stays on CPU unless gpu: true");
    await assert.rejects(render({ gpu: true }), { code: "NO_GPU_NODES", message: /or write - fastapi: \{gpu: false\}$/ });
  });

  it("autoscaler bounds and the disruption budget", async () => {
    const result = await render({ replicas: { min: 2, max: 8 } });
    const hpa = inputs(result, "fastapi-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
    assert.deepEqual([hpa.scaleTargetRef.name, hpa.minReplicas, hpa.maxReplicas], ["fastapi", 2, 8]);
    assert.deepEqual(inputs(result, "fastapi-pdb", "kubernetes:policy/v1:PodDisruptionBudget").spec, {
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "fastapi" } },
      unhealthyPodEvictionPolicy: "AlwaysAllow",
    });
  });

  it("expose: the shared ALB with OIDC sign-in, the client synced by External Secrets, the ALB health check on health_path", async () => {
    const result = await render({ expose: { ...HOST, auth: OIDC } });
    const ingress = inputs(result, "fastapi-ingress", "kubernetes:networking.k8s.io/v1:Ingress");
    assert.deepEqual(ingress.metadata.annotations, {
      "alb.ingress.kubernetes.io/auth-type": "oidc",
      "alb.ingress.kubernetes.io/auth-idp-oidc": JSON.stringify({
        issuer: OIDC.issuer,
        authorizationEndpoint: OIDC.authorization_endpoint,
        tokenEndpoint: OIDC.token_endpoint,
        userInfoEndpoint: OIDC.user_info_endpoint,
        secretName: "fastapi-oidc-client",
      }),
      "alb.ingress.kubernetes.io/auth-on-unauthenticated-request": "authenticate",
      "alb.ingress.kubernetes.io/auth-scope": "openid",
      "alb.ingress.kubernetes.io/group.name": "demo-dev",
      "alb.ingress.kubernetes.io/scheme": "internet-facing",
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTPS: 443 }]),
      "alb.ingress.kubernetes.io/certificate-arn": HOST.certificate_arn,
      "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "alb.ingress.kubernetes.io/healthcheck-path": "/health",
    });
    assert.deepEqual(ingress.spec.rules[0].http.paths[0].backend, { service: { name: "fastapi", port: { number: 8000 } } });
    const externalSecret = inputs(result, "fastapi-oidc-client", "kubernetes:external-secrets.io/v1:ExternalSecret");
    assert.deepEqual(externalSecret.spec.data, [{ secretKey: "clientSecret", remoteRef: { key: OIDC.client_secret_arn, property: "client_secret" } }]);
    assert.deepEqual(externalSecret.spec.target.template.data, { clientID: "churn-api", clientSecret: "{{ .clientSecret }}" });
    assert.deepEqual(policy(result).slice(2), [{ Sid: "OidcClientSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [OIDC.client_secret_arn] }]);
    const outputs = (result.outputs.tools as any).fastapi;
    assert.equal(outputs.externalUrl, "https://churn.example.com");
    assert.match(outputs.externalAccess, /a browser flow/);
  });

  it("outputs, env and the port-forward", () => {
    const bucket = bucketOf(plain, "fastapi-models");
    assert.deepEqual((plain.outputs.tools as any).fastapi, {
      endpoint: "http://fastapi.fastapi.svc.cluster.local:8000",
      exampleRequest: "curl -X GET http://fastapi.fastapi.svc.cluster.local:8000/health",
      portForward: "kubectl -n fastapi port-forward svc/fastapi 8010:8000",
      modelSource: `s3://${bucket}/models/`,
      modelDir: "/models",
      docs: "http://fastapi.fastapi.svc.cluster.local:8000/docs",
      modelsBucket: bucket,
      modelUpload: `aws s3 sync ./model s3://${bucket}/models/`,
      gpu: "false",
    });
    assert.deepEqual(plain.outputs.env, { FASTAPI_URL: "http://fastapi.fastapi.svc.cluster.local:8000" });
    assert.deepEqual((plain.outputs.local as any).fastapi, { namespace: "fastapi", service: "fastapi", ports: [{ local: 8010, remote: 8000 }], env: { FASTAPI_URL: "http://localhost:8010" } });
  });

  describe("validate", () => {
    const file = (params: string, extra = "") => stackWith({ ...(extra ? { experiment_tracker: [extra] } : {}), model_serving: [`{fastapi: ${params}}`] });
    const cases: [string, string, string[]][] = [
      ["a missing image", "{}", ["stack.yaml:9:29: stack.model_serving[0].fastapi.image: fastapi needs the image to serve — write - fastapi: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-api:v3}"]],
      [
        "models from MLflow without MLflow in the stack",
        `{image: ${IMAGE}, models: {from: mlflow, path: artifacts/2}}`,
        ["stack.yaml:9:111: stack.model_serving[0].fastapi.models.from: models.from is mlflow, but the stack has no mlflow — add mlflow to the stack (its bucket holds the model), or use from: own (this tool's models bucket)"],
      ],
      [
        "expose without auth",
        `{image: ${IMAGE}, expose: {host: churn.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}}`,
        [
          "stack.yaml:9:104: stack.model_serving[0].fastapi.expose.auth: fastapi has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); or remove expose and reach it in the cluster or through kubectl port-forward",
        ],
      ],
      [
        "a jwt claim the ALB checks itself",
        `{image: ${IMAGE}, expose: {host: churn.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc", auth: {type: jwt, issuer: "https://idp.example.com", jwks_endpoint: "https://idp.example.com/jwks", claims: [{name: exp, format: single-string, values: ["1"]}]}}}`,
        ["stack.yaml:9:317: stack.model_serving[0].fastapi.expose.auth.claims[0].name: claim exp is always checked by the ALB — list other claims (e.g. aud, scope, client_id)"],
      ],
      [
        "gpu without GPU nodes",
        `{image: ${IMAGE}, gpu: true}`,
        ["stack.yaml:9:101: stack.model_serving[0].fastapi.gpu: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - fastapi: {gpu: false}"],
      ],
      [
        "a secret in env",
        `{image: ${IMAGE}, env: {HF_TOKEN: hf_x}}`,
        ["stack.yaml:9:102: stack.model_serving[0].fastapi.env.HF_TOKEN: HF_TOKEN looks like a secret — env values are plain text in the stack file and Pulumi state; keep secrets out of env (read them from Secrets Manager with the server's role, or a Kubernetes Secret you manage)"],
      ],
    ];
    cases.push([
      "an env name platinfra sets",
      `{image: ${IMAGE}, env: {AWS_REGION: us-east-1}}`,
      ["stack.yaml:9:102: stack.model_serving[0].fastapi.env.AWS_REGION: AWS_REGION is set by platinfra (MODEL_DIR, AWS_*, MLFLOW_*) — pick another name"],
    ]);
    for (const [what, params, expected] of cases) it(`refuses ${what}, with its position`, () => assert.deepEqual(errorsOf(file(params)), expected));

    it("accepts models from MLflow with MLflow in the stack", () => assert.deepEqual(errorsOf(file(`{image: ${IMAGE}, models: {from: mlflow, path: artifacts/2}}`, "mlflow")), []));
  });

  describe("params", () => {
    it("defaults", () => {
      assert.deepEqual(fastapiParams.parse({ image: IMAGE }), {
        image: IMAGE,
        port: 8000,
        health_path: "/health",
        startup_minutes: 20,
        env: {},
        replicas: { min: 1, max: 3 },
        gpu: false,
        models: { from: "own", path: "models", mount_path: "/models", size: "10Gi" },
      });
    });
    const cases: [string, unknown, string[]][] = [
      ["an image without a tag", { image: "churn-api" }, ['image: "churn-api" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest> (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-api:v3)']],
      ["a relative health path", { image: IMAGE, health_path: "health" }, ['health_path: health_path "health" is not an absolute URL path — expected e.g. /health']],
      ["a privileged port", { image: IMAGE, port: 80 }, ["port: Too small: expected number to be >=1024"]],
      ["a startup allowance under 5 minutes", { image: IMAGE, startup_minutes: 2 }, ["startup_minutes: Too small: expected number to be >=5"]],
    ];
    for (const [what, input, expected] of cases) it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(fastapiParams, input), expected));
  });
});

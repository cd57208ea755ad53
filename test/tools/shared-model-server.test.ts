import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import * as z from "zod";
import { mlflow } from "../../components/tools/mlflow/index";
import { createNamespace } from "../../components/tools/shared/namespace";
import { createModelServer, createServingRole, exposeModelServer } from "../../components/tools/shared/model-server";
import { AWS_CLI_IMAGE, resolveModelSource, syncArgs, syncContainerBase, syncVolumes } from "../../components/tools/shared/model-source";
import { stringMap } from "../../components/tools/shared/outputs";
import { gpuSchema } from "../../components/tools/shared/params";
import { usesGpu } from "../../components/tools/shared/placement";
import { toolComponentOptions, type ToolScope } from "../../components/tools/shared/scope";
import { modelSourceCheck } from "../../components/tools/shared/serving-checks";
import { curlCommand, servingOutputs } from "../../components/tools/shared/serving-outputs";
import { modelsSchema, requireImage, servingExposeSchema, servingImageSchema, servingReplicasSchema, withImage } from "../../components/tools/shared/serving-params";
import type { ToolContext } from "../../components/tools/shared/context";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";
import type { RenderResult } from "../../src/engine/render";
import { checkAgainstUpstreamSchema, kubernetesObjectType } from "../helpers/kube-schemas";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";
import { oidcAuth } from "../helpers/oidc";

/**
 * The shared model-server block, exercised through a minimal tool built on it (registered under
 * the name "fastapi" for the render only): what the block creates, not any one tool's choices.
 */
const blockParams = z.strictObject({
  models: modelsSchema("/models").prefault({}),
  expose: servingExposeSchema("fastapi"),
  replicas: servingReplicasSchema,
  gpu: gpuSchema("Serve"),
});

class BlockUser extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env = stringMap({});
  constructor(name: string, context: ToolContext) {
    super("platinfra:tools:BlockUser", name, {}, toolComponentOptions(context));
    const params = blockParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, "served");
    const models = resolveModelSource(scope, params.models);
    const role = createServingRole(scope, { namespace, serviceAccount: "server", models, expose: params.expose });
    const server = {
      image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v1",
      env: [{ name: "A", value: "1" }],
      ports: { http: 8080 },
      readinessProbe: { httpGet: { path: "/ready", port: "http" } },
      livenessProbe: { httpGet: { path: "/live", port: "http" } },
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "2", memory: "2Gi" } },
      readOnlyRootFilesystem: true,
      writablePaths: ["/tmp", "/var/run/app"],
    };
    const gpu = usesGpu("fastapi", params.gpu, context.platform.gpuNodesAvailable);
    createModelServer(scope, { app: "server", namespace, serviceAccount: "server", role, server, gpu, replicas: params.replicas, models });
    const exposed = params.expose
      ? exposeModelServer(scope, { app: "server", namespace, serviceAccount: "server", role, port: 8080, expose: params.expose, healthCheckPath: "/ready" })
      : undefined;
    const example = { method: "POST" as const, path: "/predict", body: { x: [1, 2] } };
    this.outputs = stringMap(servingOutputs({ app: "server", namespace: "served", port: 8080, localPort: 8090, example, models, expose: params.expose, exposed }));
    this.registerOutputs({});
  }
}

const blockUser: ToolComponentModule = { links: ["mlflow"], create: (name, context) => new BlockUser(name, context) };
const render = (params: unknown, options: { gpu?: boolean; withMlflow?: boolean } = {}) =>
  renderWithTools(
    stackWith({ ...(options.withMlflow ? { experiment_tracker: ["mlflow"] } : {}), model_serving: ["fastapi"] }, options),
    { fastapi: blockUser, mlflow },
    { fastapi: blockParams.parse(params) },
  );

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:BlockUser::fastapi");
const inputs = (result: RenderResult, name: string, type: string) => named(result, name, type).inputs as Record<string, any>;
const pod = (result: RenderResult) => inputs(result, "fastapi-deployment", "kubernetes:apps/v1:Deployment").spec.template.spec;
const policy = (result: RenderResult) => json(inputs(result, "fastapi-irsa-policy", "aws:iam/rolePolicy:RolePolicy").policy).Statement;
const bucketOf = (result: RenderResult, name: string) => String(inputs(result, name, "aws:s3/bucket:Bucket").bucket);

const OIDC = oidcAuth("https://idp.example.com", "serving-ui", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:serving/oidc-AbCdEf");
const COGNITO = { type: "cognito", user_pool_arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123", client_id: "abc123", domain: "my-login" };
const JWT = {
  type: "jwt",
  issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
  jwks_endpoint: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json",
  claims: [
    { name: "scope", format: "space-separated-values", values: ["models/predict"] },
    { name: "client_id", format: "single-string", values: ["batch-scorer"] },
  ],
};
const HOST = { host: "serve.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123" };

describe("shared model-server block", () => {
  let own: RenderResult;
  before(async () => {
    own = await render({});
  });

  it("creates exactly a namespace, the models bucket, the IRSA role, Deployment, Service, autoscaler and disruption budget", () => {
    assert.deepEqual(children(own), [
      "kubernetes:apps/v1:Deployment fastapi-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler fastapi-hpa",
      "kubernetes:core/v1:Namespace fastapi-namespace",
      "kubernetes:core/v1:Service fastapi-service",
      "kubernetes:policy/v1:PodDisruptionBudget fastapi-pdb",
      "platinfra:base:Bucket fastapi-models",
      "platinfra:base:ServiceAccountRole fastapi-irsa",
    ]);
  });

  it("syncs the prefix of the own bucket in an init container as the pod's service account (non-root, read-only root, HOME on an emptyDir), read-only for the server", () => {
    const bucket = bucketOf(own, "fastapi-models");
    const spec = pod(own);
    assert.equal(spec.serviceAccountName, "server");
    assert.deepEqual(spec.securityContext, { seccompProfile: { type: "RuntimeDefault" } });
    assert.deepEqual(spec.initContainers, [
      {
        name: "model-sync",
        image: AWS_CLI_IMAGE,
        env: [
          { name: "AWS_REGION", value: "eu-west-1" },
          { name: "HOME", value: "/aws-cli-home" },
          { name: "TMPDIR", value: "/aws-cli-home" },
        ],
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
        volumeMounts: [
          { name: "models", mountPath: "/models" },
          { name: "aws-cli-home", mountPath: "/aws-cli-home" },
        ],
        args: ["s3", "sync", `s3://${bucket}/models/`, "/models", "--delete", "--only-show-errors", "--no-progress"],
      },
    ]);
    assert.deepEqual(spec.volumes, [
      { name: "models", emptyDir: { sizeLimit: "10Gi" } },
      { name: "aws-cli-home", emptyDir: { sizeLimit: "64Mi" } },
      { name: "tmp", emptyDir: {} },
      { name: "var-run-app", emptyDir: {} },
    ]);
    const [server] = spec.containers;
    assert.deepEqual(server.volumeMounts, [
      { name: "models", mountPath: "/models", readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
      { name: "var-run-app", mountPath: "/var/run/app" },
    ]);
    assert.deepEqual(server.env, [{ name: "MODEL_DIR", value: "/models" }, { name: "A", value: "1" }]);
    assert.deepEqual(server.resources, { requests: { cpu: "250m", memory: "512Mi", "ephemeral-storage": "10Gi" }, limits: { cpu: "2", memory: "2Gi" } });
    assert.deepEqual(server.securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true });
    assert.deepEqual([server.name, server.ports], ["server", [{ name: "http", containerPort: 8080 }]]);
    assert.deepEqual([server.readinessProbe, server.livenessProbe, server.startupProbe], [{ httpGet: { path: "/ready", port: "http" } }, { httpGet: { path: "/live", port: "http" } }, undefined]);
    assert.equal(AWS_CLI_IMAGE, "public.ecr.aws/aws-cli/aws-cli:2.36.7");
  });

  it("the role may list and read exactly the model's prefix of the own bucket, as served/server only", () => {
    const arn = `arn:aws:s3:::${bucketOf(own, "fastapi-models")}`;
    assert.deepEqual(policy(own), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["models/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/models/*`] },
    ]);
    const trust = json(inputs(own, "fastapi-irsa", "aws:iam/role:Role").assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:served:server"]);
  });

  it("the list condition admits the prefix aws s3 sync lists with (the source URI's key, trailing slash kept: aws-cli 2.36.7 filegenerator.list_objects), and no sibling prefix", async () => {
    // IAM StringLike: * is any run of characters (none included), ? one character.
    const stringLike = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(value);
    for (const [result, bucket] of [[own, bucketOf(own, "fastapi-models")], [await render({ models: { from: "mlflow", path: "artifacts/1/m" } }, { withMlflow: true }), "mlflow-artifacts"]] as const) {
      const name = bucket.startsWith("mlflow") ? bucketOf(result, bucket) : bucket;
      const listed = String(pod(result).initContainers[0].args[2]).slice(`s3://${name}/`.length);
      const [pattern] = policy(result)[0].Condition.StringLike["s3:prefix"];
      assert.equal(stringLike(pattern, listed), true, `${pattern} admits ${listed}`);
      const prefix = listed.slice(0, -1);
      for (const other of [prefix, `${prefix}2/`, "", `x${listed}`]) assert.equal(stringLike(pattern, other), false, `${pattern} refuses ${other}`);
    }
  });

  it("from: mlflow syncs MLflow's artifact bucket at the path, and the role names exactly that bucket and prefix (no own bucket)", async () => {
    const result = await render({ models: { from: "mlflow", path: "artifacts/1/models/m-3f2a/artifacts", size: "40Gi" } }, { withMlflow: true });
    const arn = `arn:aws:s3:::${bucketOf(result, "mlflow-artifacts")}`;
    assert.deepEqual(policy(result), [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [arn], Condition: { StringLike: { "s3:prefix": ["artifacts/1/models/m-3f2a/artifacts/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${arn}/artifacts/1/models/m-3f2a/artifacts/*`] },
    ]);
    assert.equal(pod(result).initContainers[0].args[2], `s3://${bucketOf(result, "mlflow-artifacts")}/artifacts/1/models/m-3f2a/artifacts/`);
    assert.equal(pod(result).containers[0].resources.requests["ephemeral-storage"], "40Gi");
    assert.equal(children(result).some((child) => child.includes("fastapi-models")), false);
  });

  it("from: a tool the stack lacks stops the deployment with a clear error", async () => {
    await assert.rejects(render({ models: { from: "mlflow", path: "artifacts" } }), {
      name: "PlatinfraError",
      code: "MODEL_SOURCE_MISSING",
      message: "fastapi: models.from is mlflow, but the stack has no mlflow — add mlflow to the stack, or use from: own",
    });
  });

  it("a CPU autoscaler within the bounds, no replicas on the Deployment, a disruption budget of one pod at a time", async () => {
    const deployment = inputs(own, "fastapi-deployment", "kubernetes:apps/v1:Deployment");
    assert.equal(deployment.spec.replicas, undefined);
    const hpa = inputs(await render({ replicas: { min: 2, max: 5 } }), "fastapi-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
    assert.deepEqual(hpa, {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "server" },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    });
    const pdb = inputs(own, "fastapi-pdb", "kubernetes:policy/v1:PodDisruptionBudget");
    assert.deepEqual(pdb.metadata, { name: "server", namespace: "served" });
    assert.deepEqual(pdb.spec, { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "server" } }, unhealthyPodEvictionPolicy: "AlwaysAllow" });
    const service = inputs(own, "fastapi-service", "kubernetes:core/v1:Service").spec;
    assert.deepEqual(service, { type: "ClusterIP", selector: { "app.kubernetes.io/name": "server" }, ports: [{ name: "http", port: 8080, targetPort: "http" }] });
  });

  it("on GPU: one nvidia.com/gpu and the GPU nodes' placement; none on CPU", async () => {
    const gpu = await render({}, { gpu: true });
    assert.deepEqual(pod(gpu).containers[0].resources.limits, { cpu: "2", memory: "2Gi", "nvidia.com/gpu": "1" });
    assert.deepEqual([pod(gpu).nodeSelector, pod(gpu).tolerations], [{ "platinfra.dev/gpu": "true" }, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]]);
    assert.equal(JSON.stringify(pod(own)).includes("nvidia.com/gpu"), false);
  });

  it("expose with OIDC: the ALB signs in with the client synced from Secrets Manager by External Secrets; the role reads exactly that secret", async () => {
    const result = await render({ expose: { ...HOST, auth: OIDC } });
    assert.deepEqual(children(result).filter((child) => /Ingress|SecretStore|ExternalSecret/.test(child)), [
      "kubernetes:external-secrets.io/v1:ExternalSecret fastapi-oidc-client",
      "kubernetes:external-secrets.io/v1:SecretStore fastapi-secret-store",
      "kubernetes:networking.k8s.io/v1:Ingress fastapi-ingress",
    ]);
    const annotations = inputs(result, "fastapi-ingress", "kubernetes:networking.k8s.io/v1:Ingress").metadata.annotations;
    assert.deepEqual(
      Object.fromEntries(Object.entries(annotations).filter(([key]) => key.includes("/auth-"))),
      {
        "alb.ingress.kubernetes.io/auth-type": "oidc",
        "alb.ingress.kubernetes.io/auth-idp-oidc": JSON.stringify({
          issuer: "https://idp.example.com",
          authorizationEndpoint: "https://idp.example.com/authorize",
          tokenEndpoint: "https://idp.example.com/token",
          userInfoEndpoint: "https://idp.example.com/userinfo",
          secretName: "server-oidc-client",
        }),
        "alb.ingress.kubernetes.io/auth-on-unauthenticated-request": "authenticate",
        "alb.ingress.kubernetes.io/auth-scope": "openid",
      },
    );
    assert.equal(annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/ready");
    assert.equal(annotations["alb.ingress.kubernetes.io/listen-ports"], JSON.stringify([{ HTTPS: 443 }]));
    const externalSecret = inputs(result, "fastapi-oidc-client", "kubernetes:external-secrets.io/v1:ExternalSecret");
    assert.deepEqual(externalSecret.metadata, { name: "server-oidc-client", namespace: "served" });
    assert.deepEqual(externalSecret.spec, {
      refreshInterval: "1h",
      secretStoreRef: { name: "fastapi-aws", kind: "SecretStore" },
      target: { name: "server-oidc-client", creationPolicy: "Owner", template: { engineVersion: "v2", data: { clientID: "serving-ui", clientSecret: "{{ .clientSecret }}" } } },
      data: [{ secretKey: "clientSecret", remoteRef: { key: OIDC.client_secret_arn } }],
    });
    const store = inputs(result, "fastapi-secret-store", "kubernetes:external-secrets.io/v1:SecretStore");
    assert.deepEqual(store.spec.provider.aws.auth, { jwt: { serviceAccountRef: { name: "server" } } });
    assert.deepEqual(policy(result)[2], { Sid: "OidcClientSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [OIDC.client_secret_arn] });
    assert.equal(policy(result).length, 3);
    const outputs = (result.outputs.tools as any).fastapi;
    assert.equal(outputs.externalUrl, "https://serve.example.com");
    assert.equal(
      outputs.externalAccess,
      "https://serve.example.com signs in through ALB oidc (a browser flow: scripts without the session cookie get a redirect to sign in); for scripts use auth type jwt, or call http://server.served.svc.cluster.local:8080 from pods",
    );
    assert.equal(outputs.externalRequest, undefined);
  });

  it("expose with JWT: the ALB validates bearer tokens (jwt-validation annotation, no sign-in, nothing synced); the example request sends the token", async () => {
    const result = await render({ expose: { ...HOST, auth: JWT } });
    const annotations = inputs(result, "fastapi-ingress", "kubernetes:networking.k8s.io/v1:Ingress").metadata.annotations;
    assert.deepEqual(
      Object.fromEntries(Object.entries(annotations).filter(([key]) => /\/(auth-|jwt-)/.test(key))),
      {
        "alb.ingress.kubernetes.io/jwt-validation":
          '{"jwksEndpoint":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json","issuer":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",' +
          '"additionalClaims":[{"name":"scope","format":"space-separated-values","values":["models/predict"]},{"name":"client_id","format":"single-string","values":["batch-scorer"]}]}',
      },
    );
    assert.equal(annotations["alb.ingress.kubernetes.io/listen-ports"], JSON.stringify([{ HTTPS: 443 }]), "the controller builds JWT validation on HTTPS listeners only");
    assert.equal(ofType(result, "kubernetes:external-secrets.io/v1:ExternalSecret").length + ofType(result, "kubernetes:external-secrets.io/v1:SecretStore").length, 0);
    assert.equal(policy(result).length, 2);
    const outputs = (result.outputs.tools as any).fastapi;
    assert.equal(
      outputs.externalAccess,
      'https://serve.example.com takes Authorization: Bearer <JWT> — an RS256 token from https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123, unexpired, with the claims scope ["models/predict"], client_id ["batch-scorer"]; the ALB answers 401 to anything else (put the token in $TOKEN for externalRequest)',
    );
    assert.equal(outputs.externalRequest, `curl -X POST https://serve.example.com/predict -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"x":[1,2]}'`);
  });

  it("every Kubernetes object of an exposed server from MLflow's bucket validates against its upstream schema (Kubernetes' OpenAPI, External Secrets' CRDs)", async () => {
    const result = await render({ models: { from: "mlflow", path: "artifacts/1" }, expose: { ...HOST, auth: { ...OIDC, client_secret_key: "secret" } } }, { withMlflow: true, gpu: true });
    const objects = result.resources.filter((resource) => resource.parent?.endsWith("BlockUser::fastapi") && kubernetesObjectType(resource.type));
    assert.equal(objects.length, 8);
    const problems: string[] = [];
    for (const resource of objects) {
      const check = await checkAgainstUpstreamSchema(resource);
      if (check.status !== "valid") problems.push(`${resource.type} ${resource.name}: ${check.status} ${check.status === "invalid" ? check.problems : ""}`);
    }
    assert.deepEqual(problems, []);
  });

  it("expose with Cognito and deny: the user pool annotations, 401 for requests without a session, nothing synced", async () => {
    const result = await render({ expose: { ...HOST, auth: { ...COGNITO, on_unauthenticated: "deny", scope: "openid email" } } });
    const annotations = inputs(result, "fastapi-ingress", "kubernetes:networking.k8s.io/v1:Ingress").metadata.annotations;
    assert.equal(annotations["alb.ingress.kubernetes.io/auth-type"], "cognito");
    assert.equal(annotations["alb.ingress.kubernetes.io/auth-idp-cognito"], JSON.stringify({ userPoolARN: COGNITO.user_pool_arn, userPoolClientID: "abc123", userPoolDomain: "my-login" }));
    assert.equal(annotations["alb.ingress.kubernetes.io/auth-on-unauthenticated-request"], "deny");
    assert.equal(annotations["alb.ingress.kubernetes.io/auth-scope"], "openid email");
    assert.equal(ofType(result, "kubernetes:external-secrets.io/v1:ExternalSecret").length, 0);
    assert.equal(policy(result).length, 2);
  });

  it("outputs the in-cluster endpoint, port-forward, example request and model source; not exposed by default", () => {
    const bucket = bucketOf(own, "fastapi-models");
    assert.deepEqual((own.outputs.tools as any).fastapi, {
      endpoint: "http://server.served.svc.cluster.local:8080",
      exampleRequest: `curl -X POST http://server.served.svc.cluster.local:8080/predict -H 'Content-Type: application/json' -d '{"x":[1,2]}'`,
      portForward: "kubectl -n served port-forward svc/server 8090:8080",
      modelSource: `s3://${bucket}/models/`,
      modelDir: "/models",
      modelsBucket: bucket,
      modelUpload: `aws s3 sync ./model s3://${bucket}/models/`,
    });
    assert.equal(ofType(own, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
  });

  it("the pieces a re-sync sidecar reuses: the same command and volume", () => {
    const source = { from: "own", bucket: { name: pulumi.output("b"), arn: pulumi.output("arn:aws:s3:::b") }, prefix: "m", uri: pulumi.output("s3://b/m/"), mountPath: "/models", size: "1Gi", region: "eu-west-1" };
    assert.deepEqual(syncArgs(source).slice(3), ["/models", "--delete", "--only-show-errors", "--no-progress"]);
    assert.deepEqual(syncContainerBase(source).volumeMounts, [
      { name: "models", mountPath: "/models" },
      { name: "aws-cli-home", mountPath: "/aws-cli-home" },
    ]);
    assert.deepEqual(syncVolumes(source), [
      { name: "models", emptyDir: { sizeLimit: "1Gi" } },
      { name: "aws-cli-home", emptyDir: { sizeLimit: "64Mi" } },
    ]);
    assert.equal(curlCommand("http://x:1", { method: "GET", path: "/health" }), "curl -X GET http://x:1/health");
  });

  describe("params", () => {
    const cases: [string, unknown, string[]][] = [
      ["lakefs as source", { models: { from: "lakefs", path: "x" } }, [
        'models.from: from "lakefs" is not supported — lakeFS keeps objects under its own physical addresses, not under their paths, and reading through its S3 gateway would hand the server lakeFS admin keys; copy the model out first (lakectl fs download lakefs://<repo>/<ref>/<path> ./model, then aws s3 sync ./model s3://<this tool\'s models bucket>/<path>/) and use from: own',
      ]],
      ["an unknown source", { models: { from: "wandb" } }, ['models.from: from "wandb" is not a model source — use own (this tool\'s models bucket), mlflow or bentoml (that tool\'s bucket, which must be in the stack)']],
      ["another tool's bucket without a path", { models: { from: "mlflow" } }, ["models.path: path is required with from: mlflow — name the prefix of the model in mlflow's bucket (a whole bucket is never synced)"]],
      ["a path with a leading slash", { models: { path: "/models" } }, ['models.path: path "/models" is not an S3 key prefix — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or 1/models/m-3f2a/artifacts)']],
      ["a size in GB", { models: { size: "20GB" } }, ['models.size: size "20GB" is not a size in Mi, Gi or Ti — expected e.g. 20Gi']],
      ["expose without auth", { expose: HOST }, [
        "expose.auth: fastapi has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); or remove expose and reach it in the cluster or through kubectl port-forward",
      ]],
      ["an unknown auth type", { expose: { ...HOST, auth: { type: "basic" } } }, ['expose.auth.type: auth needs type: jwt, oidc or cognito — got "basic"']],
      ["jwt without claims", { expose: { ...HOST, auth: { ...JWT, claims: undefined } } }, [
        "expose.auth.claims: jwt auth needs claims — the issuer alone accepts any token the provider issues, for any application; name this server's audience or scope, e.g. claims: [{name: aud, format: single-string, values: [my-api]}] or [{name: scope, format: space-separated-values, values: [models/predict]}]",
      ]],
      ["a jwt claim the ALB checks itself", { expose: { ...HOST, auth: { ...JWT, claims: [{ name: "exp", format: "single-string", values: ["1"] }] } } }, [
        "expose.auth.claims.0.name: claim exp is always checked by the ALB — list other claims (e.g. aud, scope, client_id)",
      ]],
      ["two values for a single-string claim", { expose: { ...HOST, auth: { ...JWT, claims: [{ name: "aud", format: "single-string", values: ["a", "b"] }] } } }, [
        "expose.auth.claims.0.values: a single-string claim has one value — use format: string-array or space-separated-values to accept several",
      ]],
      ["a space inside a space-separated value", { expose: { ...HOST, auth: { ...JWT, claims: [{ name: "scope", format: "space-separated-values", values: ["read write"] }] } } }, [
        "expose.auth.claims.0.values: space-separated-values are single words — list each value on its own, without spaces",
      ]],
      ["an unknown claim format", { expose: { ...HOST, auth: { ...JWT, claims: [{ name: "aud", format: "regex", values: ["a"] }] } } }, [
        'expose.auth.claims.0.format: format "regex" is not a claim format — use single-string (e.g. aud: "my-api"), string-array (e.g. groups: ["a","b"]) or space-separated-values (e.g. scope: "read write")',
      ]],
      ["a plain-http JWKS endpoint", { expose: { ...HOST, auth: { ...JWT, jwks_endpoint: "http://idp.example.com/jwks" } } }, ['expose.auth.jwks_endpoint: jwks_endpoint "http://idp.example.com/jwks" is not an https:// URL']],
      ["a client secret in clear", { expose: { ...HOST, auth: { ...OIDC, client_secret: "s3cr3t" } } }, ['expose.auth: Unrecognized key: "client_secret"']],
      ["a client secret ARN of another service", { expose: { ...HOST, auth: { ...OIDC, client_secret_arn: "arn:aws:ssm:eu-west-1:123456789012:parameter/x" } } }, [
        'expose.auth.client_secret_arn: client_secret_arn "arn:aws:ssm:eu-west-1:123456789012:parameter/x" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>',
      ]],
      ["a plain-http issuer", { expose: { ...HOST, auth: { ...OIDC, issuer: "http://idp.example.com" } } }, ['expose.auth.issuer: issuer "http://idp.example.com" is not an https:// URL']],
      ["a full Cognito domain", { expose: { ...HOST, auth: { ...COGNITO, domain: "https://my-login.auth.eu-west-1.amazoncognito.com" } } }, [
        'expose.auth.domain: domain "https://my-login.auth.eu-west-1.amazoncognito.com" is not a Cognito domain prefix — give the prefix only (my-domain, not https://my-domain.auth.<region>.amazoncognito.com)',
      ]],
      ["allow for unauthenticated requests", { expose: { ...HOST, auth: { ...COGNITO, on_unauthenticated: "allow" } } }, [
        'expose.auth.on_unauthenticated: on_unauthenticated "allow" is not allowed — use authenticate (redirect browsers to sign in) or deny (401)',
      ]],
      ["min above max", { replicas: { min: 4, max: 2 } }, ["replicas.min: replicas.min (4) is greater than replicas.max (2) — need min <= max"]],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(blockParams, input), expected));
    }

    it("defaults: the own bucket's models/ prefix, not exposed", () => {
      assert.deepEqual(blockParams.parse({}), { models: { from: "own", path: "models", mount_path: "/models", size: "10Gi" }, replicas: { min: 1, max: 3 }, gpu: "auto" });
    });

    it("image: required (the error names the fix) and pinned", () => {
      const schema = z.strictObject({ image: servingImageSchema("r8.im/me/model@sha256:…", "the image") }).superRefine(requireImage("cog", "r8.im/me/model:v1")).transform(withImage);
      assert.deepEqual(paramsErrors(schema, {}), ["image: cog needs the image to serve — write - cog: {image: r8.im/me/model:v1}"]);
      assert.deepEqual(paramsErrors(schema, { image: "me/model" }), ['image: "me/model" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest> (e.g. r8.im/me/model@sha256:…)']);
      assert.deepEqual(schema.parse({ image: "r8.im/me/model:v2" }), { image: "r8.im/me/model:v2" });
    });
  });

  it("validate: models.from names a tool the stack must have, pointed at models.from", () => {
    const check = (models: unknown, tools: string[]) => modelSourceCheck({ params: { models }, roles: ["model_serving"], deployment: {} as never, tools });
    assert.deepEqual(check({ from: "mlflow", path: "a" }, ["fastapi"]), [
      { paramsKey: ["models", "from"], message: "models.from is mlflow, but the stack has no mlflow — add mlflow to the stack (its bucket holds the model), or use from: own (this tool's models bucket)" },
    ]);
    assert.deepEqual(check({ from: "mlflow", path: "a" }, ["fastapi", "mlflow"]), []);
    assert.deepEqual(check({ from: "own" }, ["fastapi"]), []);
    assert.deepEqual(check(undefined, ["fastapi"]), []);
    assert.deepEqual(check({ from: "lakefs" }, ["fastapi"]), [], "the schema refuses lakefs itself");
  });
});

import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { cog } from "../../components/tools/cog/index";
import { cogParams } from "../../components/tools/cog/params";
import { mlflow } from "../../components/tools/mlflow/index";
import type { RenderResult } from "../../src/engine/render";
import { paramsErrors } from "../helpers/params";
import { named, ofType, json, childrenOf } from "../helpers/render";
import { errorsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sdxl:v1";
const render = (params: Record<string, unknown>, options: { gpu?: boolean; withMlflow?: boolean } = {}) =>
  renderWithTools(
    stackWith({ ...(options.withMlflow ? { experiment_tracker: ["mlflow"] } : {}), model_serving: ["cog"] }, options),
    { cog, mlflow },
    { cog: cogParams.parse({ image: IMAGE, ...params }) },
  );
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Cog::cog");
const inputs = (result: RenderResult, name: string, type: string) => named(result, name, type).inputs as Record<string, any>;
const pod = (result: RenderResult) => inputs(result, "cog-deployment", "kubernetes:apps/v1:Deployment").spec.template.spec;
const server = (result: RenderResult) => pod(result).containers[0];
const bucketOf = (result: RenderResult, name: string) => String(inputs(result, name, "aws:s3/bucket:Bucket").bucket);

/** Runs a probe's Python against a canned /health-check answer (urllib patched), as the kubelet would in the pod: its exit code. */
function probeExit(command: string[], answer: unknown): number {
  const patch = `import io,urllib.request; urllib.request.urlopen=lambda url,timeout: io.BytesIO(${JSON.stringify(JSON.stringify(answer))}.encode())\n`;
  try {
    execFileSync("python3", [...command.slice(1, -1), patch + command[command.length - 1]], { stdio: "pipe" });
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

describe("cog", () => {
  let plain: RenderResult;
  before(async () => {
    plain = await render({});
  });

  it("creates exactly its namespace, IRSA role, Deployment, Service, autoscaler and disruption budget (no bucket, no ingress without models or expose)", () => {
    assert.deepEqual(children(plain), [
      "kubernetes:apps/v1:Deployment cog-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler cog-hpa",
      "kubernetes:core/v1:Namespace cog-namespace",
      "kubernetes:core/v1:Service cog-service",
      "kubernetes:policy/v1:PodDisruptionBudget cog-pdb",
      "platinfra:base:ServiceAccountRole cog-irsa",
    ]);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal(ofType(plain, "aws:iam/rolePolicy:RolePolicy").filter((policy) => policy.name.startsWith("cog-")).length, 0, "no model, no sign-in: the role may do nothing");
  });

  it("serves the image on 5000 as cog/cog, one prediction at a time, no init container without models", () => {
    const spec = pod(plain);
    assert.equal(spec.serviceAccountName, "cog");
    assert.equal(spec.initContainers, undefined);
    const container = server(plain);
    assert.deepEqual([container.name, container.image, container.ports], ["cog", IMAGE, [{ name: "http", containerPort: 5000 }]]);
    assert.deepEqual(container.env, [{ name: "COG_MAX_CONCURRENCY", value: "1" }]);
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "4", memory: "16Gi" } });
    assert.deepEqual(container.securityContext, { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    assert.deepEqual(inputs(plain, "cog-service", "kubernetes:core/v1:Service").spec.ports, [{ name: "http", port: 5000, targetPort: "http" }]);
  });

  it("probes read /health-check's status (always HTTP 200): ready in READY/BUSY, restarted on SETUP_FAILED/DEFUNCT", function () {
    if (!hasPython()) this.skip(); // visible as pending: the probes' Python is run with python3, which this machine lacks
    const container = server(plain);
    const timing = (probe: any) => [probe.periodSeconds, probe.timeoutSeconds, probe.failureThreshold];
    // Startup: 5 minutes for the server to answer; readiness every 10 s; liveness every 30 s (a Python start each).
    assert.deepEqual([timing(container.startupProbe), timing(container.readinessProbe), timing(container.livenessProbe)], [[10, 10, 30], [10, 10, 3], [30, 10, 3]]);
    assert.deepEqual(container.readinessProbe.exec.command.slice(0, 3), ["python", "-S", "-c"]);
    assert.deepEqual(container.livenessProbe.exec.command, container.startupProbe.exec.command);
    assert.deepEqual(named(plain, "cog-deployment", "kubernetes:apps/v1:Deployment").customTimeouts, { create: "20m", update: "20m" }, "up waits for setup() as long as startup_minutes");
    const table: [string, number, number][] = [
      // status, readiness exit, liveness exit
      ["UNKNOWN", 1, 0],
      ["STARTING", 1, 0],
      ["READY", 0, 0],
      ["BUSY", 0, 0],
      ["UNHEALTHY", 1, 0],
      ["SETUP_FAILED", 1, 1],
      ["DEFUNCT", 1, 1],
    ];
    for (const [status, ready, live] of table) {
      assert.equal(probeExit(container.readinessProbe.exec.command, { status }), ready, `readiness in ${status}`);
      assert.equal(probeExit(container.livenessProbe.exec.command, { status }), live, `liveness in ${status}`);
    }
  });

  it("weights from S3: synced into /models by the init container, the role reading exactly that prefix", async () => {
    const result = await render({ models: { path: "sdxl/v1", size: "30Gi" } });
    const bucket = bucketOf(result, "cog-models");
    assert.equal(pod(result).initContainers[0].args[2], `s3://${bucket}/sdxl/v1/`);
    assert.deepEqual(server(result).env, [{ name: "MODEL_DIR", value: "/models" }, { name: "COG_MAX_CONCURRENCY", value: "1" }]);
    assert.equal(server(result).resources.requests["ephemeral-storage"], "30Gi");
    const outputs = (result.outputs.tools as any).cog;
    assert.deepEqual([outputs.modelsBucket, outputs.modelUpload, outputs.modelDir], [bucket, `aws s3 sync ./model s3://${bucket}/sdxl/v1/`, "/models"]);
    assert.deepEqual(json(inputs(result, "cog-irsa-policy", "aws:iam/rolePolicy:RolePolicy").policy).Statement, [
      { Sid: "ModelsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [`arn:aws:s3:::${bucket}`], Condition: { StringLike: { "s3:prefix": ["sdxl/v1/*"] } } },
      { Sid: "ModelsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket}/sdxl/v1/*`] },
    ]);
  });

  it("concurrency, env, GPU and replica bounds reach the pod", async () => {
    const result = await render({ concurrency: 4, env: { TORCH_HOME: "/tmp/torch" }, gpu: true, replicas: { min: 2, max: 4 } }, { gpu: true });
    assert.deepEqual(server(result).env, [{ name: "COG_MAX_CONCURRENCY", value: "4" }, { name: "TORCH_HOME", value: "/tmp/torch" }]);
    assert.equal(server(result).resources.limits["nvidia.com/gpu"], "1");
    assert.deepEqual(pod(result).tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    const hpa = inputs(result, "cog-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").spec;
    assert.deepEqual([hpa.minReplicas, hpa.maxReplicas], [2, 4]);
    assert.equal(inputs(result, "cog-pdb", "kubernetes:policy/v1:PodDisruptionBudget").spec.maxUnavailable, 1);
    await assert.rejects(render({ gpu: true }), { code: "NO_GPU_NODES", message: /or write - cog: \{gpu: false\}$/ });
  });

  it("expose with Cognito: sign-in annotations, the ALB health check on /health-check, nothing to sync", async () => {
    const auth = { type: "cognito", user_pool_arn: "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123", client_id: "abc123", domain: "ml-login", on_unauthenticated: "deny" };
    const result = await render({ expose: { host: "sdxl.example.com", certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc-123", auth } });
    const annotations = inputs(result, "cog-ingress", "kubernetes:networking.k8s.io/v1:Ingress").metadata.annotations;
    assert.deepEqual(
      [annotations["alb.ingress.kubernetes.io/auth-type"], annotations["alb.ingress.kubernetes.io/auth-idp-cognito"], annotations["alb.ingress.kubernetes.io/auth-on-unauthenticated-request"], annotations["alb.ingress.kubernetes.io/healthcheck-path"]],
      ["cognito", JSON.stringify({ userPoolARN: auth.user_pool_arn, userPoolClientID: "abc123", userPoolDomain: "ml-login" }), "deny", "/health-check"],
    );
    assert.equal(ofType(result, "kubernetes:external-secrets.io/v1:ExternalSecret").length, 0);
    assert.match((result.outputs.tools as any).cog.externalAccess, /scripts without the session cookie get 401/);
  });

  it("outputs, env and the port-forward", () => {
    assert.deepEqual((plain.outputs.tools as any).cog, {
      endpoint: "http://cog.cog.svc.cluster.local:5000",
      exampleRequest: `curl -X POST http://cog.cog.svc.cluster.local:5000/predictions -H 'Content-Type: application/json' -d '{"input":{}}'`,
      portForward: "kubectl -n cog port-forward svc/cog 5050:5000",
      openApiSchema: "http://cog.cog.svc.cluster.local:5000/openapi.json",
      healthCheck: "http://cog.cog.svc.cluster.local:5000/health-check",
      gpu: "false",
    });
    assert.deepEqual(plain.outputs.env, { COG_URL: "http://cog.cog.svc.cluster.local:5000" });
    assert.deepEqual((plain.outputs.local as any).cog, { namespace: "cog", service: "cog", ports: [{ local: 5050, remote: 5000 }], env: { COG_URL: "http://localhost:5050" } });
  });

  describe("validate", () => {
    const file = (params: string) => stackWith({ model_serving: [`{cog: ${params}}`] });
    it("refuses a missing image, models from a tool the stack lacks, expose without auth — each with its position", () => {
      assert.deepEqual(errorsOf(file("{}")), ["stack.yaml:9:25: stack.model_serving[0].cog.image: cog needs the image to serve — write - cog: {image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/sdxl:v1}"]);
      assert.deepEqual(errorsOf(file(`{image: ${IMAGE}, models: {from: bentoml, path: bentos/sdxl}}`)), [
        "stack.yaml:9:102: stack.model_serving[0].cog.models.from: models.from is bentoml, but the stack has no bentoml — add bentoml to the stack (its bucket holds the model), or use from: own (this tool's models bucket)",
      ]);
      assert.deepEqual(errorsOf(file(`{image: ${IMAGE}, expose: {host: sdxl.example.com, certificate_arn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}}`)).map((error) => error.split(": cog has")[0]), [
        "stack.yaml:9:95: stack.model_serving[0].cog.expose.auth",
      ]);
    });
  });

  describe("params", () => {
    it("defaults", () => {
      assert.deepEqual(cogParams.parse({ image: IMAGE }), { image: IMAGE, concurrency: 1, startup_minutes: 20, env: {}, replicas: { min: 1, max: 3 }, gpu: false });
    });
    const cases: [string, unknown, string[]][] = [
      ["a port (Cog's is fixed)", { image: IMAGE, port: 8080 }, [': Unrecognized key: "port"']],
      ["concurrency 0", { image: IMAGE, concurrency: 0 }, ["concurrency: Too small: expected number to be >=1"]],
      ["an image by latest implicitly", { image: "r8.im/me/sdxl" }, ['image: "r8.im/me/sdxl" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest> (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/sdxl:v1)']],
    ];
    for (const [what, input, expected] of cases) it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(cogParams, input), expected));
  });
});

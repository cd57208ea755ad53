import { strict as assert } from "node:assert";
import { paramsErrors } from "../helpers/params";
import { bentoml } from "../../components/tools/bentoml/index";
import { imageLifecyclePolicy } from "../../components/base/image-repository";
import { bentomlParams } from "../../components/tools/bentoml/params";
import type { RenderResult } from "../../src/engine/render";
import { PlatinfraError } from "../../src/errors";
import { named, ofType, json } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-bentoml:iris-classifier-v3";
const REGISTRY = stackWith({ model_registry: ["bentoml"] });
const SERVING = stackWith({ model_registry: [`{bentoml: {image: ${IMAGE}}}`], model_serving: ["bentoml"] }, { gpu: true });

const childrenOf = (result: RenderResult) =>
  result.resources.filter((resource) => resource.parent?.endsWith("platinfra:tools:Bentoml::bentoml")).map((resource) => `${resource.type} ${resource.name}`).sort();
const bentomlOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>).bentoml;
const bucketOf = (result: RenderResult) => String(named(result, "bentoml-bentos", "aws:s3/bucket:Bucket").inputs.bucket);

describe("bentoml", () => {
  let registry: RenderResult;
  let serving: RenderResult;
  let cpuServing: RenderResult;
  before(async () => {
    registry = await renderWithTools(REGISTRY, { bentoml }, { bentoml: bentomlParams.parse({}) });
    serving = await renderWithTools(SERVING, { bentoml }, { bentoml: bentomlParams.parse({ image: IMAGE, gpu: true, replicas: { min: 2, max: 5 } }) });
    cpuServing = await renderWithTools(SERVING, { bentoml }, { bentoml: bentomlParams.parse({ image: IMAGE, port: 8080 }) });
  });

  it("as registry only: an ECR repository with its lifecycle policy, the bento bucket and the push policy — nothing in the cluster", () => {
    assert.deepEqual(childrenOf(registry), [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy bentoml-repository-lifecycle",
      "aws:ecr/repository:Repository bentoml-repository",
      "aws:iam/policy:Policy bentoml-push-policy",
      "platinfra:base:Bucket bentoml-bentos",
    ]);
    assert.equal(registry.resources.some((resource) => resource.type.startsWith("kubernetes:") && resource.name.startsWith("bentoml")), false);
    assert.deepEqual(Object.keys(bentomlOutputs(registry)).sort(), ["bentoBucket", "pushPolicyArn", "repositoryUrl", "roles"]);
  });

  it("the repository: immutable tags, scanned on push, encrypted, emptied on destroy only as the spec says", () => {
    const repository = named(registry, "bentoml-repository").inputs as any;
    assert.equal(repository.name, "demo-dev-bentoml");
    assert.equal(repository.imageTagMutability, "IMMUTABLE");
    assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
    assert.deepEqual(repository.encryptionConfigurations, [{ encryptionType: "AES256" }]);
    assert.equal(repository.forceDelete, false);
    const lifecycle = named(registry, "bentoml-repository-lifecycle").inputs as any;
    assert.equal(lifecycle.repository, "demo-dev-bentoml");
    assert.deepEqual(json(lifecycle.policy), imageLifecyclePolicy(200));
    assert.deepEqual(imageLifecyclePolicy(200).rules.map((rule) => rule.selection), [
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
      { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 200 },
    ]);
  });

  it("the push policy: its only \"*\" is for ecr:GetAuthorizationToken; ECR push on the repository; the bento bucket", () => {
    const policy = json(named(registry, "bentoml-push-policy").inputs.policy);
    const repositoryArn = "arn:aws:ecr:eu-west-1:123456789012:bentoml-repository";
    const bucketArn = `arn:aws:s3:::${bucketOf(registry)}`;
    const wildcards = policy.Statement.filter((statement: any) => [statement.Resource].flat().includes("*"));
    assert.deepEqual(wildcards, [{ Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }]);
    const push = policy.Statement.find((statement: any) => statement.Sid === "EcrPushPull");
    assert.deepEqual(push.Resource, [repositoryArn]);
    assert.ok(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchGetImage"].every((action) => push.Action.includes(action)));
    const others = policy.Statement.filter((statement: any) => !["EcrLogin", "EcrPushPull"].includes(statement.Sid)).flatMap((statement: any) => [statement.Resource].flat());
    assert.deepEqual([...new Set(others)].sort(), [bucketArn, `${bucketArn}/*`]);
    assert.equal(named(registry, "bentoml-push-policy").inputs.name, "demo-dev-bentoml-push");
  });

  it("outputs and env name the registry", () => {
    const outputs = bentomlOutputs(registry);
    assert.equal(outputs.repositoryUrl, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-bentoml");
    assert.equal(outputs.bentoBucket, bucketOf(registry));
    assert.equal(outputs.pushPolicyArn, "arn:aws:iam::123456789012:policy/demo-dev-bentoml-push");
    assert.equal(outputs.roles, "model_registry");
    assert.deepEqual(registry.outputs.env, { BENTOML_REGISTRY: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo-dev-bentoml" });
  });

  it("as serving too: namespace, IRSA service account, Deployment, Service and HPA — and no ingress", () => {
    assert.deepEqual(childrenOf(serving), [
      "aws:ecr/lifecyclePolicy:LifecyclePolicy bentoml-repository-lifecycle",
      "aws:ecr/repository:Repository bentoml-repository",
      "aws:iam/policy:Policy bentoml-push-policy",
      "kubernetes:apps/v1:Deployment bentoml-deployment",
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler bentoml-hpa",
      "kubernetes:core/v1:Namespace bentoml-namespace",
      "kubernetes:core/v1:Service bentoml-service",
      "platinfra:base:Bucket bentoml-bentos",
      "platinfra:base:ServiceAccountRole bentoml-irsa",
    ]);
    assert.equal(ofType(serving, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal(bentomlOutputs(serving).endpoint, "http://bentoml.bentoml.svc.cluster.local:3000");
    assert.equal(bentomlOutputs(serving).roles, "model_registry, model_serving");
  });

  it("serving is reached from a laptop through a port-forward to its Service; the registry alone needs none", () => {
    assert.deepEqual((cpuServing.outputs.local as any).bentoml, { namespace: "bentoml", service: "bentoml", ports: [{ local: 3000, remote: 8080 }], env: {} });
    assert.deepEqual(registry.outputs.local, {});
  });

  it("the serving role trusts only the bentoml service account and reads only the bento bucket", () => {
    const trust = json(named(serving, "bentoml-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:bentoml:bentoml"]);
    const policy = json(named(serving, "bentoml-irsa-policy").inputs.policy);
    const bucketArn = `arn:aws:s3:::${bucketOf(serving)}`;
    assert.deepEqual([...new Set(policy.Statement.flatMap((statement: any) => [statement.Resource].flat()))].sort(), [bucketArn, `${bucketArn}/*`]);
    assert.equal(policy.Statement.some((statement: any) => statement.Action.includes("s3:PutObject")), false);
  });

  it("the Deployment: the bento image, BentoML's probes, the service account, one GPU on the GPU nodes", () => {
    const spec = (named(serving, "bentoml-deployment").inputs as any).spec;
    assert.equal(spec.replicas, undefined);
    const pod = spec.template.spec;
    assert.equal(pod.serviceAccountName, "bentoml");
    assert.deepEqual(pod.nodeSelector, { "platinfra.dev/gpu": "true" });
    assert.deepEqual(pod.tolerations, [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }]);
    const [container] = pod.containers;
    assert.equal(container.image, IMAGE);
    assert.deepEqual(container.ports, [{ name: "http", containerPort: 3000 }]);
    assert.deepEqual(container.readinessProbe, { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 10 });
    assert.deepEqual(container.livenessProbe, { httpGet: { path: "/livez", port: "http" }, periodSeconds: 10, failureThreshold: 3 });
    assert.deepEqual(container.resources, { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "4Gi", "nvidia.com/gpu": "1" } });
  });

  it("without gpu: no GPU placement or limit; the port param reaches the container, Service and endpoint", () => {
    const pod = (named(cpuServing, "bentoml-deployment").inputs as any).spec.template.spec;
    assert.equal(pod.nodeSelector, undefined);
    assert.deepEqual(pod.containers[0].resources.limits, { cpu: "2", memory: "4Gi" });
    assert.deepEqual(pod.containers[0].env, [{ name: "BENTOML_PORT", value: "8080" }]);
    assert.deepEqual((named(cpuServing, "bentoml-service").inputs as any).spec.ports, [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
    assert.equal(bentomlOutputs(cpuServing).endpoint, "http://bentoml.bentoml.svc.cluster.local:8080");
  });

  it("the HPA scales the Deployment on 70% CPU within the replica range", () => {
    const spec = (named(serving, "bentoml-hpa").inputs as any).spec;
    assert.deepEqual(spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "bentoml" });
    assert.deepEqual([spec.minReplicas, spec.maxReplicas], [2, 5]);
    assert.deepEqual(spec.metrics, [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
  });

  it("params: defaults, and exact errors", () => {
    assert.deepEqual(bentomlParams.parse({}), { port: 3000, replicas: { min: 1, max: 3 }, gpu: false });
    const messages = (input: unknown) => paramsErrors(bentomlParams, input);
    assert.deepEqual(messages({ image: "iris", replicas: { min: 4, max: 2 } }), [
      'image: "iris" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest>',
      "replicas: min 4 is above max 2 — min must not exceed max",
    ]);
    assert.deepEqual(messages({ expose: { host: "x.example.com" } }), [': Unrecognized key: "expose"']);
    assert.equal(bentomlParams.safeParse({ image: "bentoml/iris@sha256:" + "a".repeat(64) }).success, true);
  });

  it("serving without an image is refused with a clear error, before anything is created (API callers passing a Spec; validate catches it first for files)", async () => {
    await assert.rejects(renderWithTools(SERVING, { bentoml }, { bentoml: bentomlParams.parse({}) }), (error: unknown) => {
      assert.ok(error instanceof PlatinfraError);
      assert.equal(error.code, "TOOL_PARAMS");
      assert.equal(error.exitCode, 2);
      assert.equal(
        error.message,
        "stack.model_serving: bentoml needs params.image — the bento's container image to serve, e.g. <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>",
      );
      return true;
    });
  });
});

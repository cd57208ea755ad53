import { strict as assert } from "node:assert";
import { parse } from "yaml";
import { CHARTS } from "../../components/base/charts";
import { LICENCE_WARNING } from "../../components/tools/seldon-core/checks";
import { exampleKind, exampleModel, exampleRequest } from "../../components/tools/seldon-core/example";
import { UNSTATED_LICENCE } from "../../components/tools/seldon-core";
import { LICENCE_USES, seldonCoreParams } from "../../components/tools/seldon-core/params";
import { rcloneS3Config, serverResources } from "../../components/tools/seldon-core/values";
import { formatEnv } from "../../src/cli/outputs-format";
import { SECRET_PLACEHOLDER, type RenderResult } from "../../src/engine/render";
import { chartFixture, unknownValuesKeys } from "../helpers/chart-keys";
import { crdFixture, schemaProblems } from "../helpers/crd-schema";
import { waitsFor } from "../helpers/graph";
import { paramsErrors } from "../helpers/params";
import { named, ofType, renderSpec, json, childrenOf } from "../helpers/render";
import { errorsOf, problemsOf, specOf } from "../helpers/spec-text";
import { stringLeaves } from "../helpers/string-leaves";
import { stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PLAIN = stackWith({ model_serving: ["seldon-core"] });
const GPU = stackWith({ model_serving: ["seldon-core"] }, { gpu: true });
const WITH_MLFLOW = stackWith({ experiment_tracker: ["mlflow"], model_serving: ["seldon-core"] });
const ENDPOINT = "http://seldon-mesh.seldon.svc.cluster.local:80";
const GPU_PLACEMENT = {
  nodeSelector: { "platinfra.dev/gpu": "true" },
  tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
};

const release = (result: RenderResult, part: string) => named(result, `seldon-core-${part}`, RELEASE);
const values = (result: RenderResult, part: string) => release(result, part).inputs.values as Record<string, any>;
const seldonOutputs = (result: RenderResult) => (result.outputs.tools as Record<string, any>)["seldon-core"];
const bucketName = (result: RenderResult, name: string) => String(named(result, name, "aws:s3/bucket:Bucket").inputs.bucket);
const policy = (result: RenderResult) => json(named(result, "seldon-core-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:SeldonCore::seldon-core");

describe("seldon-core", () => {
  let plain: RenderResult;
  let gpu: RenderResult;
  let withMlflow: RenderResult;
  before(async () => {
    [plain, gpu, withMlflow] = await Promise.all([PLAIN, GPU, WITH_MLFLOW].map((text) => renderSpec(specOf(text))));
  });

  it("creates exactly its namespace, models bucket, IRSA role (with its service account), rclone remote and four releases — no ingress", () => {
    const expected = [
      "kubernetes:core/v1:Namespace seldon-core-namespace",
      "kubernetes:core/v1:Secret seldon-core-rclone-s3",
      `${RELEASE} seldon-core-crds`,
      `${RELEASE} seldon-core-runtime`,
      `${RELEASE} seldon-core-servers`,
      `${RELEASE} seldon-core-setup`,
      "platinfra:base:Bucket seldon-core-models",
      "platinfra:base:ServiceAccountRole seldon-core-irsa",
    ];
    assert.deepEqual(children(plain), expected);
    assert.deepEqual(children(gpu), expected);
    assert.equal(ofType(plain, "kubernetes:networking.k8s.io/v1:Ingress").length, 0);
    assert.equal((named(plain, "seldon-core-namespace").inputs.metadata as any).name, "seldon");
  });

  it("pins the four 2.10.2 charts of seldonio/helm-charts, each release named after its chart, in the seldon namespace", () => {
    const pinned = ["crds", "setup", "runtime", "servers"].map((part) => {
      const inputs = release(plain, part).inputs as any;
      return [inputs.chart, inputs.version, inputs.repositoryOpts.repo, inputs.name, inputs.namespace];
    });
    const repo = "https://seldonio.github.io/helm-charts";
    assert.deepEqual(pinned, [
      ["seldon-core-v2-crds", "2.10.2", repo, "seldon-core-v2-crds", "seldon"],
      ["seldon-core-v2-setup", "2.10.2", repo, "seldon-core-v2-setup", "seldon"],
      ["seldon-core-v2-runtime", "2.10.2", repo, "seldon-core-v2-runtime", "seldon"],
      ["seldon-core-v2-servers", "2.10.2", repo, "seldon-core-v2-servers", "seldon"],
    ]);
    for (const chart of [CHARTS.seldonCoreCrds, CHARTS.seldonCoreSetup, CHARTS.seldonCoreRuntime, CHARTS.seldonCoreServers]) {
      assert.equal(chartFixture(chart.fixture).version, chart.version, chart.chart);
    }
  });

  it("sets only keys each chart version declares (fixtures from the setup chart's values and the tag's runtime and servers charts)", () => {
    for (const result of [plain, gpu]) {
      for (const part of ["crds", "setup", "runtime", "servers"]) assert.deepEqual(unknownValuesKeys(release(result, part)), [], part);
    }
    // The check can fail: a key the runtime chart does not have.
    const wrong = { ...release(plain, "runtime"), inputs: { ...release(plain, "runtime").inputs, values: { envoy: { service: { type: "ClusterIP" } } } } };
    assert.deepEqual(unknownValuesKeys(wrong), ["envoy.service.type"]);
  });

  it("every Service ClusterIP, no Kafka components, no usage reporting, no tracing exporter", () => {
    assert.deepEqual(values(plain, "crds"), {});
    assert.deepEqual(values(plain, "setup"), {
      services: { defaultServiceType: "ClusterIP" },
      opentelemetry: { disable: true },
      serverConfig: { mlserver: { modelVolumeStorage: "1Gi" }, triton: { modelVolumeStorage: "1Gi" } },
    });
    assert.deepEqual(values(plain, "runtime"), {
      hodometer: { disable: true },
      scheduler: { serviceType: "ClusterIP" },
      envoy: { serviceType: "ClusterIP" },
      dataflow: { disable: true },
      modelgateway: { disable: true },
      pipelinegateway: { disable: true },
      config: {
        agentConfig: { rclone: { configSecrets: ["seldon-rclone-s3"] } },
        tracingConfig: { disable: true },
        serviceConfig: { serviceType: "ClusterIP" },
      },
    });
    const serviceTypes = stringLeaves({ setup: values(plain, "setup"), runtime: values(plain, "runtime") }).filter(([key]) => /service(Type|\.type)$|defaultServiceType$/i.test(key));
    assert.deepEqual(serviceTypes.map(([, value]) => value), ["ClusterIP", "ClusterIP", "ClusterIP", "ClusterIP"]);
  });

  it("servers: one MLServer and one Triton pod at fixed counts, their artifact-cache volumes sized by storage_gb and deleted with them; Triton on the GPU nodes with one GPU when the stack has them", async () => {
    const cache = { statefulSetPersistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Delete" } };
    assert.deepEqual(values(plain, "servers"), {
      mlserver: { replicas: 1, minReplicas: 1, maxReplicas: 1, ...cache },
      triton: { replicas: 1, minReplicas: 1, maxReplicas: 1, ...cache },
    });
    assert.deepEqual(values(gpu, "servers").triton, {
      replicas: 1,
      minReplicas: 1,
      maxReplicas: 1,
      ...cache,
      podSpec: { ...GPU_PLACEMENT, containers: [{ name: "triton", resources: { limits: { "nvidia.com/gpu": "1" } } }] },
    });
    assert.equal(JSON.stringify(values(gpu, "servers").mlserver).includes("nvidia"), false);
    assert.deepEqual([seldonOutputs(plain).tritonGpu, seldonOutputs(gpu).tritonGpu], ["false", "true"]);
    const scaled = await renderSpec(specOf(GPU.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {mlserver: {replicas: 3}, triton: {replicas: 0}}}]")));
    assert.deepEqual(values(scaled, "servers"), { mlserver: { replicas: 3, minReplicas: 3, maxReplicas: 3, ...cache }, triton: { replicas: 0, minReplicas: 0, maxReplicas: 0, ...cache } });
    assert.deepEqual(values(scaled, "setup").serverConfig, { mlserver: { modelVolumeStorage: "1Gi" }, triton: { modelVolumeStorage: "1Gi" } });
    const cached = await renderSpec(specOf(PLAIN.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {mlserver: {storage_gb: 20}, triton: {storage_gb: 100}}}]")));
    assert.deepEqual(values(cached, "setup").serverConfig, { mlserver: { modelVolumeStorage: "20Gi" }, triton: { modelVolumeStorage: "100Gi" } }, "each server's artifact cache sized in its ServerConfig");
    assert.deepEqual(unknownValuesKeys(release(cached, "setup")), []);
    const onCpu = await renderSpec(specOf(GPU.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {gpu: false}}]")));
    assert.equal(values(onCpu, "servers").triton.podSpec, undefined);
  });

  it("resources reach the server container by name, completed so the merged container stays valid; Triton's GPU joins its limits", async () => {
    const sized = await renderSpec(
      specOf(GPU.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {mlserver: {resources: {requests: {cpu: '1', memory: 4Gi}}}, triton: {resources: {limits: {cpu: '4', memory: 16Gi}}}}}]")),
    );
    assert.deepEqual(values(sized, "servers").mlserver.podSpec, { containers: [{ name: "mlserver", resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "4Gi" } } }] });
    assert.deepEqual(values(sized, "servers").triton.podSpec, {
      ...GPU_PLACEMENT,
      containers: [{ name: "triton", resources: { requests: { cpu: "100m", memory: "1Gi" }, limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" } } }],
    });
  });

  it("serverResources: Seldon's 1Gi memory limit rises to a larger request, given limits lower the default requests, no CPU limit is invented", () => {
    const table: [Parameters<typeof serverResources>[0], ReturnType<typeof serverResources>][] = [
      [undefined, undefined],
      [{ requests: { cpu: "500m", memory: "512Mi" } }, { requests: { cpu: "500m", memory: "512Mi" }, limits: { memory: "1Gi" } }],
      [{ requests: { cpu: "2", memory: "8Gi" } }, { requests: { cpu: "2", memory: "8Gi" }, limits: { memory: "8Gi" } }],
      [{ limits: { cpu: "50m", memory: "512Mi" } }, { requests: { cpu: "50m", memory: "512Mi" }, limits: { cpu: "50m", memory: "512Mi" } }],
      [{ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } }, { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } }],
    ];
    for (const [given, expected] of table) assert.deepEqual(serverResources(given), expected, JSON.stringify(given));
  });

  it("the servers' service account seldon-server exists, annotated with the IRSA role, before the runtime and servers; CRDs before the operator", () => {
    const account = named(plain, "seldon-core-irsa-sa", "kubernetes:core/v1:ServiceAccount");
    assert.deepEqual([(account.inputs.metadata as any).name, (account.inputs.metadata as any).namespace], ["seldon-server", "seldon"]);
    assert.ok(Object.keys((account.inputs.metadata as any).annotations).includes("eks.amazonaws.com/role-arn"));
    const trust = json(named(plain, "seldon-core-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
    assert.deepEqual(Object.values(trust).sort(), ["sts.amazonaws.com", "system:serviceaccount:seldon:seldon-server"]);
    for (const part of ["runtime", "servers"]) assert.ok(waitsFor(plain, release(plain, part), account), `${part} waits for the service account`);
    assert.ok(waitsFor(plain, release(plain, "runtime"), named(plain, "seldon-core-rclone-s3")));
    assert.ok(waitsFor(plain, release(plain, "setup"), release(plain, "crds")));
    assert.ok(waitsFor(plain, release(plain, "runtime"), release(plain, "setup")));
    assert.ok(waitsFor(plain, release(plain, "servers"), release(plain, "runtime")));
  });

  it("may only read its models bucket; with MLflow in the stack, MLflow's artifacts too (read-only)", () => {
    const list = ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"];
    const read = ["s3:GetObject", "s3:GetObjectVersion"];
    const models = `arn:aws:s3:::${bucketName(plain, "seldon-core-models")}`;
    assert.deepEqual(policy(plain), [
      { Sid: "ModelBucketsList", Effect: "Allow", Action: list, Resource: [models] },
      { Sid: "ModelBucketsObjects", Effect: "Allow", Action: read, Resource: [`${models}/*`] },
    ]);
    const ownModels = `arn:aws:s3:::${bucketName(withMlflow, "seldon-core-models")}`;
    const artifacts = `arn:aws:s3:::${bucketName(withMlflow, "mlflow-artifacts")}`;
    assert.deepEqual(policy(withMlflow), [
      { Sid: "ModelBucketsList", Effect: "Allow", Action: list, Resource: [ownModels, artifacts] },
      { Sid: "ModelBucketsObjects", Effect: "Allow", Action: read, Resource: [`${ownModels}/*`, `${artifacts}/*`] },
    ]);
    assert.match(seldonOutputs(withMlflow).mlflowModels, new RegExp(`under s3://${bucketName(withMlflow, "mlflow-artifacts")}/artifacts/ .*requirements: \\[mlflow\\]`));
    assert.equal(seldonOutputs(plain).mlflowModels, undefined);
  });

  it("the rclone remote `s3` authenticates with the pod's web identity (env_auth), in the stack's region, with no keys", () => {
    const secret = named(plain, "seldon-core-rclone-s3", "kubernetes:core/v1:Secret").inputs as any;
    // The Kubernetes provider keeps every Secret's stringData secret in state: the render shows its placeholder.
    assert.deepEqual([secret.metadata.name, secret.metadata.namespace, secret.type, secret.stringData], ["seldon-rclone-s3", "seldon", "Opaque", SECRET_PLACEHOLDER]);
    assert.equal(rcloneS3Config("eu-west-1"), 'type: s3\nname: s3\nparameters:\n  provider: AWS\n  env_auth: "true"\n  region: eu-west-1\n');
    assert.deepEqual(parse(rcloneS3Config("eu-west-1")), { type: "s3", name: "s3", parameters: { provider: "AWS", env_auth: "true", region: "eu-west-1" } });
    assert.doesNotMatch(JSON.stringify(plain.resources.map((resource) => resource.inputs)), /access_key_id|secret_access_key|AWS_SECRET_ACCESS_KEY/);
  });

  it("the example Model targets this stack (namespace, models bucket, a deployed server's requirements) and validates against the Model CRD", () => {
    const model = parse(seldonOutputs(plain).exampleModel);
    const bucket = bucketName(plain, "seldon-core-models");
    assert.deepEqual(model, {
      apiVersion: "mlops.seldon.io/v1alpha1",
      kind: "Model",
      metadata: { name: "iris", namespace: "seldon" },
      spec: { storageUri: `s3://${bucket}/models/iris`, requirements: ["sklearn"], memory: "100Ki" },
    });
    const fixture = crdFixture("seldon", "Model");
    assert.deepEqual([fixture.group, fixture.version, fixture.kind], ["mlops.seldon.io", "v1alpha1", "Model"]);
    assert.deepEqual(schemaProblems(fixture.schema, { spec: model.spec }), []);
    assert.notDeepEqual(schemaProblems(fixture.schema, { spec: { ...model.spec, requirement: ["sklearn"] } }), [], "the schema check can fail");
    // MLServer advertises sklearn (setup values serverConfig.mlserver.serverCapabilities); the example needs nothing else.
    const capabilities = "mlserver,alibi-detect,alibi-explain,huggingface,lightgbm,mlflow,python,sklearn,spark-mlib,xgboost".split(",");
    assert.ok(model.spec.requirements.every((requirement: string) => capabilities.includes(requirement)));
    assert.equal(seldonOutputs(plain).modelStorageUri, `s3://${bucket}/models/`);
    assert.equal(
      seldonOutputs(plain).exampleArtifacts,
      `upload a scikit-learn model saved with joblib as model.joblib to s3://${bucket}/models/iris/, then kubectl apply the exampleModel and wait: kubectl -n seldon wait --for condition=ready model/iris`,
    );
  });

  it("without MLServer pods the example is Triton's TensorFlow model; model_prefix moves it; a stated licence is recorded", async () => {
    const result = await renderSpec(specOf(PLAIN.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {mlserver: {replicas: 0}, model_prefix: serving/v1, licence: commercial}}]")));
    assert.equal(seldonOutputs(result).licence, "commercial", "the stated use is recorded");
    assert.equal(
      seldonOutputs(result).exampleArtifacts,
      `upload a Triton model repository entry: config.pbtxt and 1/model.graphdef (the TensorFlow model of Triton's docs/examples/model_repository/simple) to s3://${bucketName(result, "seldon-core-models")}/serving/v1/tfsimple/, then kubectl apply the exampleModel and wait: kubectl -n seldon wait --for condition=ready model/tfsimple`,
    );
    const model = parse(seldonOutputs(result).exampleModel);
    assert.deepEqual(model.spec, { storageUri: `s3://${bucketName(result, "seldon-core-models")}/serving/v1/tfsimple`, requirements: ["tensorflow"], memory: "100Ki" });
    assert.deepEqual(schemaProblems(crdFixture("seldon", "Model").schema, { spec: model.spec }), []);
    assert.match(seldonOutputs(result).exampleRequest, /^curl -s http:\/\/seldon-mesh\.seldon\.svc\.cluster\.local:80\/v2\/models\/tfsimple\/infer .*-H 'Seldon-Model: tfsimple' -d '\{"inputs":\[\{"name":"INPUT0","shape":\[1,16\],"datatype":"INT32"/);
  });

  it("outputs the in-cluster mesh endpoint, an Open Inference Protocol request, and a port-forward for laptops", () => {
    const outputs = seldonOutputs(plain);
    assert.equal(outputs.inferenceEndpoint, ENDPOINT);
    assert.equal(
      outputs.exampleRequest,
      `curl -s ${ENDPOINT}/v2/models/iris/infer -H 'Content-Type: application/json' -H 'Seldon-Model: iris' -d '{"inputs":[{"name":"predict","shape":[1,4],"datatype":"FP32","data":[[1,2,3,4]]}]}'`,
    );
    assert.equal(outputs.namespace, "seldon");
    assert.equal(outputs.licence, UNSTATED_LICENCE);
    assert.equal(
      outputs.beforeDestroy,
      "kubectl -n seldon delete experiments.mlops.seldon.io,pipelines.mlops.seldon.io,models.mlops.seldon.io --all   # while Seldon's operator and scheduler run: only they remove these resources' finalizers, and any left keep Seldon's CRDs and the seldon namespace from being deleted (destroy times out)",
    );
    assert.deepEqual(plain.outputs.env, { SELDON_INFER_HOST: "seldon-mesh.seldon.svc.cluster.local:80" });
    const stackOutputs = Object.fromEntries(Object.entries(plain.outputs).map(([key, value]) => [key, { value, secret: false }]));
    const local = formatEnv(stackOutputs, false, { local: true }).split("\n");
    assert.deepEqual(local.slice(-2), ["#   kubectl --namespace seldon port-forward svc/seldon-mesh 9000:80", "export SELDON_INFER_HOST='localhost:9000'"]);
  });

  it("pure builders: the example kind follows the servers, the request names the model twice (path and header)", () => {
    assert.equal(exampleKind(1).server, "mlserver");
    assert.equal(exampleKind(0).server, "triton");
    assert.deepEqual(exampleModel(exampleKind(2), { namespace: "seldon", bucket: "b", prefix: "p" }).spec, { storageUri: "s3://b/p/iris", requirements: ["sklearn"], memory: "100Ki" });
    assert.match(exampleRequest(exampleKind(1), "http://x"), /^curl -s http:\/\/x\/v2\/models\/iris\/infer .* -H 'Seldon-Model: iris' /);
  });

  describe("validate", () => {
    it("warns on every stack listing it that production use needs a commercial licence (BSL 1.1), at its listing", () => {
      assert.deepEqual(problemsOf(PLAIN), [`stack.yaml:9:19: stack.model_serving[0]: warning: ${LICENCE_WARNING}`]);
      assert.match(LICENCE_WARNING, /^seldon-core: Seldon Core 2 is under the Business Source License 1\.1 — .*production use needs a commercial licence/);
      assert.match(LICENCE_WARNING, /Apache-2\.0 four years after its release \(2\.10\.2, deployed here, was released on 2025-12-18\)\. /);
      assert.match(LICENCE_WARNING, /State your use to silence this warning: - seldon-core: \{licence: non-production\} \(development, testing, evaluation\) or \{licence: commercial\} \(you hold a commercial licence from Seldon\)$/);
    });

    it("a stated use (licence: commercial or non-production) silences the warning; any other value is an error at the param, and the warning stays", () => {
      for (const use of LICENCE_USES) {
        assert.deepEqual(problemsOf(PLAIN.replace("model_serving: [seldon-core]", `model_serving: [{seldon-core: {licence: ${use}}}]`)), [], use);
      }
      const wrong = PLAIN.replace("model_serving: [seldon-core]", "model_serving:\n    - seldon-core:\n        licence: production");
      assert.deepEqual(problemsOf(wrong), [
        `stack.yaml:10:7: stack.model_serving[0]: warning: ${LICENCE_WARNING}`,
        'stack.yaml:11:18: stack.model_serving[0].seldon-core.licence: licence "production" is not allowed — use commercial (you hold a commercial licence from Seldon) or non-production (development, testing, evaluation)',
      ]);
    });

    it("gpu: true without GPU nodes is an error at the param, beside the warning", () => {
      const text = PLAIN.replace("model_serving: [seldon-core]", "model_serving:\n    - seldon-core:\n        gpu: true");
      assert.deepEqual(errorsOf(text), [
        "stack.yaml:11:14: stack.model_serving[0].seldon-core.gpu: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - seldon-core: {gpu: auto}",
      ]);
    });

    it("bad params are reported at their position", () => {
      const text = PLAIN.replace("model_serving: [seldon-core]", "model_serving:\n    - seldon-core:\n        triton: {replicas: -1}\n        expose: {host: seldon.example.com}");
      assert.deepEqual(errorsOf(text), [
        "stack.yaml:11:28: stack.model_serving[0].seldon-core.triton.replicas: triton.replicas -1 is below 0",
        'stack.yaml:12:9: stack.model_serving[0].seldon-core.expose: unknown key "expose" (allowed: mlserver, triton, gpu, model_prefix, licence) — fix the spelling or remove it',
      ]);
    });
  });

  describe("params", () => {
    const messages = (input: unknown) => paramsErrors(seldonCoreParams, input);

    it("defaults", () => {
      assert.deepEqual(seldonCoreParams.parse({}), { mlserver: { replicas: 1, storage_gb: 1 }, triton: { replicas: 1, storage_gb: 1 }, gpu: "auto", model_prefix: "models" });
    });

    const cases: [string, unknown, string[]][] = [
      ["no server at all", { mlserver: { replicas: 0 }, triton: { replicas: 0 } }, ["mlserver.replicas: mlserver.replicas and triton.replicas are both 0 — no server would load a Model; keep at least one server (e.g. mlserver: {replicas: 1})"]],
      ["a request above its limit", { triton: { resources: { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } } }, ["triton.resources.requests.cpu: the cpu request 2 is above its limit 1 — Kubernetes refuses such a pod; raise limits.cpu or lower the request"]],
      ["a fractional replica count", { mlserver: { replicas: 1.5 } }, ["mlserver.replicas: mlserver.replicas 1.5 is not a whole number of server pods"]],
      ["an artifact cache below 1 GiB", { mlserver: { storage_gb: 0.5 } }, ["mlserver.storage_gb: mlserver.storage_gb 0.5 is not a whole number of GiB"]],
      ["an artifact cache as a quantity", { triton: { storage_gb: "10Gi" } }, ['triton.storage_gb: triton.storage_gb "10Gi" is not a size in GiB — expected a whole number from 1 to 16384']],
      ["too many replicas", { triton: { replicas: 21 } }, ["triton.replicas: triton.replicas 21 is above 20 — raise it in steps you can afford"]],
      ["gpu as a word", { gpu: "yes" }, ['gpu: gpu "yes" is not allowed — use "auto" (a GPU when the stack has GPU nodes), true (require one) or false (CPU only)']],
      [
        "a model prefix with a trailing slash",
        { model_prefix: "models/" },
        ['model_prefix: model_prefix "models/" is not an S3 key prefix — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or serving/models)'],
      ],
      ["a licence that is not a use", { licence: "yes" }, ['licence: licence "yes" is not allowed — use commercial (you hold a commercial licence from Seldon) or non-production (development, testing, evaluation)']],
      ["expose, which Seldon's mesh has no auth for", { expose: { host: "seldon.example.com" } }, [': Unrecognized key: "expose"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(messages(input), expected));
    }
  });
});

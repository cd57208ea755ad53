import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { UPSTREAM_STATUS } from "../../components/tools/horovod/checks";
import { horovod, HOROVOD_LINKS } from "../../components/tools/horovod/index";
import { HOROVOD_CPU_IMAGE, HOROVOD_GPU_IMAGE } from "../../components/tools/horovod/mpijob";
import { horovodParams } from "../../components/tools/horovod/params";
import type { ToolContext } from "../../components/tools/shared/context";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";
import { noGpuNodes } from "../../src/catalog/checks";
import type { RenderResult } from "../../src/engine/render";
import { PROJECT_ROOT } from "../helpers/cli";
import { crdFixture, schemaProblems } from "../helpers/crd-schema";
import { waitsFor } from "../helpers/graph";
import { checkAgainstUpstreamSchema } from "../helpers/kube-schemas";
import { paramsErrors } from "../helpers/params";
import { fakeMlflowWithAuth, MLFLOW_POD_ENV } from "../helpers/peers";
import { named, json, childrenOf } from "../helpers/render";
import { problemsOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";

const MANIFEST = "https://raw.githubusercontent.com/kubeflow/mpi-operator/v0.8.0/deploy/v2beta1/mpi-operator.yaml";
const GPU_TOLERATION = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const NO_GPU_MESSAGE =
  "horovod: gpu is true, but the stack provides no GPU nodes — add a GPU pool: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}]} (with autoscaling: none, also min: 1 and desired: 1), or write - horovod: {gpu: auto}";

/** A stand-in for a tool with a data bucket (DVC's remote, or any other tool's data). */
function fakeDataTool(bucketName: string): ToolComponentModule {
  class FakeDataTool extends pulumi.ComponentResource implements ToolComponent {
    readonly outputs = pulumi.output({});
    readonly env = pulumi.output<Record<string, string>>({});
    readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];
    constructor(name: string, context: ToolContext) {
      super("platinfra:test:FakeDataTool", name, {}, { providers: { aws: context.platform.awsProviderFor(name) } });
      const bucket = new aws.s3.Bucket(`${name}-data`, { bucket: bucketName }, { parent: this });
      this.dataBuckets = [{ name: bucket.bucket, arn: bucket.arn }];
      this.registerOutputs({});
    }
  }
  return { create: (name, context) => new FakeDataTool(name, context) };
}

/** The GPU group with a taint of its own, which GPU pods must tolerate too. */
const GPU_STACK_WITH_TAINT = stackWith({ runtime_engine: ["horovod"] }, { gpu: true }).replace("max: 2}", "max: 2, taints: [{key: dedicated, value: ml, effect: NoSchedule}]}");

const children = (result: RenderResult) => childrenOf(result, "platinfra:tools:Horovod::horovod");
const outputs = (result: RenderResult) => (result.outputs.tools as any).horovod as Record<string, any>;
const job = (result: RenderResult) => parseYaml(outputs(result).exampleMpiJob) as Record<string, any>;
const launcher = (result: RenderResult) => job(result).spec.mpiReplicaSpecs.Launcher.template.spec;
const worker = (result: RenderResult) => job(result).spec.mpiReplicaSpecs.Worker.template.spec;
const checkpointBucket = (result: RenderResult) => String(named(result, "horovod-checkpoints", "aws:s3/bucket:Bucket").inputs.bucket);
const policy = (result: RenderResult) => json(named(result, "horovod-irsa-policy", "aws:iam/rolePolicy:RolePolicy").inputs.policy).Statement;
const render = (params: unknown, options: { gpu?: boolean } = {}) =>
  renderWithTools(stackWith({ runtime_engine: ["horovod"] }, options), { horovod }, { horovod: horovodParams.parse(params) });

describe("horovod", () => {
  let cpu: RenderResult;
  let gpu: RenderResult;
  let linked: RenderResult;
  before(async () => {
    cpu = await render({});
    gpu = await render({}, { gpu: true });
    linked = await renderWithTools(
      stackWith({ data_versioning: ["dvc"], experiment_tracker: ["mlflow"], monitoring: ["nannyml"], runtime_engine: ["horovod"] }),
      { horovod, dvc: fakeDataTool("fake-dvc-remote"), mlflow: fakeMlflowWithAuth(), nannyml: fakeDataTool("fake-nannyml-results") },
      { horovod: horovodParams.parse({}) },
    );
  });

  it("creates exactly its namespace, checkpoint bucket, IRSA role, the pinned MPI operator manifest and the controller's scope", () => {
    const expected = [
      "kubernetes:apps/v1:DeploymentPatch horovod-controller-scope",
      "kubernetes:core/v1:Namespace horovod-namespace",
      "kubernetes:yaml/v2:ConfigFile horovod-mpi-operator",
      "platinfra:base:Bucket horovod-checkpoints",
      "platinfra:base:ServiceAccountRole horovod-irsa",
    ];
    assert.deepEqual(children(cpu), expected);
    assert.deepEqual(children(gpu), expected);
    assert.deepEqual(children(linked), [...expected, "kubernetes:core/v1:Secret horovod-mlflow-client"].sort());
    assert.deepEqual((named(cpu, "horovod-namespace").inputs.metadata as any).name, "horovod");
  });

  it("applies upstream's v0.8.0 single-file manifest by its tag URL, after the training namespace", () => {
    const operator = named(cpu, "horovod-mpi-operator", "kubernetes:yaml/v2:ConfigFile");
    assert.deepEqual(operator.inputs, { file: MANIFEST, resourcePrefix: "horovod-mpi-operator" });
    assert.ok(waitsFor(cpu, operator, named(cpu, "horovod-namespace")), "the controller starts once the namespace it watches exists");
  });

  it("narrows the controller to the horovod namespace and sizes it, through fields the manifest leaves unset", () => {
    const patch = named(cpu, "horovod-controller-scope", "kubernetes:apps/v1:DeploymentPatch");
    assert.deepEqual(patch.inputs.metadata, { name: "mpi-operator", namespace: "mpi-operator" });
    assert.deepEqual((patch.inputs.spec as any).template.spec.containers, [
      {
        name: "mpi-operator",
        env: [{ name: "KUBEFLOW_NAMESPACE", value: "horovod" }],
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      },
    ]);
    assert.ok(waitsFor(cpu, patch, named(cpu, "horovod-mpi-operator")), "the patch applies to the manifest's Deployment, so after it");
  });

  it("the patch targets upstream's Deployment (same name, namespace, container), sets nothing upstream sets, and the merge is a valid Deployment", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test/fixtures/manifests/mpi-operator-deployment.json"), "utf8"));
    const upstream = fixture.object;
    assert.equal(fixture.source, "kubeflow/mpi-operator@v0.8.0:deploy/v2beta1/mpi-operator.yaml (the Deployment document, verbatim)");
    const patch = named(cpu, "horovod-controller-scope").inputs as Record<string, any>;
    assert.deepEqual([upstream.metadata.name, upstream.metadata.namespace], [patch.metadata.name, patch.metadata.namespace]);
    const [own] = upstream.spec.template.spec.containers;
    const [patched] = patch.spec.template.spec.containers;
    assert.equal(own.name, patched.name);
    // Server-side apply merges containers by name; fields set by both would be owned by two managers.
    assert.deepEqual(Object.keys(patched).filter((key) => key !== "name" && key in own), []);
    assert.deepEqual(own.args, ["-alsologtostderr", "--lock-namespace=mpi-operator"], "no --namespace flag upstream: $KUBEFLOW_NAMESPACE is its default");
    const merged = { ...upstream, spec: { ...upstream.spec, template: { ...upstream.spec.template, spec: { ...upstream.spec.template.spec, containers: [{ ...own, ...patched }] } } } };
    const check = await checkAgainstUpstreamSchema({ ...named(cpu, "horovod-controller-scope"), type: "kubernetes:apps/v1:Deployment", inputs: merged });
    assert.deepEqual(check, { status: "valid" });
  });

  it("launcher and worker pods run as horovod/horovod, the only identity the role trusts", () => {
    const account = named(cpu, "horovod-irsa-sa", "kubernetes:core/v1:ServiceAccount").inputs.metadata as any;
    assert.deepEqual([account.name, account.namespace], ["horovod", "horovod"]);
    assert.equal(account.annotations["eks.amazonaws.com/role-arn"], "arn:aws:iam::123456789012:role/demo-dev-horovod");
    const trust = json(named(cpu, "horovod-irsa", "aws:iam/role:Role").inputs.assumeRolePolicy).Statement;
    assert.equal(trust.length, 1);
    assert.deepEqual(Object.values(trust[0].Condition.StringEquals).sort(), ["sts.amazonaws.com", "system:serviceaccount:horovod:horovod"]);
    for (const result of [cpu, gpu]) {
      assert.deepEqual([launcher(result).serviceAccountName, worker(result).serviceAccountName], [account.name, account.name]);
      assert.equal(job(result).metadata.namespace, account.namespace);
    }
  });

  it("may read and write exactly its checkpoint bucket and its links' data buckets — not an unlinked tool's", () => {
    const objectActions = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
    const own = `arn:aws:s3:::${checkpointBucket(cpu)}`;
    assert.deepEqual(policy(cpu), [
      { Sid: "DataBucketsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: [own] },
      { Sid: "DataBucketsObjects", Effect: "Allow", Action: objectActions, Resource: [`${own}/*`] },
    ]);
    const both = ["arn:aws:s3:::fake-dvc-remote", `arn:aws:s3:::${checkpointBucket(linked)}`];
    assert.deepEqual(policy(linked), [
      { Sid: "DataBucketsList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: both },
      { Sid: "DataBucketsObjects", Effect: "Allow", Action: objectActions, Resource: both.map((arn) => `${arn}/*`) },
    ]);
    assert.equal(JSON.stringify(policy(linked)).includes("fake-nannyml-results"), false);
    assert.deepEqual(HOROVOD_LINKS, ["dvc", "mlflow", "wandb", "zenml", "aws-batch", "ray"]);
  });

  it("the example MPIJob validates against the MPIJob CRD of v0.8.0, GPU and CPU", () => {
    const fixture = crdFixture("mpi-operator", "MPIJob");
    assert.equal(fixture.source, "kubeflow/mpi-operator@v0.8.0:deploy/v2beta1/mpi-operator.yaml");
    for (const result of [cpu, gpu, linked]) {
      const { apiVersion, kind, metadata: _metadata, ...body } = job(result);
      assert.deepEqual([apiVersion, kind], [`${fixture.group}/${fixture.version}`, fixture.kind]);
      assert.deepEqual(schemaProblems(fixture.schema, body), []);
    }
    // The check can fail: a misspelled field is caught.
    const { apiVersion: _a, kind: _k, metadata: _m, ...body } = job(cpu);
    assert.deepEqual(schemaProblems(fixture.schema, { ...body, spec: { ...body.spec, slotPerWorker: 1 } }), [".spec.slotPerWorker: unknown key"]);
  });

  it("GPU: one process per GPU, workers request their GPUs on the GPU nodes, tolerating every GPU group taint", async () => {
    const spec = job(gpu).spec;
    assert.equal(spec.slotsPerWorker, 1);
    assert.equal(spec.launcherCreationPolicy, "WaitForWorkersReady");
    assert.deepEqual(worker(gpu).nodeSelector, { "platinfra.dev/gpu": "true" });
    assert.deepEqual(worker(gpu).tolerations, [GPU_TOLERATION]);
    const container = worker(gpu).containers[0];
    assert.equal(container.image, HOROVOD_GPU_IMAGE);
    assert.equal(HOROVOD_GPU_IMAGE, "horovod/horovod:0.28.1");
    assert.deepEqual(container.resources, { requests: { cpu: "3", memory: "12Gi" }, limits: { cpu: "3", memory: "12Gi", "nvidia.com/gpu": "1" } });
    assert.deepEqual(container.command, ["/usr/sbin/sshd", "-De", "-o", "StrictModes=no"]);
    // NCCL's shared-memory transport between a worker's GPUs needs more than a container's 64Mi /dev/shm.
    for (const result of [gpu, cpu]) {
      assert.deepEqual(worker(result).volumes, [{ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } }]);
      assert.deepEqual(worker(result).containers[0].volumeMounts, [{ name: "dshm", mountPath: "/dev/shm" }]);
    }
    // The launcher only runs mpirun: no GPU, no GPU placement.
    assert.deepEqual([launcher(gpu).nodeSelector, launcher(gpu).tolerations], [undefined, undefined]);
    assert.equal(JSON.stringify(launcher(gpu).containers[0].resources).includes("nvidia.com/gpu"), false);

    assert.ok(GPU_STACK_WITH_TAINT.includes("taints: [{key: dedicated"));
    const multi = await renderWithTools(GPU_STACK_WITH_TAINT, { horovod }, { horovod: horovodParams.parse({ workers: { replicas: 3, gpus: 4, cpu: "40", memory: "160Gi" } }) });
    assert.equal(job(multi).spec.slotsPerWorker, 4);
    assert.equal(job(multi).spec.mpiReplicaSpecs.Worker.replicas, 3);
    assert.deepEqual(worker(multi).tolerations, [GPU_TOLERATION, { key: "dedicated", operator: "Equal", value: "ml", effect: "NoSchedule" }]);
    assert.deepEqual(worker(multi).containers[0].resources.limits, { cpu: "40", memory: "160Gi", "nvidia.com/gpu": "4" });
    assert.deepEqual(launcher(multi).containers[0].args.slice(0, 2), ["-np", "12"]);
  });

  it("CPU: the CPU image, one process per worker, no GPU request and no GPU placement", () => {
    const spec = job(cpu).spec;
    assert.equal(spec.slotsPerWorker, 1);
    assert.equal(worker(cpu).containers[0].image, HOROVOD_CPU_IMAGE);
    assert.equal(HOROVOD_CPU_IMAGE, "horovod/horovod-cpu:0.28.1");
    assert.equal(launcher(cpu).containers[0].image, HOROVOD_CPU_IMAGE);
    assert.deepEqual(worker(cpu).containers[0].resources, { requests: { cpu: "1", memory: "4Gi" }, limits: { cpu: "1", memory: "4Gi" } });
    assert.deepEqual([worker(cpu).nodeSelector, worker(cpu).tolerations], [undefined, undefined]);
    assert.equal(JSON.stringify(job(cpu)).includes("nvidia.com/gpu"), false);
    assert.equal(launcher(cpu).containers[0].args.includes("NCCL_DEBUG=INFO"), false);
  });

  it("the launcher runs upstream's benchmark over every slot, forwarding its environment and the IRSA credentials to the ranks", () => {
    const container = launcher(cpu).containers[0];
    assert.deepEqual(container.command, ["mpirun"]);
    assert.deepEqual(container.args, [
      "-np", "2", "--allow-run-as-root", "-bind-to", "none", "-map-by", "slot",
      "-x", "PATH", "-x", "AWS_ROLE_ARN", "-x", "AWS_WEB_IDENTITY_TOKEN_FILE",
      "-x", "AWS_REGION", "-x", "AWS_DEFAULT_REGION", "-x", "CHECKPOINT_URI",
      "-mca", "pml", "ob1", "-mca", "btl", "^openib", "-mca", "plm_rsh_args", "-o ConnectionAttempts=10 -o UserKnownHostsFile=/dev/null",
      "python", "/horovod/examples/pytorch/pytorch_synthetic_benchmark.py", "--batch-size", "8", "--num-iters", "3",
    ]);
    assert.deepEqual(container.env, [
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
      { name: "CHECKPOINT_URI", value: `s3://${checkpointBucket(cpu)}/horovod-example/` },
    ]);
    // GPU: the CUDA image's LD_LIBRARY_PATH too (the CPU image sets none: mpirun would only warn), and upstream's benchmark size.
    assert.deepEqual(launcher(gpu).containers[0].args.slice(7, 23), [
      "-x", "LD_LIBRARY_PATH", "-x", "PATH", "-x", "AWS_ROLE_ARN", "-x", "AWS_WEB_IDENTITY_TOKEN_FILE",
      "-x", "AWS_REGION", "-x", "AWS_DEFAULT_REGION", "-x", "CHECKPOINT_URI", "-x", "NCCL_DEBUG=INFO",
    ]);
    assert.deepEqual(launcher(gpu).containers[0].args.slice(-2), ["python", "/horovod/examples/pytorch/pytorch_synthetic_benchmark.py"]);
  });

  it("every variable the ranks get by name is set on the launcher: in its env, or injected by EKS for its IRSA service account", () => {
    for (const result of [cpu, gpu, linked]) {
      const container = launcher(result).containers[0];
      const byName = container.args.filter((arg: string, index: number) => container.args[index - 1] === "-x" && !arg.includes("="));
      const own = container.env.map((variable: { name: string }) => variable.name);
      const image = result === gpu ? ["LD_LIBRARY_PATH", "PATH"] : ["PATH"];
      assert.deepEqual(byName, [...image, "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", ...own]);
      // The pod identity webhook injects the IRSA pair only into pods of an annotated service account: both run as it.
      assert.deepEqual([launcher(result).serviceAccountName, worker(result).serviceAccountName], ["horovod", "horovod"]);
    }
  });

  it("with MLflow in the stack, its in-cluster settings reach the launcher and every rank; the password only by reference", () => {
    const container = launcher(linked).containers[0];
    assert.deepEqual(container.env.slice(3), MLFLOW_POD_ENV);
    const forwarded = container.args.filter((_arg: string, index: number) => container.args[index - 1] === "-x");
    assert.deepEqual(forwarded.slice(-3), ["MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"]);
    const secret = named(linked, "horovod-mlflow-client", "kubernetes:core/v1:Secret");
    assert.deepEqual([secret.inputs.metadata, secret.inputs.stringData], [{ name: "mlflow-client", namespace: "horovod" }, "[secret]"]);
    assert.equal(JSON.stringify(linked).includes("mlflow-password-value"), false, "MLflow's password in plain text");
    assert.equal(JSON.stringify(job(cpu)).includes("MLFLOW"), false);
  });

  it("outputs the names a user needs, the example job and the commands that run it", () => {
    assert.deepEqual(outputs(linked), {
      operator: "kubeflow/mpi-operator v0.8.0",
      operatorManifest: MANIFEST,
      namespace: "horovod",
      serviceAccount: "horovod",
      checkpointBucket: checkpointBucket(linked),
      dataBuckets: ["fake-dvc-remote"],
      exampleMpiJob: outputs(linked).exampleMpiJob,
      usage:
        "The example MPIJob runs Horovod's synthetic PyTorch benchmark on upstream's images (horovod/horovod, horovod/horovod-cpu 0.28.1); it reads and writes no data. " +
        "Those images contain no AWS SDK (boto3, AWS CLI) and no MLflow client: to write checkpoints to CHECKPOINT_URI or log to MLflow, build your own image FROM them adding boto3 (or s3fs) and mlflow, and set it as both containers' image. " +
        "Every rank then gets the service account's IRSA web-identity credentials (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE), AWS_REGION, CHECKPOINT_URI and MLflow's settings, forwarded by mpirun -x; " +
        "keep serviceAccountName: horovod on both the Launcher and the Worker, and add any variable of your own to the launcher's env and to mpirun's -x list.",
      commands: [
        "platinfra outputs stack.yaml --json | jq -r '.tools.horovod.exampleMpiJob' > horovod-example.yaml",
        "kubectl apply -f horovod-example.yaml",
        // Not `--for=condition=Running`: the operator turns it False when the job ends, so a late wait would sit out its timeout.
        "kubectl -n horovod wait --for=create job/horovod-example-launcher --timeout=30m",
        "until kubectl -n horovod logs -f job/horovod-example-launcher; do sleep 10; done",
        "kubectl -n horovod get mpijob horovod-example",
        "kubectl -n horovod delete mpijob horovod-example",
      ],
    });
    // The launcher Job the commands wait for and follow is the one the operator creates: `<MPIJob name>-launcher`.
    assert.equal(`${job(linked).metadata.name}-launcher`, "horovod-example-launcher");
    assert.deepEqual(job(linked).metadata, { name: "horovod-example", namespace: "horovod" });
    assert.deepEqual(cpu.outputs.env, {});
  });

  it("gpu: true without GPU nodes stops the deployment with the validate message", async () => {
    await assert.rejects(render({ gpu: true }), (error: Error) => error.message.includes(NO_GPU_MESSAGE));
    const onCpu = await render({ gpu: false }, { gpu: true });
    assert.equal(worker(onCpu).containers[0].image, HOROVOD_CPU_IMAGE);
  });

  it("validate warns (not an error) that Horovod stopped releasing, at its listing; refuses gpu: true without GPU nodes", () => {
    assert.deepEqual(problemsOf(stackWith({ runtime_engine: ["horovod"] })), [`stack.yaml:9:20: stack.runtime_engine[0]: warning: ${UPSTREAM_STATUS}`]);
    assert.match(UPSTREAM_STATUS, /^horovod: upstream's last release is v0\.28\.1 \(2023-06-12, github\.com\/horovod\/horovod\) — none since/);
    const gpuTrue = stackWith({ runtime_engine: ["horovod"] }).replace("[horovod]", "\n    - horovod: {gpu: true}");
    assert.deepEqual(problemsOf(gpuTrue), [`stack.yaml:10:7: stack.runtime_engine[0]: warning: ${UPSTREAM_STATUS}`, `stack.yaml:10:22: stack.runtime_engine[0].horovod.gpu: ${noGpuNodes("horovod")}`]);
    // Kubeflow Pipelines installs no MPIJob CRD (only kubeflow.org's ScheduledWorkflow and Viewer): the two may share a stack.
    assert.deepEqual(problemsOf(stackWith({ pipelining: ["kubeflow"], runtime_engine: ["horovod"] })), [`stack.yaml:10:20: stack.runtime_engine[0]: warning: ${UPSTREAM_STATUS}`]);
  });

  describe("params", () => {
    it("defaults", () => {
      assert.deepEqual(horovodParams.parse({}), { gpu: "auto", workers: { replicas: 2, gpus: 1 } });
    });
    const cases: [string, unknown, string[]][] = [
      ["no workers", { workers: { replicas: 0 } }, ["workers.replicas: workers.replicas 0 is below 1"]],
      ["a fractional GPU count", { workers: { gpus: 1.5 } }, ["workers.gpus: workers.gpus 1.5 is not a whole number"]],
      ["more GPUs than a node has", { workers: { gpus: 16 } }, ["workers.gpus: workers.gpus 16 is above 8"]],
      ["a count as text", { workers: { replicas: "2" } }, ['workers.replicas: workers.replicas "2" is not a number — expected a whole number from 1 to 64']],
      ["a bad memory quantity", { workers: { memory: "4GB" } }, ['workers.memory: "4GB" is not a Kubernetes memory quantity — expected e.g. "512Mi" or "4Gi"']],
      ["a gpu setting that is not one", { gpu: "yes" }, ['gpu: gpu "yes" is not allowed — use "auto" (a GPU when the stack has GPU nodes), true (require one) or false (CPU only)']],
      ["expose, which Horovod has nothing to expose for", { expose: { host: "h.example.com" } }, [': Unrecognized key: "expose"']],
    ];
    for (const [what, input, expected] of cases) {
      it(`rejects ${what}`, () => assert.deepEqual(paramsErrors(horovodParams, input), expected));
    }
    it("errors carry their position in the stack file", () => {
      const text = stackWith({ runtime_engine: ["horovod"] }).replace("[horovod]", "\n    - horovod: {workers: {gpus: 16}}");
      assert.deepEqual(problemsOf(text), [`stack.yaml:10:7: stack.runtime_engine[0]: warning: ${UPSTREAM_STATUS}`, "stack.yaml:10:33: stack.runtime_engine[0].horovod.workers.gpus: workers.gpus 16 is above 8"]);
    });
  });
});

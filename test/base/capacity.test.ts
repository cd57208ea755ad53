import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderResult } from "../../src/engine/render";
import {
  type ChartWorkload,
  containerRequests,
  deploymentPods,
  eksAllocatable,
  M6I_LARGE,
  type Pods,
  podRequests,
  releasePods,
  type Requests,
  sum,
  unplaced,
} from "../helpers/capacity";
import { chartOf } from "../helpers/chart-keys";
import { seldonPods } from "../helpers/seldon-capacity";
import { EXAMPLES } from "../helpers/cli";
import { ofType, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

/**
 * What EKS's managed add-ons run, which platinfra installs but does not size. Sources:
 * - vpc-cni: aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml, aws-node `resources.requests.cpu: 25m`.
 * - kube-proxy: EKS's kube-proxy DaemonSet requests 100m CPU (the figure issue 8's review used).
 * - coredns: kubernetes' CoreDNS Deployment (coredns/deployment kubernetes/coredns.yaml.sed),
 *   which EKS's add-on follows: 2 replicas of 100m CPU / 70Mi.
 * - aws-ebs-csi-driver: kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver/values.yaml,
 *   controller (2 replicas) and node plugins 10m / 40Mi; every sidecar counted at the same
 *   (conservative where a chart version leaves them unset): 5 containers per controller pod,
 *   3 per node pod.
 */
const ADDONS: Record<string, { perNode?: Requests; pods?: Pods }> = {
  "vpc-cni": { perNode: { cpu: 25, memory: 0 } },
  "kube-proxy": { perNode: { cpu: 100, memory: 0 } },
  coredns: { pods: { name: "coredns", count: 2, pod: { cpu: 100, memory: 70 } } },
  "aws-ebs-csi-driver": { perNode: { cpu: 30, memory: 120 }, pods: { name: "ebs-csi-controller", count: 2, pod: { cpu: 50, memory: 200 } } },
};

/** The long-running workloads of each chart platinfra installs; GPU-only charts run nothing on the system nodes. */
const CHART_WORKLOADS: Record<string, ChartWorkload[]> = {
  mlflow: [{ name: "server", resources: "resources", replicas: "replicaCount" }],
  "prefect-server": [{ name: "server", resources: "server.resources", replicas: "server.replicaCount" }],
  "prefect-worker": [{ name: "worker", resources: "worker.resources", replicas: "worker.replicaCount" }],
  zenml: [{ name: "server", resources: "resources", replicas: "server.replicaCount" }],
  lakefs: [{ name: "server", resources: "resources", replicas: "replicaCount" }],
  // The user-code Deployment (subchart, list item) is sized by platinfra itself: see dagster/values.ts USER_CODE_RESOURCES.
  dagster: [
    { name: "webserver", resources: "dagsterWebserver.resources", replicas: "dagsterWebserver.replicaCount" },
    { name: "daemon", resources: "dagsterDaemon.resources", replicas: "dagsterDaemon.replicaCount" },
  ],
  "argo-workflows": [
    { name: "controller", resources: "controller.resources", replicas: "controller.replicas" },
    { name: "server", resources: "server.resources", replicas: "server.replicas" },
  ],
  // KubernetesExecutor: no Celery workers; task pods come and go (Karpenter sizes nodes for them).
  airflow: [
    { name: "api-server", resources: "apiServer.resources", replicas: "apiServer.replicas" },
    { name: "scheduler", resources: "scheduler.resources", replicas: "scheduler.replicas" },
    { name: "dag-processor", resources: "dagProcessor.resources", replicas: "dagProcessor.replicas" },
    { name: "triggerer", resources: "triggerer.resources", replicas: "triggerer.replicas" },
  ],
  "kuberay-operator": [{ name: "operator", resources: "resources", replicas: "replicas" }],
  // The W&B server's own pods come from its WeightsAndBiases resource (see test/tools/wandb.test.ts: Karpenter's nodes).
  "wandb-operator": [{ name: "controller", resources: "resources", replicas: "replicaCount" }],
  "spark-operator": [
    { name: "controller", resources: "controller.resources", replicas: "controller.replicas" },
    { name: "webhook", resources: "webhook.resources", replicas: "webhook.replicas" },
  ],
  "metrics-server": [{ name: "metrics-server", resources: "resources", replicas: "replicas" }],
  "aws-load-balancer-controller": [{ name: "controller", resources: "resources", replicas: "replicaCount" }],
  "external-secrets": [
    { name: "controller", resources: "resources", replicas: "replicaCount" },
    { name: "webhook", resources: "webhook.resources", replicas: "webhook.replicaCount" },
    { name: "cert-controller", resources: "certController.resources", replicas: "certController.replicaCount" },
  ],
  "nvidia-device-plugin": [],
  // Charts other branches add: their sizing fixture comes with `node scripts/chart-requests.js` once their key fixture exists.
  reloader: [{ name: "reloader", resources: "reloader.deployment.resources", replicas: "reloader.deployment.replicas" }],
  karpenter: [{ name: "controller", resources: "controller.resources", replicas: "replicas" }],
  // One pod (admin, propeller, datacatalog, scheduler): the chart has no replica count.
  "flyte-binary": [{ name: "flyte", resources: "deployment.resources", replicas: "deployment.replicaCount" }],
  // pgbouncer and the console have no replica count (one pod each); etcd's is `dynamicNodes`. pachw's
  // storage workers start at 0 (pachd scales them per task, with pachd's resources); proxy and Loki are off.
  pachyderm: [
    { name: "pachd", resources: "pachd.resources", replicas: "pachd.replicas" },
    { name: "etcd", resources: "etcd.resources", replicas: "etcd.dynamicNodes" },
    { name: "pgbouncer", resources: "pgbouncer.resources", replicas: "pgbouncer.replicas" },
    { name: "console", resources: "console.resources", replicas: "console.replicas" },
  ],
  // The async-delete worker takes the API server's resources and has no replica count (one pod); the stores are subcharts.
  clearml: [
    { name: "apiserver", resources: "apiserver.resources", replicas: "apiserver.replicaCount" },
    { name: "asyncdelete", resources: "apiserver.resources", replicas: "apiserver.asyncdelete.replicas" },
    { name: "fileserver", resources: "fileserver.resources", replicas: "fileserver.replicaCount" },
    { name: "webserver", resources: "webserver.resources", replicas: "webserver.replicaCount" },
    { name: "elasticsearch", resources: "elasticsearch.resources", replicas: "elasticsearch.replicas" },
    { name: "mongodb", resources: "mongodb.resources", replicas: "mongodb.replicaCount" },
    { name: "dragonfly", resources: "dragonfly.resources", replicas: "dragonfly.replicaCount" },
  ],
  // Only CustomResourceDefinitions: no pods.
  "karpenter-crd": [],
  // Prometheus and Alertmanager pods each run a config-reloader sidecar; Grafana two sidecars (dashboards, data sources);
  // node-exporter is a DaemonSet: one pod on each of the two system nodes. The admission webhook's certgen Jobs are hooks.
  "kube-prometheus-stack": [
    { name: "prometheus", resources: "prometheus.prometheusSpec.resources", replicas: "prometheus.prometheusSpec.replicas" },
    { name: "prometheus config-reloader", resources: "prometheusOperator.prometheusConfigReloader.resources", replicas: "prometheus.prometheusSpec.replicas" },
    { name: "alertmanager", resources: "alertmanager.alertmanagerSpec.resources", replicas: "alertmanager.alertmanagerSpec.replicas" },
    { name: "alertmanager config-reloader", resources: "prometheusOperator.prometheusConfigReloader.resources", replicas: "alertmanager.alertmanagerSpec.replicas" },
    { name: "operator", resources: "prometheusOperator.resources", replicas: "prometheusOperator.replicas" },
    { name: "grafana", resources: "grafana.resources", replicas: "grafana.replicas" },
    { name: "grafana dashboards sidecar", resources: "grafana.sidecar.resources", replicas: "grafana.replicas" },
    { name: "grafana datasources sidecar", resources: "grafana.sidecar.resources", replicas: "grafana.replicas" },
    { name: "kube-state-metrics", resources: "kube-state-metrics.resources", replicas: "kube-state-metrics.replicas" },
    { name: "node-exporter", resources: "prometheus-node-exporter.resources", replicas: "prometheus-node-exporter.replicas", count: 2 },
  ],
  // Seldon Core 2: the operator's own pods come from the setup chart; the rest are counted by seldonPods.
  "seldon-core-v2-crds": [],
  "seldon-core-v2-setup": [],
  "seldon-core-v2-runtime": [],
  "seldon-core-v2-servers": [],
};

/** KubeRay's autoscaler sidecar when `autoscalerOptions.resources` is unset (ray-operator common/pod.go BuildAutoscalerContainer). */
const KUBERAY_AUTOSCALER_DEFAULT = { requests: { cpu: "500m", memory: "512Mi" } };

/** Kinds of workload this test knows how to count; anything else rendered must be added here first. */
const COUNTED_KINDS = ["kubernetes:apps/v1:Deployment", "kubernetes:ray.io/v1:RayCluster", "kubernetes:batch/v1:CronJob", "kubernetes:helm.sh/v3:Release"];

const onSystemNodes = (podSpec: Record<string, any>) => !podSpec.nodeSelector?.["platinfra.dev/gpu"];

function rayPods(result: RenderResult): Pods[] {
  return ofType(result, "kubernetes:ray.io/v1:RayCluster").flatMap((cluster) => {
    const spec = (cluster.inputs as any).spec;
    const autoscaler = spec.enableInTreeAutoscaling ? containerRequests(spec.autoscalerOptions?.resources ?? KUBERAY_AUTOSCALER_DEFAULT) : { cpu: 0, memory: 0 };
    const head = { name: "ray/head (with its autoscaler)", count: 1, pod: sum([podRequests(spec.headGroupSpec.template.spec), autoscaler]) };
    const workers = (spec.workerGroupSpecs as any[])
      .filter((group) => onSystemNodes(group.template.spec))
      .map((group) => ({ name: `ray/${group.groupName}`, count: group.minReplicas, pod: podRequests(group.template.spec) }));
    return [head, ...workers];
  });
}

/**
 * Charts sizing a workload by flat keys instead of a `resources` map. Determined: the master (one
 * replica, hard-coded) from masterCpuRequest/masterMemRequest (master-deployment.yaml at 0.38.1); its
 * task pods are started on demand by the master, not by the chart.
 */
const FLAT_SIZED: Record<string, (values: Record<string, any>) => Pods[]> = {
  determined: (values) => {
    // Its values hold two nested Pulumi secrets, which the mock runtime's recording lifts to the whole map.
    if (typeof values !== "object") throw new Error("determined's values are recorded as a secret: count its master from determinedValues() (test/tools/determined.test.ts)");
    return [{ name: "determined/master", count: 1, pod: containerRequests({ requests: { cpu: values.masterCpuRequest, memory: values.masterMemRequest } }) }];
  },
};

function releaseWorkloads(result: RenderResult): Pods[] {
  return ofType(result, "kubernetes:helm.sh/v3:Release").flatMap((release) => {
    const chart = chartOf(release).chart;
    const flat = FLAT_SIZED[chart];
    if (flat) return flat((release.inputs.values ?? {}) as Record<string, any>);
    const workloads = CHART_WORKLOADS[chart];
    if (!workloads) throw new Error(`chart ${chart} runs pods this test does not count: add its workloads to CHART_WORKLOADS`);
    return releasePods(release, workloads);
  });
}

function addonWorkloads(result: RenderResult): { pods: Pods[]; perNode: Requests } {
  const addons = ofType(result, "aws:eks/addon:Addon").map((addon) => String(addon.inputs.addonName));
  const unknown = addons.filter((addon) => !ADDONS[addon]);
  if (unknown.length > 0) throw new Error(`EKS add-ons this test does not count: ${unknown.join(", ")}`);
  return {
    pods: addons.flatMap((addon) => (ADDONS[addon].pods ? [ADDONS[addon].pods!] : [])),
    perNode: sum(addons.map((addon) => ADDONS[addon].perNode ?? { cpu: 0, memory: 0 })),
  };
}

/** One-off pods that need room beside the steady state: a CronJob's run, and a rolling update's surge pod (of any Deployment). */
function transientPods(result: RenderResult, deployments: Pods[]): Pods[] {
  const jobs = ofType(result, "kubernetes:batch/v1:CronJob").map((cronJob) => {
    const inputs = cronJob.inputs as any;
    return { name: `job ${inputs.metadata.namespace}/${inputs.metadata.name}`, count: 1, pod: podRequests(inputs.spec.jobTemplate.spec.template.spec) };
  });
  const surges = deployments.map((deployment) => ({ name: `surge ${deployment.name}`, count: 1, pod: deployment.pod }));
  return [...jobs, ...surges];
}

describe("capacity: the default stack fits its system nodes", () => {
  let result: RenderResult;
  let fixed: RenderResult;
  before(async () => {
    const example = fs.readFileSync(path.join(EXAMPLES, "aws-mlops-stack.yaml"), "utf8");
    result = await renderSpec(specOf(example));
    fixed = await renderSpec(specOf(example.replace("deployment:\n", "deployment:\n  autoscaling: none\n")));
  });

  const allocatable: [string, { vcpus: number; memoryMiB: number; maxPods: number }, Requests][] = [
    ["m6i.large", M6I_LARGE, { cpu: 1930, memory: 7518 }],
    ["m6i.xlarge", { vcpus: 4, memoryMiB: 16384, maxPods: 58 }, { cpu: 3920, memory: 15391 }],
    ["m6i.4xlarge", { vcpus: 16, memoryMiB: 65536, maxPods: 234 }, { cpu: 15890, memory: 62607 }],
  ];
  for (const [instance, shape, expected] of allocatable) {
    it(`EKS allocatable of an ${instance}: ${expected.cpu}m CPU, ${expected.memory}Mi`, () => assert.deepEqual(eksAllocatable(shape), expected));
  }

  it("every workload kind rendered is one this test counts", () => {
    const kinds = [...new Set(result.resources.map((resource) => resource.type).filter((type) => /^kubernetes:(apps|batch|ray\.io|helm\.sh)\//.test(type)))].sort();
    assert.deepEqual(kinds.filter((kind) => !COUNTED_KINDS.includes(kind)), []);
  });

  /**
   * What must run on the system group: everything, with `autoscaling: none` (nothing adds nodes),
   * so the steady state and any one transient pod (a CronJob run, a rolling-update surge) must fit;
   * with Karpenter (the default) the steady state must fit, and a transient pod that does not gets
   * a node from the default NodePool.
   */
  function fitsSystemNodes(rendered: RenderResult, withTransients: boolean, example = "aws-mlops-stack.yaml", specText = fs.readFileSync(path.join(EXAMPLES, example), "utf8")): void {
    const system = specOf(specText).deployment.nodeGroups.find((group) => group.name === "system")!;
    assert.deepEqual(system.instanceTypes, ["m6i.large"]);
    const nodes = system.min;
    const addons = addonWorkloads(rendered);
    const deployments = deploymentPods(rendered, onSystemNodes);
    const steady = [...deployments, ...rayPods(rendered), ...seldonPods(rendered), ...releaseWorkloads(rendered), ...addons.pods];
    const node = eksAllocatable(M6I_LARGE);
    // The kubelet's memory capacity is the kernel's MemTotal, a few percent below EC2's 8 GiB.
    const free = { cpu: node.cpu - addons.perNode.cpu, memory: node.memory * 0.9 - addons.perNode.memory };
    const total = sum(steady.map((kind) => ({ cpu: kind.pod.cpu * kind.count, memory: kind.pod.memory * kind.count })));
    const report = `steady ${total.cpu}m / ${Math.round(total.memory)}Mi of ${nodes * free.cpu}m / ${Math.round(nodes * free.memory)}Mi free after DaemonSets`;
    assert.deepEqual(unplaced(steady, nodes, free), [], report);
    if (withTransients) {
      for (const transient of transientPods(rendered, [...deployments, ...releaseWorkloads(rendered)])) {
        assert.deepEqual(unplaced([...steady, transient], nodes, free), [], `${report}; with ${transient.name}`);
      }
    }
    assert.ok(total.cpu <= nodes * free.cpu * (withTransients ? 0.8 : 0.9), `${report}: keep headroom for what a stack adds`);
  }

  it("autoscaling: none — the steady state plus any one transient pod fits two m6i.large (first-fit decreasing, 10% of memory kept for the kernel)", () => {
    fitsSystemNodes(fixed, true);
  });

  it("Karpenter (default) — the steady state, Karpenter's own controllers included, fits two m6i.large", () => {
    fitsSystemNodes(result, false);
  });

  it("the pipelines example (lakeFS, MLflow, Dagster with a code location, Flyte): its steady state fits its two m6i.large", async () => {
    fitsSystemNodes(await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, "pipelines-stack.yaml"), "utf8"))), false, "pipelines-stack.yaml");
  });

  it("the serving example's steady state fits its two m6i.large (Karpenter starts the serving and GPU nodes for what the model servers add)", async () => {
    fitsSystemNodes(await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, "serving-stack.yaml"), "utf8"))), false, "serving-stack.yaml");
  });

  it("the monitoring example's steady state (Prometheus, Alertmanager, Grafana, Evidently, MLflow, Ray's head, Triton) fits its three m6i.large", async () => {
    fitsSystemNodes(await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, "monitoring-stack.yaml"), "utf8"))), false, "monitoring-stack.yaml");
  });

  it("prometheus and grafana (one kube-prometheus-stack release, every component sized) beside MLflow: the steady state fits two m6i.large", async () => {
    const text = stackWith({ experiment_tracker: ["mlflow"], monitoring: ["prometheus", "grafana"] });
    const rendered = await renderSpec(specOf(text));
    const release = ofType(rendered, "kubernetes:helm.sh/v3:Release").find((candidate) => chartOf(candidate).chart === "kube-prometheus-stack")!;
    const pods = releasePods(release, CHART_WORKLOADS["kube-prometheus-stack"]);
    // Every container the chart runs steadily is sized by platinfra: none counts zero.
    assert.deepEqual(pods.filter((pod) => pod.pod.cpu === 0 || pod.pod.memory === 0).map((pod) => pod.name), []);
    assert.deepEqual(sum(pods.map((pod) => ({ cpu: pod.pod.cpu * pod.count, memory: pod.pod.memory * pod.count }))), { cpu: 710, memory: 2944 });
    fitsSystemNodes(rendered, false, undefined, text);
  });

  it("ClearML beside MLflow on the default system group: its seven pods (Elasticsearch's 2Gi heap the largest) fit two m6i.large with the rest", async () => {
    const text = stackWith({ experiment_tracker: ["mlflow", "clearml"] });
    const rendered = await renderSpec(specOf(text));
    const release = ofType(rendered, "kubernetes:helm.sh/v3:Release").find((candidate) => chartOf(candidate).chart === "clearml")!;
    assert.deepEqual(
      releasePods(release, CHART_WORKLOADS.clearml).map((pods) => `${pods.name} x${pods.count}: ${pods.pod.cpu}m ${pods.pod.memory}Mi`),
      [
        "clearml/apiserver x1: 100m 256Mi",
        "clearml/asyncdelete x1: 100m 256Mi",
        "clearml/fileserver x1: 100m 256Mi",
        "clearml/webserver x1: 100m 256Mi",
        "clearml/elasticsearch x1: 100m 2048Mi",
        "clearml/mongodb x1: 100m 512Mi",
        "clearml/dragonfly x1: 100m 256Mi",
      ],
    );
    fitsSystemNodes(rendered, false, undefined, text);
  });

  it("Seldon Core beside MLflow on the default system group: the pods its operator runs (no Kafka parts, no hodometer) fit two m6i.large with the rest", async () => {
    const text = stackWith({ experiment_tracker: ["mlflow"], model_serving: ["seldon-core"] });
    const rendered = await renderSpec(specOf(text));
    assert.deepEqual(
      seldonPods(rendered).map((pods) => `${pods.name} x${pods.count}: ${pods.pod.cpu}m ${pods.pod.memory}Mi`),
      [
        "seldon/controller x1: 10m 64Mi",
        "seldon/scheduler x1: 100m 1024Mi",
        "seldon/envoy x1: 100m 128Mi",
        "seldon/mlserver (agent, rclone, server) x1: 350m 2176Mi",
        "seldon/triton (agent, rclone, server) x1: 350m 2176Mi",
      ],
    );
    fitsSystemNodes(rendered, false, undefined, text);
    // Requests given to a server replace Seldon's for its server container.
    const sized = await renderSpec(specOf(text.replace("model_serving: [seldon-core]", "model_serving: [{seldon-core: {mlserver: {resources: {requests: {cpu: '1', memory: 4Gi}}}}}]")));
    assert.deepEqual(seldonPods(sized).find((pods) => pods.name.startsWith("seldon/mlserver"))!.pod, { cpu: 1250, memory: 5248 });
    // On a stack with GPU nodes, Triton's pods go there.
    const gpu = await renderSpec(specOf(stackWith({ model_serving: ["seldon-core"] }, { gpu: true })));
    assert.deepEqual(seldonPods(gpu).map((pods) => pods.name).filter((name) => name.includes("triton")), []);
  });
});

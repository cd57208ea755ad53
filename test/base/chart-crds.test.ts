import { strict as assert } from "node:assert";
import { CHART_CRDS } from "../../components/base/chart-crds";
import { CHARTS } from "../../components/base/charts";
import { ray } from "../../components/tools/ray/index";
import { rayParams } from "../../components/tools/ray/params";
import type { RenderResult } from "../../src/engine/render";
import { fixtureVersion } from "../helpers/chart-keys";
import { waitsFor } from "../helpers/graph";
import { named, ofType } from "../helpers/render";
import { renderWithTools, stackWith } from "../helpers/tools";

const LBC = "https://raw.githubusercontent.com/aws/eks-charts/5239609242f3430be50fb0b714a24d3ef2b47983/stable/aws-load-balancer-controller/crds";
const KUBERAY = "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds";
const CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile";

describe("CRDs of charts that keep them in crds/, applied by platinfra", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderWithTools(stackWith({ runtime_engine: ["ray"] }), { ray }, { ray: rayParams.parse({}) });
  });

  it("the pinned manifests belong to the pinned chart versions (bump both together)", () => {
    assert.equal(CHART_CRDS.loadBalancerController.chart, CHARTS.loadBalancerController);
    assert.equal(CHARTS.loadBalancerController.version, "3.5.0");
    assert.equal(CHART_CRDS.kuberayOperator.chart, CHARTS.kuberayOperator);
    for (const url of Object.values(CHART_CRDS.kuberayOperator.files)) assert.ok(url.includes(`/v${CHARTS.kuberayOperator.version}/`), url);
    // The chart data platinfra checks values against is the same release.
    assert.equal(fixtureVersion("kuberay-operator"), CHARTS.kuberayOperator.version);
    assert.equal(fixtureVersion("aws-load-balancer-controller"), CHARTS.loadBalancerController.version);
    assert.equal(CHART_CRDS.sparkOperator.chart, CHARTS.sparkOperator);
    for (const url of Object.values(CHART_CRDS.sparkOperator.files)) assert.ok(url.includes(`/v${CHARTS.sparkOperator.version}/`), url);
    assert.equal(fixtureVersion("spark-operator"), CHARTS.sparkOperator.version);
  });

  it("load balancer controller: both CRD files, applied before the release, which skips crds/", () => {
    const files = ofType(result, CONFIG_FILE).filter((file) => file.name.includes("lb-controller-crds")).map((file) => [file.name, file.inputs]);
    assert.deepEqual(files, [
      ["demo-addons-lb-controller-crds-crds", { file: `${LBC}/crds.yaml`, resourcePrefix: "demo-addons-lb-controller-crds-crds" }],
      ["demo-addons-lb-controller-crds-gateway-crds", { file: `${LBC}/gateway-crds.yaml`, resourcePrefix: "demo-addons-lb-controller-crds-gateway-crds" }],
    ]);
    const release = named(result, "demo-addons-lb-controller");
    assert.equal(release.inputs.skipCrds, true);
    for (const [name] of files) assert.ok(waitsFor(result, release, named(result, String(name), CONFIG_FILE)), String(name));
  });

  it("KubeRay: the four ray.io CRDs of v1.7.0, applied before the operator, which skips crds/", () => {
    const files = ofType(result, CONFIG_FILE).filter((file) => file.name.startsWith("ray-crds")).map((file) => file.inputs.file);
    assert.deepEqual(files, ["rayclusters", "raycronjobs", "rayjobs", "rayservices"].map((kind) => `${KUBERAY}/ray.io_${kind}.yaml`));
    const operator = named(result, "ray-operator");
    assert.equal(operator.inputs.skipCrds, true);
    for (const file of ofType(result, CONFIG_FILE).filter((file) => file.name.startsWith("ray-crds"))) assert.ok(waitsFor(result, operator, file), file.name);
  });
});

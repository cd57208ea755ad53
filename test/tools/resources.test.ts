import { strict as assert } from "node:assert";
import { quantityValue, resourcesSchema, resourcesWithDefaults } from "../../components/tools/shared/params";

const DEFAULTS = { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "1", memory: "2Gi" } };

describe("a tool's resources", () => {
  for (const [quantity, value] of [["500m", 0.5], ["2", 2], ["1.5", 1.5], ["512Mi", 512 * 2 ** 20], ["4Gi", 4 * 2 ** 30], ["1G", 1e9], ["100k", 1e5]] as const) {
    it(`${quantity} is ${value}`, () => assert.equal(quantityValue(quantity), value));
  }

  it("defaults fill what is not given", () => {
    assert.deepEqual(resourcesWithDefaults(undefined, DEFAULTS), DEFAULTS);
    assert.deepEqual(resourcesWithDefaults({ requests: { cpu: "200m", memory: "1Gi" } }, DEFAULTS), { requests: { cpu: "200m", memory: "1Gi" }, limits: DEFAULTS.limits });
  });

  it("given requests above a default limit raise that limit to them (else Kubernetes refuses the pod)", () => {
    assert.deepEqual(resourcesWithDefaults({ requests: { cpu: "2", memory: "4Gi" } }, DEFAULTS), { requests: { cpu: "2", memory: "4Gi" }, limits: { cpu: "2", memory: "4Gi" } });
  });

  it("given limits below a default request lower that request to them", () => {
    assert.deepEqual(resourcesWithDefaults({ limits: { cpu: "50m", memory: "256Mi" } }, DEFAULTS), { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "50m", memory: "256Mi" } });
  });

  it("requests above limits, both given, are refused with the path and a fix", () => {
    const result = resourcesSchema.safeParse({ requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error!.issues.map((issue) => [issue.path.join("."), issue.message]), [
      ["requests.cpu", "the cpu request 2 is above its limit 1 — Kubernetes refuses such a pod; raise limits.cpu or lower the request"],
    ]);
    assert.equal(resourcesSchema.safeParse({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } }).success, true);
  });
});

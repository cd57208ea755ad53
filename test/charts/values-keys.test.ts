import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHARTS } from "../../components/base/charts";
import { chartFixture, chartOf, unknownValuesKeys, valuesKeyPaths } from "../helpers/chart-keys";
import { EXAMPLES } from "../helpers/cli";
import { ofType, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";

/**
 * Helm ignores a misspelled values key silently: every key platinfra sets must exist in the
 * pinned chart version's defaults (fixtures derived from ../shared/charts by scripts/chart-keys.js).
 */
describe("Helm values keys, checked against each pinned chart version", () => {
  it("the key-path check itself catches a misspelling and accepts keys under open maps", () => {
    const fixture = chartFixture("mlflow");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isKnownKeyPath } = require("../../../scripts/chart-keys.js");
    assert.equal(isKnownKeyPath(fixture, "backendStore.postgres.host"), true);
    assert.equal(isKnownKeyPath(fixture, "backendStore.postgres.hostname"), false);
    assert.equal(isKnownKeyPath(fixture, "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"), true);
    assert.deepEqual(valuesKeyPaths({ a: { b: 1, "c.d": [1] } }), ["a.b", "a.c\\.d"]);
  });

  it("every pinned chart version equals the version its fixture was derived from", () => {
    for (const chart of Object.values(CHARTS)) {
      const fixture = chartFixture(chart.fixture);
      if (chart.chart === "airflow") continue; // saved from main before 1.22.0, with an older Chart.yaml (see the charts index)
      if (chart.chart === "zenml") continue; // the saved Chart.yaml is older than its values.yaml (see the charts index)
      if (chart.chart === "dagster") continue; // saved from main, whose Chart.yaml always says 0.0.1-dev (see the charts index)
      assert.equal(chart.version, fixture.version, chart.chart);
    }
  });

  for (const example of fs.readdirSync(EXAMPLES).filter((file) => file.endsWith(".yaml"))) {
    it(`${example}: every release sets only declared keys`, async () => {
      const spec = specOf(fs.readFileSync(path.join(EXAMPLES, example), "utf8"));
      const releases = ofType(await renderSpec(spec), "kubernetes:helm.sh/v3:Release");
      for (const release of releases) {
        assert.equal(release.inputs.version, chartOf(release).version, release.name);
        assert.deepEqual(unknownValuesKeys(release), [], release.name);
      }
    });
  }
});

import { strict as assert } from "node:assert";
import type { RenderResult } from "../../src/engine/render";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { stackWith } from "../helpers/tools";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const RELOAD = "secret.reloader.stakater.com/reload";

/** The shared building block every tool with a database uses: synced Secret, refresh, Reloader. */
describe("database secrets follow RDS's password rotation", () => {
  let both: RenderResult;
  let none: RenderResult;
  before(async () => {
    both = await renderSpec(specOf(stackWith({ experiment_tracker: ["mlflow"], pipelining: ["zenml"] })));
    none = await renderSpec(specOf(stackWith({ orchestrator: ["aws-eks"] })));
  });

  it("installs Reloader once, pinned, in its own namespace, for every tool with a database", () => {
    const releases = ofType(both, RELEASE).filter((release) => release.inputs.chart === "reloader");
    assert.deepEqual(releases.map((release) => release.name), ["demo-reloader"]);
    const release = releases[0].inputs as any;
    assert.deepEqual([release.version, release.repositoryOpts.repo, release.namespace, release.name, release.atomic], [
      "2.2.16",
      "https://stakater.github.io/stakater-charts",
      "reloader",
      "reloader",
      true,
    ]);
    assert.equal(release.version, fixtureVersion("reloader"));
    assert.deepEqual(named(both, "demo-reloader-namespace").inputs.metadata, { name: "reloader" });
  });

  it("Reloader watches every namespace for Secrets only, rolls by pod-template annotation, read-only and sized", () => {
    const release = ofType(both, RELEASE).find((resource) => resource.name === "demo-reloader")!;
    assert.deepEqual(release.inputs.values, {
      reloader: {
        watchGlobally: true,
        ignoreConfigMaps: true,
        reloadStrategy: "annotations",
        readOnlyRootFileSystem: true,
        deployment: { resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
      },
    });
    assert.deepEqual(unknownValuesKeys(release), []);
  });

  it("no database, no Reloader", () => {
    assert.equal(ofType(none, RELEASE).filter((release) => release.inputs.chart === "reloader").length, 0);
  });

  it("each synced database Secret is re-read every 5 minutes", () => {
    for (const tool of ["mlflow", "zenml"]) {
      const external = named(both, `${tool}-db-credentials`).inputs as any;
      assert.equal(external.spec.refreshInterval, "5m");
      assert.deepEqual(external.spec.target, { name: `${tool}-db`, creationPolicy: "Owner" });
    }
  });

  it("each tool's pods carry the annotation naming exactly its synced Secret", () => {
    for (const tool of ["mlflow", "zenml"]) {
      const values = named(both, tool, RELEASE).inputs.values as any;
      assert.deepEqual(values.podAnnotations, { [RELOAD]: `${tool}-db` });
    }
  });
});

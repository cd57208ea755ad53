import { strict as assert } from "node:assert";
import type { RenderResult } from "../../src/engine/render";
import { fixtureVersion, unknownValuesKeys } from "../helpers/chart-keys";
import { named, ofType, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";
import { renderWithTools, stackWith } from "../helpers/tools";
import { checkAgainstUpstreamSchema } from "../helpers/kube-schemas";
import { createToolDatabase, databaseUrlTemplate, syncDatabaseSecret } from "../../components/tools/shared/database";
import { createNamespace } from "../../components/tools/shared/namespace";
import { createToolRole } from "../../components/tools/shared/role";
import { toolComponentOptions } from "../../components/tools/shared/scope";
import type { ToolComponentModule } from "../../components/tools/shared/types";
import * as pulumi from "@pulumi/pulumi";

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

/** A tool that reads its database as one URL (as lakeFS, Airflow or Prefect do), standing in for a catalog tool. */
const urlReadingTool: ToolComponentModule = {
  create(name, context) {
    const component = new pulumi.ComponentResource("platinfra:test:UrlTool", name, {}, toolComponentOptions(context));
    const scope = { name, context, parent: component };
    const namespace = createNamespace(scope, "url-tool");
    const database = createToolDatabase(scope, { engine: "postgres", databaseName: "urltool", settings: { instance_class: "db.t4g.small", storage_gb: 20 } });
    const role = createToolRole(scope, { namespace, serviceAccount: "url-tool", statements: [] });
    syncDatabaseSecret(scope, {
      namespace,
      serviceAccount: "url-tool",
      database,
      secretName: "url-tool-db",
      dependsOn: [role],
      template: { url: databaseUrlTemplate(database, "postgresql", "?sslmode=require") },
    });
    return Object.assign(component, { outputs: {}, env: pulumi.output<Record<string, string>>({}) });
  },
};

describe("a database URL assembled in the synced Secret", () => {
  it("External Secrets renders the URL from the synced credentials, URL-escaped, beside username and password", async () => {
    const result = await renderWithTools(stackWith({ pipelining: ["luigi"] }), { luigi: urlReadingTool });
    const external = named(result, "luigi-db-credentials");
    // The mock runtime gives an RDS instance the address <resource name>.abcdefghij.<region>.rds.amazonaws.com.
    const database = named(result, "luigi-db", "aws:rds/instance:Instance");
    assert.deepEqual((external.inputs as any).spec.target, {
      name: "url-tool-db",
      creationPolicy: "Owner",
      template: {
        engineVersion: "v2",
        mergePolicy: "Merge",
        data: { url: `postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@${database.name}.abcdefghij.eu-west-1.rds.amazonaws.com:5432/urltool?sslmode=require` },
      },
    });
    assert.deepEqual(await checkAgainstUpstreamSchema(external), { status: "valid" });
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CATEGORIES, findTool, isDeployable, isRetired, offeredToolsFor, TOOLS, toolStatus } from "../../src/catalog";
import { NEPTUNE_RETIREMENT, replacementList, WEAVE_SCOPE_RETIREMENT } from "../../src/catalog/retirements";
import { specJsonSchema } from "../../src/spec/json-schema";
import { platinfra } from "../helpers/cli";
import { problemsOf, VALID_SPEC } from "../helpers/spec-text";

const NEPTUNE_WHY = `since 2026-03-05: ${NEPTUNE_RETIREMENT.reason} (https://docs-legacy.neptune.ai/about)`;
const WEAVE_WHY = `since 2023-06-13: ${WEAVE_SCOPE_RETIREMENT.reason} (https://github.com/weaveworks/scope/pull/3917)`;

/** How validate shows a replacement: in this stack, deployable, or still planned in the catalog. */
function shownReplacement(name: string, stackTools: string[]): string {
  if (stackTools.includes(name)) return `${name} (already in this stack)`;
  return isDeployable(findTool(name)!) ? name : `${name} (not deployable yet)`;
}

/** `stack:` lines after the ones of VALID_SPEC (experiment_tracker: [mlflow] is line 8). */
const withStack = (lines: string) => `${VALID_SPEC}${lines}`;

/** prometheus and grafana as validate shows them for a stack holding `stack`. */
const monitoringFor = (stack: string[]) => ["prometheus", "grafana"].map((tool) => shownReplacement(tool, stack));

describe("retired tools in a spec", () => {
  // The replacements' own status moves as other issue-14 branches make tools deployable; the
  // wording for each status is fixed (next test), so here it is computed from the catalog.

  const CASES: [string, string, string[]][] = [
    ["neptune under one role, next to mlflow: the reason, and mlflow marked as already in the stack", VALID_SPEC.replace("[mlflow]", "[mlflow, neptune]"), [
      `stack.yaml:8:32: stack.experiment_tracker[1]: neptune is retired ${NEPTUNE_WHY} — as experiment_tracker, use mlflow (already in this stack), ${shownReplacement("wandb", [])} or ${shownReplacement("clearml", [])} instead`,
    ]],
    ["neptune under three roles: the reason once, on the listing first in the file (not first in catalog order); the others point to it", withStack("  model_registry: [neptune]\n  data_versioning: [dvc, Neptune.ai]\n").replace("[mlflow]", "[neptune-ai]"), [
      `stack.yaml:8:24: stack.experiment_tracker[0]: neptune is retired ${NEPTUNE_WHY} — as experiment_tracker, use ${["mlflow", "wandb", "clearml"].map((tool) => shownReplacement(tool, ["neptune", "dvc"])).join(", ").replace(/, (?=[^,]*$)/, " or ")} instead`,
      "stack.yaml:9:20: stack.model_registry[0]: neptune is retired (reason at stack.experiment_tracker[0]) — as model_registry, use mlflow instead",
      "stack.yaml:10:26: stack.data_versioning[1]: neptune is retired (reason at stack.experiment_tracker[0]) — as data_versioning, use dvc (already in this stack), lakefs or pachyderm instead",
    ]],
    ["weave scope under monitoring and alerting, by alias", withStack("  monitoring: [weave-scope]\n  alerting: [weaveworks]\n"), [
      `stack.yaml:9:16: stack.monitoring[0]: weaveworks is retired ${WEAVE_WHY} — as monitoring, use ${monitoringFor(["mlflow", "weaveworks"]).join(" or ")} instead`,
      `stack.yaml:10:14: stack.alerting[0]: weaveworks is retired (reason at stack.monitoring[0]) — as alerting, use ${monitoringFor(["mlflow", "weaveworks"]).join(" or ")} instead`,
    ]],
    ["params of a retired tool, even malformed ones, add no second error", withStack("  monitoring: [{weaveworks: [1]}]\n"), [
      `stack.yaml:9:16: stack.monitoring[0]: weaveworks is retired ${WEAVE_WHY} — as monitoring, use ${monitoringFor(["mlflow", "weaveworks"]).join(" or ")} instead`,
    ]],
    ["a retired tool under a role it never served says it is retired first", withStack("  orchestrator: [neptune]\n"), [
      `stack.yaml:9:18: stack.orchestrator[0]: neptune is retired ${NEPTUNE_WHY} — and it never served as orchestrator (it served: data_versioning, experiment_tracker, artifact_tracker, model_registry, monitoring, alerting; tools for orchestrator: ${offeredToolsFor("orchestrator").map((tool) => tool.name).join(", ")})`,
    ]],
    ["a misspelt retired tool is not suggested", VALID_SPEC.replace("[mlflow]", "[neptun]"), [
      `stack.yaml:8:24: stack.experiment_tracker[0]: unknown tool "neptun" (tools for experiment_tracker: mlflow, wandb, determined, clearml)`,
    ]],
  ];

  for (const [name, text, expected] of CASES) {
    it(name, () => assert.deepEqual(problemsOf(text), expected));
  }

  // [tools, in the stack, deployable, shown]
  const WORDING: [string[], string[], string[], string][] = [
    [["mlflow"], [], ["mlflow"], "mlflow"],
    [["mlflow"], ["mlflow"], ["mlflow"], "mlflow (already in this stack)"],
    [["azure-aks"], [], [], "azure-aks (not deployable yet)"],
    [["azure-aks"], ["azure-aks"], [], "azure-aks (already in this stack)"],
    [["mlflow", "wandb"], [], ["mlflow"], "mlflow or wandb (not deployable yet)"],
    [["dvc", "lakefs", "pachyderm"], ["lakefs"], ["dvc", "lakefs", "pachyderm"], "dvc, lakefs (already in this stack) or pachyderm"],
  ];
  for (const [tools, inStack, deployable, shown] of WORDING) {
    it(`replacements shown as: ${shown}`, () => {
      assert.equal(replacementList(tools, { inStack: (tool) => inStack.includes(tool), deployable: (tool) => deployable.includes(tool) }), shown);
    });
  }

  it("validate marks a replacement from the catalog: azure-aks, the tool that stays planned, as not deployable yet", () => {
    assert.equal(toolStatus(findTool("azure-aks")!), "planned");
    assert.equal(shownReplacement("azure-aks", []), "azure-aks (not deployable yet)");
    assert.equal(shownReplacement("mlflow", []), "mlflow");
  });
});

describe("the retired catalog entries", () => {
  const retired = TOOLS.filter(isRetired);

  it("are exactly neptune and weaveworks, with status retired", () => {
    assert.deepEqual(retired.map((tool) => [tool.name, toolStatus(tool)]), [["neptune", "retired"], ["weaveworks", "retired"]]);
  });

  it("name a replacement for every role they served, and only for those", () => {
    for (const tool of retired) {
      assert.deepEqual(Object.keys(tool.retired.replacements).sort(), [...tool.categories].sort(), tool.name);
      for (const names of Object.values(tool.retired.replacements)) assert.ok(names && names.length > 0, tool.name);
    }
  });

  it("every replacement exists, serves that role, is not retired, and is deployable or still planned", () => {
    const problems: string[] = [];
    for (const tool of retired) {
      for (const [role, names] of Object.entries(tool.retired.replacements)) {
        for (const name of names ?? []) {
          const replacement = findTool(name);
          if (!replacement) problems.push(`${tool.name}/${role}: ${name} is not in the catalog`);
          else if (replacement.name !== name) problems.push(`${tool.name}/${role}: ${name} is an alias of ${replacement.name}`);
          else if (!replacement.categories.includes(role as (typeof CATEGORIES)[number])) problems.push(`${tool.name}/${role}: ${name} does not serve ${role}`);
          else if (!["deployable", "planned"].includes(toolStatus(replacement))) problems.push(`${tool.name}/${role}: ${name} is ${toolStatus(replacement)}`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it("have a dated reason with a public source", () => {
    for (const tool of retired) {
      assert.match(tool.retired.since, /^\d{4}-\d{2}-\d{2}$/);
      assert.match(tool.retired.source, /^https:\/\/\S+$/);
    }
  });
});

describe("the JSON schema", () => {
  const schema = specJsonSchema() as { properties: { stack: { description: string; properties: Record<string, unknown> } } };
  const text = JSON.stringify(schema.properties.stack.properties);

  it("offers no retired tool in any role, names or aliases, and says so in the stack description", () => {
    for (const word of ["neptune", "weave"]) assert.ok(!text.toLowerCase().includes(word), word);
    assert.ok(schema.properties.stack.description.endsWith(' Retired, refused by validate: neptune, weaveworks (see "platinfra tools").'));
  });
});

describe("platinfra tools and init with retired tools", () => {
  it("tools: each role row says what to use instead, and the retired section gives date, reason and source", async () => {
    const { stdout, exitCode } = await platinfra(["tools"]);
    assert.equal(exitCode, 0);
    const rows = stdout.split("\n").filter((line) => /^\S+ +(neptune|weaveworks) /.test(line)).map((line) => line.split(/ {2,}/));
    assert.deepEqual(rows, [
      ["data_versioning", "neptune", "retired", "nothing — use dvc, lakefs or pachyderm instead"],
      ["experiment_tracker", "neptune", "retired", "nothing — use mlflow, wandb or clearml instead"],
      ["artifact_tracker", "neptune", "retired", "nothing — use mlflow, wandb or clearml instead"],
      ["model_registry", "neptune", "retired", "nothing — use mlflow instead"],
      ["monitoring", "neptune", "retired", "nothing — use mlflow, prometheus or grafana instead"],
      ["monitoring", "weaveworks", "retired", "nothing — use prometheus or grafana instead"],
      ["alerting", "neptune", "retired", "nothing — use prometheus or grafana instead"],
      ["alerting", "weaveworks", "retired", "nothing — use prometheus or grafana instead"],
    ]);
    assert.ok(stdout.endsWith(
      `\n\nretired (validate refuses them):\n  neptune (since 2026-03-05): ${NEPTUNE_RETIREMENT.reason} — https://docs-legacy.neptune.ai/about\n  weaveworks (since 2023-06-13): ${WEAVE_SCOPE_RETIREMENT.reason} — https://github.com/weaveworks/scope/pull/3917\n`,
    ));
  });

  it("tools --json: status retired and the retirement, only on retired tools", async () => {
    const tools = JSON.parse((await platinfra(["tools", "--json"])).stdout) as { name: string; status: string; retired?: unknown }[];
    assert.deepEqual(tools.filter((tool) => tool.retired !== undefined).map((tool) => tool.name), ["neptune", "weaveworks"]);
    assert.deepEqual(tools.filter((tool) => tool.status === "retired").map((tool) => tool.name), ["neptune", "weaveworks"]);
    assert.deepEqual(tools.find((tool) => tool.name === "weaveworks")?.retired, {
      since: "2023-06-13",
      reason: WEAVE_SCOPE_RETIREMENT.reason,
      source: "https://github.com/weaveworks/scope/pull/3917",
      replacements: { monitoring: ["prometheus", "grafana"], alerting: ["prometheus", "grafana"] },
    });
  });

  it("init --tools neptune: exit 2, the reason and replacements per role, nothing written", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-retired-"));
    const file = path.join(dir, "stack.yaml");
    const { stdout, stderr, exitCode } = await platinfra(["init", file, "--tools", "MLflow,neptune", "--yes"]);
    assert.equal(exitCode, 2);
    assert.equal(stdout, "");
    const roles = [
      "as data_versioning, use dvc, lakefs or pachyderm",
      `as experiment_tracker, use mlflow (already in this stack), ${shownReplacement("wandb", [])} or ${shownReplacement("clearml", [])}`,
      `as artifact_tracker, use mlflow (already in this stack), ${shownReplacement("wandb", [])} or ${shownReplacement("clearml", [])}`,
      "as model_registry, use mlflow (already in this stack)",
      `as monitoring, use mlflow (already in this stack), ${monitoringFor([]).join(" or ")}`,
      `as alerting, use ${monitoringFor([]).join(" or ")}`,
    ];
    assert.ok(stderr.includes(`--tools: neptune is retired ${NEPTUNE_WHY} — ${roles.join("; ")}`), stderr);
    assert.ok(stderr.includes("nothing was written"), stderr);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});


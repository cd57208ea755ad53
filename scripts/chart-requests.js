// Writes test/fixtures/chart-requests.json: for every chart with a key fixture in
// test/fixtures/chart-keys/, the `resources`, `replicaCount` and `replicas` values its default
// values.yaml (in <project root>/../shared/charts/<chart>/) declares, at every depth. The capacity
// test takes a chart's requests from here wherever platinfra sets none, so raising a default in
// a new chart version shows up when the fixture is regenerated. Tests only read the fixture.
//
// Usage: node scripts/chart-requests.js
const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");

const ROOT = path.resolve(__dirname, "..");
const SHARED_CHARTS = path.resolve(ROOT, "..", "shared", "charts");
const KEY_FIXTURES = path.join(ROOT, "test", "fixtures", "chart-keys");
const OUT = path.join(ROOT, "test", "fixtures", "chart-requests.json");
const SIZING_KEYS = new Set(["resources", "replicaCount", "replicas"]);

/** Every sizing value under `values`, by dotted path (a "." inside a key escaped as "\."). */
function sizingValues(values, prefix = "", found = {}) {
  if (!values || typeof values !== "object" || Array.isArray(values)) return found;
  for (const [key, value] of Object.entries(values)) {
    const keyPath = prefix ? `${prefix}.${key.replace(/\./g, "\\.")}` : key.replace(/\./g, "\\.");
    if (SIZING_KEYS.has(key)) found[keyPath] = value ?? null;
    else sizingValues(value, keyPath, found);
  }
  return found;
}

function main() {
  const charts = fs.readdirSync(KEY_FIXTURES).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -5)).sort();
  const fixture = {};
  for (const chart of charts) {
    const dir = path.join(SHARED_CHARTS, chart);
    const version = YAML.parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"), { schema: "failsafe" }).version;
    fixture[chart] = { version, source: path.relative(ROOT, path.join(dir, "values.yaml")), values: sizingValues(YAML.parse(fs.readFileSync(path.join(dir, "values.yaml"), "utf8"))) };
  }
  fs.writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, OUT)} (${charts.length} charts)`);
}

main();

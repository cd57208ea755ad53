// Writes test/fixtures/chart-requests.json: for every chart with a key fixture in
// test/fixtures/chart-keys/, the `resources`, `replicaCount` and `replicas` values its default
// values.yaml (in <project root>/../shared/charts/<chart>/) declares, at every depth. The capacity
// test takes a chart's requests from here wherever platinfra sets none, so raising a default in
// a new chart version shows up when the fixture is regenerated. Tests only read the fixture.
//
// Usage: node scripts/chart-requests.js [--from <dir>]
//   Charts whose key fixture came from their own repository (chart-keys.js --from) are read from
//   <dir>/<chart>/ when given; otherwise their committed entry is kept as it is.
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

/** A chart's sizing from its folder; a chart without values.yaml (CRDs only) has none. */
function chartSizing(dir, source) {
  const version = YAML.parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8"), { schema: "failsafe" }).version;
  const valuesFile = path.join(dir, "values.yaml");
  const values = fs.existsSync(valuesFile) ? sizingValues(YAML.parse(fs.readFileSync(valuesFile, "utf8"))) : {};
  return { version, source, values };
}

function main(argv) {
  const from = argv[0] === "--from" ? path.resolve(argv[1]) : undefined;
  const previous = fs.existsSync(OUT) ? JSON.parse(fs.readFileSync(OUT, "utf8")) : {};
  const charts = fs.readdirSync(KEY_FIXTURES).filter((file) => file.endsWith(".json")).map((file) => file.slice(0, -5)).sort();
  const fixture = {};
  for (const chart of charts) {
    const keySource = JSON.parse(fs.readFileSync(path.join(KEY_FIXTURES, `${chart}.json`), "utf8")).source;
    if (keySource.startsWith("../shared/")) {
      const dir = path.join(SHARED_CHARTS, chart);
      fixture[chart] = chartSizing(dir, path.relative(ROOT, path.join(dir, "values.yaml")));
    } else if (from && fs.existsSync(path.join(from, chart))) {
      fixture[chart] = chartSizing(path.join(from, chart), keySource);
    } else if (previous[chart]) {
      fixture[chart] = previous[chart];
    } else {
      throw new Error(`${chart}: its key fixture came from ${keySource}; pass --from <folder holding ${chart}/>`);
    }
  }
  fs.writeFileSync(OUT, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, OUT)} (${charts.length} charts)`);
}

main(process.argv.slice(2));

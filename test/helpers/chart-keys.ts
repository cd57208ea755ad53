import * as fs from "node:fs";
import * as path from "node:path";
import { CHARTS, type ChartRef } from "../../components/base/charts";
import type { RenderedResource } from "../../src/engine/render";
import { PROJECT_ROOT } from "./cli";

interface Fixture {
  chart: string;
  version: string;
  keys: string[];
  openMaps: string[];
  lists: string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isKnownKeyPath } = require(path.join(PROJECT_ROOT, "scripts/chart-keys.js")) as { isKnownKeyPath(fixture: Fixture, keyPath: string): boolean };

/** Chart name (as releases name it) → key-path fixture derived from that chart version's defaults. */
export function chartFixture(chart: string): Fixture {
  const file = path.join(PROJECT_ROOT, "test/fixtures/chart-keys", `${chart}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Fixture;
}

/** Every key path a values object sets: mappings are walked, lists and scalars are leaves. */
export function valuesKeyPaths(values: unknown, prefix = ""): string[] {
  if (!values || typeof values !== "object" || Array.isArray(values)) return prefix ? [prefix] : [];
  return Object.entries(values as Record<string, unknown>).flatMap(([key, value]) => {
    const escaped = key.replace(/\./g, "\\.");
    return valuesKeyPaths(value, prefix ? `${prefix}.${escaped}` : escaped);
  });
}

/** The pinned chart a release installs (by name, by OCI URL, or by its archive's URL). */
export function chartOf(release: RenderedResource): ChartRef {
  const chart = String(release.inputs.chart);
  const found = Object.values(CHARTS).find((ref: ChartRef) => ref.chart === chart || `${ref.repo}/${ref.chart}` === chart || ref.url === chart);
  if (!found) throw new Error(`release ${release.name} installs ${chart}, which is not one of the pinned CHARTS`);
  return found;
}

/** The key paths a release sets that its chart version does not declare (Helm would ignore them silently). */
export function unknownValuesKeys(release: RenderedResource): string[] {
  return unknownKeysOf(chartOf(release).fixture, release.inputs.values);
}

/**
 * Subcharts whose keys a chart passes through (checked against the subchart's own fixture, at the version its
 * Chart.yaml pins), and keys its templates read although the defaults only mention them in comments.
 * kube-prometheus-stack 88.5.3: grafana-community 12.11.1, kube-state-metrics 8.4.0, prometheus-node-exporter
 * 4.56.1; grafana reads `persistence.storageClassName` (templates/pvc.yaml) and renders every `grafana.ini`
 * section and key (templates/_config.tpl).
 */
const SUBCHARTS: Record<string, { subcharts: string[]; templateOnly: (keyPath: string) => boolean }> = {
  "kube-prometheus-stack": {
    subcharts: ["grafana", "kube-state-metrics", "prometheus-node-exporter"],
    templateOnly: (keyPath) => keyPath === "grafana.persistence.storageClassName" || keyPath.startsWith("grafana.grafana\\.ini."),
  },
};

/** The key paths `values` sets that the fixture's chart version does not declare (values an operator hands to Helm, a subchart's part). */
export function unknownKeysOf(fixture: string, values: unknown): string[] {
  const keys = chartFixture(fixture);
  const { subcharts, templateOnly } = SUBCHARTS[fixture] ?? { subcharts: [], templateOnly: () => false };
  return valuesKeyPaths(values).filter((keyPath) => {
    if (isKnownKeyPath(keys, keyPath) || templateOnly(keyPath)) return false;
    const subchart = subcharts.find((name) => keyPath.startsWith(`${name}.`));
    return !subchart || !isKnownKeyPath(chartFixture(subchart), keyPath.slice(subchart.length + 1));
  });
}

/** The chart version a release pins must be the fixture's. */
export function fixtureVersion(chart: string): string {
  return chartFixture(chart).version;
}

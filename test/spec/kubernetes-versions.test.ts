import { strict as assert } from "node:assert";
import { DEFAULT_KUBERNETES_VERSION, EKS_VERSIONS, supportWarning } from "../../src/spec/kubernetes-versions";
import { problemsOf, VALID_SPEC } from "../helpers/spec-text";

const SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar";
const UPGRADE = 'upgrade to "1.36" (bump one minor version per up: control plane, node groups and add-ons follow)';
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("EKS Kubernetes versions and their support dates", () => {
  it("the default is the newest version in the table, in standard support on 2026-11-28", () => {
    assert.equal(DEFAULT_KUBERNETES_VERSION, EKS_VERSIONS[0].version);
    assert.equal(supportWarning(DEFAULT_KUBERNETES_VERSION, "standard", day("2026-11-28")), undefined);
  });

  it("each version gets 14 months of standard support and 12 of extended support after its EKS release", () => {
    for (const entry of EKS_VERSIONS) {
      const released = new Date(`${entry.released}T00:00:00Z`);
      const standardEnd = new Date(`${entry.endOfStandardSupport}T00:00:00Z`);
      const extendedEnd = new Date(`${entry.endOfExtendedSupport}T00:00:00Z`);
      const months = (from: Date, to: Date) => (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
      assert.equal(months(released, standardEnd), 14, entry.version);
      assert.equal(months(standardEnd, extendedEnd), 12, entry.version);
    }
  });

  const cases: [string, string, "standard" | "extended", string | undefined][] = [
    ["well before the end", "1.35", "standard", undefined],
    ["61 days before", "1.34", "standard", undefined],
    ["exactly 60 days before", "1.34", "standard", `Kubernetes 1.34 leaves EKS standard support on 2026-12-02, in 60 days — ${UPGRADE} (dates: ${SOURCE})`],
    ["the day before", "1.34", "standard", `Kubernetes 1.34 leaves EKS standard support on 2026-12-02, in 1 day — ${UPGRADE} (dates: ${SOURCE})`],
    ["past, standard support policy", "1.33", "standard", `Kubernetes 1.33 left EKS standard support on 2026-07-29: with support: standard, EKS upgrades the control plane by itself at any time — ${UPGRADE} (dates: ${SOURCE})`],
    ["past, extended support policy", "1.33", "extended", `Kubernetes 1.33 left EKS standard support on 2026-07-29: the cluster is billed Extended Support ($0.60 instead of $0.10 per hour) until 2027-07-29 — ${UPGRADE} (dates: ${SOURCE})`],
    ["a version platinfra has no dates for", "1.38", "standard", undefined],
  ];
  const todays: Record<string, string> = { "61 days before": "2026-10-02", "exactly 60 days before": "2026-10-03", "the day before": "2026-12-01" };
  for (const [name, version, support, expected] of cases) {
    it(`${name}: ${expected ? "a warning" : "nothing"}`, () => assert.equal(supportWarning(version, support, day(todays[name] ?? "2026-11-28")), expected));
  }

  it("validate warns, at the pinned version's position, for a version out of standard support", () => {
    const text = VALID_SPEC.replace("type: kubernetes", 'type: kubernetes\n  kubernetes_version: "1.29"');
    assert.deepEqual(problemsOf(text), [
      `stack.yaml:7:23: deployment.kubernetes_version: warning: Kubernetes 1.29 left EKS standard support on 2025-03-23: with support: standard, EKS upgrades the control plane by itself at any time — ${UPGRADE} (dates: ${SOURCE})`,
    ]);
  });

  it("validate says nothing about an unpinned version", () => assert.deepEqual(problemsOf(VALID_SPEC), []));
});

/**
 * EKS Kubernetes versions and their support dates, as AWS publishes them in the release calendar:
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar
 * (1.29–1.34 as listed there; 1.35 from the same calendar as of 2026; 1.36 from the EKS release notes
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html, EKS release
 * 2026-06-02, its end dates being the calendar's rule: 14 months of standard support, then 12 of extended).
 * Read 2026-11-28. Kept free of Pulumi: `validate` loads it.
 */
export interface EksVersion {
  version: string;
  /** The day EKS released it (UTC). */
  released: string;
  /** Extended Support billing starts at the beginning of this day (UTC). */
  endOfStandardSupport: string;
  endOfExtendedSupport: string;
}

export const EKS_VERSIONS_SOURCE = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar";

export const EKS_VERSIONS: readonly EksVersion[] = [
  { version: "1.36", released: "2026-06-02", endOfStandardSupport: "2027-08-02", endOfExtendedSupport: "2028-08-02" },
  { version: "1.35", released: "2026-01-27", endOfStandardSupport: "2027-03-27", endOfExtendedSupport: "2028-03-27" },
  { version: "1.34", released: "2025-10-02", endOfStandardSupport: "2026-12-02", endOfExtendedSupport: "2027-12-02" },
  { version: "1.33", released: "2025-05-29", endOfStandardSupport: "2026-07-29", endOfExtendedSupport: "2027-07-29" },
  { version: "1.32", released: "2025-01-23", endOfStandardSupport: "2026-03-23", endOfExtendedSupport: "2027-03-23" },
  { version: "1.31", released: "2024-09-26", endOfStandardSupport: "2025-11-26", endOfExtendedSupport: "2026-11-26" },
  { version: "1.30", released: "2024-05-23", endOfStandardSupport: "2025-07-23", endOfExtendedSupport: "2026-07-23" },
  { version: "1.29", released: "2024-01-23", endOfStandardSupport: "2025-03-23", endOfExtendedSupport: "2026-03-23" },
];

/** The newest version in standard support when this table was last read: what new clusters get. */
export const DEFAULT_KUBERNETES_VERSION = "1.36";

/** Warn this many days before standard support ends: AWS announces the date at least 60 days ahead. */
export const SUPPORT_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Why a pinned version needs attention on `today`, or undefined: past the end of standard support
 * (billed Extended Support, or auto-upgraded with `support: standard`), or within 60 days of it.
 */
export function supportWarning(version: string, support: "standard" | "extended", today: Date): string | undefined {
  const known = EKS_VERSIONS.find((entry) => entry.version === version);
  if (!known) return undefined;
  const end = Date.parse(`${known.endOfStandardSupport}T00:00:00Z`);
  const daysLeft = Math.ceil((end - today.getTime()) / DAY_MS);
  const upgrade = `upgrade to "${DEFAULT_KUBERNETES_VERSION}" (bump one minor version per up: control plane, node groups and add-ons follow)`;
  if (daysLeft <= 0) {
    const after =
      support === "extended"
        ? `the cluster is billed Extended Support ($0.60 instead of $0.10 per hour) until ${known.endOfExtendedSupport}`
        : "with support: standard, EKS upgrades the control plane by itself at any time";
    return `Kubernetes ${version} left EKS standard support on ${known.endOfStandardSupport}: ${after} — ${upgrade} (dates: ${EKS_VERSIONS_SOURCE})`;
  }
  if (daysLeft <= SUPPORT_WARNING_DAYS) {
    return `Kubernetes ${version} leaves EKS standard support on ${known.endOfStandardSupport}, in ${daysLeft} day${daysLeft === 1 ? "" : "s"} — ${upgrade} (dates: ${EKS_VERSIONS_SOURCE})`;
  }
  return undefined;
}

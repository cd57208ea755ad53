import type { StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate` and before `up`. No schema here: building one costs start-up time. */

/**
 * The one kube-prometheus-stack release requests about 0.7 vCPU and 2.9 GiB at rest (Prometheus
 * 2 GiB of it, node-exporter on every node); beside the default example's tools that is more than
 * the two default m6i.large system nodes hold. Karpenter starts a node from its default pool for
 * what does not fit; with autoscaling: none nothing does, and the pods stay Pending (up waits for
 * the release, then fails).
 */
export const CAPACITY_WITHOUT_KARPENTER =
  "prometheus/grafana: the kube-prometheus-stack release requests about 0.7 vCPU and 2.9 GiB at rest (Prometheus 2 GiB); with autoscaling: none nothing starts nodes for it, and beside other tools it does not fit the two default m6i.large system nodes (its pods stay Pending and up fails waiting for the release) — add room, e.g. a node group {name: monitoring, instance_types: [m6i.large], min: 1, max: 2, desired: 1}, or use autoscaling: karpenter";

/** Said once per stack: by prometheus when listed, else by grafana (both are the same release). */
function monitoringChecks(tool: "prometheus" | "grafana"): StackCheck {
  return ({ deployment, tools }) => {
    const speaks = tool === "prometheus" || !tools.includes("prometheus");
    return speaks && deployment.autoscaling === "none" ? [{ severity: "warning", message: CAPACITY_WITHOUT_KARPENTER }] : [];
  };
}

export const prometheusChecks = monitoringChecks("prometheus");
export const grafanaChecks = monitoringChecks("grafana");

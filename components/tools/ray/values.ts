/** The operator at rest reconciles a handful of pods; the chart's 512Mi limit stays the ceiling. */
const OPERATOR_RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } };

/** The operator chart's values: every key exists in chart 1.7.0's defaults (checked in the tests). */
export function kuberayOperatorValues(): Record<string, unknown> {
  return { singleNamespaceInstall: true, resources: OPERATOR_RESOURCES };
}

/**
 * The controller runs spark-submit (a JVM) for each application it starts; the chart sets no
 * requests at all (`controller.resources: {}`), its comments suggest 100m / 300Mi.
 */
const CONTROLLER_RESOURCES = { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } };
/** The webhook only patches pods and defaults SparkApplications. */
const WEBHOOK_RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

/**
 * The operator chart's values: every key exists in chart 2.5.2's defaults (checked in the tests).
 *
 * - It watches, and holds RBAC in, the job namespace only: with an explicit `spark.jobNamespaces`
 *   the chart gives the controller a Role there and a ClusterRole for reading CRDs, nothing cluster-wide.
 * - The job service account is platinfra's (annotated with its IRSA role); the chart only binds the
 *   driver's Role (pods, services, configmaps, PVCs in the job namespace) to it.
 * - The webhook stays on: it validates SparkApplications and applies the spec's pod fields (volumes,
 *   env, tolerations…) for applications without pod templates; with failurePolicy Fail it is scoped
 *   to the job namespace and to pods the operator launched. It makes its own certificate (no cert-manager).
 * - platinfra applies the CRDs itself (chart-crds.ts): the chart's CRD upgrade hook stays off, so the
 *   CRDs have one owner.
 * - Metrics on (port 8080, Prometheus scrape annotations); no PodMonitor: the stack has no Prometheus operator.
 */
export function sparkOperatorValues(args: { jobNamespace: string; jobServiceAccount: string }): Record<string, unknown> {
  return {
    hook: { upgradeCrd: false },
    controller: { resources: CONTROLLER_RESOURCES, uiService: { enable: true }, uiIngress: { enable: false } },
    webhook: { enable: true, failurePolicy: "Fail", resources: WEBHOOK_RESOURCES },
    spark: {
      jobNamespaces: [args.jobNamespace],
      serviceAccount: { create: false, name: args.jobServiceAccount },
      rbac: { create: true },
    },
    prometheus: { metrics: { enable: true }, podMonitor: { create: false } },
  };
}

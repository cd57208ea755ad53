import type { StackCheck } from "../../../src/catalog/checks";

/* Checks across kubeflow's params and the stack, run by `validate`. No schema here: building one costs start-up time. */

/** Why `expose` is refused: anyone reaching the UI or API could run arbitrary pods as the pipeline runner. */
export const NO_AUTH =
  "standalone Kubeflow Pipelines has no authentication (its UI and API trust every caller, who can then run any container as pipeline-runner with the artifact bucket's IAM role), so platinfra keeps it inside the cluster — remove expose and use the port-forward commands from `platinfra outputs` (a login needs the full Kubeflow platform with Istio and Dex, which platinfra does not deploy)";

/** Why `argo` and `kubeflow` exclude each other. */
export const WITH_ARGO =
  "kubeflow installs its own Argo Workflows controller and Argo's cluster-wide CRDs, as the argo tool does: two controllers would claim the same CRDs and each other's workflows, and an upgrade of one would replace the other's CRDs — list only one of them (kubeflow runs its pipelines on its bundled Argo; use argo alone for plain Argo Workflows)";

export const kubeflowChecks: StackCheck = ({ params, tools }) => [
  ...(params.expose !== undefined ? [{ paramsKey: "expose", message: NO_AUTH }] : []),
  ...(tools.includes("argo") ? [{ message: WITH_ARGO }] : []),
];

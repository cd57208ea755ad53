import { gpuNodesAtStart, type StackCheck } from "../../src/catalog/checks";

/* Checks across nvidia-triton's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
/** `gpu: true` needs GPU nodes running from the start: nothing would schedule the pods otherwise. */
export const nvidiaTritonChecks: StackCheck = ({ params, deployment }) =>
  params.gpu === true && !gpuNodesAtStart(deployment)
    ? [{ paramsKey: "gpu", message: "gpu is true, but no GPU node runs from the start — add a GPU group under deployment.node_groups with desired: 1 or more, or set gpu to \"auto\" or false" }]
    : [];

import { gpuNodesAvailable, NO_GPU_NODES, type StackCheck } from "../../../src/catalog/checks";

/* Checks across nvidia-triton's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
/** `gpu: true` needs GPU nodes (a Karpenter GPU pool, or a running GPU group): the pods would never schedule otherwise. */
export const nvidiaTritonChecks: StackCheck = ({ params, deployment }) =>
  params.gpu === true && !gpuNodesAvailable(deployment) ? [{ paramsKey: "gpu", message: NO_GPU_NODES }] : [];

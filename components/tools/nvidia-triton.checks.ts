import { gpuNodesAtStart, type StackCheck } from "../../src/catalog/checks";

/* Checks across nvidia-triton's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
/** `gpu: true` needs GPU nodes running from the start: nothing would schedule the pods otherwise. */
export const nvidiaTritonChecks: StackCheck = ({ params, deployment }) =>
  params.gpu === true && !gpuNodesAtStart(deployment)
    ? [{ paramsKey: "gpu", message: "gpu is true, but no GPU node runs from the start — add a GPU group that starts with a node: deployment: {node_groups: [{name: gpu, gpu: true, instance_types: [g5.xlarge], min: 1, max: 2, desired: 1}]}, or write - nvidia-triton: {gpu: auto}" }]
    : [];

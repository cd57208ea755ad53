import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";

/* Checks across nvidia-triton's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
export const nvidiaTritonChecks: StackCheck = gpuParamCheck("nvidia-triton");

import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";
import { modelSourceCheck } from "../shared/serving-checks";

/* Checks across tf-serving's params, roles and the deployment, run by `validate`. No schema here: building one costs start-up time. */
/** gpu: true needs GPU nodes; models.from: <tool> needs that tool in the stack. */
export const tfServingChecks: StackCheck = (input) => [...gpuParamCheck("tf-serving")(input), ...modelSourceCheck(input)];

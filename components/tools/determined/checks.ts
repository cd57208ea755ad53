import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/** Said on every stack listing Determined: it deploys, but nobody maintains it any more. */
export const UPSTREAM_STATUS =
  "determined: upstream is abandoned — 0.38.1 (2025-03-19), deployed here, is its last release; HPE defunded the project in 2025 and its docs site went offline (determined-ai/determined#10264, #10266), so no security or bug fixes will follow, and its chart repository and determinedai/* images may disappear. For new work consider mlflow (experiment tracking, model registry), wandb or clearml";

const gpuCheck = gpuParamCheck("determined");

export const determinedChecks: StackCheck = (input) => [{ severity: "warning", message: UPSTREAM_STATUS }, ...gpuCheck(input)];

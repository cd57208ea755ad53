import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/**
 * Said on every stack listing Seldon Core: LICENSE at SeldonIO/seldon-core v2.10.2 is the Business
 * Source License 1.1 (Licensed Work "Seldon Core v2", Change Date four years from each version's
 * release, Change License Apache 2.0, the Additional Use Grant covering non-profit educational
 * institutions only).
 */
export const LICENCE_WARNING =
  "seldon-core: Seldon Core 2 is under the Business Source License 1.1 — non-production use is free, but production use needs a commercial licence from Seldon Technologies (seldon.io/pricing); " +
  "only non-profit educational institutions may use it in production without one. Each version becomes Apache-2.0 four years after its release (2.10.2, deployed here, was released on 2025-12-18)";

const gpu = gpuParamCheck("seldon-core");

export const seldonCoreChecks: StackCheck = (input) => [{ severity: "warning", message: LICENCE_WARNING }, ...gpu(input)];

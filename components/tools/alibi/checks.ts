import type { StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/**
 * Said on every stack listing alibi without stating its use (`licence`): LICENSE at
 * SeldonIO/alibi-detect v0.12.0 (and on main) is the Business Source License 1.1 (Licensed Work
 * "Alibi Detect", Change Date four years from each version's release, Change License Apache 2.0,
 * the Additional Use Grant covering non-profit educational institutions only); 0.11.5 was the
 * first release under it.
 */
export const LICENCE_WARNING =
  "alibi: Alibi Detect is under the Business Source License 1.1 since 0.11.5 — non-production use is free, but production use needs a commercial licence from Seldon Technologies (seldon.io/pricing); " +
  "only non-profit educational institutions may use it in production without one. Each version becomes Apache-2.0 four years after its release (0.12.0, run here, was released on 2024-04-17). " +
  "State your use to silence this warning: - alibi: {licence: non-production} (development, testing, evaluation) or {licence: commercial} (you hold a commercial licence from Seldon)";

/** The values of `licence` (params.ts LICENCE_USES; not imported: that file builds the zod schema, which costs start-up time). */
const STATED_USES: unknown[] = ["commercial", "non-production"];

/** The licence warning unless the stack states its use (a wrong value is the params' error, so it still warns). */
export const alibiChecks: StackCheck = (input) => (STATED_USES.includes(input.params.licence) ? [] : [{ severity: "warning" as const, message: LICENCE_WARNING }]);

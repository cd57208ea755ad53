import type { StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/**
 * The licences of what a ClearML deployment runs (read at the pinned versions): none needs a key,
 * but three are not open source, which a platform team must know before it offers ClearML as a
 * service to others.
 */
export const LICENCE =
  "ClearML server 2.0 (API, web, file server): Server Side Public License v1 — offering it as a service to third parties obliges you to publish the source of the whole service stack; " +
  "MongoDB 6.0 (bitnamilegacy image): SSPL v1 too, and the legacy image line gets no updates; " +
  "Elasticsearch 7.17.3: Elastic License 2.0 / SSPL (no managed-service offering); " +
  "Dragonfly v1.36: Business Source License 1.1 (no in-memory data store service; each version turns Apache-2.0 on its change date). Internal use is allowed by all four";

export const clearmlChecks: StackCheck = () => [{ severity: "warning", message: `clearml: licences — ${LICENCE}` }];

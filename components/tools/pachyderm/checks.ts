import type { StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/** Said on every stack listing Pachyderm: it deploys, but nobody maintains it any more. */
export const UPSTREAM_STATUS =
  "pachyderm: upstream releases stopped in 2024-12 — 2.11.6, deployed here, is the last stable release (Pachyderm was acquired by HPE; 2.12 stopped at release candidates in 2025-01), so no security or bug fixes will follow. It is deployed in-cluster only: auth is an Enterprise feature, so it cannot be exposed. For new work consider lakefs (data versioning) with argo, flyte or dagster (pipelines)";

export const pachydermChecks: StackCheck = () => [{ severity: "warning", message: UPSTREAM_STATUS }];

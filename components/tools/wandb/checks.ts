import type { StackCheck } from "../../../src/catalog/checks";
import type { DeployInputs } from "../../../src/deploy-inputs";

/* Checks and deploy-time inputs, run by `validate` and before `up`. No schema here: building one costs start-up time. */

/** Where `mode: cloud` reads the user's API key at deploy time: the variable the W&B SDK itself reads. */
export const API_KEY_VARIABLE = "WANDB_API_KEY";
/** Where `mode: self-managed` reads the W&B licence at deploy time, unless `license_secret_arn` names one. */
export const LICENSE_VARIABLE = "WANDB_LICENSE";
/** W&B's hosted (multi-tenant) API host. */
export const CLOUD_BASE_URL = "https://api.wandb.ai";

const selfManaged = (params: Record<string, unknown>) => params.mode === "self-managed";

/** The secrets W&B reads from the deploying environment: the API key (cloud), or the licence (self-managed, unless in Secrets Manager). */
export const wandbDeployInputs: DeployInputs = (params) => {
  if (!selfManaged(params)) {
    return [{ variable: API_KEY_VARIABLE, purpose: "the W&B API key the stack's pods log with", hint: `export ${API_KEY_VARIABLE}=<your API key from ${CLOUD_BASE_URL.replace("api.", "")}/authorize, or your Dedicated Cloud's /authorize>, then run again` }];
  }
  if (params.license_secret_arn !== undefined) return [];
  return [{ variable: LICENSE_VARIABLE, purpose: "the W&B licence of the self-managed server", hint: `export ${LICENSE_VARIABLE}=<the licence W&B issued you>, or set license_secret_arn: <Secrets Manager ARN> under wandb's params, then run again` }];
};

/** Said on every self-managed stack: what it needs before `up`, and what W&B's operator fetches. */
export function selfManagedNotice(licenceFromEnvironment: boolean): string {
  const licence = licenceFromEnvironment
    ? `export ${LICENSE_VARIABLE}=<licence> before up/preview (read at deploy time, kept as a Pulumi secret; or set license_secret_arn to a Secrets Manager secret holding it)`
    : "it is synced from license_secret_arn";
  return (
    `wandb: self-managed W&B needs a licence issued by W&B — ${licence}. ` +
    "The W&B operator runs connected: with that licence it asks deploy.wandb.ai for W&B's tested server versions, so the server images follow your licence's release channel; platinfra pins the operator (1.22.0) and its charts"
  );
}

/**
 * W&B's server at its `small` size (operator-wandb 0.43.8 values: app 1 CPU/2Gi, console 1/1Gi,
 * parquet and weave 2 × 1 CPU/8Gi each) does not fit the default m6i.large system nodes: Karpenter
 * starts nodes for it; without Karpenter the spec's groups must hold it.
 */
export const CAPACITY_WITHOUT_KARPENTER =
  "wandb: self-managed W&B's pods request about 6 vCPU and 35 GiB (parquet and weave pods 8 GiB each, x86 only), and with autoscaling: none nothing starts nodes for them — add a node group with room for them, e.g. {name: wandb, instance_types: [r6i.xlarge], min: 2, max: 3, desired: 2}, or use autoscaling: karpenter";

export const wandbChecks: StackCheck = ({ params, deployment }) =>
  selfManaged(params)
    ? [
        { severity: "warning", message: selfManagedNotice(params.license_secret_arn === undefined) },
        ...(deployment.autoscaling === "none" ? [{ severity: "warning" as const, message: CAPACITY_WITHOUT_KARPENTER }] : []),
      ]
    : [];

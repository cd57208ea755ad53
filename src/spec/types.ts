import type { Category } from "../catalog/categories";
import type { SpecProblem } from "../errors";

/** One deployment of one tool, whatever the number of roles it serves. */
export interface ToolInstance {
  /** Canonical catalog name. */
  name: string;
  /** The categories it is listed under, in spec order. */
  roles: Category[];
  /** Validated params, with the tool's defaults applied. */
  params: Record<string, unknown>;
  deployable: boolean;
}

export interface AwsProviderSpec {
  name: "aws";
  accountId: string;
  region?: string;
  profile?: string;
}

export interface DeploymentSpec {
  type: "kubernetes";
}

/** A validated stack file, normalized: what the program deploys. */
export interface Spec {
  /** The file it was read from (as given). */
  file: string;
  name: string;
  provider: AwsProviderSpec;
  deployment: DeploymentSpec;
  tools: ToolInstance[];
}

export interface ValidationResult {
  file: string;
  valid: boolean;
  errors: SpecProblem[];
  warnings: SpecProblem[];
  /** Present when valid. */
  spec?: Spec;
}

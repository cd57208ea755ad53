export { checkSpecFile, checkSpecText, loadSpec } from "./validate";
export type { Spec, ToolInstance, ValidationResult, AwsProviderSpec, DeploymentSpec } from "./types";

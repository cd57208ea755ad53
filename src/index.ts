/**
 * platinfra as a library: `import { loadSpec, preview, up, destroy, refresh, outputs, render } from "platinfra"`.
 * Loading it is cheap: the Pulumi SDK loads on the first call that needs it.
 */
export { preview, up, destroy, refresh, outputs, cancel, render } from "./api";
export type { DeployOptions, DestroyOptions, StackOptions, RenderOptions, EngineDependencies, UpOptions, PreviewOptions, ConfirmedOptions, Plan } from "./api";
export { checkSpecFile, checkSpecText, loadSpec } from "./spec/validate";
export type { Spec, ToolInstance, ValidationResult } from "./spec/types";
export { TOOLS, CATEGORIES, findTool, type ToolDefinition, type Category } from "./catalog";
export { PlatinfraError, SpecError, SpecFileError, RefusedError, CancelledError, ExitCode, formatProblem, type SpecProblem } from "./errors";
export { PulumiMissingError } from "./engine/pulumi-cli";
export { PreflightError } from "./engine/preflight";
export { specJsonSchema } from "./spec/json-schema";
export type { Engine, EngineRunResult, OperationResult, StackOutput, StackTarget, StackIdentity, EngineEvent, PlanStep, PlanDiagnostic } from "./engine/types";
export type { RenderResult, RenderedResource } from "./engine/render";
export type { PreflightResult } from "./engine/preflight";
export { VERSION } from "./version";

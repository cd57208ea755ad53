export { checkSpecFile, checkSpecText, loadSpec } from "./spec/validate";
export type { Spec, ToolInstance, ValidationResult } from "./spec/types";
export { TOOLS, CATEGORIES, findTool, type ToolDefinition, type Category } from "./catalog";
export { PlatinfraError, SpecError, SpecFileError, RefusedError, formatProblem, type SpecProblem } from "./errors";
export { specJsonSchema } from "./spec/json-schema";

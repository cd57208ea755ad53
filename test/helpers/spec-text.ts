import { checkSpecText } from "../../src/spec/validate";
import { formatProblem } from "../../src/errors";

/** A valid stack file; tests replace or append lines to make it wrong in one place. */
export const VALID_SPEC = `name: demo
provider:
  name: aws
  account-id: "123456789012"
deployment:
  type: kubernetes
stack:
  experiment_tracker: [mlflow]
`;

/**
 * A stack file in eu-west-1 of account 123456789012: `deployment` holds its settings' lines (without
 * `type`, indented by two), `stack` its categories' lines.
 */
export function stackFile(options: { name: string; deployment?: string[]; stack: string }): string {
  const settings = ["type: kubernetes", ...(options.deployment ?? [])].map((line) => `  ${line}\n`).join("");
  return `name: ${options.name}
provider:
  name: aws
  account-id: "123456789012"
  region: eu-west-1
deployment:
${settings}stack:
${options.stack}
`;
}

/** Every problem of a spec text, formatted exactly as the CLI prints them. */
export function problemsOf(text: string, file = "stack.yaml"): string[] {
  const result = checkSpecText(text, file);
  return [...result.errors, ...result.warnings]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(formatProblem);
}

export function errorsOf(text: string, file = "stack.yaml"): string[] {
  return checkSpecText(text, file).errors.map(formatProblem);
}

/** A validated spec from text (throws with the problems when invalid), its tools forced deployable when asked. */
export function specOf(text: string, options: { allDeployable?: boolean } = {}) {
  const result = checkSpecText(text, "stack.yaml");
  if (!result.spec) throw new Error(result.errors.map(formatProblem).join("\n"));
  const spec = result.spec;
  return options.allDeployable ? { ...spec, tools: spec.tools.map((tool) => ({ ...tool, deployable: true })) } : spec;
}

import { formatProblem, type SpecProblem } from "../errors";
import type { Spec, ValidationResult } from "../spec/types";
import { renderTable } from "./table";

/** What `validate` prints for a valid spec: the deployments and the roles each serves. */
export function describeSpec(spec: Spec): string {
  const region = spec.provider.region ?? "from the AWS profile or AWS_REGION";
  const count = spec.tools.length;
  const header = [
    `${spec.file}: valid`,
    `stack "${spec.name}" on aws — account ${spec.provider.accountId}, region ${region}, ${spec.deployment.type} (EKS)`,
    `${count} ${count === 1 ? "deployment" : "deployments"}:`,
  ];
  const rows = spec.tools.map((tool) => [
    `  ${tool.name}`,
    tool.deployable ? "deployable" : "not deployable yet",
    `${tool.roles.length} ${tool.roles.length === 1 ? "role" : "roles"}: ${tool.roles.join(", ")}`,
  ]);
  const refusal = refusalNote(spec);
  return [...header, renderTable(["  TOOL", "STATUS", "ROLES"], rows), ...(refusal ? [refusal] : [])].join("\n");
}

/** Tools the deploying commands would refuse: said in the summary, an error with --strict. */
export function pendingTools(spec: Spec): string[] {
  return spec.tools.filter((tool) => !tool.deployable).map((tool) => tool.name);
}

/** `preview, up and render will refuse this stack …`, or undefined when every tool is deployable. */
export function refusalNote(spec: Spec): string | undefined {
  const pending = pendingTools(spec);
  if (pending.length === 0) return undefined;
  return `preview, up and render will refuse this stack until ${pending.length === 1 ? "this tool is" : "these tools are"} deployable: ${pending.join(", ")} (validate --strict exits 2 for it)`;
}

function problemJson(problem: SpecProblem) {
  return { line: problem.line, column: problem.column, path: problem.path, message: problem.message };
}

/** The `validate --json` document. */
export function validationJson(result: ValidationResult) {
  return {
    valid: result.valid,
    /** False when preview, up and render would refuse the stack (a tool that is not deployable yet). */
    deployable: result.valid && result.spec !== undefined && pendingTools(result.spec).length === 0,
    file: result.file,
    errors: result.errors.map(problemJson),
    warnings: result.warnings.map(problemJson),
    ...(result.moreProblems ? { moreProblems: result.moreProblems } : {}),
    ...(result.spec
      ? {
          stack: {
            name: result.spec.name,
            provider: result.spec.provider,
            deployment: result.spec.deployment,
            tools: result.spec.tools.map(({ name, roles, params, deployable }) => ({ name, roles, params, deployable })),
          },
        }
      : {}),
  };
}

export function formatProblems(problems: SpecProblem[]): string {
  return problems.map(formatProblem).join("\n");
}

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
  return [...header, renderTable(["  TOOL", "STATUS", "ROLES"], rows)].join("\n");
}

function problemJson(problem: SpecProblem) {
  return { line: problem.line, column: problem.column, path: problem.path, message: problem.message };
}

/** The `validate --json` document. */
export function validationJson(result: ValidationResult) {
  return {
    valid: result.valid,
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

import type { StackCheck, StackCheckInput, StackCheckProblem } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/** Where the example runs: the param, or (auto) Batch when the stack has it, else the cluster. Pure: validate and the component share it. */
export function resolveTarget(target: unknown, tools: readonly string[]): "batch" | "eks" {
  if (target === "batch" || target === "eks") return target;
  return tools.includes("aws-batch") ? "batch" : "eks";
}

/**
 * eks:runJob reaches the Kubernetes API from Step Functions' side: AWS documents that the
 * integration supports only clusters with public endpoint access. Refused at validate, not at the
 * first execution.
 */
export const awsStepFunctionsChecks: StackCheck = (input) => {
  const target = resolveTarget(input.params.target, input.tools);
  if (target === "batch") return input.tools.includes("aws-batch") ? [] : [noBatch()];
  return eksProblems(input);
};

function noBatch(): StackCheckProblem {
  return {
    paramsKey: "target",
    message: "target is batch, but the stack lists no aws-batch — add aws-batch under orchestrator, or set target: eks (runs the job on this stack's cluster)",
  };
}

function eksProblems({ params, deployment }: StackCheckInput): StackCheckProblem[] {
  const where = params.target === "eks" ? { paramsKey: "target" } : {};
  if (!deployment.endpointPublicAccess) {
    return [
      {
        ...where,
        message:
          "the example state machine would run its job on the cluster through eks:runJob, which AWS supports only for clusters with public endpoint access, and deployment.endpoint_public_access is false — " +
          "add aws-batch under orchestrator (the job then runs on its queue), or set deployment.endpoint_public_access: true",
      },
    ];
  }
  if (deployment.publicAccessCidrs.includes("0.0.0.0/0")) return [];
  return [
    {
      ...where,
      severity: "warning",
      message:
        `deployment.public_access_cidrs limits the cluster API to ${deployment.publicAccessCidrs.join(", ")}: Step Functions calls it from AWS addresses that are not published for this, ` +
        "so eks:runJob may be refused — if executions fail to reach the cluster, allow it or add aws-batch under orchestrator",
    },
  ];
}

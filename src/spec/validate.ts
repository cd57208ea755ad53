import { SpecError, SpecFileError, type SpecProblem } from "../errors";
import { issuesToProblems } from "./issues";
import { deploymentSchema } from "./deployment";
import { documentSchema, type SpecDocument } from "./schema";
import { resolveStack } from "./stack";
import { crossCheck } from "./cross-checks";
import { toDeployment } from "./deployment-defaults";
import type { Spec, ValidationResult } from "./types";
import { cut, escapeControls, MESSAGE_MAX } from "../util/text";
import { parseYamlSource, positionOf, readSpecText, type YamlSource } from "./yaml-source";
import { specFileName } from "./spec-file";

/** Problems reported for one file; the rest are counted. */
export const MAX_PROBLEMS = 50;

/** Checks a spec file and reports every problem at once. Never throws for bad input. */
export function checkSpecFile(file: string): ValidationResult {
  return checkReportingFileErrors(specFileName(file), () => readSpecText(file));
}

/** Same as `checkSpecFile`, for text already in memory (`file` names it in messages). */
export function checkSpecText(text: string, file: string): ValidationResult {
  return checkReportingFileErrors(file, () => text);
}

/** A file that cannot be read or parsed is one problem of the result, not an exception. */
function checkReportingFileErrors(file: string, read: () => string): ValidationResult {
  try {
    return checkSource(parseYamlSource(read(), file));
  } catch (error) {
    if (error instanceof SpecFileError) return { file, valid: false, errors: [error.toProblem()], warnings: [] };
    throw error;
  }
}

/**
 * Loads a spec for use: the normalized spec, or a `SpecFileError` (unreadable file) or a
 * `SpecError` listing every problem.
 */
export function loadSpec(file: string): Spec {
  const result = checkSource(parseYamlSource(readSpecText(file), specFileName(file)));
  if (!result.spec) throw new SpecError([...result.errors, ...result.warnings, ...moreProblemsNote(result)], result.moreProblems ?? 0);
  return result.spec;
}

function checkSource(source: YamlSource): ValidationResult {
  const { file } = source;
  const parsed = documentSchema.safeParse(source.data);
  const problems: SpecProblem[] = parsed.success ? [] : issuesToProblems(parsed.error.issues, source, documentSchema);
  const stack = source.data.stack;
  if (stack && typeof stack === "object" && !Array.isArray(stack)) {
    const resolution = resolveStack(stack as Record<string, unknown>, source);
    for (const problem of resolution.problems) problems.push(problem);
    if (resolution.tools.length === 0 && !problems.some((problem) => problem.path.startsWith("stack"))) {
      problems.push(noToolsProblem(source));
    }
    if (parsed.success && !problems.some((problem) => problem.severity === "error")) {
      const spec = toSpec(parsed.data, resolution.tools, file);
      for (const problem of crossCheck(spec, resolution.places, source)) problems.push(problem);
      if (!problems.some((problem) => problem.severity === "error")) return { file, valid: true, ...capped([], problems), spec };
    } else {
      // Report the cross-checks in the same run as the schema errors, whenever the deployment can be read.
      const deployment = deploymentSchema.safeParse(source.data.deployment);
      if (deployment.success) {
        for (const problem of crossCheck({ tools: resolution.tools, deployment: toDeployment(deployment.data) }, resolution.places, source)) problems.push(problem);
      }
    }
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  const errors = problems.filter((problem) => problem.severity === "error");
  const warnings = problems.filter((problem) => problem.severity === "warning");
  return { file, valid: false, ...capped(errors, warnings) };
}

/**
 * The first `MAX_PROBLEMS` problems, each message bounded and free of control characters, and how
 * many more there are: a file with 100,000 bad items gets a readable report, not megabytes of it.
 */
function capped(errors: SpecProblem[], warnings: SpecProblem[]): Pick<ValidationResult, "errors" | "warnings" | "moreProblems"> {
  const shownErrors = errors.slice(0, MAX_PROBLEMS).map(bounded);
  const shownWarnings = warnings.slice(0, MAX_PROBLEMS - shownErrors.length).map(bounded);
  const more = errors.length + warnings.length - shownErrors.length - shownWarnings.length;
  return { errors: shownErrors, warnings: shownWarnings, ...(more > 0 ? { moreProblems: more } : {}) };
}

/** A last line saying how many problems were not listed, when some were not. */
export function moreProblemsNote(result: ValidationResult): SpecProblem[] {
  if (!result.moreProblems) return [];
  const message = `and ${result.moreProblems} more ${result.moreProblems === 1 ? "problem" : "problems"} not shown — fix these first`;
  return [{ file: result.file, line: 0, column: 0, path: "(file)", message, severity: "error" }];
}

function bounded(problem: SpecProblem): SpecProblem {
  return { ...problem, message: cut(escapeControls(problem.message), MESSAGE_MAX) };
}

function noToolsProblem(source: YamlSource): SpecProblem {
  const message = "the stack lists no tools — add at least one, e.g. experiment_tracker: [mlflow]";
  return { file: source.file, ...positionOf(source, ["stack"]), path: "stack", message, severity: "error" };
}

function toSpec(document: SpecDocument, tools: Spec["tools"], file: string): Spec {
  const { provider } = document;
  return {
    file,
    name: document.name,
    provider: {
      name: "aws",
      accountId: String(provider["account-id"] ?? provider.account_id),
      ...(provider.region ? { region: provider.region } : {}),
      ...(provider.profile ? { profile: provider.profile } : {}),
    },
    deployment: toDeployment(document.deployment),
    tools,
  };
}

/**
 * The one error hierarchy of platinfra. Library code throws these; only commands turn them into
 * output and exit codes.
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  invalidInput: 2,
  /** `preview --expect-no-changes` found changes (drift, or an edited spec). */
  changesPresent: 3,
  /** Ctrl-C (at a prompt, or before anything started): nothing was changed. */
  cancelled: 130,
} as const;

export class PlatinfraError extends Error {
  /** A stable, machine-readable code (`SPEC_INVALID`, `PULUMI_MISSING`, …). */
  readonly code: string;
  /** What the user can do about it, one line each. */
  readonly hints: string[];
  readonly exitCode: number;
  /** Structured data for `--json` output (the plan that had changes, say). */
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: { hints?: string[]; exitCode?: number; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hints = options.hints ?? [];
    this.exitCode = options.exitCode ?? ExitCode.failure;
    if (options.details) this.details = options.details;
  }
}

/** Where a problem sits in a spec file. Lines and columns count from 1. */
export interface SpecPosition {
  file: string;
  line: number;
  column: number;
}

export interface SpecProblem extends SpecPosition {
  /**
   * Dotted spec path, `stack.experiment_tracker[0]`; `(root)` for the document itself, `(file)` for
   * a file that could not be read or parsed (line 0 when the problem has no place in the file).
   */
  path: string;
  message: string;
  severity: "error" | "warning";
}

/** `file:line:column: spec.path: message`, the one format every spec problem is printed in. */
export function formatProblem(problem: SpecProblem): string {
  const label = problem.severity === "warning" ? "warning: " : "";
  if (problem.path === "(file)") {
    const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
    return `${where}: ${label}${problem.message}`;
  }
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.path}: ${label}${problem.message}`;
}

/** A spec that cannot be used: every problem found in the file, at once. */
export class SpecError extends PlatinfraError {
  readonly problems: SpecProblem[];

  /**
   * `moreProblems`: errors found but not listed (reports are capped); `problems` then ends with the
   * line that counts them, which is not a problem of its own.
   */
  constructor(problems: SpecProblem[], moreProblems = 0) {
    const errors = problems.filter((p) => p.severity === "error");
    const count = errors.length + (moreProblems > 0 ? moreProblems - 1 : 0);
    const noun = count === 1 ? "problem" : "problems";
    super("SPEC_INVALID", `${count} ${noun} in the spec:\n${errors.map(formatProblem).join("\n")}`, {
      exitCode: ExitCode.invalidInput,
    });
    this.problems = problems;
  }
}

/** A file that cannot be read or parsed at all: one line, no spec path. */
export class SpecFileError extends PlatinfraError {
  readonly file: string;
  /** What is wrong, without the file and position. */
  readonly detail: string;
  /** Where in the file, when the problem has a place. */
  readonly position?: { line: number; column: number };

  constructor(file: string, detail: string, position?: { line: number; column: number }) {
    const where = position ? `${file}:${position.line}:${position.column}` : file;
    super("SPEC_FILE", `${where}: ${detail}`, { exitCode: ExitCode.invalidInput });
    this.file = file;
    this.detail = detail;
    this.position = position;
  }

  toProblem(): SpecProblem {
    const { line, column } = this.position ?? { line: 0, column: 0 };
    return { file: this.file, line, column, path: "(file)", message: this.detail, severity: "error" };
  }
}

/** A request that is well formed but asks for what cannot be done (an undeployable tool, say). */
export class RefusedError extends PlatinfraError {
  constructor(code: string, message: string, hints: string[] = []) {
    super(code, message, { hints, exitCode: ExitCode.invalidInput });
  }
}

/** The user stopped it (Ctrl-C at a prompt, an aborted signal) before anything was changed. */
export class CancelledError extends PlatinfraError {
  constructor(message = "cancelled: nothing was changed") {
    super("CANCELLED", message, { exitCode: ExitCode.cancelled });
  }
}

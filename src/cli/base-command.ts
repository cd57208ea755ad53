import { Command, Flags } from "@oclif/core";
import { ExitCode, PlatinfraError, SpecError, formatProblem } from "../errors";
import { colourWanted, styleFor, type Style } from "./style";

/** A failure as every command reports it: one `error:` line (or a problem list), then hints. */
interface Failure {
  code: string;
  message: string;
  hints: string[];
  exitCode: number;
  /** Lines shown instead of the message (a spec's problems, each with its position). */
  lines?: string[];
  details?: Record<string, unknown>;
}

/**
 * Every platinfra command: one place turns errors into output and exit codes — `error: …` and
 * `  hint: …` lines on stderr, or `{"error": {code, message, hints}}` on stdout with --json —
 * so messages are never stack traces unless `--debug` is given.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: "Show stack traces and the engine's full logs.", default: false }),
    color: Flags.boolean({ description: "Colour on a terminal; --no-color (or NO_COLOR) turns it off.", allowNo: true }),
  };

  protected get debugging(): boolean {
    return this.argv.includes("--debug") || process.env.PLATINFRA_DEBUG === "1";
  }

  /** Styles for stderr and stdout: colour only where it is a terminal and allowed. */
  protected get style(): Style {
    return styleFor(colourWanted(process.stderr, this.argv));
  }

  protected get outStyle(): Style {
    return styleFor(colourWanted(process.stdout, this.argv));
  }

  /** Writes lines to stderr (diagnostics, progress), keeping stdout for results. */
  protected warnLine(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  protected override async catch(error: Error & { exitCode?: number; code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    // `this.exit(n)` and oclif's help/version requests: not failures.
    if (error.code === "EEXIT" || (this.debugging && !(error instanceof PlatinfraError))) throw error;
    const failure = describeFailure(error);
    if (this.argv.includes("--json")) {
      const { code, message, hints, details } = failure;
      this.log(JSON.stringify({ error: { code, message, hints, ...(details ? { details } : {}) } }, null, 2));
    } else {
      const style = this.style;
      const lines = (failure.lines ?? [`error: ${failure.message}`]).map((line) => line.replace(/^error:/, style.red("error:")));
      for (const line of lines) this.warnLine(line);
      for (const hint of failure.hints) this.warnLine(`  ${style.dim("hint:")} ${hint}`);
    }
    if (this.debugging && error.stack) this.warnLine(error.stack);
    this.exit(failure.exitCode);
  }
}

function describeFailure(error: Error & { code?: string; oclif?: { exit?: number } }): Failure {
  if (error instanceof SpecError) {
    // Each problem in the compiler-style format validate uses, then the one error line.
    const problems = error.problems.map(({ file, line, column, path, message, severity }) => ({ file, line, column, path, message, severity }));
    const errors = error.problems.filter((problem) => problem.severity === "error");
    const file = errors[0]?.file ?? "the spec";
    const summary = `error: ${errors.length} ${errors.length === 1 ? "problem" : "problems"} in ${file} — nothing was changed`;
    return { code: error.code, message: error.message, hints: error.hints, exitCode: error.exitCode, lines: [...error.problems.map(formatProblem), summary], details: { problems } };
  }
  if (error instanceof PlatinfraError) {
    return { code: error.code, message: error.message, hints: error.hints, exitCode: error.exitCode, details: error.details };
  }
  if (error.oclif) {
    // oclif's argument and flag errors: usage mistakes, exit 2 like every invalid input.
    const message = error.message
      .replace(/\n*See more help with --help\s*$/, "")
      .replace(/^The following errors? occurred:\s*/, "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .join("; ");
    return { code: "INVALID_ARGUMENTS", message, hints: ["see --help for the arguments and flags"], exitCode: error.oclif.exit ?? ExitCode.invalidInput };
  }
  return {
    code: "INTERNAL",
    message: `internal error: ${error.message} (run again with --debug for the stack trace)`,
    hints: [],
    exitCode: ExitCode.failure,
  };
}

import { Command, Flags } from "@oclif/core";
import { ExitCode, PlatinfraError, SpecError, formatProblem } from "../errors";

/**
 * Every platinfra command: one place turns errors into output and exit codes, so messages are
 * never stack traces unless `--debug` is given.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    debug: Flags.boolean({ description: "Show stack traces and the engine's full logs.", default: false }),
  };

  protected get debugging(): boolean {
    return this.argv.includes("--debug") || process.env.PLATINFRA_DEBUG === "1";
  }

  /** Writes lines to stderr (diagnostics, progress), keeping stdout for results. */
  protected warnLine(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (error instanceof PlatinfraError) {
      const lines = error instanceof SpecError ? error.problems.map(formatProblem) : [error.message];
      for (const line of lines) this.warnLine(line);
      for (const hint of error.hints) this.warnLine(`  hint: ${hint}`);
      if (this.debugging && error.stack) this.warnLine(error.stack);
      this.exit(error.exitCode);
    }
    // oclif's own errors (bad flags, exit requests) already carry their message and exit code.
    if (error.oclif || this.debugging) throw error;
    this.warnLine(`platinfra: internal error: ${error.message} (run again with --debug for the stack trace)`);
    this.exit(ExitCode.failure);
  }
}

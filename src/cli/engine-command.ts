import { Args, Flags, type Interfaces } from "@oclif/core";
import type { DeployOptions, StackOptions } from "../api";
import { formatSummary, ProgressView } from "../engine/progress";
import type { OperationResult } from "../engine/types";
import { BaseCommand } from "./base-command";
import { gracefulInterrupts } from "./interrupt";
import { formatOutputs, outputValues } from "./outputs-format";
import { engineDependencies } from "./dependencies";

/** Flags every command that reaches a stack shares. */
export const stackFlags = {
  stack: Flags.string({ description: "Environment (Pulumi stack) name.", default: "dev" }),
  backend: Flags.string({ description: "State backend URL (file://…, s3://…, https://api.pulumi.com). Default: ~/.platinfra/state." }),
  "install-pulumi": Flags.boolean({ description: "Install the pinned Pulumi CLI into ~/.platinfra/pulumi if none is found." }),
  json: Flags.boolean({ description: "Print nothing but a JSON result on stdout." }),
};

/** Flags of the commands that run the engine. */
export const operationFlags = {
  ...stackFlags,
  yes: Flags.boolean({ char: "y", description: "Do not ask for confirmation." }),
  target: Flags.string({ description: "Only this tool (and what it stands on). Repeatable.", multiple: true }),
  parallel: Flags.integer({ description: "How many resource operations run at once.", min: 1 }),
  refresh: Flags.boolean({ description: "Refresh the state from the cloud first." }),
  diff: Flags.boolean({ description: "Show a detailed diff of each change." }),
};

export const specArg = { spec: Args.string({ description: "Path of the stack file.", required: true }) };

/** The options every stack command passes the library, from its `stackFlags`. */
export function stackOptions(flags: { stack: string; backend?: string; "install-pulumi": boolean }, notice: (message: string) => void): StackOptions {
  return {
    stack: flags.stack,
    backend: flags.backend,
    installPulumi: flags["install-pulumi"],
    onNotice: notice,
    dependencies: engineDependencies(),
  };
}

type OperationFlags = Interfaces.InferredFlags<typeof operationFlags & typeof BaseCommand.baseFlags>;

/** A command that runs one engine operation with live progress and a summary. */
export abstract class OperationCommand extends BaseCommand {
  /** Runs the operation with progress wired to this command's output. */
  protected async runWithProgress(
    flags: OperationFlags,
    describe: string,
    operation: (options: DeployOptions) => Promise<OperationResult>,
  ): Promise<void> {
    const interactive = Boolean(process.stderr.isTTY) && !flags.json;
    const progress = new ProgressView((text) => process.stderr.write(text), flags.json ? "silent" : interactive ? "live" : "plain");
    const interrupts = gracefulInterrupts((text) => process.stderr.write(text), interactive);
    if (!flags.json) this.warnLine(describe);
    try {
      const result = await operation({
        ...this.deployOptions(flags),
        onEvent: (event) => progress.handle(event),
        // With --debug, the engine's own output too (its full logs).
        ...(flags.debug ? { onOutput: (text: string) => process.stderr.write(text) } : {}),
        signal: interrupts.signal,
      });
      progress.close();
      this.printResult(result, flags.json);
    } catch (error) {
      progress.close();
      // A live view only drew counts: on failure, every diagnostic the engine reported, in full.
      if (interactive) for (const diagnostic of progress.reported) this.warnLine(diagnostic);
      throw error;
    } finally {
      interrupts.dispose();
    }
  }

  protected deployOptions(flags: OperationFlags): DeployOptions {
    return {
      ...stackOptions(flags, (message) => this.warnLine(message)),
      target: flags.target,
      parallel: flags.parallel,
      refresh: flags.refresh,
      diff: flags.diff,
    };
  }

  private printResult(result: OperationResult, json: boolean): void {
    if (json) {
      const { operation, changes, durationSeconds } = result;
      this.log(JSON.stringify({ operation, changes, durationSeconds, outputs: outputValues(result.outputs, false) }, null, 2));
      return;
    }
    this.log(`${result.operation}: ${formatSummary(result)}`);
    if (Object.keys(result.outputs).length > 0) this.log(`outputs:\n${formatOutputs(result.outputs, false)}`);
  }
}

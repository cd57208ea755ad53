import { Args, Flags, type Interfaces } from "@oclif/core";
import { stepJson, type DeployOptions, type Plan, type StackOptions } from "../api";
import { formatDuration, ProgressView } from "../engine/progress";
import type { OperationResult } from "../engine/types";
import { shellCommand } from "../util/shell";
import { BaseCommand } from "./base-command";
import { engineDependencies } from "./dependencies";
import { gracefulInterrupts } from "./interrupt";
import { formatOutputs, outputValues } from "./outputs-format";
import { formatChanges, formatDiagnostics, formatPlan } from "./plan-view";
import { terminal } from "./terminal";

/** Flags every command that reaches a stack shares. */
export const stackFlags = {
  stack: Flags.string({ char: "s", description: "Environment (Pulumi stack) name: letters, digits, -, _ and .", default: "dev" }),
  backend: Flags.string({ description: "State backend URL (file://…, s3://…, https://api.pulumi.com). Default: file://~/.platinfra/state." }),
  "install-pulumi": Flags.boolean({ description: "Install the pinned Pulumi CLI into ~/.platinfra/pulumi when none (or only a too-old one) is found." }),
  json: Flags.boolean({ description: "Print nothing but JSON on stdout, on success and on failure." }),
};

/** Flags of the commands that run the engine. */
export const operationFlags = {
  ...stackFlags,
  target: Flags.string({
    char: "t",
    description: "Only these tools (and what they stand on). Repeatable, or comma-separated.",
    multiple: true,
    multipleNonGreedy: true,
    delimiter: ",",
  }),
  parallel: Flags.integer({ description: "How many resource operations run at once.", min: 1 }),
  refresh: Flags.boolean({ description: "Refresh the state from the cloud first." }),
  diff: Flags.boolean({ description: "Show the property-level changes of each resource." }),
};

/** Flags of the commands that ask before changing anything. */
export const confirmFlags = {
  yes: Flags.boolean({ char: "y", description: "Go ahead without asking (needed without a terminal)." }),
  adopt: Flags.boolean({ description: "Take over a stack last deployed from another spec file (--yes alone does not)." }),
};

export const specArg = { spec: Args.string({ description: "Path of the stack file.", default: "stack.yaml" }) };

/** The options every stack command passes the library, from its `stackFlags`. */
export function stackOptions(flags: { stack: string; backend?: string; "install-pulumi": boolean }, notice: (message: string) => void): StackOptions {
  return {
    stack: flags.stack,
    backend: flags.backend,
    installPulumi: flags["install-pulumi"],
    onNotice: notice,
    dependencies: engineDependencies(),
    vocabulary: "cli",
  };
}

type OperationFlags = Interfaces.InferredFlags<typeof operationFlags & typeof BaseCommand.baseFlags>;

/** The callbacks a command hands the library: progress, the plan, the question. */
export interface OperationHooks extends DeployOptions {
  onPlan: (plan: Plan) => void;
  /** Undefined without a terminal (or with --json): the library then refuses unless --yes. */
  confirm?: (plan: Plan) => Promise<boolean>;
}

/** A command that runs one engine operation with live progress, its plan and a summary. */
export abstract class OperationCommand extends BaseCommand {
  protected async runWithProgress(
    flags: OperationFlags,
    spec: string,
    operation: "preview" | "up" | "refresh" | "destroy",
    run: (hooks: OperationHooks) => Promise<OperationResult>,
  ): Promise<void> {
    const live = Boolean(process.stderr.isTTY) && !flags.json;
    const progress = new ProgressView((text) => process.stderr.write(text), flags.json ? "silent" : live ? "live" : "plain");
    progress.setPlanning(operation !== "destroy");
    const cancelCommand = shellCommand("platinfra", "cancel", spec, "--stack", flags.stack);
    const interrupts = gracefulInterrupts((text) => process.stderr.write(text), live, cancelCommand);
    if (!flags.json) this.warnLine(this.style.dim(`${operation} of stack ${flags.stack} (${spec})`));
    try {
      const result = await run({
        ...this.deployOptions(flags),
        onEvent: (event) => progress.handle(event),
        // With --debug, the engine's own output too (its full logs).
        ...(flags.debug ? { onOutput: (text: string) => process.stderr.write(text) } : {}),
        signal: interrupts.signal,
        onPlan: (plan) => {
          progress.setPlanning(false);
          if (!flags.json) this.log(formatPlan(plan, this.outStyle, { diff: flags.diff }));
        },
        confirm: terminal().interactive && !flags.json ? (plan) => this.askToProceed(plan, operation) : undefined,
      });
      progress.close();
      this.printResult(result, flags.json);
    } catch (error) {
      progress.close();
      // Warnings the engine reported before failing (its errors are in the failure itself).
      if (!flags.json) for (const line of progress.reported.filter((text) => text.startsWith("warning"))) this.warnLine(this.style.yellow(line));
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

  /** Pulumi's question: yes goes ahead, no (or nothing) stops, details shows every property change. */
  private async askToProceed(plan: Plan, operation: string): Promise<boolean> {
    const takeOver = plan.conflict ? `take over stack ${plan.fullName} from ${plan.conflict.recorded.specPath} and ` : "";
    for (;;) {
      const answer = (await terminal().ask(`Do you want to ${takeOver}perform this ${operation === "up" ? "update" : operation}? yes/no/details: `)).toLowerCase();
      if (answer === "yes" || answer === "y") return true;
      if (answer === "details" || answer === "d") {
        this.log(formatPlan(plan, this.outStyle, { diff: true }));
        continue;
      }
      return false;
    }
  }

  private printResult(result: OperationResult, json: boolean): void {
    if (json) {
      const { operation, changes, durationSeconds, diagnostics } = result;
      const document = { operation, changes, durationSeconds, steps: result.steps.map(stepJson), diagnostics, outputs: outputValues(result.outputs, false) };
      this.log(JSON.stringify(document, null, 2));
      return;
    }
    for (const line of formatDiagnostics(result.diagnostics.filter((item) => item.severity === "warning"), this.style)) this.warnLine(line);
    const previewed = result.operation === "preview" || result.operation === "preview-refresh";
    const duration = result.durationSeconds === undefined ? "" : ` in ${formatDuration(result.durationSeconds)}`;
    this.log(`${result.operation}: ${formatChanges(result.changes, previewed ? "future" : "past")}${duration}`);
    if (Object.keys(result.outputs).length > 0) this.log(`outputs:\n${formatOutputs(result.outputs, false)}`);
  }
}

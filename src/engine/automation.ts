import * as fs from "node:fs";
import * as path from "node:path";
import {
  CommandError,
  ConcurrentUpdateError,
  LocalWorkspace,
  Stack,
  StackNotFoundError,
  type OutputMap,
  type PulumiFn,
  type PulumiCommand,
} from "@pulumi/pulumi/automation";
import { PlatinfraError } from "../errors";
import { shellCommand } from "../util/shell";
import { identityFromTags, identityTags } from "./identity";
import type { Engine, EngineRunResult, Operation, OperationOptions, StackIdentity, StackOutput, StackTarget } from "./types";

export class StackLockedError extends PlatinfraError {
  constructor(target: StackTarget, detail: string) {
    super(
      "STACK_LOCKED",
      `stack ${target.stack} of ${target.project} is locked by another operation (${detail}) — if none is running (a crash or a killed run left the lock), release it`,
      { hints: [shellCommand("platinfra", "cancel", target.specFile, "--stack", target.stack)] },
    );
  }
}

export class StackMissingError extends PlatinfraError {
  constructor(target: StackTarget) {
    super("STACK_NOT_FOUND", `stack ${target.stack} of ${target.project} does not exist in ${target.backendUrl} — nothing has been deployed there yet`, {
      hints: [`deploy it with ${shellCommand("platinfra", "up", target.specFile, "--stack", target.stack)}, or check --stack and --backend`],
    });
  }
}

export class ProtectedResourcesError extends PlatinfraError {
  constructor(target: StackTarget, urns: string[]) {
    const names = urns.map((urn) => urn.split("::").pop()).join(", ");
    const command = (name: string) => shellCommand("platinfra", name, target.specFile, "--stack", target.stack);
    super(
      "RESOURCES_PROTECTED",
      `destroy stopped: ${urns.length} data-bearing resource(s) are protected (${names}) — databases and buckets holding data are kept unless the spec says otherwise`,
      { hints: [`to delete them: set deployment.deletion_protection: false in ${target.specFile}, run ${command("up")}, then ${command("destroy")}`] },
    );
  }
}

export class EngineFailedError extends PlatinfraError {
  constructor(operation: string, diagnostics: string) {
    super("ENGINE_FAILED", `${operation} failed:\n${diagnostics}`);
  }
}

/** The engine that deploys for real: the Pulumi Automation API driving the Pulumi CLI. */
export class AutomationEngine implements Engine {
  constructor(private readonly pulumi: PulumiCommand) {}

  async run(operation: Operation, target: StackTarget, program: () => Promise<unknown>, options: OperationOptions): Promise<EngineRunResult> {
    const mayCreate = operation === "preview" || operation === "up";
    const stack = await this.openStack(target, program, mayCreate);
    const common = {
      // Always listen: the steps of the plan come from the events.
      onEvent: options.onEvent ?? (() => undefined),
      onOutput: options.onOutput,
      signal: options.signal,
      parallel: options.parallel,
      ...(options.targets ? { target: options.targets, targetDependents: false } : {}),
    };
    const started = Date.now();
    const seconds = () => (Date.now() - started) / 1000;
    try {
      switch (operation) {
        case "preview": {
          const result = await stack.preview({ ...common, refresh: options.refresh, diff: options.diff });
          return { operation, changes: { ...result.changeSummary }, outputs: {}, durationSeconds: seconds() };
        }
        case "preview-refresh": {
          const result = await stack.previewRefresh({ ...common });
          return { operation, changes: { ...result.changeSummary }, outputs: {}, durationSeconds: seconds() };
        }
        case "up": {
          const result = await stack.up({ ...common, refresh: options.refresh, diff: options.diff });
          return { operation, changes: { ...result.summary.resourceChanges }, outputs: toStackOutputs(result.outputs), durationSeconds: seconds() };
        }
        case "destroy": {
          const result = await stack.destroy({ ...common, refresh: options.refresh });
          return { operation, changes: { ...result.summary.resourceChanges }, outputs: {}, durationSeconds: seconds() };
        }
        case "refresh": {
          const result = await stack.refresh({ ...common });
          return { operation, changes: { ...result.summary.resourceChanges }, outputs: toStackOutputs(await stack.outputs()), durationSeconds: seconds() };
        }
      }
    } catch (error) {
      throw translate(error, target, operation);
    } finally {
      saveStackSettings(target);
    }
  }

  async outputs(target: StackTarget): Promise<Record<string, StackOutput>> {
    const stack = await this.openStack(target, noProgram, false);
    return toStackOutputs(await stack.outputs());
  }

  async resourceCount(target: StackTarget): Promise<number> {
    try {
      const stack = await this.openStack(target, noProgram, false);
      const state = await stack.exportStack();
      return ((state.deployment as { resources?: unknown[] })?.resources ?? []).length;
    } catch (error) {
      if (error instanceof StackMissingError) return 0;
      throw error;
    }
  }

  async readIdentity(target: StackTarget): Promise<StackIdentity | undefined> {
    try {
      const stack = await this.openStack(target, noProgram, false);
      return identityFromTags(await stack.workspace.listTags(target.stack));
    } catch (error) {
      if (error instanceof StackMissingError) return undefined;
      throw error;
    }
  }

  async recordIdentity(target: StackTarget, identity: StackIdentity): Promise<void> {
    const stack = await this.openStack(target, noProgram, false);
    for (const [key, value] of Object.entries(identityTags(identity))) await stack.workspace.setTag(target.stack, key, value);
  }

  async cancel(target: StackTarget): Promise<string> {
    const stack = await this.openStack(target, noProgram, false);
    try {
      await stack.cancel();
      return `cancelled the running update of stack ${target.stack}`;
    } catch (error) {
      const removed = target.backendUrl.startsWith("file://") ? removeFileBackendLocks(target) : 0;
      if (removed > 0) return `released ${removed} stale lock(s) of stack ${target.stack}`;
      if (error instanceof CommandError && /no.*update.*in progress|not.*locked/i.test(String(error))) {
        return `stack ${target.stack} has no running update and no lock to release`;
      }
      throw translate(error, target, "cancel");
    }
  }

  private async openStack(target: StackTarget, program: () => Promise<unknown>, mayCreate: boolean): Promise<Stack> {
    fs.mkdirSync(target.workDir, { recursive: true });
    restoreStackSettings(target);
    const workspace = await LocalWorkspace.create({
      workDir: target.workDir,
      program: program as PulumiFn,
      pulumiCommand: this.pulumi,
      envVars: target.env,
      ...(target.env.PULUMI_CONFIG_PASSPHRASE || target.env.PULUMI_CONFIG_PASSPHRASE_FILE ? { secretsProvider: "passphrase" } : {}),
      projectSettings: {
        name: target.project,
        runtime: "nodejs",
        description: `platinfra stack ${target.project}`,
        backend: { url: target.backendUrl },
      },
    });
    try {
      const stack = mayCreate
        ? await Stack.createOrSelect(target.stack, workspace)
        : await Stack.select(target.stack, workspace);
      if (target.backendUrl.startsWith("http")) {
        for (const [key, value] of Object.entries(target.tags)) await workspace.setTag(target.stack, key, value);
      }
      return stack;
    } catch (error) {
      throw translate(error, target, "select");
    }
  }
}

const noProgram = async () => ({});

function toStackOutputs(outputs: OutputMap): Record<string, StackOutput> {
  return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, { value: output.value, secret: output.secret }]));
}

/** Engine errors as platinfra errors: a held lock, a missing stack, or the engine's diagnostics. */
function translate(error: unknown, target: StackTarget, operation: string): Error {
  if (error instanceof PlatinfraError) return error;
  if (error instanceof ConcurrentUpdateError) return new StackLockedError(target, lockDetail(String(error)));
  if (error instanceof StackNotFoundError) return new StackMissingError(target);
  if (error instanceof CommandError) {
    const text = String(error);
    const protectedUrns = [...text.matchAll(/"(urn:pulumi:[^"]+)"\s*(?:\n\s*)?as it is currently marked for protection/g)].map((match) => match[1]);
    if (operation === "destroy" && protectedUrns.length > 0) return new ProtectedResourcesError(target, [...new Set(protectedUrns)]);
    return new EngineFailedError(operation, diagnosticsOf(text));
  }
  return error instanceof Error ? error : new Error(String(error));
}

function lockDetail(text: string): string {
  return /locked by [^\n]*/.exec(text)?.[0] ?? "an update is in progress";
}

/** The engine's error lines, without the Automation API's wrapping of the command line. */
function diagnosticsOf(text: string): string {
  const stderr = /stderr: ([\s\S]*?)(?:\n\s*err\?:|$)/.exec(text)?.[1] ?? text;
  // Never the internal command line (`pulumi preview --json --client=… --event-log …`).
  const lines = stderr.split("\n").filter((line) => !/Command failed with exit code|--event-log|--client=/.test(line));
  return lines.join("\n").trim() || "the Pulumi CLI failed without a message — run again with --debug for its full output";
}

/** A copy of the stack's settings (its encryption salt) kept beside the state, so losing the workspace loses no secrets. */
function settingsBackup(target: StackTarget): string | undefined {
  const directory = target.backendUrl.startsWith("file://") ? target.backendUrl.slice("file://".length) : undefined;
  if (!directory) return undefined;
  return path.join(directory, ".platinfra", target.project, `${target.stack}.stack-settings.yaml`);
}

function stackSettingsFile(target: StackTarget): string {
  return path.join(target.workDir, `Pulumi.${target.stack}.yaml`);
}

function restoreStackSettings(target: StackTarget): void {
  const backup = settingsBackup(target);
  const file = stackSettingsFile(target);
  if (backup && !fs.existsSync(file) && fs.existsSync(backup)) fs.copyFileSync(backup, file);
}

function saveStackSettings(target: StackTarget): void {
  const backup = settingsBackup(target);
  const file = stackSettingsFile(target);
  if (!backup || !fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(backup), { recursive: true, mode: 0o700 });
  fs.copyFileSync(file, backup);
}

/** A file backend keeps locks as files: a crashed run's lock is released by removing them. */
function removeFileBackendLocks(target: StackTarget): number {
  const root = path.join(target.backendUrl.slice("file://".length), ".pulumi", "locks");
  const candidates = [path.join(root, "organization", target.project, target.stack), path.join(root, target.stack)];
  let removed = 0;
  for (const directory of candidates) {
    if (!fs.existsSync(directory)) continue;
    for (const lock of fs.readdirSync(directory)) {
      fs.rmSync(path.join(directory, lock), { force: true });
      removed++;
    }
  }
  return removed;
}

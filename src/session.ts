import { clusterName } from "../components/base/naming";
import { selectAdmins } from "../components/base/principals";
import { findTool } from "./catalog";
import { assertDeployable } from "./deployable";
import { presentDeployInputs, requireDeployInputs } from "./deploy-inputs";
import { CancelledError, PlatinfraError, RefusedError } from "./errors";
import { currentIdentity } from "./engine/identity";
import { PlanRecorder } from "./engine/plan";
import type { PreflightResult, RecordedCreator } from "./engine/preflight";
import { resolveBackend } from "./engine/backend";
import { DEFAULT_ENVIRONMENT, resolveTarget, targetPatterns, validateStackName, type TargetOptions } from "./engine/target";
import type { Engine, Operation, OperationOptions, OperationResult, StackIdentity, StackTarget } from "./engine/types";
import { optionName, type Vocabulary } from "./option-names";
import type { Spec } from "./spec/types";
import { didYouMean } from "./util/suggest";
import { VERSION } from "./version";

/** What the deploying commands need from the outside world; tests replace it. */
export interface EngineDependencies {
  createEngine(options: { installPulumi: boolean; env: NodeJS.ProcessEnv; installHint?: string }): Promise<Engine>;
  /** `operation`: what follows; destroy and refresh skip the checks only deploying needs. */
  preflight(spec: Spec, env: NodeJS.ProcessEnv, operation?: Operation): Promise<PreflightResult>;
  /**
   * Whether the cluster platinfra creates exists, and who created it (its `platinfra:creator` tag).
   * @default not asked: the creator is unknown and every admin gets an access entry
   */
  recordedCreator?(spec: Spec, region: string, clusterName: string, env: NodeJS.ProcessEnv): Promise<RecordedCreator>;
}

export interface StackOptions extends TargetOptions {
  /** Install the pinned Pulumi CLI into platinfra's folder when none is found (or when it is too old). */
  installPulumi?: boolean;
  /** Messages for the user (a passphrase file was created, …). */
  onNotice?: (message: string) => void;
  /** Replaces the Pulumi CLI and AWS checks (tests, custom engines). */
  dependencies?: EngineDependencies;
  /** How errors name options: `yes` for library callers (the default), `--yes` for the CLI. */
  vocabulary?: Vocabulary;
}

/** Engine options as the CLI takes them: `target` names tools rather than URN patterns. */
export interface DeployOptions extends StackOptions, Omit<OperationOptions, "targets"> {
  /** Only these tools (and what they stand on). */
  target?: string[];
}

/** A stack, checked and connected: runs operations and knows who is deploying from which file. */
export interface Session {
  engine: Engine;
  target: StackTarget;
  /** The spec file, host and user of this run. */
  identity: StackIdentity;
  run(operation: Operation): Promise<OperationResult>;
}

/**
 * Checks the spec and the machine (preflight, for `operation`), connects to the engine and resolves
 * the stack.
 */
export async function openSession(spec: Spec, options: DeployOptions, operation: Operation): Promise<Session> {
  stopIfAborted(options.signal);
  assertDeployable(spec);
  const tools = targetTools(spec, options.target, options.vocabulary);
  // Secrets given at deploy time (an API key) are checked before the engine or AWS is asked anything.
  const deploying = operation === "up" || operation === "preview";
  const deployInputs = deploying ? requireDeployInputs(spec, options.env ?? process.env) : presentDeployInputs(spec, options.env ?? process.env);
  const { engine, dependencies, env } = await connect(options);
  const checked = await dependencies.preflight(spec, env, operation);
  const { target } = resolveAndNotify(spec, checked.region, options);
  const { stackProgram } = await import("./program");
  const creatorArn = deploying ? await clusterCreator(spec, checked, target.stack, dependencies, env) : undefined;
  if (creatorArn) noticeCreatorAdmins(spec, creatorArn, options);
  const program = stackProgram(spec, {
    environment: target.stack,
    region: checked.region,
    ...(creatorArn ? { creatorArn } : {}),
    ...(checked.installed ? { installed: checked.installed } : {}),
    deployInputs,
  });
  const run = async (operation: Operation): Promise<OperationResult> => {
    stopIfAborted(options.signal);
    const recorder = new PlanRecorder();
    try {
      const result = await engine.run(operation, target, program, {
        ...(tools ? { targets: targetPatterns(target, tools) } : {}),
        parallel: options.parallel,
        refresh: options.refresh,
        diff: options.diff,
        onEvent: (event) => {
          recorder.handle(event);
          options.onEvent?.(event);
        },
        onOutput: options.onOutput,
        signal: options.signal,
      });
      return { ...result, steps: recorder.steps, diagnostics: recorder.diagnostics };
    } catch (error) {
      throw withDiagnostics(error, recorder);
    }
  };
  return { engine, target, identity: currentIdentity(spec), run };
}

/**
 * The identity that created (or, on the first run, creates) the stack's cluster: the only one EKS
 * makes admin without an access entry. Undefined when platinfra creates no cluster, or when it
 * exists without the tag that records its creator (created before the tag existed).
 */
async function clusterCreator(spec: Spec, checked: PreflightResult, environment: string, dependencies: EngineDependencies, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (spec.deployment.existingCluster || spec.deployment.fromTerraformState?.outputs.cluster_name || !dependencies.recordedCreator) return undefined;
  const recorded = await dependencies.recordedCreator(spec, checked.region, clusterName(spec.name, environment), env);
  return recorded.exists ? recorded.creatorArn : checked.callerArn;
}

/** Says which `admins` get no access entry of their own because they created the cluster. */
function noticeCreatorAdmins(spec: Spec, creatorArn: string, options: StackOptions) {
  for (const admin of selectAdmins(spec.deployment.admins, creatorArn).creator) {
    options.onNotice?.(
      `deployment.admins: ${admin} created the cluster (${creatorArn}) — EKS makes the cluster's creator an admin itself, so it gets no second access entry`,
    );
  }
}

/** The engine (locating the Pulumi CLI) and the checks to run, from the options or the defaults. */
export async function connect(options: StackOptions) {
  stopIfAborted((options as DeployOptions).signal);
  const env = options.env ?? process.env;
  // Settings that are simply wrong are refused before anything slow (locating the CLI, AWS checks) runs.
  validateStackName(options.stack ?? DEFAULT_ENVIRONMENT, options.vocabulary);
  resolveBackend(options.backend, env, options.vocabulary);
  const dependencies = options.dependencies ?? (await defaultDependencies());
  const installHint = `or run again with ${optionName("installPulumi", options.vocabulary)}`;
  const engine = await dependencies.createEngine({ installPulumi: options.installPulumi ?? false, env, installHint });
  return { engine, dependencies, env };
}

export function resolveAndNotify(spec: Spec, region: string | undefined, options: StackOptions) {
  const resolved = resolveTarget(spec, region, options, VERSION);
  if (resolved.secrets.created) {
    options.onNotice?.(
      `created a passphrase for this stack's secrets at ${resolved.secrets.created} (mode 0600) — back it up: without it the stack's secrets cannot be decrypted`,
    );
  }
  return resolved;
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError("cancelled before it started: nothing was changed");
}

/** An engine failure explained by the errors the engine reported as events, when there are any. */
function withDiagnostics(error: unknown, recorder: PlanRecorder): unknown {
  if (!(error instanceof PlatinfraError) || error.code !== "ENGINE_FAILED") return error;
  const errors = recorder.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  if (errors.length === 0) return error;
  const lines = errors.map((diagnostic) => `  ${diagnostic.urn ? `${diagnostic.urn.split("::").pop()}: ` : ""}${diagnostic.message}`);
  const operation = error.message.split(" failed")[0];
  return new PlatinfraError("ENGINE_FAILED", `${operation} failed:\n${lines.join("\n")}`, { hints: error.hints, details: { diagnostics: recorder.diagnostics } });
}

/** Canonical names of the `target` tools; each must be in the stack. */
function targetTools(spec: Spec, targets: string[] | undefined, vocabulary?: Vocabulary): string[] | undefined {
  const wanted = (targets ?? []).flatMap((entry) => entry.split(",")).map((entry) => entry.trim()).filter(Boolean);
  if (wanted.length === 0) return undefined;
  const known = spec.tools.map((tool) => tool.name);
  return wanted.map((raw) => {
    const name = findTool(raw)?.name;
    if (!name || !known.includes(name)) {
      throw new RefusedError(
        "UNKNOWN_TARGET",
        `${optionName("target", vocabulary)} ${raw}: the stack has no tool named ${raw}${didYouMean(raw, known)} (tools: ${known.join(", ")})`,
      );
    }
    return name;
  });
}

async function defaultDependencies(): Promise<EngineDependencies> {
  const [{ locatePulumi }, { AutomationEngine }, { preflight, recordedCreator }] = await Promise.all([
    import("./engine/pulumi-cli"),
    import("./engine/automation"),
    import("./engine/preflight"),
  ]);
  return {
    createEngine: async ({ installPulumi, env, installHint }) =>
      new AutomationEngine(await locatePulumi({ install: installPulumi, env, installHint })),
    preflight: (spec, env, operation) => preflight(spec, env, undefined, { deploying: operation === undefined || operation === "up" || operation === "preview" }),
    recordedCreator: (spec, region, name, env) => recordedCreator(spec, region, name, env),
  };
}

import { clusterName } from "../components/base/naming";
import { selectAdmins } from "../components/base/principals";
import { findTool } from "./catalog";
import { assertDeployable } from "./deployable";
import { RefusedError } from "./errors";
import type { PreflightResult, RecordedCreator } from "./engine/preflight";
import type { RenderResult } from "./engine/render";
import { resolveTarget, targetPatterns, type TargetOptions } from "./engine/target";
import type { Engine, Operation, OperationOptions, OperationResult, StackOutput } from "./engine/types";
import type { Spec } from "./spec/types";
import { loadSpec } from "./spec/validate";
import { VERSION } from "./version";

/** What the deploying commands need from the outside world; tests replace it. */
export interface EngineDependencies {
  createEngine(options: { installPulumi: boolean; env: NodeJS.ProcessEnv }): Promise<Engine>;
  /** `operation`: what follows; destroy and refresh skip the checks only deploying needs. */
  preflight(spec: Spec, env: NodeJS.ProcessEnv, operation?: Operation): Promise<PreflightResult>;
  /**
   * Whether the cluster platinfra creates exists, and who created it (its `platinfra:creator` tag).
   * @default not asked: the creator is unknown and every admin gets an access entry
   */
  recordedCreator?(spec: Spec, region: string, clusterName: string, env: NodeJS.ProcessEnv): Promise<RecordedCreator>;
}

export interface StackOptions extends TargetOptions {
  /** Install the pinned Pulumi CLI into platinfra's folder when none is found. */
  installPulumi?: boolean;
  /** Messages for the user (a passphrase file was created, …). */
  onNotice?: (message: string) => void;
  /** Replaces the Pulumi CLI and AWS checks (tests, custom engines). */
  dependencies?: EngineDependencies;
}

/** Engine options as the CLI takes them: `target` names tools rather than URN patterns. */
export interface DeployOptions extends StackOptions, Omit<OperationOptions, "targets"> {
  /** Only these tools (and what they stand on). */
  target?: string[];
}

export interface DestroyOptions extends DeployOptions {
  /** Skip the confirmation. */
  yes?: boolean;
  /** Asked before destroying, unless `yes`. Without it (and without `yes`), destroy refuses. */
  confirm?: (question: string, answer: string) => Promise<boolean>;
}

export interface RenderOptions {
  stack?: string;
  /** Region to render for when the spec sets none. @default AWS_REGION, else us-east-1 */
  region?: string;
  env?: NodeJS.ProcessEnv;
}

type SpecInput = Spec | string;

const asSpec = (spec: SpecInput): Spec => (typeof spec === "string" ? loadSpec(spec) : spec);

export function preview(spec: SpecInput, options: DeployOptions = {}): Promise<OperationResult> {
  return runOperation("preview", asSpec(spec), options);
}

export function up(spec: SpecInput, options: DeployOptions = {}): Promise<OperationResult> {
  return runOperation("up", asSpec(spec), options);
}

export function refresh(spec: SpecInput, options: DeployOptions = {}): Promise<OperationResult> {
  return runOperation("refresh", asSpec(spec), options);
}

/** Destroys every resource of the stack, after confirmation naming the stack and its resource count. */
export async function destroy(specInput: SpecInput, options: DestroyOptions = {}): Promise<OperationResult> {
  const spec = asSpec(specInput);
  return runOperation("destroy", spec, options, async (engine, target) => {
    if (options.yes) return;
    const count = await engine.resourceCount(target);
    const question = `Destroy stack ${target.stack} of ${target.project} (${count} resources)? Type the stack name to confirm`;
    if (!options.confirm) {
      throw new RefusedError("CONFIRMATION_REQUIRED", `destroy needs confirmation: ${count} resources of stack ${target.stack} would be deleted`, [
        "run it in a terminal to confirm, or add --yes",
      ]);
    }
    if (!(await options.confirm(question, target.stack))) {
      throw new RefusedError("NOT_CONFIRMED", `destroy cancelled: stack ${target.stack} was not touched`);
    }
  });
}

/** The stack's outputs, secrets flagged. Needs the Pulumi CLI, not AWS credentials. */
export async function outputs(specInput: SpecInput, options: StackOptions = {}): Promise<Record<string, StackOutput>> {
  const spec = asSpec(specInput);
  const { engine } = await connect(options);
  const { target } = resolveAndNotify(spec, spec.provider.region, options);
  return engine.outputs(target);
}

/** Cancels a running update or releases a lock left by a crashed run. */
export async function cancel(specInput: SpecInput, options: StackOptions = {}): Promise<string> {
  const spec = asSpec(specInput);
  const { engine } = await connect(options);
  return engine.cancel(resolveAndNotify(spec, spec.provider.region, options).target);
}

/** Runs the program offline under Pulumi's mock runtime: no CLI, no cloud, no credentials. */
export async function render(specInput: SpecInput, options: RenderOptions = {}): Promise<RenderResult> {
  const spec = asSpec(specInput);
  assertDeployable(spec);
  const env = options.env ?? process.env;
  const region = spec.provider.region ?? options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const stack = options.stack ?? "dev";
  const { stackProgram } = await import("./program");
  const { renderProgram } = await import("./engine/render");
  const program = stackProgram(spec, { environment: stack, region });
  return renderProgram(program, { project: spec.name, stack, region, accountId: spec.provider.accountId });
}

async function runOperation(
  operation: Operation,
  spec: Spec,
  options: DeployOptions,
  beforeRun?: (engine: Engine, target: ReturnType<typeof resolveTarget>["target"]) => Promise<void>,
): Promise<OperationResult> {
  assertDeployable(spec);
  const tools = targetTools(spec, options.target);
  const { engine, dependencies, env } = await connect(options);
  const checked = await dependencies.preflight(spec, env, operation);
  const { target } = resolveAndNotify(spec, checked.region, options);
  await beforeRun?.(engine, target);
  const { stackProgram } = await import("./program");
  const creatorArn = operation === "up" || operation === "preview" ? await clusterCreator(spec, checked, target.stack, dependencies, env) : undefined;
  if (creatorArn) noticeCreatorAdmins(spec, creatorArn, options);
  const program = stackProgram(spec, { environment: target.stack, region: checked.region, ...(creatorArn ? { creatorArn } : {}), ...(checked.installed ? { installed: checked.installed } : {}) });
  return engine.run(operation, target, program, {
    ...(tools ? { targets: targetPatterns(target, tools) } : {}),
    parallel: options.parallel,
    refresh: options.refresh,
    diff: options.diff,
    onEvent: options.onEvent,
    onOutput: options.onOutput,
    signal: options.signal,
  });
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
async function connect(options: StackOptions) {
  const env = options.env ?? process.env;
  const dependencies = options.dependencies ?? (await defaultDependencies());
  const engine = await dependencies.createEngine({ installPulumi: options.installPulumi ?? false, env });
  return { engine, dependencies, env };
}

function resolveAndNotify(spec: Spec, region: string | undefined, options: StackOptions) {
  const resolved = resolveTarget(spec, region, options, VERSION);
  if (resolved.secrets.created) {
    options.onNotice?.(
      `created a passphrase for this stack's secrets at ${resolved.secrets.created} (mode 0600) — back it up: without it the stack's secrets cannot be decrypted`,
    );
  }
  return resolved;
}

/** Canonical names of the `--target` tools; each must be in the stack. */
function targetTools(spec: Spec, targets: string[] | undefined): string[] | undefined {
  if (!targets || targets.length === 0) return undefined;
  const known = spec.tools.map((tool) => tool.name);
  return targets.map((raw) => {
    const name = findTool(raw)?.name;
    if (!name || !known.includes(name)) {
      throw new RefusedError("UNKNOWN_TARGET", `--target ${raw}: the stack has no tool named ${raw} (tools: ${known.join(", ")})`);
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
    createEngine: async ({ installPulumi, env }) => new AutomationEngine(await locatePulumi({ install: installPulumi, env })),
    preflight: (spec, env, operation) => preflight(spec, env, undefined, { deploying: operation === undefined || operation === "up" || operation === "preview" }),
    recordedCreator: (spec, region, clusterName, env) => recordedCreator(spec, region, clusterName, env),
  };
}

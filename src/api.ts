import { assertDeployable } from "./deployable";
import { presentDeployInputs, RENDER_PLACEHOLDER } from "./deploy-inputs";
import { ExitCode, PlatinfraError, RefusedError } from "./errors";
import { describeIdentity, findConflict, type IdentityConflict } from "./engine/identity";
import { hasChanges } from "./engine/plan";
import type { RenderResult } from "./engine/render";
import type { OperationResult, StackOutput } from "./engine/types";
import { optionName } from "./option-names";
import { connect, openSession, resolveAndNotify, type DeployOptions, type Session, type StackOptions } from "./session";
import { regionProblem } from "./spec/schema";
import type { Spec } from "./spec/types";
import { loadSpec } from "./spec/validate";

export type { DeployOptions, EngineDependencies, StackOptions } from "./session";

/** What a preview showed, handed to `onPlan` and `confirm` before anything changes. */
export interface Plan {
  /** `project/stack`, the name the confirmation asks for. */
  fullName: string;
  preview: OperationResult;
  /** Set when the stack was last deployed from another spec file. */
  conflict?: IdentityConflict;
}

export interface PreviewOptions extends DeployOptions {
  /** Fail (exit code 3, code CHANGES_PRESENT) when the preview has any change: a drift gate for CI. */
  expectNoChanges?: boolean;
  /** Receives the plan as soon as the preview is done. */
  onPlan?: (plan: Plan) => void;
}

export interface ConfirmedOptions extends DeployOptions {
  /** Go ahead without asking. */
  yes?: boolean;
  /** Asked after the preview, unless `yes` or nothing changes. Without it (and without `yes`), the call refuses. */
  confirm?: (plan: Plan) => Promise<boolean>;
  /** Receives the plan before the question. */
  onPlan?: (plan: Plan) => void;
  /** Take over a stack last deployed from another spec file. `yes` alone does not. */
  adopt?: boolean;
}

export interface UpOptions extends ConfirmedOptions {
  /** Skip the preview; only together with `yes`. */
  skipPreview?: boolean;
}

export interface DestroyOptions extends DeployOptions {
  /** Skip the confirmation. */
  yes?: boolean;
  /** Take over a stack last deployed from another spec file. */
  adopt?: boolean;
  /** Asked before destroying, unless `yes`: the user must type `answer` (`project/stack`). Without it (and without `yes`), destroy refuses. */
  confirm?: (question: string, answer: string) => Promise<boolean>;
}

export interface RenderOptions {
  stack?: string;
  vocabulary?: StackOptions["vocabulary"];
  /** Region to render for when the spec sets none. @default AWS_REGION, else us-east-1 */
  region?: string;
  env?: NodeJS.ProcessEnv;
}

type SpecInput = Spec | string;

const asSpec = (spec: SpecInput): Spec => (typeof spec === "string" ? loadSpec(spec) : spec);

/** What `up` would change, step by step, without changing anything. */
export async function preview(specInput: SpecInput, options: PreviewOptions = {}): Promise<OperationResult> {
  const session = await openSession(asSpec(specInput), options, "preview");
  const conflict = findConflict(await session.engine.readIdentity(session.target), session.identity);
  const result = await session.run("preview");
  options.onPlan?.(planOf(session, result, conflict));
  if (options.expectNoChanges && hasChanges(result.changes)) {
    throw new PlatinfraError("CHANGES_PRESENT", `the preview of stack ${fullName(session)} has changes, and no changes were expected`, {
      exitCode: ExitCode.changesPresent,
      details: { changes: result.changes, steps: result.steps.map(stepJson) },
    });
  }
  return result;
}

/** Previews, asks (unless `yes`), then deploys. Records which spec file deployed the stack. */
export async function up(specInput: SpecInput, options: UpOptions = {}): Promise<OperationResult> {
  const spec = asSpec(specInput);
  if (options.skipPreview && !options.yes) {
    const name = (option: "skipPreview" | "yes") => optionName(option, options.vocabulary);
    throw new RefusedError("SKIP_PREVIEW_NEEDS_YES", `${name("skipPreview")} needs ${name("yes")}: without a preview there is no plan to confirm`, [
      `add ${name("yes")}, or drop ${name("skipPreview")} to see the plan and be asked`,
    ]);
  }
  const session = await openSession(spec, options, "up");
  const conflict = findConflict(await session.engine.readIdentity(session.target), session.identity);
  if (!options.skipPreview) await previewAndConfirm(session, "preview", "up", conflict, options);
  else refuseConflict(session, conflict, options);
  return runRecordingIdentity(session, "up");
}

/** Previews what reading the real state back would change, asks (unless `yes`), then refreshes. */
export async function refresh(specInput: SpecInput, options: ConfirmedOptions = {}): Promise<OperationResult> {
  const session = await openSession(asSpec(specInput), options, "refresh");
  const conflict = findConflict(await session.engine.readIdentity(session.target), session.identity);
  await previewAndConfirm(session, "preview-refresh", "refresh", conflict, options);
  return session.run("refresh");
}

/** Destroys every resource of the stack, after confirmation naming the stack and its resource count. */
export async function destroy(specInput: SpecInput, options: DestroyOptions = {}): Promise<OperationResult> {
  const session = await openSession(asSpec(specInput), options, "destroy");
  const conflict = findConflict(await session.engine.readIdentity(session.target), session.identity);
  refuseConflict(session, conflict, options);
  for (const step of await stepsBeforeDestroy(session)) options.onNotice?.(step);
  if (!options.yes) {
    const count = await session.engine.resourceCount(session.target);
    const name = fullName(session);
    if (!options.confirm) {
      throw new RefusedError("CONFIRMATION_REQUIRED", `destroy needs confirmation: ${count} resources of stack ${name} would be deleted`, [
        confirmHint(options),
      ]);
    }
    const from = conflict ? ` It was deployed from ${describeIdentity(conflict.recorded)}, not from ${conflict.current.specPath}.` : "";
    const question = `Destroy stack ${name} (${count} resources)?${from} Type the stack's full name, ${name}, to confirm`;
    if (!(await options.confirm(question, name))) {
      throw new RefusedError("NOT_CONFIRMED", `destroy cancelled: stack ${name} was not touched`);
    }
  }
  return runRecordingIdentity(session, "destroy");
}

/**
 * What tools ask users to do before their resources go (their `beforeDestroy` output), said before
 * the question: e.g. Seldon Core's Models carry a finalizer only its running operator removes, so
 * Models left behind would keep the namespace from ever being deleted. A stack that does not exist
 * has none (destroy then reports it as before).
 */
async function stepsBeforeDestroy(session: Session): Promise<string[]> {
  let tools: unknown;
  try {
    tools = (await session.engine.outputs(session.target)).tools?.value;
  } catch (error) {
    if (error instanceof PlatinfraError && error.code === "STACK_NOT_FOUND") return [];
    throw error;
  }
  if (!tools || typeof tools !== "object") return [];
  return Object.entries(tools as Record<string, Record<string, unknown> | null>).flatMap(([tool, toolOutputs]) => {
    const step = toolOutputs?.beforeDestroy;
    return typeof step === "string" ? [`${tool}: before destroying, run ${step}`] : [];
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
export async function render(specInput: SpecInput, options: RenderOptions = {}): Promise<RenderResult & { region: string; regionSource: string }> {
  const spec = asSpec(specInput);
  assertDeployable(spec);
  const env = options.env ?? process.env;
  const [region, regionSource] = renderRegion(spec, options, env);
  const stack = options.stack ?? "dev";
  const { validateStackName } = await import("./engine/target");
  validateStackName(stack, options.vocabulary);
  const { stackProgram } = await import("./program");
  const { renderProgram } = await import("./engine/render");
  const program = stackProgram(spec, { environment: stack, region, deployInputs: presentDeployInputs(spec, env, RENDER_PLACEHOLDER) });
  const result = await renderProgram(program, { project: spec.name, stack, region, accountId: spec.provider.accountId });
  return { ...result, region, regionSource };
}

/** The region to render for, and where it came from (rendering needs one even when the spec sets none). */
function renderRegion(spec: Spec, options: RenderOptions, env: NodeJS.ProcessEnv): [string, string] {
  if (spec.provider.region) return [spec.provider.region, "the spec's provider.region"];
  const [region, from]: [string, string] = options.region
    ? [options.region, options.vocabulary === "cli" ? "--region" : "the region option"]
    : env.AWS_REGION
      ? [env.AWS_REGION, "AWS_REGION"]
      : env.AWS_DEFAULT_REGION
        ? [env.AWS_DEFAULT_REGION, "AWS_DEFAULT_REGION"]
        : ["us-east-1", "assumed: the spec sets none and AWS_REGION is unset"];
  // Regions from flags and the environment are checked like the spec's: they become provider settings and names.
  const wrong = regionProblem(region, from);
  if (wrong) throw new RefusedError("REGION_INVALID", wrong, ["set provider.region in the spec (e.g. region: eu-west-1)"]);
  return [region, from];
}

/** The `steps` entries of `preview --json`. */
export function stepJson(step: OperationResult["steps"][number]) {
  return { urn: step.urn, type: step.type, op: step.op, diffs: step.diffs, replaceReasons: step.replaceReasons };
}

/** Runs up or destroy, then records this spec file as the stack's; a failed run records it too (it may have changed resources) without hiding its own error. */
async function runRecordingIdentity(session: Session, operation: "up" | "destroy"): Promise<OperationResult> {
  let result: OperationResult;
  try {
    result = await session.run(operation);
  } catch (error) {
    await session.engine.recordIdentity(session.target, session.identity).catch(() => undefined);
    throw error;
  }
  await session.engine.recordIdentity(session.target, session.identity);
  return result;
}

function fullName(session: Session): string {
  return `${session.target.project}/${session.target.stack}`;
}

function planOf(session: Session, preview: OperationResult, conflict?: IdentityConflict): Plan {
  return { fullName: fullName(session), preview, ...(conflict ? { conflict } : {}) };
}

async function previewAndConfirm(
  session: Session,
  previewOperation: "preview" | "preview-refresh",
  operation: "up" | "refresh",
  conflict: IdentityConflict | undefined,
  options: ConfirmedOptions,
): Promise<void> {
  const plan = planOf(session, await session.run(previewOperation), conflict);
  options.onPlan?.(plan);
  refuseConflict(session, conflict, options);
  if (options.yes || (!hasChanges(plan.preview.changes) && !conflict)) return;
  if (!options.confirm) {
    throw new RefusedError("CONFIRMATION_REQUIRED", `${operation} needs confirmation: nothing was changed (the plan above is what it would do to stack ${plan.fullName})`, [
      confirmHint(options),
    ]);
  }
  if (!(await options.confirm(plan))) throw new RefusedError("NOT_CONFIRMED", `${operation} cancelled: nothing was changed`);
}

/** A stack deployed from another spec file is only taken over with `adopt`; `yes` does not. */
function refuseConflict(session: Session, conflict: IdentityConflict | undefined, options: { adopt?: boolean; vocabulary?: StackOptions["vocabulary"] }): void {
  if (!conflict || options.adopt) return;
  throw new RefusedError(
    "STACK_CONFLICT",
    `stack ${fullName(session)} was deployed from another spec file: ${describeIdentity(conflict.recorded)} — this is ${conflict.current.specPath} on ${conflict.current.host}; nothing was changed`,
    [
      `if two projects share the name "${session.target.project}", rename one (its spec's name:) or use another ${optionName("stack", options.vocabulary)}`,
      `if this file now owns the stack (moved, copied to CI), take it over with ${optionName("adopt", options.vocabulary)}`,
    ],
  );
}

function confirmHint(options: StackOptions): string {
  return options.vocabulary === "cli"
    ? "run it in a terminal to confirm, or add --yes"
    : `pass ${optionName("yes")}, or ${optionName("confirm")}`;
}

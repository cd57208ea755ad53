import { findTool } from "./catalog";
import { RefusedError } from "./errors";
import type { Spec } from "./spec/types";

/**
 * A secret a tool reads from the deploying process's environment at `up`/`preview`, never from the
 * spec (an API key, a licence): the spec stays shareable, `validate` needs none of them.
 */
export interface DeployInput {
  /** The environment variable, e.g. WANDB_API_KEY. */
  variable: string;
  /** What it holds, for the error when it is missing. */
  purpose: string;
  /** How to set it. */
  hint: string;
}

/** What a tool's params make it read at deploy time (catalog entry `deployInputs`). */
export type DeployInputs = (params: Record<string, unknown>) => DeployInput[];

/** The placeholder `render` uses for an input that is not set: it runs offline and never deploys. */
export const RENDER_PLACEHOLDER = "not-set-when-rendering";

function declared(spec: Spec): { tool: string; input: DeployInput }[] {
  return spec.tools.flatMap((tool) => (findTool(tool.name)?.deployInputs?.()(tool.params) ?? []).map((input) => ({ tool: tool.name, input })));
}

const value = (env: NodeJS.ProcessEnv, variable: string) => (env[variable]?.trim() ? env[variable] : undefined);

/**
 * The deploy inputs the spec's tools declare, read from `env`: only those variables reach the
 * program. Refuses (exit 2, nothing touched) when one is unset or empty — called before the engine
 * or any AWS check runs.
 */
export function requireDeployInputs(spec: Spec, env: NodeJS.ProcessEnv): Record<string, string> {
  const wanted = declared(spec);
  const missing = wanted.filter(({ input }) => !value(env, input.variable));
  if (missing.length > 0) {
    throw new RefusedError(
      "DEPLOY_INPUT_MISSING",
      missing.map(({ tool, input }) => `${spec.file}: ${tool} reads ${input.purpose} from the environment variable ${input.variable} at deploy time, and it is not set — nothing was deployed`).join("\n"),
      missing.map(({ input }) => input.hint),
    );
  }
  return Object.fromEntries(wanted.map(({ input }) => [input.variable, value(env, input.variable)!]));
}

/**
 * The declared inputs that are set, without requiring any: destroy and refresh don't run the
 * program; `render` (offline, no credentials) puts `placeholder` in for the others.
 */
export function presentDeployInputs(spec: Spec, env: NodeJS.ProcessEnv, placeholder?: string): Record<string, string> {
  return Object.fromEntries(
    declared(spec).flatMap(({ input }) => {
      const found = value(env, input.variable) ?? placeholder;
      return found === undefined ? [] : [[input.variable, found]];
    }),
  );
}

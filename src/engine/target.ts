import { RefusedError } from "../errors";
import { optionName, type Vocabulary } from "../option-names";
import type { Spec } from "../spec/types";
import { resolveBackend, type Backend } from "./backend";
import { workspaceDir } from "./paths";
import { resolveSecrets, type SecretsSetup } from "./secrets";
import type { StackTarget } from "./types";

export const DEFAULT_ENVIRONMENT = "dev";

export interface TargetOptions {
  /** The environment (Pulumi stack) name. @default "dev" */
  stack?: string;
  /** Backend URL. @default a local folder under platinfra's home */
  backend?: string;
  env?: NodeJS.ProcessEnv;
  /** How errors name options (`stack` or `--stack`). */
  vocabulary?: Vocabulary;
}

/** Pulumi's rule for stack names; it also keeps every workspace path inside platinfra's home. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Refuses a stack name Pulumi would refuse, and `.`/`..`, which would point a workspace path elsewhere. */
export function validateStackName(stack: string, vocabulary?: Vocabulary): void {
  if (STACK_NAME.test(stack) && stack !== "." && stack !== "..") return;
  throw new RefusedError(
    "INVALID_STACK_NAME",
    `${optionName("stack", vocabulary)} ${JSON.stringify(stack)}: a stack name is 1–100 letters, digits, "-", "_" or "." (and not "." or "..")`,
    [`for example ${optionName("stack", vocabulary)} dev, prod or eu-staging`],
  );
}

export interface ResolvedTarget {
  target: StackTarget;
  backend: Backend;
  secrets: SecretsSetup;
}

/** Where a spec's stack lives and how the engine reaches it: backend, workspace, secrets, tags. */
export function resolveTarget(spec: Spec, region: string | undefined, options: TargetOptions, version: string): ResolvedTarget {
  const env = options.env ?? process.env;
  const stack = options.stack ?? DEFAULT_ENVIRONMENT;
  validateStackName(stack, options.vocabulary);
  const backend = resolveBackend(options.backend, env, options.vocabulary);
  const secrets = resolveSecrets(backend, env);
  const engineEnv: Record<string, string> = { ...secrets.env };
  if (spec.provider.profile) engineEnv.AWS_PROFILE = spec.provider.profile;
  if (region) engineEnv.AWS_REGION = region;
  const target: StackTarget = {
    project: spec.name,
    stack,
    specFile: spec.file,
    backendUrl: backend.url,
    workDir: workspaceDir(spec.name, stack, env),
    env: engineEnv,
    tags: {
      "platinfra:version": version,
      "platinfra:provider": spec.provider.name,
      "platinfra:region": region ?? "unset",
      "platinfra:tools": spec.tools.map((tool) => tool.name).join(","),
    },
  };
  return { target, backend, secrets };
}

/**
 * URN patterns for `--target <tool>`: the tool's component and children (named after it), what
 * they stand on (the platform and the providers) and the tools it links to.
 */
export function targetPatterns(target: StackTarget, tools: string[]): string[] {
  const prefix = `urn:pulumi:${target.stack}::${target.project}::`;
  return [
    `${prefix}pulumi:pulumi:Stack::*`,
    `${prefix}**platinfra:base:**`,
    `${prefix}**pulumi:providers:**`,
    ...tools.flatMap((tool) => [`${prefix}**::${tool}`, `${prefix}**::${tool}-*`]),
  ];
}

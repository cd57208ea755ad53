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
  const backend = resolveBackend(options.backend, env);
  const secrets = resolveSecrets(backend, env);
  const engineEnv: Record<string, string> = { ...secrets.env };
  if (spec.provider.profile) engineEnv.AWS_PROFILE = spec.provider.profile;
  if (region) engineEnv.AWS_REGION = region;
  const target: StackTarget = {
    project: spec.name,
    stack,
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

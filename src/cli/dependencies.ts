import type { EngineDependencies } from "../api";

let override: EngineDependencies | undefined;

/**
 * The engine and AWS checks the commands use: the real ones unless a test (or an embedding tool)
 * put others in place.
 */
export function engineDependencies(): EngineDependencies | undefined {
  return override;
}

/** Replaces the engine and preflight for every command run after it; `undefined` restores them. */
export function useEngineDependencies(dependencies: EngineDependencies | undefined): void {
  override = dependencies;
}

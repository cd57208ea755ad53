import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Settings for the pods the K8sRunLauncher starts. */
export interface RunEnvironment {
  /** Plain settings as `KEY=value` (the launcher's `env_vars`). */
  envVars: pulumi.Output<string[]>;
  /** Secrets by name (the launcher's `env_secrets`: every key becomes a variable). */
  envSecrets: pulumi.Output<{ name: string }[]>;
}

/**
 * A peer's pod settings (`peerPodEnv`) in the K8sRunLauncher's terms. Secret values never enter
 * the chart's values: only the name of the Secret holding them does.
 */
export function runEnvironment(env: pulumi.Output<EnvVar[]>): RunEnvironment {
  const envVars = env.apply((vars) => vars.filter((entry) => typeof entry.value === "string").map((entry) => `${entry.name}=${entry.value}`));
  const envSecrets = env.apply((vars) => {
    const names = vars.map((entry) => (entry.valueFrom as { secretKeyRef?: { name?: string } } | undefined)?.secretKeyRef?.name).filter((name): name is string => Boolean(name));
    return [...new Set(names)].map((name) => ({ name }));
  });
  return { envVars, envSecrets };
}

import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ToolNamespace } from "./namespace";
import type { ToolScope } from "./scope";

/** A Kubernetes Secret of generated values, and those values as Pulumi secrets. */
export interface GeneratedSecret {
  secret: k8s.core.v1.Secret;
  values: Record<string, pulumi.Output<string>>;
}

/**
 * A Kubernetes Secret `secretName` holding `plain` values and, per key of `generated`, a random
 * alphanumeric string of that length (safe in URLs, INI files and shell). The generated values are
 * Pulumi secrets (encrypted in state) and reach pods only through secretKeyRef, never Helm values.
 * Generated once: later runs keep them.
 */
export function createGeneratedSecret(
  scope: ToolScope,
  options: { namespace: ToolNamespace; purpose: string; secretName: string; generated: Record<string, number>; plain?: Record<string, string> },
): GeneratedSecret {
  const values = Object.fromEntries(
    Object.entries(options.generated).map(([key, length]) => {
      const password = new random.RandomPassword(`${scope.name}-${options.purpose}-${key}`, { length, special: false }, { parent: scope.parent });
      return [key, pulumi.secret(password.result)];
    }),
  );
  const secret = new k8s.core.v1.Secret(
    `${scope.name}-${options.purpose}`,
    { metadata: { name: options.secretName, namespace: options.namespace.name }, stringData: { ...options.plain, ...values } },
    { parent: scope.parent, dependsOn: [options.namespace.resource] },
  );
  return { secret, values };
}

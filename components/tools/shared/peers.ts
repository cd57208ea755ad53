import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "./namespace";
import type { ToolScope } from "./scope";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** A peer tool's settings for this tool's pods, and the Secret they read (to wait for). */
export interface PeerPodEnv {
  env: pulumi.Output<EnvVar[]>;
  dependsOn: pulumi.Resource[];
}

/**
 * The environment variables this tool's pods need to use `peer` when the stack has it: the peer's
 * plain in-cluster settings as values, its secrets through a Secret `<peer>-client` in this tool's
 * namespace (secretKeyRef: never in a pod spec, Helm values or plain state).
 */
export function peerPodEnv(scope: ToolScope, namespace: ToolNamespace, peer: string): PeerPodEnv | undefined {
  const podEnv = scope.context.peers.get(peer)?.podEnv;
  if (!podEnv) return undefined;
  const secretName = `${peer}-client`;
  const secretKeys = Object.keys(podEnv.secrets ?? {});
  const secret = secretKeys.length
    ? new k8s.core.v1.Secret(
        `${scope.name}-${peer}-client`,
        { metadata: { name: secretName, namespace: namespace.name }, stringData: podEnv.secrets },
        { parent: scope.parent, dependsOn: [namespace.resource] },
      )
    : undefined;
  const env = podEnv.plain.apply((plain): EnvVar[] => [
    ...Object.entries(plain).map(([name, value]) => ({ name, value })),
    ...secretKeys.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key: name } } })),
  ]);
  return { env, dependsOn: secret ? [secret] : [] };
}

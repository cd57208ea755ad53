import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
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

/**
 * The experiment trackers whose client settings training and pipeline pods get when the stack has
 * them (tools list them in `links`, so the trackers are created first).
 */
export const TRACKERS = ["mlflow", "wandb"] as const;

/** Every tracker's settings for this tool's pods (`peerPodEnv` of each one in the stack), as one. */
export function trackerPodEnv(scope: ToolScope, namespace: ToolNamespace): PeerPodEnv | undefined {
  const found = TRACKERS.flatMap((tracker) => peerPodEnv(scope, namespace, tracker) ?? []);
  if (found.length <= 1) return found[0];
  return { env: pulumi.all(found.map((peer) => peer.env)).apply((lists) => lists.flat()), dependsOn: found.flatMap((peer) => peer.dependsOn) };
}

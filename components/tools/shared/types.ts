import type * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "./context";

/** A bucket holding a tool's data, as other tools are granted it. */
export interface DataBucket {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

/**
 * How to reach a tool that only listens inside the cluster from a laptop: a `kubectl
 * port-forward` to its Service, and the client settings that point at the forwarded ports.
 */
export interface LocalAccess {
  namespace: string;
  /** The Kubernetes Service to forward to. */
  service: string;
  /** Local port → the Service's port (distinct local ports where a Service port is privileged, like 80). */
  ports: { local: number; remote: number }[];
  /** The tool's `env` entries that name in-cluster addresses, as they read through the forward. */
  env: Record<string, string>;
  /**
   * In-cluster hostnames to map to 127.0.0.1 in /etc/hosts, for a tool whose clients hand its URL
   * on to pods (ZenML): the laptop then uses the very URL the pods can reach. @default none
   */
  hosts?: string[];
}

/** What every tool component exposes to the program. */
export interface ToolComponent extends pulumi.ComponentResource {
  /** What a user needs to use the tool: URLs, URIs, bucket names, commands. Secrets stay secret. */
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  /** Client settings as environment variables, printed by `platinfra outputs --env`. */
  readonly env: pulumi.Output<Record<string, string>>;
  /**
   * How to reach the tool from a laptop when its `env` names in-cluster addresses (printed by
   * `platinfra outputs --env --local`). @default none: its settings work from anywhere
   */
  readonly localAccess?: LocalAccess;
  /** Client settings that are secrets (passwords, tokens); exported as Pulumi secrets. */
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  /**
   * The buckets holding the tool's data (datasets, artifacts, models), which tools that process
   * the stack's data (batch jobs, Ray, monitoring) are granted. @default none
   */
  readonly dataBuckets?: DataBucket[];
  /**
   * Client settings for the pods of other tools in this cluster (see `peerPodEnv`). @default none:
   * other tools' pods don't use this one
   */
  readonly podEnv?: PodEnv;
}

/**
 * What other tools' pods need to use a tool: in-cluster addresses (a pod never leaves through the
 * public load balancer, nor meets an exposed tool's public host checks), and secret values, named
 * up front, that the reading tool copies into a Secret of its own namespace.
 */
export interface PodEnv {
  plain: pulumi.Output<Record<string, string>>;
  secrets?: Record<string, pulumi.Output<string>>;
}

/** A module under `components/tools/` that the catalog loads on demand. */
export interface ToolComponentModule {
  /** Names of tools whose components this one reads when they are in the stack (created first). */
  readonly links?: readonly string[];
  create(name: string, context: ToolContext): ToolComponent;
}

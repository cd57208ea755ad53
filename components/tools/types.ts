import type * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "./context";

/** A bucket holding a tool's data, as other tools are granted it. */
export interface DataBucket {
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

/** What every tool component exposes to the program. */
export interface ToolComponent extends pulumi.ComponentResource {
  /** What a user needs to use the tool: URLs, URIs, bucket names, commands. Secrets stay secret. */
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  /** Client settings as environment variables, printed by `platinfra outputs --env`. */
  readonly env: pulumi.Output<Record<string, string>>;
  /** Client settings that are secrets (passwords, tokens); exported as Pulumi secrets. */
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  /**
   * The buckets holding the tool's data (datasets, artifacts, models), which tools that process
   * the stack's data (batch jobs, Ray, monitoring) are granted. @default none
   */
  readonly dataBuckets?: DataBucket[];
}

/** A module under `components/tools/` that the catalog loads on demand. */
export interface ToolComponentModule {
  /** Names of tools whose components this one reads when they are in the stack (created first). */
  readonly links?: readonly string[];
  create(name: string, context: ToolContext): ToolComponent;
}

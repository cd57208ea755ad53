import type * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "./context";

/**
 * The building blocks every tool component uses, so each tool file only says what is particular
 * to its tool. `scope` is the tool's component: children are parented to it and named after it.
 */
export interface ToolScope {
  /** The component's name (the tool's canonical name): children are named `${name}-…`. */
  name: string;
  context: ToolContext;
  parent: pulumi.ComponentResource;
}

/** Options for a tool component: its own AWS provider (tagged with the tool) and the cluster's. */
export function toolComponentOptions(context: ToolContext): pulumi.ComponentResourceOptions {
  const { platform, instance } = context;
  return { providers: { aws: platform.awsProviderFor(instance.name), kubernetes: platform.cluster.kubernetes } };
}

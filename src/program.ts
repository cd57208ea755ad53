import * as pulumi from "@pulumi/pulumi";
import { Platform } from "../components/base/platform";
import type { ToolContext } from "../components/tools/shared/context";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../components/tools/shared/types";
import { findTool } from "./catalog";
import { assertDeployable } from "./deployable";
import { withDistinctLocalPorts } from "./local-ports";
import { mergeToolEnv } from "./tool-env";
import type { InstalledControllers } from "./engine/installed";
import type { Spec, ToolInstance } from "./spec/types";

export interface ProgramOptions {
  /** The Pulumi stack name: the environment (`dev`, `prod`). */
  environment: string;
  /** The AWS region, resolved before the program runs. */
  region: string;
  /**
   * The identity that created the cluster (recorded in its `platinfra:creator` tag; the deploying
   * identity when the cluster does not exist yet): EKS makes it admin itself, so `deployment.admins`
   * entries naming it get no access entry. @default unknown: every admin gets one
   */
  creatorArn?: string;
  /** Where tool components come from. @default the catalog */
  loadTool?: (name: string) => ToolComponentModule | undefined;
  /** Controllers an existing cluster already runs (preflight finds them): used, not installed twice. */
  installed?: InstalledControllers;
  /** Secrets the tools read from the deploying environment (`requireDeployInputs`), by variable. @default none */
  deployInputs?: Readonly<Record<string, string>>;
}

/** The stack outputs every deployment exports. */
export interface StackOutputs {
  stack: string;
  environment: string;
  region: string;
  accountId: string;
  clusterName: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  /** Secret: it names the cluster and how to authenticate to it. */
  kubeconfig: pulumi.Output<string>;
  tools: Record<string, pulumi.Input<Record<string, unknown>>>;
  env: pulumi.Output<Record<string, string>>;
  secretEnv: pulumi.Output<Record<string, string>>;
  /** Per tool listening only in the cluster: the port-forward and the settings that go through it. */
  local: Record<string, LocalAccess>;
}

const loadFromCatalog = (name: string) => findTool(name)?.load?.();

/**
 * The inline Pulumi program for a validated spec: providers, then the base infrastructure, then
 * one component per tool, in an order where linked tools come first.
 */
export function stackProgram(spec: Spec, options: ProgramOptions): () => Promise<StackOutputs> {
  assertDeployable(spec);
  const loadTool = options.loadTool ?? loadFromCatalog;
  return async () => {
    const platform = await Platform.create(spec.name, {
      stackName: spec.name,
      environment: options.environment,
      region: options.region,
      accountId: spec.provider.accountId,
      deployment: spec.deployment,
      ...(options.creatorArn ? { creatorArn: options.creatorArn } : {}),
      ...(spec.provider.profile ? { profile: spec.provider.profile } : {}),
      ...(options.installed ? { installed: options.installed } : {}),
    });
    const components = createTools(spec.tools, platform, loadTool, options.deployInputs ?? {});
    return {
      stack: spec.name,
      environment: options.environment,
      region: options.region,
      accountId: spec.provider.accountId,
      clusterName: platform.cluster.name,
      vpcId: platform.network.vpcId,
      kubeconfig: pulumi.secret(platform.cluster.kubeconfig),
      tools: Object.fromEntries([...components].map(([name, component]) => [name, component.outputs])),
      env: mergeEnv([...components].map(([name, component]): ToolEnv => [name, component.env])),
      secretEnv: pulumi.secret(mergeEnv([...components].flatMap(([name, component]): ToolEnv[] => (component.secretEnv ? [[name, component.secretEnv]] : [])))),
      local: withDistinctLocalPorts(Object.fromEntries([...components].flatMap(([name, component]) => (component.localAccess ? [[name, component.localAccess]] : [])))),
    };
  };
}

function createTools(
  tools: ToolInstance[],
  platform: Platform,
  loadTool: (name: string) => ToolComponentModule | undefined,
  deployInputs: Readonly<Record<string, string>>,
): Map<string, ToolComponent> {
  const modules = new Map(tools.map((tool) => [tool.name, requireModule(tool.name, loadTool)]));
  const created = new Map<string, ToolComponent>();
  for (const tool of creationOrder(tools, modules)) {
    const context: ToolContext = { instance: tool, platform, peers: created, deployInputs };
    created.set(tool.name, modules.get(tool.name)!.create(tool.name, context));
  }
  return created;
}

function requireModule(name: string, loadTool: (name: string) => ToolComponentModule | undefined): ToolComponentModule {
  const module = loadTool(name);
  if (!module) throw new Error(`tool ${name} has no component: the catalog marks it deployable but cannot load it`);
  return module;
}

/** Spec order, except that a tool comes after the tools it links to. */
export function creationOrder(tools: ToolInstance[], modules: Map<string, ToolComponentModule>): ToolInstance[] {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const ordered: ToolInstance[] = [];
  const visit = (tool: ToolInstance, path: string[]) => {
    if (ordered.includes(tool)) return;
    if (path.includes(tool.name)) throw new Error(`tools link to each other in a cycle: ${[...path, tool.name].join(" → ")}`);
    for (const link of modules.get(tool.name)?.links ?? []) {
      const linked = byName.get(link);
      if (linked) visit(linked, [...path, tool.name]);
    }
    ordered.push(tool);
  };
  for (const tool of tools) visit(tool, []);
  return ordered;
}

/** One tool's client settings, named after the tool. */
type ToolEnv = [tool: string, env: pulumi.Output<Record<string, string>>];

function mergeEnv(envs: ToolEnv[]): pulumi.Output<Record<string, string>> {
  return pulumi.all(envs.map(([, env]) => env)).apply((all) => mergeToolEnv(all.map((env, index) => [envs[index][0], env])));
}

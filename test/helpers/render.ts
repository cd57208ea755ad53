import { renderProgram, type RenderResult, type RenderedResource } from "../../src/engine/render";
import { stackProgram, type ProgramOptions } from "../../src/program";
import type { Spec } from "../../src/spec/types";

/** Runs the whole program under the mock runtime and returns every registered resource. */
export function renderSpec(spec: Spec, options: Partial<ProgramOptions> = {}): Promise<RenderResult> {
  const region = options.region ?? spec.provider.region ?? "eu-west-1";
  const program = stackProgram(spec, { environment: "dev", region, ...options });
  return renderProgram(program, { project: spec.name, stack: "dev", region, accountId: spec.provider.accountId });
}

export function ofType(result: RenderResult, type: string): RenderedResource[] {
  return result.resources.filter((resource) => resource.type === type);
}

/** The one resource with this name (and type, when given); throws when none or several match. */
export function named(result: RenderResult, name: string, type?: string): RenderedResource {
  const found = result.resources.filter((resource) => resource.name === name && (!type || resource.type === type));
  if (found.length !== 1) {
    throw new Error(`${found.length} resources named ${name}${type ? ` of type ${type}` : ""}; have: ${result.resources.map((resource) => resource.name).join(", ")}`);
  }
  return found[0];
}

/** A recorded input holding JSON (a policy document, an annotation), parsed; a value already parsed passes through. */
export function json(value: unknown): Record<string, any> {
  return (typeof value === "string" ? JSON.parse(value) : value) as Record<string, any>;
}

/** `<type> <name>` of every resource registered directly under the component whose URN ends with `componentUrnSuffix`, sorted. */
export function childrenOf(result: RenderResult, componentUrnSuffix: string): string[] {
  return result.resources
    .filter((resource) => resource.parent?.endsWith(componentUrnSuffix))
    .map((resource) => `${resource.type} ${resource.name}`)
    .sort();
}

import type { RenderResult, RenderedResource } from "../../src/engine/render";

/**
 * Whether `from` waits for `to` in Pulumi's dependency graph: directly or through other resources.
 * Pulumi creates (and updates) `to` before `from`, and deletes `from` before `to`.
 */
export function waitsFor(result: RenderResult, from: RenderedResource, to: RenderedResource): boolean {
  const byUrn = new Map(result.resources.map((resource) => [resource.urn, resource]));
  const seen = new Set<string>();
  const pending = [...(from.dependencies ?? [])];
  while (pending.length > 0) {
    const urn = pending.pop() as string;
    if (urn === to.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    pending.push(...(byUrn.get(urn)?.dependencies ?? []));
  }
  return false;
}

/** The names of resources whose inputs differ between two renders of the same program (same names). */
export function changedResources(before: RenderResult, after: RenderResult): string[] {
  const earlier = new Map(before.resources.map((resource) => [resource.urn, JSON.stringify(resource.inputs)]));
  return after.resources.filter((resource) => earlier.has(resource.urn) && earlier.get(resource.urn) !== JSON.stringify(resource.inputs)).map((resource) => resource.name);
}

/** The input keys of one resource that differ between two renders. */
export function changedInputs(before: RenderedResource, after: RenderedResource): string[] {
  const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
  return [...keys].filter((key) => JSON.stringify(before.inputs[key]) !== JSON.stringify(after.inputs[key])).sort();
}

import type { RenderedResource } from "../engine/render";

/** The resources as an indented tree, children under their parent, in registration order. */
export function renderTree(resources: RenderedResource[]): string {
  const children = new Map<string | null, RenderedResource[]>();
  for (const resource of resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, index) => {
      const last = index === list.length - 1;
      const branch = parent === null ? "" : last ? "└─ " : "├─ ";
      lines.push(`${indent}${branch}${resource.type} ${resource.name}`);
      walk(resource.urn, parent === null ? "" : `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(null, "");
  return lines.join("\n");
}

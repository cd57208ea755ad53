import { CATEGORIES, type Category } from "./categories";
import { normalizeToolName } from "./names";
import { TOOLS, type ToolDefinition } from "./tools";

export { CATEGORIES, isCategory, type Category } from "./categories";
export { normalizeToolName } from "./names";
export { TOOLS, type ToolDefinition } from "./tools";

const byNormalizedName = new Map<string, ToolDefinition>();
for (const tool of TOOLS) {
  for (const name of [tool.name, ...tool.aliases]) byNormalizedName.set(normalizeToolName(name), tool);
}

/** The tool a user's spelling refers to, if any ("nvidia_triton" → nvidia-triton). */
export function findTool(raw: string): ToolDefinition | undefined {
  return byNormalizedName.get(normalizeToolName(raw));
}

/** Every spelling that resolves to some tool, for "did you mean" suggestions. */
export function knownToolSpellings(): string[] {
  return [...byNormalizedName.keys()];
}

export function toolsFor(category: Category): ToolDefinition[] {
  return TOOLS.filter((tool) => tool.categories.includes(category));
}

export function isDeployable(tool: ToolDefinition): boolean {
  return tool.load !== undefined;
}

/** The catalog as rows, one per tool and category, in category order. */
export function catalogRows(): { category: Category; tool: ToolDefinition }[] {
  return CATEGORIES.flatMap((category) => toolsFor(category).map((tool) => ({ category, tool })));
}

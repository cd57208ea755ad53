import { CATEGORIES, type Category } from "./categories";
import { normalizeToolName } from "./names";
import { TOOLS, type ToolDefinition } from "./tools";

export { CATEGORIES, isCategory, type Category } from "./categories";
export { normalizeToolName } from "./names";
export { TOOLS, type ToolDefinition } from "./tools";
export type { Retirement } from "./retirements";
import type { ReplacementFacts } from "./retirements";

/** deployable: has a component; planned: known, not deployable yet (a warning); retired: refused (an error). */
export type ToolStatus = "deployable" | "planned" | "retired";

const byNormalizedName = new Map<string, ToolDefinition>();
for (const tool of TOOLS) {
  for (const name of [tool.name, ...tool.aliases]) byNormalizedName.set(normalizeToolName(name), tool);
}

/** The tool a user's spelling refers to, if any ("nvidia_triton" → nvidia-triton). */
export function findTool(raw: string): ToolDefinition | undefined {
  return byNormalizedName.get(normalizeToolName(raw));
}

/** Every spelling of a tool that is not retired, for "did you mean" suggestions (never suggest a retired tool). */
export function knownToolSpellings(): string[] {
  return [...byNormalizedName.entries()].filter(([, tool]) => !isRetired(tool)).map(([spelling]) => spelling);
}

export function toolsFor(category: Category): ToolDefinition[] {
  return TOOLS.filter((tool) => tool.categories.includes(category));
}

/** The tools messages offer for a role: every tool serving it except retired ones. */
export function offeredToolsFor(category: Category): ToolDefinition[] {
  return toolsFor(category).filter((tool) => !isRetired(tool));
}

export function isDeployable(tool: ToolDefinition): boolean {
  return tool.load !== undefined;
}

export function isRetired(tool: ToolDefinition): tool is ToolDefinition & { retired: NonNullable<ToolDefinition["retired"]> } {
  return tool.retired !== undefined;
}

export function toolStatus(tool: ToolDefinition): ToolStatus {
  if (isRetired(tool)) return "retired";
  return isDeployable(tool) ? "deployable" : "planned";
}

/** The catalog as rows, one per tool and category, in category order. */
export function catalogRows(): { category: Category; tool: ToolDefinition }[] {
  return CATEGORIES.flatMap((category) => toolsFor(category).map((tool) => ({ category, tool })));
}

/** What a retired tool's message says about its replacements, for a stack holding `stackTools` (canonical names). */
export function replacementFacts(stackTools: string[]): ReplacementFacts {
  return {
    inStack: (tool) => stackTools.includes(tool),
    deployable: (tool) => {
      const replacement = findTool(tool);
      return replacement !== undefined && isDeployable(replacement);
    },
  };
}

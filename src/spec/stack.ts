import { CATEGORIES, type Category, findTool, isDeployable, isRetired, knownToolSpellings, offeredToolsFor, replacementFacts } from "../catalog";
import type { ToolDefinition } from "../catalog";
import { retiredToolMessage } from "../catalog/retirements";
import type { SpecProblem } from "../errors";
import { closest } from "../util/suggest";
import { shown, shownList } from "../util/text";
import { formatPath, issuesToProblems, describeValue } from "./issues";
import type { ToolInstance } from "./types";
import { positionOf, type SpecPath, type YamlSource } from "./yaml-source";

/** Where a tool is listed: its first item, and its params when given. */
export interface ToolPlace {
  firstPath: SpecPath;
  paramsPath?: SpecPath;
  /** The item listing the tool under each of its roles. */
  roleItems: Map<Category, SpecPath>;
}

interface Resolution {
  tools: ToolInstance[];
  problems: SpecProblem[];
  places: Map<string, ToolPlace>;
}

interface Draft {
  definition: ToolDefinition;
  roles: Category[];
  params: Record<string, unknown>;
  paramsPath?: SpecPath;
  firstPath: SpecPath;
  roleItems: Map<Category, SpecPath>;
}

/**
 * Resolves every stack item against the catalog: one instance per tool, whatever the number of
 * roles it serves, with its params validated by the tool's own schema.
 */
export function resolveStack(stack: Record<string, unknown>, source: YamlSource): Resolution {
  const problems: SpecProblem[] = [];
  const drafts = new Map<string, Draft>();
  const report = (path: SpecPath, message: string, severity: SpecProblem["severity"] = "error") =>
    problems.push({ file: source.file, ...positionOf(source, path), path: formatPath(path), message, severity });

  for (const category of CATEGORIES) {
    const items = stack[category];
    if (!Array.isArray(items)) continue;
    items.forEach((item: unknown, index) => {
      const path: SpecPath = ["stack", category, index];
      const parsed = splitItem(item);
      if (parsed === undefined) return; // neither a name nor a mapping: the schema reports it
      if (typeof parsed === "string") return report(path, parsed);
      const definition = findTool(parsed.rawName);
      if (!definition) return report(path, unknownToolMessage(parsed.rawName, category));
      if (!definition.categories.includes(category)) return report(path, wrongCategoryMessage(definition, category));
      const draft: Draft = drafts.get(definition.name) ?? { definition, roles: [], params: {}, firstPath: path, roleItems: new Map() };
      drafts.set(definition.name, draft);
      if (draft.roles.includes(category)) return report(path, `${definition.name} is listed twice under ${category} — list it once`);
      draft.roles.push(category);
      draft.roleItems.set(category, path);
      if (parsed.params === undefined) return;
      const paramsPath: SpecPath = [...path, parsed.rawName];
      if (draft.paramsPath) {
        return report(
          paramsPath,
          `params for ${definition.name} are given twice (first at ${formatPath(draft.paramsPath)}) — one deployment serves every role, so give its params once`,
        );
      }
      draft.paramsPath = paramsPath;
      for (const problem of validateParams(definition, parsed.params, paramsPath, source, draft)) problems.push(problem);
    });
  }

  for (const draft of drafts.values()) {
    if (isRetired(draft.definition)) {
      reportRetired(draft, [...drafts.keys()], report);
    } else if (!isDeployable(draft.definition)) {
      report(
        draft.firstPath,
        `${draft.definition.name} is not deployable yet — validate accepts it, but preview, up and render refuse the stack until it is (see "platinfra tools")`,
        "warning",
      );
    }
  }
  const tools = [...drafts.values()].map((draft) => ({
    name: draft.definition.name,
    roles: draft.roles,
    params: draft.params,
    deployable: isDeployable(draft.definition),
  }));
  const places = new Map(
    [...drafts.values()].map((draft) => [draft.definition.name, { firstPath: draft.firstPath, paramsPath: draft.paramsPath, roleItems: draft.roleItems }]),
  );
  return { tools, problems, places };
}

/** One error on each listing of a retired tool, with that role's replacements; the first listing carries the reason. */
function reportRetired(draft: Draft, stackTools: string[], report: (path: SpecPath, message: string) => void): void {
  const { definition } = draft;
  if (!definition.retired) return;
  const facts = replacementFacts(stackTools);
  for (const [role, path] of draft.roleItems) {
    const reasonAt = path === draft.firstPath ? undefined : formatPath(draft.firstPath);
    report(path, retiredToolMessage(definition.name, definition.retired, role, facts, reasonAt));
  }
}

/** A tool name and optional params from an item, or a message saying why the item is malformed. */
function splitItem(item: unknown): { rawName: string; params?: unknown } | string | undefined {
  if (typeof item === "string") return { rawName: item };
  if (!item || typeof item !== "object" || Array.isArray(item)) return undefined;
  const keys = Object.keys(item);
  if (keys.length === 0) return "expected a tool name or a single-key mapping {tool: {params}}, received an empty mapping";
  if (keys.length > 1) {
    return `expected a tool name or a single-key mapping {tool: {params}}, received a mapping with ${keys.length} keys (${shownList(keys)}) — write one item per tool`;
  }
  return { rawName: keys[0], params: (item as Record<string, unknown>)[keys[0]] };
}

function unknownToolMessage(rawName: string, category: Category): string {
  const spelling = closest(rawName.toLowerCase(), knownToolSpellings());
  const suggestion = spelling ? ` — did you mean "${findTool(spelling)?.name}"?` : "";
  const allowed = offeredToolsFor(category).map((tool) => tool.name);
  return `unknown tool ${shown(rawName)}${suggestion} (tools for ${category}: ${allowed.join(", ")})`;
}

function wrongCategoryMessage(definition: ToolDefinition, category: Category): string {
  const allowed = offeredToolsFor(category).map((tool) => tool.name);
  return `${definition.name} cannot serve as ${category} — it serves: ${definition.categories.join(", ")}; tools for ${category}: ${allowed.join(", ")}`;
}

function validateParams(
  definition: ToolDefinition,
  params: unknown,
  path: SpecPath,
  source: YamlSource,
  draft: Draft,
): SpecProblem[] {
  const given = params === null ? {} : params;
  if (typeof given !== "object" || Array.isArray(given)) {
    const message = `params of ${definition.name} must be a mapping, received ${describeValue(params)}`;
    return [{ file: source.file, ...positionOf(source, path), path: formatPath(path), message, severity: "error" }];
  }
  // A retired tool is refused on its listings already; its params are not worth a second error.
  if (isRetired(definition)) return [];
  if (!isDeployable(definition) && Object.keys(given).length > 0) {
    const message = `${definition.name} takes no params until it is deployable (received ${shownList(Object.keys(given))}) — remove them`;
    return [{ file: source.file, ...positionOf(source, path), path: formatPath(path), message, severity: "error" }];
  }
  const schema = definition.params();
  const result = schema.safeParse(given);
  if (result.success) {
    draft.params = given as Record<string, unknown>;
    return [];
  }
  return issuesToProblems(result.error.issues, source, schema, path);
}

import * as z from "zod";
import { CATEGORIES } from "../catalog/categories";
import { TOOLS, type ToolDefinition } from "../catalog/tools";
import { documentSchema } from "./schema";

type JsonSchema = Record<string, unknown>;

/**
 * The spec's JSON Schema, for editors (yaml-language-server). The document structure comes from
 * the zod schema; the stack section is built from the catalog, since tool names match
 * case-insensitively with "-", "_" and spaces equivalent, which a plain enum cannot say.
 */
export function specJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(documentSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  const properties = schema.properties as Record<string, JsonSchema>;
  properties.stack = stackJsonSchema();
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://platinfra.dev/schema/stack.json",
    title: "platinfra stack",
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
    properties,
  };
}

function stackJsonSchema(): JsonSchema {
  const categories = Object.fromEntries(
    CATEGORIES.map((category) => {
      // Retired tools are left out, so an editor flags them as validate does.
      const tools = TOOLS.filter((tool) => tool.categories.includes(category) && !tool.retired);
      return [category, { type: "array", description: `Tools serving as ${category}.`, items: stackItemSchema(tools) }];
    }),
  );
  const retired = TOOLS.filter((tool) => tool.retired).map((tool) => tool.name);
  const retiredNote = retired.length > 0 ? ` Retired, refused by validate: ${retired.join(", ")} (see "platinfra tools").` : "";
  return {
    type: "object",
    description: `The tools to deploy, by role. A tool listed under several roles is one deployment.${retiredNote}`,
    additionalProperties: false,
    minProperties: 1,
    properties: categories,
  };
}

function stackItemSchema(tools: ToolDefinition[]): JsonSchema {
  const namePattern = `^(${tools.flatMap((tool) => [tool.name, ...tool.aliases]).map(spellingPattern).join("|")})$`;
  const withParams = Object.fromEntries(
    tools.map((tool) => [tool.name, { ...paramsSchema(tool), description: `${tool.title}: ${tool.deploys}.` }]),
  );
  return {
    anyOf: [
      { type: "string", pattern: namePattern, examples: tools.map((tool) => tool.name) },
      {
        type: "object",
        minProperties: 1,
        maxProperties: 1,
        propertyNames: { pattern: namePattern },
        properties: withParams,
      },
    ],
  };
}

function paramsSchema(tool: ToolDefinition): JsonSchema {
  const schema = z.toJSONSchema(tool.params(), { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete schema.$schema;
  return { anyOf: [schema, { type: "null" }] };
}

/** A regex for one spelling: any letter case, and "-", "_" or spaces between words. */
function spellingPattern(name: string): string {
  return [...name.toLowerCase()]
    .map((char) => {
      if (/[-_\s]/.test(char)) return "[-_ ]+";
      if (/[a-z]/.test(char)) return `[${char}${char.toUpperCase()}]`;
      return char.replace(/[.*+?^${}()|[\]\\&]/g, "\\$&");
    })
    .join("")
    .replace(/(\[-_ \]\+)+/g, "[-_ ]+");
}

import type { z } from "zod";
import type { SpecProblem } from "../errors";
import { didYouMean } from "../util/suggest";
import { escapeControls, shown, SHOWN_MAX } from "../util/text";
import { positionOf, type SpecPath, type YamlSource } from "./yaml-source";

/** `stack.experiment_tracker[0].mlflow`: the dotted form every message uses. */
export function formatPath(path: SpecPath): string {
  if (path.length === 0) return "(root)";
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    // Keys come from the file: bounded and printable, like every echoed value.
    const key = escapeControls(part.length > SHOWN_MAX ? `${part.slice(0, SHOWN_MAX)}…` : part);
    return text ? `${text}.${key}` : key;
  }, "");
}

/** A short, exact description of a received value. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${shown(value)}`;
  return `the ${typeof value} ${shown(String(value)).slice(1, -1)}`;
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let current = data;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
};

/** The keys an object schema allows at a path, to suggest the right spelling of an unknown key. */
export function allowedKeysAt(schema: z.ZodType, path: SpecPath): string[] {
  let current: unknown = schema;
  for (const part of [...path, undefined]) {
    current = unwrap(current);
    const def = (current as { _zod?: { def?: Record<string, unknown> } })?._zod?.def;
    if (!def) return [];
    if (part === undefined) return def.type === "object" ? Object.keys(def.shape as object) : [];
    if (def.type === "object") current = (def.shape as Record<string, unknown>)[part];
    else if (def.type === "array") current = def.element;
    else if (def.type === "record") current = def.valueType;
    else return [];
  }
  return [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (;;) {
    const def = current?._zod?.def;
    if (!def) return current;
    if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type as string)) {
      current = def.innerType as typeof current;
    } else if (def.type === "pipe") {
      current = def.in as typeof current;
    } else if (def.type === "lazy") {
      current = (def.getter as () => typeof current)();
    } else {
      return current;
    }
  }
}

/**
 * Turns zod issues into spec problems with positions. `basePath` is prepended (for tool params
 * validated separately); `schema` is the schema that was parsed, for "allowed keys" hints.
 */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  source: YamlSource,
  schema: z.ZodType,
  basePath: SpecPath = [],
): SpecProblem[] {
  return issues.flatMap((issue) => {
    const local = issue.path as (string | number)[];
    const path = [...basePath, ...local];
    const problem = (at: SpecPath, message: string, where: "key" | "value" = "value"): SpecProblem => ({
      file: source.file,
      ...positionOf(source, at, where),
      path: formatPath(at),
      message,
      severity: "error",
    });
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, local);
      return issue.keys.map((key) =>
        problem(
          [...path, key],
          `unknown key ${shown(key)}${didYouMean(key, allowed)} (allowed: ${allowed.join(", ") || "none"}) — fix the spelling or remove it`,
          "key",
        ),
      );
    }
    if (issue.code === "invalid_key") {
      // A record key that broke the key's own rule: its message, pointing at the key.
      return [problem(path, issue.issues.map((inner) => inner.message).join("; "), "key")];
    }
    const value = valueAt(source.data, path);
    return [problem(path, withValueShown(messageFor(issue, value, allowedKeysAt(schema, local.slice(0, -1))), value))];
  });
}

/**
 * Schemas write the received value into their messages as is (`"${issue.input}"`); here, in the one
 * place every schema message passes, a long or unprintable value is replaced by its shown form.
 */
function withValueShown(message: string, value: unknown): string {
  if (typeof value !== "string" || value === shown(value).slice(1, -1)) return message;
  const display = shown(value);
  return message.split(JSON.stringify(value)).join(display).split(`"${value}"`).join(display).split(value).join(display);
}

/** zod's own wording, which platinfra replaces; any other message was written for the schema. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid (input|option|union|discriminator)|Too (small|big))/;

function messageFor(issue: z.core.$ZodIssue, value: unknown, siblings: string[]): string {
  if (issue.message && !ZOD_DEFAULT_MESSAGE.test(issue.message) && issue.code !== "invalid_type") return issue.message;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
      if (value === undefined) {
        const key = String(issue.path[issue.path.length - 1] ?? "");
        return `missing required key "${key}" (expected ${expected})${siblings.length ? ` — required here: ${siblings.join(", ")}` : ""}`;
      }
      const quote = issue.expected === "string" && typeof value === "number" ? " — quote it: unquoted, YAML reads it as a number" : "";
      return `expected ${expected}, received ${describeValue(value)}${quote}`;
    }
    case "invalid_union":
      if (issue.path[0] === "stack") return `expected a tool name or a single-key mapping {tool: {params}}, received ${describeValue(value)}`;
      return `received ${describeValue(value)}, which matches none of the allowed forms`;
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? "at least" : "at most";
      const limit = String((issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum);
      if (issue.message && !issue.message.startsWith("Too ")) return issue.message;
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      return `received ${describeValue(value)} — must be ${bound} ${limit}${unit}`;
    }
    case "invalid_value":
      return `received ${describeValue(value)} — allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${
        typeof value === "string" ? didYouMean(value, issue.values.map(String)) : ""
      }`;
    default:
      return issue.message;
  }
}

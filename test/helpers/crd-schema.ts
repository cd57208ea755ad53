import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./cli";

/** The structural keywords scripts/crd-schema.js keeps from a CRD's openAPIV3Schema. */
export interface CrdSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, CrdSchema>;
  additionalProperties?: CrdSchema | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  items?: CrdSchema;
  anyOf?: CrdSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxProperties?: number;
  "x-kubernetes-int-or-string"?: boolean;
}

export interface CrdFixture {
  source: string;
  group: string;
  kind: string;
  version: string;
  schema: CrdSchema;
}

/** A committed CRD fixture (test/fixtures/crds/<project>/<kind>.json). */
export function crdFixture(project: string, kind: string): CrdFixture {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test/fixtures/crds", project, `${kind}.json`), "utf8")) as CrdFixture;
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/**
 * What the API server's structural validation would reject in `value`, as `path: problem` lines:
 * unknown keys (the API server prunes them silently — as bad as a typo), missing required keys,
 * wrong types, enum, pattern, length, bound and size violations. CEL rules are not evaluated.
 */
export function schemaProblems(schema: CrdSchema, value: unknown, at = ""): string[] {
  const here = at || "(root)";
  if (schema["x-kubernetes-int-or-string"]) {
    if (!["integer", "string"].includes(typeOf(value))) return [`${here}: ${typeOf(value)} is neither an integer nor a string`];
  } else if (schema.type && !(schema.type === typeOf(value) || (schema.type === "number" && typeOf(value) === "integer"))) {
    return [`${here}: expected ${schema.type}, got ${typeOf(value)}`];
  }
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${here}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") problems.push(...stringProblems(schema, value, here));
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${here}: ${value} < minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${here}: ${value} > maximum ${schema.maximum}`);
  }
  if (Array.isArray(value)) problems.push(...arrayProblems(schema, value, at));
  else if (typeOf(value) === "object") problems.push(...objectProblems(schema, value as Record<string, unknown>, at));
  return problems;
}

function stringProblems(schema: CrdSchema, value: string, here: string): string[] {
  const problems: string[] = [];
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${here}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${here}: longer than ${schema.maxLength}`);
  if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${here}: shorter than ${schema.minLength}`);
  return problems;
}

function arrayProblems(schema: CrdSchema, value: unknown[], at: string): string[] {
  const problems: string[] = [];
  if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at}: more than ${schema.maxItems} items`);
  if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at}: fewer than ${schema.minItems} items`);
  if (schema.items) value.forEach((item, index) => problems.push(...schemaProblems(schema.items as CrdSchema, item, `${at}[${index}]`)));
  return problems;
}

function objectProblems(schema: CrdSchema, value: Record<string, unknown>, at: string): string[] {
  const problems = (schema.required ?? []).filter((key) => !(key in value)).map((key) => `${at}.${key}: required, missing`);
  if (schema.maxProperties !== undefined && Object.keys(value).length > schema.maxProperties) problems.push(`${at}: more than ${schema.maxProperties} keys`);
  for (const [key, item] of Object.entries(value)) {
    const sub = schema.properties?.[key] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (sub) problems.push(...schemaProblems(sub, item, `${at}.${key}`));
    else if (schema.properties || schema.additionalProperties === false) problems.push(`${at}.${key}: unknown key`);
  }
  return problems;
}

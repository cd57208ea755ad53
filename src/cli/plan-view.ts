import type { Plan } from "../api";
import { describeIdentity } from "../engine/identity";
import type { PlanDiagnostic, PlanStep } from "../engine/plan";
import type { Style } from "./style";

/** Pulumi's symbols for each step. */
const SYMBOLS: Record<string, string> = {
  create: "+",
  update: "~",
  replace: "+-",
  delete: "-",
  "create-replacement": "++",
  "delete-replaced": "--",
  read: ">",
  refresh: "~",
  import: "=",
  discard: "-",
};

/** The order of the summary, and its future tense: a plan says "to create", never "created". */
const FUTURE: [op: string, text: string][] = [
  ["create", "to create"],
  ["update", "to update"],
  ["replace", "to replace"],
  ["delete", "to delete"],
  ["same", "unchanged"],
];

const PAST: [op: string, text: string][] = [
  ["create", "created"],
  ["update", "updated"],
  ["replace", "replaced"],
  ["delete", "deleted"],
  ["same", "unchanged"],
];

/** `1 to create, 0 to update, …` for a preview, `created 1, updated 0, …` after a run. */
export function formatChanges(changes: Record<string, number>, tense: "future" | "past"): string {
  const count = (op: string) => changes[op] ?? 0;
  return tense === "future"
    ? FUTURE.map(([op, text]) => `${count(op)} ${text}`).join(", ")
    : PAST.map(([op, text]) => `${text} ${count(op)}`).join(", ");
}

/**
 * The plan as a person reads it: each resource that changes, grouped by the tool it belongs to
 * (the platform otherwise), with Pulumi's symbols, replacement reasons and, with `diff`, the
 * property-level changes.
 */
export function formatPlan(plan: Plan, style: Style, options: { diff: boolean }): string {
  const lines = [style.bold(`Plan for stack ${plan.fullName}:`)];
  if (plan.conflict) {
    lines.push(style.yellow(`  warning: this stack was deployed from ${describeIdentity(plan.conflict.recorded)}`));
    lines.push(style.yellow(`           this run uses ${plan.conflict.current.specPath} on ${plan.conflict.current.host}`));
  }
  const groups = new Map<string, PlanStep[]>();
  for (const step of plan.preview.steps) {
    const group = toolOf(step.urn);
    groups.set(group, [...(groups.get(group) ?? []), step]);
  }
  if (groups.size === 0) lines.push("  no changes");
  for (const [group, steps] of [...groups].sort(([a], [b]) => groupOrder(a) - groupOrder(b) || a.localeCompare(b))) {
    lines.push(`  ${style.bold(group)}`);
    for (const step of steps) lines.push(...formatStep(step, style, options.diff));
  }
  lines.push(`Resources: ${formatChanges(plan.preview.changes, "future")}`);
  return lines.join("\n");
}

/** Warnings and errors the engine reported, one block each. */
export function formatDiagnostics(diagnostics: PlanDiagnostic[], style: Style): string[] {
  return diagnostics.map((diagnostic) => {
    const where = diagnostic.urn ? ` ${diagnostic.urn.split("::").pop()}` : "";
    const label = diagnostic.severity === "error" ? style.red("error") : style.yellow("warning");
    return `${label}${where}: ${diagnostic.message}`;
  });
}

function formatStep(step: PlanStep, style: Style, diff: boolean): string[] {
  const symbol = colourOf(step.op, style)((SYMBOLS[step.op] ?? step.op).padEnd(2));
  const name = step.urn.split("::").pop() ?? step.urn;
  const reason =
    step.op === "replace" && step.replaceReasons.length > 0
      ? `  (replace: ${step.replaceReasons.join(", ")} changed)`
      : step.op === "update" && step.diffs.length > 0
        ? `  (${step.diffs.join(", ")})`
        : "";
  const lines = [`    ${symbol} ${step.type}  ${name}${style.dim(reason)}`];
  if (diff) lines.push(...propertyLines(step, style));
  return lines;
}

/** `~ tags.team: "ml" => "platform"` for each property the engine reported as changed. */
function propertyLines(step: PlanStep, style: Style): string[] {
  const paths = Object.keys(step.detailedDiff).length > 0 ? Object.entries(step.detailedDiff) : step.diffs.map((key) => [key, "update"] as const);
  return paths.map(([property, kind]) => {
    const before = valueAt(step.oldInputs, property);
    const after = valueAt(step.newInputs, property);
    const base = kind.replace("-replace", "");
    const symbol = base === "add" ? "+" : base === "delete" ? "-" : "~";
    const known = before !== undefined || after !== undefined;
    const change = !known ? "" : `: ${base === "add" ? show(after) : base === "delete" ? show(before) : `${show(before)} => ${show(after)}`}`;
    const forces = kind.endsWith("-replace") ? style.dim(" (forces replacement)") : "";
    return `        ${colourOf(base === "add" ? "create" : base === "delete" ? "delete" : "update", style)(symbol)} ${property}${change}${forces}`;
  });
}

function colourOf(op: string, style: Style): (text: string) => string {
  if (op === "create" || op === "create-replacement") return style.green;
  if (op === "delete" || op === "delete-replaced" || op === "discard") return style.red;
  if (op === "replace") return style.magenta;
  return style.yellow;
}

/** The tool a resource belongs to: its `platinfra:tools:<Tool>` ancestor in the URN, else the platform. */
function toolOf(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  const tool = qualifiedType.split("$").find((type) => type.startsWith("platinfra:tools:"));
  if (!tool) return "platform";
  return tool.slice("platinfra:tools:".length).replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

function groupOrder(group: string): number {
  return group === "platform" ? 0 : 1;
}

/** The value at a Pulumi property path (`tags.team`, `ingress[0].cidr`, `["a.b"]`). */
function valueAt(root: unknown, property: string): unknown {
  const keys = [...property.matchAll(/\["([^"]+)"\]|\[(\d+)\]|([^.[\]]+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
  let value = root;
  for (const key of keys) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  if (value === undefined) return "(unknown)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

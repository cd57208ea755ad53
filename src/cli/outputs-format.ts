import type { StackOutput } from "../engine/types";
import { escapeControls, shown } from "../util/text";

const MASK = "[secret]";

/** Outputs as plain values, secrets masked unless `showSecrets`. */
export function outputValues(outputs: Record<string, StackOutput>, showSecrets: boolean): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, output]) => [key, output.secret && !showSecrets ? MASK : output.value]),
  );
}

/** Widest key column; longer keys push their value right instead of padding every line to them. */
const KEY_COLUMN_MAX = 60;

/**
 * `tools.mlflow.trackingUri  http://…`, one line per leaf value. Outputs come from the state backend:
 * the walk is a loop (no recursion however deep they nest) and control characters print escaped.
 */
export function formatOutputs(outputs: Record<string, StackOutput>, showSecrets: boolean): string {
  const lines: [string, string][] = [];
  const pending: [string, unknown][] = [["", outputValues(outputs, showSecrets)]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [prefix, value] = next;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index];
        pending.push([prefix ? `${prefix}.${key}` : key, item]);
      }
    } else {
      lines.push([escapeControls(prefix), escapeControls(typeof value === "string" ? value : leafJson(value))]);
    }
  }
  const width = Math.min(KEY_COLUMN_MAX, lines.reduce((widest, [key]) => Math.max(widest, key.length), 0));
  return lines.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join("\n");
}

function leafJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "[too deeply nested to print — use --json]";
  }
}

/**
 * A name a POSIX shell accepts after `export`. Names come from stack outputs, which whoever can write
 * the state backend controls: anything else (`A;touch X;B`) would run under `eval`, so it is skipped.
 */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function envEntries(outputs: Record<string, StackOutput>, key: "env" | "secretEnv"): [string, unknown][] {
  const value = outputs[key]?.value;
  return value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/** `export NAME='value'` lines for the tools' client settings; secret ones only when shown. */
export function formatEnv(outputs: Record<string, StackOutput>, showSecrets: boolean): string {
  const lines: string[] = [];
  for (const [name, value] of envEntries(outputs, "env")) if (ENV_NAME.test(name)) lines.push(`export ${name}=${shellQuote(value)}`);
  for (const [name, value] of envEntries(outputs, "secretEnv")) {
    if (!ENV_NAME.test(name)) continue;
    lines.push(showSecrets ? `export ${name}=${shellQuote(value)}` : `# ${name} is secret: add --show-secrets to print it`);
  }
  return lines.join("\n");
}

/** One line per output name `formatEnv` skipped, for stderr. */
export function skippedEnvNames(outputs: Record<string, StackOutput>): string[] {
  return [...envEntries(outputs, "env"), ...envEntries(outputs, "secretEnv")]
    .filter(([name]) => !ENV_NAME.test(name))
    .map(([name]) => `skipped output ${shown(name)}: not a shell variable name (letters, digits and _, not starting with a digit)`);
}

/** Always single-quoted: the value stays one word whatever it holds. */
export function shellQuote(value: unknown): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

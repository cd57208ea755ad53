import type { StackOutput } from "../engine/types";

const MASK = "[secret]";

/** Outputs as plain values, secrets masked unless `showSecrets`. */
export function outputValues(outputs: Record<string, StackOutput>, showSecrets: boolean): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([key, output]) => [key, output.secret && !showSecrets ? MASK : output.value]),
  );
}

/** `tools.mlflow.trackingUri  http://…`, one line per leaf value. */
export function formatOutputs(outputs: Record<string, StackOutput>, showSecrets: boolean): string {
  const lines: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, item] of Object.entries(value)) walk(prefix ? `${prefix}.${key}` : key, item);
    } else {
      lines.push([prefix, typeof value === "string" ? value : JSON.stringify(value)]);
    }
  };
  walk("", outputValues(outputs, showSecrets));
  const width = lines.reduce((widest, [key]) => Math.max(widest, key.length), 0);
  return lines.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join("\n");
}

/** `export NAME='value'` lines for the tools' client settings; secret ones only when shown. */
export function formatEnv(outputs: Record<string, StackOutput>, showSecrets: boolean): string {
  const plain = (outputs.env?.value ?? {}) as Record<string, string>;
  const secret = (outputs.secretEnv?.value ?? {}) as Record<string, string>;
  const lines = Object.entries(plain).map(([name, value]) => `export ${name}=${shellQuote(value)}`);
  for (const [name, value] of Object.entries(secret)) {
    lines.push(showSecrets ? `export ${name}=${shellQuote(value)}` : `# ${name} is secret: add --show-secrets to print it`);
  }
  return lines.join("\n");
}

export function shellQuote(value: string): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

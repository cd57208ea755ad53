import type { StackOutput } from "../engine/types";
import { hostsEntryCommand, shellCommand } from "../util/shell";
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

export interface EnvOptions {
  /** Settings for this machine: in-cluster addresses replaced by the forwarded localhost ones, with the commands that forward them. */
  local?: boolean;
  /** The spec's AWS profile, for the printed `aws eks update-kubeconfig`. */
  profile?: string;
}

/**
 * `export NAME='value'` lines for the tools' client settings; secret ones only when shown. Comment
 * lines say which values are in-cluster addresses, or (local) which port-forwards to start first.
 * Every comment line is escaped: a value from the state can never end it and start a command.
 */
export function formatEnv(outputs: Record<string, StackOutput>, showSecrets: boolean, options: EnvOptions = {}): string {
  const access = localAccessOf(outputs);
  const forwarded = options.local ? Object.values(access).flatMap((tool) => Object.entries(tool.env ?? {})) : [];
  const plain = new Map<string, unknown>([...envEntries(outputs, "env"), ...forwarded]);
  const header = options.local ? forwardCommands(outputs, access, options.profile) : inClusterNotice(access, plain);
  const lines = header.map((line) => escapeControls(line));
  for (const [name, value] of plain) if (ENV_NAME.test(name)) lines.push(`export ${name}=${shellQuote(value)}`);
  for (const [name, value] of envEntries(outputs, "secretEnv")) {
    if (!ENV_NAME.test(name)) continue;
    lines.push(showSecrets ? `export ${name}=${shellQuote(value)}` : `# ${name} is secret: add --show-secrets to print it`);
  }
  return lines.join("\n");
}

/** How each tool listening only in the cluster is reached from a laptop (the program's `local` output). */
interface LocalAccessOutput {
  namespace: string;
  service: string;
  ports: { local: number; remote: number }[];
  env: Record<string, string>;
  hosts?: string[];
}

function localAccessOf(outputs: Record<string, StackOutput>): Record<string, LocalAccessOutput> {
  const value = outputs.local?.value;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, LocalAccessOutput>) : {};
}

function inClusterNotice(access: Record<string, LocalAccessOutput>, env: Map<string, unknown>): string[] {
  const names = Object.values(access).flatMap((tool) => Object.keys(tool.env ?? {})).filter((name) => env.has(name));
  if (names.length === 0) return [];
  return [
    `# In-cluster addresses, which resolve only inside the cluster: ${names.join(", ")}`,
    "# From a laptop: add --local for the kubectl port-forward commands and the localhost settings",
  ];
}

/** Comment lines: kubectl pointed at the cluster, then one port-forward per tool, each to run in a terminal of its own. */
function forwardCommands(outputs: Record<string, StackOutput>, access: Record<string, LocalAccessOutput>, profile?: string): string[] {
  const tools = Object.values(access);
  if (tools.length === 0) return ["# No tool of this stack needs a port-forward: every setting below works from anywhere"];
  const cluster = String(outputs.clusterName?.value ?? "");
  const region = String(outputs.region?.value ?? "");
  return [
    "# Localhost settings: first point kubectl at the cluster, then start each port-forward in a terminal of its own (it runs until stopped):",
    `#   ${shellCommand("aws", "eks", "update-kubeconfig", "--name", cluster, "--region", region, ...(profile ? ["--profile", profile] : []))}`,
    ...tools.flatMap((tool) => (tool.hosts ?? []).map((host) => `#   ${hostsEntryCommand(String(host))}`)),
    ...tools.map((tool) => `#   ${shellCommand("kubectl", "--namespace", String(tool.namespace), "port-forward", `svc/${tool.service}`, ...(tool.ports ?? []).map((port) => `${port.local}:${port.remote}`))}`),
  ];
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

import type { StackOutput } from "../engine/types";
import { hostsEntryCommand, shellCommand } from "../util/shell";

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
  const width = Math.max(0, ...lines.map(([key]) => key.length));
  return lines.map(([key, value]) => `  ${key.padEnd(width)}  ${value}`).join("\n");
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
 */
export function formatEnv(outputs: Record<string, StackOutput>, showSecrets: boolean, options: EnvOptions = {}): string {
  const access = localAccessOf(outputs);
  const forwarded = options.local ? Object.assign({}, ...Object.values(access).map((tool) => tool.env)) : {};
  const plain = { ...(outputs.env?.value ?? {}), ...forwarded } as Record<string, string>;
  const secret = (outputs.secretEnv?.value ?? {}) as Record<string, string>;
  const header = options.local ? forwardCommands(outputs, access, options.profile) : inClusterNotice(access, plain);
  const lines = [...header, ...Object.entries(plain).map(([name, value]) => `export ${name}=${shellQuote(value)}`)];
  for (const [name, value] of Object.entries(secret)) {
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
  return (outputs.local?.value ?? {}) as Record<string, LocalAccessOutput>;
}

function inClusterNotice(access: Record<string, LocalAccessOutput>, env: Record<string, string>): string[] {
  const names = Object.values(access).flatMap((tool) => Object.keys(tool.env)).filter((name) => name in env);
  if (names.length === 0) return [];
  return [
    `# In-cluster addresses, which resolve only inside the cluster: ${names.join(", ")}`,
    "# From a laptop: add --local for the kubectl port-forward commands and the localhost settings",
  ];
}

/** Comment lines: kubectl pointed at the cluster, then one port-forward per tool, each to run in a terminal of its own. */
function forwardCommands(outputs: Record<string, StackOutput>, access: Record<string, LocalAccessOutput>, profile?: string): string[] {
  const tools = Object.entries(access);
  if (tools.length === 0) return ["# No tool of this stack needs a port-forward: every setting below works from anywhere"];
  const cluster = String(outputs.clusterName?.value ?? "");
  const region = String(outputs.region?.value ?? "");
  return [
    "# Localhost settings: first point kubectl at the cluster, then start each port-forward in a terminal of its own (it runs until stopped):",
    `#   ${shellCommand("aws", "eks", "update-kubeconfig", "--name", cluster, "--region", region, ...(profile ? ["--profile", profile] : []))}`,
    ...tools.flatMap(([, tool]) => (tool.hosts ?? []).map((host) => `#   ${hostsEntryCommand(host)}`)),
    ...tools.map(([, tool]) => `#   ${shellCommand("kubectl", "--namespace", tool.namespace, "port-forward", `svc/${tool.service}`, ...tool.ports.map((port) => `${port.local}:${port.remote}`))}`),
  ];
}

export function shellQuote(value: string): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

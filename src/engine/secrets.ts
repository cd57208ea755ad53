import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Backend } from "./backend";
import { platinfraHome } from "./paths";

export interface SecretsSetup {
  /** Environment for the Pulumi CLI (PULUMI_CONFIG_PASSPHRASE or _FILE), empty on Pulumi Cloud. */
  env: Record<string, string>;
  /** `passphrase`, or undefined for Pulumi Cloud's own secrets provider. */
  provider?: "passphrase";
  /** Where the passphrase comes from, for messages. Never the passphrase itself. */
  source: string;
  /** Set when this call created the passphrase file. */
  created?: string;
}

/**
 * Secrets use the passphrase provider (Pulumi Cloud uses its own). The passphrase comes from
 * PLATINFRA_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE; when none is
 * set, a random one is created once and kept 0600 beside the state, outside any workspace.
 */
export function resolveSecrets(backend: Backend, env: NodeJS.ProcessEnv = process.env): SecretsSetup {
  if (env.PLATINFRA_PASSPHRASE) {
    return { env: { PULUMI_CONFIG_PASSPHRASE: env.PLATINFRA_PASSPHRASE }, provider: "passphrase", source: "PLATINFRA_PASSPHRASE" };
  }
  if (env.PULUMI_CONFIG_PASSPHRASE) {
    return { env: { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE }, provider: "passphrase", source: "PULUMI_CONFIG_PASSPHRASE" };
  }
  if (env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    return { env: { PULUMI_CONFIG_PASSPHRASE_FILE: file }, provider: "passphrase", source: `PULUMI_CONFIG_PASSPHRASE_FILE (${file})` };
  }
  if (backend.kind === "cloud") return { env: {}, source: "Pulumi Cloud" };
  const file = passphraseFile(backend, env);
  const created = ensurePassphraseFile(file);
  return { env: { PULUMI_CONFIG_PASSPHRASE_FILE: file }, provider: "passphrase", source: file, ...(created ? { created: file } : {}) };
}

/** Beside the state for the default backend; under platinfra's home for others. */
export function passphraseFile(backend: Backend, env: NodeJS.ProcessEnv = process.env): string {
  const home = platinfraHome(env);
  if (backend.directory) return path.join(path.dirname(backend.directory), `${path.basename(backend.directory)}.passphrase`);
  const key = backend.url.replace(/[^a-zA-Z0-9]+/g, "_").replace(/^_|_$/g, "");
  return path.join(home, "passphrases", `${key}.passphrase`);
}

/** Creates the file with a random passphrase unless it exists. Returns true when it created it. */
function ensurePassphraseFile(file: string): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString("base64url")}\n`, { mode: 0o600, flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false; // another run created it first
    throw error;
  }
}

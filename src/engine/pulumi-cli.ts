import * as fs from "node:fs";
import * as path from "node:path";
import type { PulumiCommand } from "@pulumi/pulumi/automation";
import { PlatinfraError } from "../errors";
import { pulumiInstallRoot } from "./paths";

/** The oldest Pulumi CLI platinfra runs with: URN wildcard targets, event logs, and stack tags on every backend (3.211 added them to file and S3 backends; platinfra records there which spec file deployed a stack). */
export const MIN_PULUMI_VERSION = "3.211.0";
/** The version `--install-pulumi` installs: the one the bundled SDK was released with. */
export const PINNED_PULUMI_VERSION = "3.248.0";

export const INSTALL_PULUMI_COMMAND = `curl -fsSL https://get.pulumi.com | sh -s -- --version ${PINNED_PULUMI_VERSION}`;

export class PulumiMissingError extends PlatinfraError {
  constructor(detail: string, installHint = "or run again with --install-pulumi") {
    super("PULUMI_MISSING", detail, { hints: [`install it: ${INSTALL_PULUMI_COMMAND}`, installHint] });
  }
}

export interface LocateOptions {
  /** Install the pinned version into platinfra's folder when none is found. */
  install?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The second hint of a missing CLI: how to ask for the install (`--install-pulumi` or `installPulumi: true`). */
  installHint?: string;
}

/**
 * Finds the Pulumi CLI: first in platinfra's own folder, then on PATH; enforces the minimum
 * version. With `install`, the Automation API installs the pinned version into platinfra's folder.
 */
export async function locatePulumi(options: LocateOptions = {}): Promise<PulumiCommand> {
  const env = options.env ?? process.env;
  const { PulumiCommand } = await import("@pulumi/pulumi/automation");
  const semver = await import("semver");
  const root = pulumiInstallRoot(env);
  const ownBinary = path.join(root, "bin", "pulumi");
  const version = new semver.SemVer(MIN_PULUMI_VERSION);
  const onPath = findOnPath("pulumi", env);
  if (!fs.existsSync(ownBinary) && !onPath) {
    if (!options.install) {
      throw new PulumiMissingError(`the Pulumi CLI was not found on PATH or in ${root} — platinfra needs it (version ${MIN_PULUMI_VERSION} or newer) to deploy`);
    }
    return PulumiCommand.install({ root, version: new semver.SemVer(PINNED_PULUMI_VERSION) });
  }
  try {
    return await PulumiCommand.get(fs.existsSync(ownBinary) ? { root, version } : { version });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/minimum|version/i.test(message)) {
      throw new PulumiMissingError(`the Pulumi CLI is too old (${firstLine(message)}) — platinfra needs ${MIN_PULUMI_VERSION} or newer`);
    }
    throw new PulumiMissingError(`the Pulumi CLI could not be run: ${firstLine(message)}`);
  }
}

/** The path of an executable on PATH, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0];
}

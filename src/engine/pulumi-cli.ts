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
    super("PULUMI_MISSING", detail, { hints: [`install it: ${INSTALL_PULUMI_COMMAND}`, installHint.replace("--install-pulumi", `--install-pulumi (installs ${PINNED_PULUMI_VERSION} into platinfra's own folder)`)] });
  }
}

/** The `--install-pulumi` download or install failed: why, and how to install by hand. */
export class PulumiInstallError extends PlatinfraError {
  constructor(reason: string, root: string) {
    super("PULUMI_INSTALL_FAILED", `could not install the Pulumi CLI ${PINNED_PULUMI_VERSION} into ${root}: ${reason}`, {
      hints: [`install it yourself: ${INSTALL_PULUMI_COMMAND} --install-root ${root} --no-edit-path`, `or put a Pulumi CLI ${MIN_PULUMI_VERSION} or newer on PATH`],
    });
  }
}

/** What a direct request to the download host showed: an HTTP status, or the network error's code. */
export interface DownloadProbe {
  status?: number;
  code?: string;
}

const DOWNLOAD_HOST = "get.pulumi.com";
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/** Why an install failed, in words: DNS, connection, HTTP status, timeout, proxy, or the install script's own error. */
export function explainInstallFailure(message: string, probe: DownloadProbe | undefined, env: NodeJS.ProcessEnv): string {
  const proxy = PROXY_VARIABLES.find((name) => env[name]);
  const proxyNote = proxy ? ` — ${proxy} is set, and the Automation API's download (Node's fetch) does not go through proxies` : "";
  const status = probe?.status ?? Number(/: (\d{3})\b/.exec(message)?.[1] ?? 0);
  if (probe?.code === "ENOTFOUND" || probe?.code === "EAI_AGAIN") return `DNS lookup of ${DOWNLOAD_HOST} failed (${probe.code})${proxyNote}`;
  if (probe?.code) return `could not connect to ${DOWNLOAD_HOST} (${probe.code})${proxyNote}`;
  if (status >= 400) return `${DOWNLOAD_HOST} answered HTTP ${status}${proxyNote}`;
  if (/Timed out downloading/.test(message)) return `the download from ${DOWNLOAD_HOST} timed out${proxyNote}`;
  if (/Failed to download/.test(message)) return `the download from ${DOWNLOAD_HOST} failed (${firstLine(message)})${proxyNote}`;
  return `the install script failed: ${firstLine(message)}`;
}

/** Asks the download host directly, to tell DNS, connection and HTTP failures apart. */
async function probeDownload(): Promise<DownloadProbe> {
  try {
    const response = await fetch(`https://${DOWNLOAD_HOST}/install.sh`, { method: "HEAD", signal: AbortSignal.timeout(15_000) });
    return { status: response.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { code: cause?.code ?? (error as Error).name };
  }
}

export interface LocateOptions {
  /** Install the pinned version into platinfra's folder when none is found. */
  install?: boolean;
  env?: NodeJS.ProcessEnv;
  /** The second hint of a missing CLI: how to ask for the install (`--install-pulumi` or `installPulumi: true`). */
  installHint?: string;
  /** Installs the pinned CLI (tests replace it). @default PulumiCommand.install */
  installer?: (root: string, version: string) => Promise<PulumiCommand>;
  /** Looks at the download host after a failed install (tests replace it). */
  probe?: () => Promise<DownloadProbe>;
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
  const install = async () => {
    const installer = options.installer ?? ((into: string, pinned: string) => PulumiCommand.install({ root: into, version: new semver.SemVer(pinned) }));
    try {
      return await installer(root, PINNED_PULUMI_VERSION);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const download = /Failed to download|Timed out downloading/.test(message) && !/: \d{3}\b/.test(message);
      const probe = download ? await (options.probe ?? probeDownload)() : undefined;
      throw new PulumiInstallError(explainInstallFailure(message, probe, env), root);
    }
  };
  if (!fs.existsSync(ownBinary) && !onPath) {
    if (!options.install) {
      throw new PulumiMissingError(`the Pulumi CLI was not found on PATH or in ${root} — platinfra needs it (version ${MIN_PULUMI_VERSION} or newer) to deploy`, options.installHint);
    }
    return install();
  }
  try {
    return await PulumiCommand.get(fs.existsSync(ownBinary) ? { root, version } : { version });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/minimum|version/i.test(message)) {
      // A too-old CLI on PATH: --install-pulumi puts the pinned one in platinfra's folder, which is looked at first.
      if (options.install) return install();
      throw new PulumiMissingError(`the Pulumi CLI is too old (${firstLine(message)}) — platinfra needs ${MIN_PULUMI_VERSION} or newer`, options.installHint);
    }
    throw new PulumiMissingError(`the Pulumi CLI could not be run: ${firstLine(message)}`, options.installHint);
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

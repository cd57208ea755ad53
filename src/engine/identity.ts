import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Spec } from "../spec/types";
import type { StackIdentity } from "./types";

/**
 * A stack is `name` + environment in a shared backend, so two projects whose specs share a name
 * are the same stack. Each up and destroy records which spec file (on which host) drove it; a
 * different file targeting the stack is a conflict the user must settle with --adopt.
 */

const TAG = {
  specPath: "platinfra:spec-path",
  specSha256: "platinfra:spec-sha256",
  deployedBy: "platinfra:deployed-by",
  at: "platinfra:deployed-at",
} as const;

/** Pulumi Cloud rejects longer tag values; the end of a path is the part that tells files apart. */
const MAX_TAG_VALUE = 256;

/** The identity of the spec file being used now, by this user on this host. */
export function currentIdentity(spec: Spec, now: Date = new Date()): StackIdentity {
  const specPath = path.resolve(spec.file);
  let text: string;
  try {
    text = fs.readFileSync(specPath, "utf8");
  } catch {
    text = JSON.stringify({ ...spec, file: undefined }); // a spec built in memory has no file to hash
  }
  return {
    specPath: fitTag(specPath),
    specSha256: crypto.createHash("sha256").update(text).digest("hex"),
    host: os.hostname(),
    user: safeUser(),
    at: now.toISOString(),
  };
}

export function identityTags(identity: StackIdentity): Record<string, string> {
  return {
    [TAG.specPath]: identity.specPath,
    [TAG.specSha256]: identity.specSha256,
    [TAG.deployedBy]: `${identity.user}@${identity.host}`,
    [TAG.at]: identity.at,
  };
}

export function identityFromTags(tags: Record<string, string | undefined>): StackIdentity | undefined {
  const specPath = tags[TAG.specPath];
  if (!specPath) return undefined;
  const by = tags[TAG.deployedBy] ?? "";
  const at = by.lastIndexOf("@");
  return {
    specPath,
    specSha256: tags[TAG.specSha256] ?? "",
    user: at >= 0 ? by.slice(0, at) : by,
    host: at >= 0 ? by.slice(at + 1) : "",
    at: tags[TAG.at] ?? "",
  };
}

/** The stack was last deployed from another spec file (or the same path on another host). */
export interface IdentityConflict {
  recorded: StackIdentity;
  current: StackIdentity;
}

export function findConflict(recorded: StackIdentity | undefined, current: StackIdentity): IdentityConflict | undefined {
  if (!recorded) return undefined;
  if (recorded.specPath === current.specPath && recorded.host === current.host) return undefined;
  return { recorded, current };
}

/** `/home/ana/a/stack.yaml on laptop (ana, 2026-11-28T05:00:00.000Z)`. */
export function describeIdentity(identity: StackIdentity): string {
  return `${identity.specPath} on ${identity.host} (${identity.user}, ${identity.at})`;
}

function fitTag(value: string): string {
  return value.length <= MAX_TAG_VALUE ? value : `…${value.slice(value.length - MAX_TAG_VALUE + 1)}`;
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "unknown"; // no passwd entry (some containers)
  }
}

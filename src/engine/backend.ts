import * as path from "node:path";
import { RefusedError } from "../errors";
import { optionName, type Vocabulary } from "../option-names";
import { defaultStateDir } from "./paths";

export type BackendKind = "file" | "diy" | "cloud";

export interface Backend {
  url: string;
  /** file: a local folder; diy: object storage (s3://, gs://, azblob://); cloud: Pulumi Cloud. */
  kind: BackendKind;
  /** Local folder of a file backend. */
  directory?: string;
}

/**
 * The backend to use: `--backend`, else PULUMI_BACKEND_URL, else the embedded default, a local
 * folder under platinfra's home: no Pulumi Cloud account needed.
 */
export function resolveBackend(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, vocabulary?: Vocabulary): Backend {
  const given = flag ?? env.PULUMI_BACKEND_URL;
  if (!given) return fileBackend(defaultStateDir(env));
  if (given.startsWith("file://")) return fileBackend(path.resolve(given.slice("file://".length).replace(/^~(?=\/|$)/, env.HOME ?? "~")));
  if (/^https?:\/\/[^/]/.test(given)) return { url: given.replace(/\/+$/, ""), kind: "cloud" };
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]/.test(given)) return { url: given, kind: "diy" };
  // A bare word used to become a folder in the working directory, with a passphrase file beside the code.
  const source = flag !== undefined ? optionName("backend", vocabulary) : "PULUMI_BACKEND_URL";
  throw new RefusedError("INVALID_BACKEND", `${source} ${JSON.stringify(given)} is not a URL — a backend is file://<folder>, s3://<bucket>, gs://…, azblob://… or https://api.pulumi.com`, [
    `for a local folder: ${source === "PULUMI_BACKEND_URL" ? "PULUMI_BACKEND_URL=" : `${source} `}file://${path.resolve(given)}`,
  ]);
}

function fileBackend(directory: string): Backend {
  // Pulumi wants file://<absolute path>; pathToFileURL would percent-encode, which Pulumi does not decode.
  return { url: `file://${directory}`, kind: "file", directory };
}


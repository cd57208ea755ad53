import * as os from "node:os";
import * as path from "node:path";

/** platinfra's own folder: state, passphrase, workspaces, and a Pulumi CLI it installed. */
export function platinfraHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLATINFRA_HOME ?? path.join(os.homedir(), ".platinfra");
}

/** The embedded default backend's folder. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(platinfraHome(env), "state");
}

/** A persistent workspace per project and stack (Pulumi.yaml and stack settings live there). */
export function workspaceDir(project: string, stack: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(platinfraHome(env), "workspaces", project, stack);
}

/** Where `--install-pulumi` puts the Pulumi CLI, and where platinfra looks for it first. */
export function pulumiInstallRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(platinfraHome(env), "pulumi");
}

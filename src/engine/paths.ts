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
  const root = path.join(platinfraHome(env), "workspaces");
  const dir = path.join(root, project, stack);
  // Names are validated (spec name, Pulumi stack name) before they get here; this is the last guard.
  const relative = path.relative(root, dir);
  if (!project || !stack || relative.startsWith("..") || relative.split(path.sep).length !== 2) {
    throw new Error(`refusing a workspace outside ${root}: project ${JSON.stringify(project)}, stack ${JSON.stringify(stack)}`);
  }
  return dir;
}

/** Where `--install-pulumi` puts the Pulumi CLI, and where platinfra looks for it first. */
export function pulumiInstallRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(platinfraHome(env), "pulumi");
}

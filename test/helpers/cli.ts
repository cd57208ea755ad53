import * as path from "node:path";
import { runCommand } from "@oclif/test";

export const PROJECT_ROOT = path.resolve(__dirname, "../../..");
export const EXAMPLES = path.join(PROJECT_ROOT, "examples");

/** Runs a platinfra command in-process through oclif; returns its output and exit code. */
export async function platinfra(args: string[], options: { keepColour?: boolean } = {}) {
  const { stdout, stderr, error } = await runCommand(args, { root: PROJECT_ROOT }, { stripAnsi: !options.keepColour });
  const exitCode = error ? (error.oclif?.exit ?? 1) : 0;
  return { stdout, stderr, exitCode, error };
}

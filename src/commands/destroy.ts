import { destroy } from "../api";
import { confirmFlags, OperationCommand, operationFlags, specArg } from "../cli/engine-command";
import { terminal } from "../cli/terminal";

export default class Destroy extends OperationCommand {
  static override summary = "Delete every resource of the stack.";
  static override description =
    "Asks you to type the stack's full name (project/stack) unless --yes; without a terminal it refuses unless --yes. Databases and buckets holding data are protected unless the spec sets deployment.deletion_protection: false.";
  static override examples = ["<%= config.bin %> destroy", "<%= config.bin %> destroy stack.yaml --stack dev --yes"];
  static override args = specArg;
  static override flags = { ...operationFlags, ...confirmFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Destroy);
    const interactive = terminal().interactive && !flags.json;
    const confirm = interactive ? async (question: string, answer: string) => (await terminal().ask(`${question}: `)) === answer : undefined;
    await this.runWithProgress(flags, args.spec, "destroy", ({ confirm: _plan, ...hooks }) =>
      destroy(args.spec, { ...hooks, yes: flags.yes, adopt: flags.adopt, confirm }),
    );
  }
}

import { destroy } from "../api";
import { OperationCommand, operationFlags, specArg } from "../cli/engine-command";
import { askToType } from "../cli/prompt";

export default class Destroy extends OperationCommand {
  static override summary = "Delete every resource of the stack.";
  static override description =
    "Asks for confirmation naming the stack and its resource count unless --yes. Databases and buckets holding data are protected unless the spec sets deployment.deletion_protection: false.";
  static override examples = ["<%= config.bin %> destroy stack.yaml", "<%= config.bin %> destroy stack.yaml --stack dev --yes"];
  static override args = specArg;
  static override flags = operationFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Destroy);
    const confirm = process.stdin.isTTY && !flags.json ? askToType : undefined;
    await this.runWithProgress(flags, `destroy of stack ${flags.stack} (${args.spec})`, (options) =>
      destroy(args.spec, { ...options, yes: flags.yes, confirm }),
    );
  }
}

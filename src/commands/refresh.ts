import { refresh } from "../api";
import { OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Refresh extends OperationCommand {
  static override summary = "Read the real state of every resource back into the stack's state.";
  static override examples = ["<%= config.bin %> refresh stack.yaml", "<%= config.bin %> refresh stack.yaml --stack prod --target mlflow"];
  static override args = specArg;
  static override flags = operationFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Refresh);
    await this.runWithProgress(flags, `refresh of stack ${flags.stack} (${args.spec})`, (options) => refresh(args.spec, options));
  }
}

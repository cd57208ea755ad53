import { preview } from "../api";
import { OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Preview extends OperationCommand {
  static override summary = "Show what up would change, without changing anything.";
  static override examples = ["<%= config.bin %> preview stack.yaml", "<%= config.bin %> preview stack.yaml --stack prod --target mlflow"];
  static override args = specArg;
  static override flags = operationFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Preview);
    await this.runWithProgress(flags, `preview of stack ${flags.stack} (${args.spec})`, (options) => preview(args.spec, options));
  }
}

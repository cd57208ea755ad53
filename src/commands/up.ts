import { up } from "../api";
import { OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Up extends OperationCommand {
  static override summary = "Deploy the stack: create or update every resource the spec asks for.";
  static override examples = ["<%= config.bin %> up stack.yaml", "<%= config.bin %> up stack.yaml --stack prod --target mlflow"];
  static override args = specArg;
  static override flags = operationFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Up);
    await this.runWithProgress(flags, `up of stack ${flags.stack} (${args.spec})`, (options) => up(args.spec, options));
  }
}

import { refresh } from "../api";
import { confirmFlags, OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Refresh extends OperationCommand {
  static override summary = "Read the real state of every resource back into the stack's state: preview, ask, then refresh.";
  static override examples = ["<%= config.bin %> refresh", "<%= config.bin %> refresh stack.yaml --stack prod --target mlflow --yes"];
  static override args = specArg;
  static override flags = { ...operationFlags, ...confirmFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Refresh);
    await this.runWithProgress(flags, args.spec, "refresh", (hooks) => refresh(args.spec, { ...hooks, yes: flags.yes, adopt: flags.adopt }));
  }
}

import { cancel } from "../api";
import { BaseCommand } from "../cli/base-command";
import { specArg, stackFlags, stackOptions } from "../cli/engine-command";

export default class Cancel extends BaseCommand {
  static override summary = "Stop a running update, or release the lock a crashed run left on the stack.";
  static override examples = ["<%= config.bin %> cancel stack.yaml --stack dev"];
  static override args = specArg;
  static override flags = stackFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cancel);
    const message = await cancel(args.spec, stackOptions(flags, (notice) => this.warnLine(notice)));
    if (flags.json) this.log(JSON.stringify({ result: message }));
    else this.log(message);
  }
}

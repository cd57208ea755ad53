import { cancel } from "../api";
import { BaseCommand } from "../cli/base-command";
import { engineDependencies } from "../cli/dependencies";
import { specArg, stackFlags } from "../cli/engine-command";

export default class Cancel extends BaseCommand {
  static override summary = "Stop a running update, or release the lock a crashed run left on the stack.";
  static override examples = ["<%= config.bin %> cancel stack.yaml --stack dev"];
  static override args = specArg;
  static override flags = stackFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cancel);
    const message = await cancel(args.spec, {
      stack: flags.stack,
      backend: flags.backend,
      installPulumi: flags["install-pulumi"],
      dependencies: engineDependencies(),
    });
    if (flags.json) this.log(JSON.stringify({ result: message }));
    else this.log(message);
  }
}

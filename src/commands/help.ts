import { Args, Command, loadHelpClass } from "@oclif/core";

/**
 * `platinfra help [command]`: oclif's own help, as @oclif/plugin-help's command shows it, without
 * loading a plugin at every start (startup budget: see `npm run bench`).
 */
export default class Help extends Command {
  static override summary = "Show help for platinfra or one of its commands.";
  static override examples = ["<%= config.bin %> help", "<%= config.bin %> help up"];
  static override args = { command: Args.string({ description: "The command to show help for." }) };
  static override strict = false;

  async run(): Promise<void> {
    const { argv } = await this.parse(Help);
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(argv as string[]);
  }
}

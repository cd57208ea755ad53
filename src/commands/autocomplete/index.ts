import { Args, Command, Flags } from "@oclif/core";
import { runAutocompleteCommand } from "../../cli/autocomplete-plugin";

export default class Autocomplete extends Command {
  static override summary = "Shell completion for bash, zsh or powershell: prints how to install it (@oclif/plugin-autocomplete).";
  static override examples = ["<%= config.bin %> autocomplete", "<%= config.bin %> autocomplete zsh"];
  static override args = { shell: Args.string({ description: "Shell type.", options: ["zsh", "bash", "powershell"] }) };
  static override flags = { "refresh-cache": Flags.boolean({ char: "r", description: "Refresh the completion cache only." }) };

  async run(): Promise<void> {
    await runAutocompleteCommand("index", this.argv, this.config);
  }
}

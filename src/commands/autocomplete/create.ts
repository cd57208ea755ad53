import { Command } from "@oclif/core";
import { runAutocompleteCommand } from "../../cli/autocomplete-plugin";

/** Called by the completion setup that `platinfra autocomplete` installs. */
export default class AutocompleteCreate extends Command {
  static override hidden = true;
  static override strict = false;
  static override summary = "create of @oclif/plugin-autocomplete.";

  async run(): Promise<void> {
    await runAutocompleteCommand("create", this.argv, this.config);
  }
}

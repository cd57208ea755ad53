import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { renderTable } from "../cli/table";
import { TOOLS, catalogRows, isDeployable } from "../catalog";

export default class Tools extends BaseCommand {
  static override summary = "List every tool platinfra knows, by category, and whether it can be deployed.";
  static override examples = ["<%= config.bin %> tools", "<%= config.bin %> tools --json"];
  static override flags = { json: Flags.boolean({ description: "Print the catalog as JSON on stdout." }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tools);
    const status = (deployable: boolean) => (deployable ? "deployable" : "not deployable yet");
    if (flags.json) {
      const tools = TOOLS.map((tool) => ({
        name: tool.name,
        title: tool.title,
        aliases: tool.aliases,
        categories: tool.categories,
        status: status(isDeployable(tool)),
        deploys: tool.deploys,
      }));
      this.log(JSON.stringify(tools, null, 2));
      return;
    }
    const rows = catalogRows().map(({ category, tool }) => [category, tool.name, status(isDeployable(tool)), tool.deploys]);
    this.log(renderTable(["CATEGORY", "TOOL", "STATUS", "DEPLOYS"], rows));
  }
}

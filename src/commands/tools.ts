import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { renderTable } from "../cli/table";
import { TOOLS, catalogRows, toolStatus, type Category, type ToolDefinition } from "../catalog";

/** What the STATUS column and `status` in --json say. */
const STATUS_TEXT = { deployable: "deployable", planned: "not deployable yet", retired: "retired" } as const;

export default class Tools extends BaseCommand {
  static override summary = "List every tool platinfra knows, by category, and whether it can be deployed.";
  static override description = "Retired tools are listed with what replaces them in each role, and why they were retired; validate refuses them.";
  static override examples = ["<%= config.bin %> tools", "<%= config.bin %> tools --json"];
  static override flags = { json: Flags.boolean({ description: "Print the catalog as JSON on stdout." }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tools);
    if (flags.json) {
      const tools = TOOLS.map((tool) => ({
        name: tool.name,
        title: tool.title,
        aliases: tool.aliases,
        categories: tool.categories,
        status: STATUS_TEXT[toolStatus(tool)],
        deploys: tool.deploys,
        ...(tool.retired ? { retired: tool.retired } : {}),
      }));
      this.log(JSON.stringify(tools, null, 2));
      return;
    }
    const rows = catalogRows().map(({ category, tool }) => [category, tool.name, STATUS_TEXT[toolStatus(tool)], deploysCell(tool, category)]);
    this.log(renderTable(["CATEGORY", "TOOL", "STATUS", "DEPLOYS"], rows));
    const retired = TOOLS.filter((tool) => tool.retired);
    if (retired.length > 0) this.log(["", "retired (validate refuses them):", ...retired.map(retiredLine)].join("\n"));
  }
}

/** For a retired tool, what to use in this role instead. */
function deploysCell(tool: ToolDefinition, category: Category): string {
  if (!tool.retired) return tool.deploys;
  return `nothing — use ${(tool.retired.replacements[category] ?? []).join(" or ")} instead`;
}

function retiredLine(tool: ToolDefinition): string {
  const retirement = tool.retired;
  return retirement ? `  ${tool.name} (since ${retirement.since}): ${retirement.reason} — ${retirement.source}` : "";
}

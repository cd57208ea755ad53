import { Args, Flags } from "@oclif/core";
import { render } from "../api";
import { BaseCommand } from "../cli/base-command";
import { renderTree } from "../cli/render-tree";

export default class Render extends BaseCommand {
  static override summary = "Show every resource the stack would create, offline: no Pulumi CLI, cloud or credentials.";
  static override description =
    'Runs the same program as up under Pulumi\'s mock runtime. --json prints {"stack", "region", "resources": [{"urn", "type", "name", "parent", "inputs"}]}, secrets as "[secret]".';
  static override examples = ["<%= config.bin %> render stack.yaml", "<%= config.bin %> render stack.yaml --json"];
  static override args = { spec: Args.string({ description: "Path of the stack file.", default: "stack.yaml" }) };
  static override flags = {
    stack: Flags.string({ char: "s", description: "Environment (Pulumi stack) name: letters, digits, -, _ and .", default: "dev" }),
    region: Flags.string({ description: "Region to render for when the spec sets none. Default: AWS_REGION, else us-east-1." }),
    json: Flags.boolean({ description: "Print the resources as JSON on stdout." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Render);
    const result = await render(args.spec, { stack: flags.stack, region: flags.region, vocabulary: "cli" });
    if (flags.json) {
      const resources = result.resources.map(({ urn, type, name, parent, inputs }) => ({ urn, type, name, parent, inputs }));
      this.log(JSON.stringify({ stack: result.stack, region: result.region, resources }, null, 2));
      return;
    }
    this.log(renderTree(result.resources));
    const stack = flags.stack === "dev" && !this.argv.some((arg) => /^(--stack|-s)/.test(arg)) ? `${result.stack} (the default; --stack to change)` : result.stack;
    this.log(`\n${result.resources.length} resources in stack ${stack}, region ${result.region} (${result.regionSource})`);
  }
}

import { Args, Flags } from "@oclif/core";
import { render } from "../api";
import { BaseCommand } from "../cli/base-command";
import { renderTree } from "../cli/render-tree";

export default class Render extends BaseCommand {
  static override summary = "Show every resource the stack would create, offline: no Pulumi CLI, cloud or credentials.";
  static override description =
    'Runs the same program as up under Pulumi\'s mock runtime. --json prints {"stack", "resources": [{"urn", "type", "name", "parent", "inputs"}]}, secrets as "[secret]".';
  static override examples = ["<%= config.bin %> render stack.yaml", "<%= config.bin %> render stack.yaml --json"];
  static override args = { spec: Args.string({ description: "Path of the stack file.", required: true }) };
  static override flags = {
    stack: Flags.string({ description: "Environment (Pulumi stack) name.", default: "dev" }),
    region: Flags.string({ description: "Region to render for when the spec sets none. Default: AWS_REGION, else us-east-1." }),
    json: Flags.boolean({ description: "Print the resources as JSON on stdout." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Render);
    const result = await render(args.spec, { stack: flags.stack, region: flags.region });
    if (flags.json) {
      const resources = result.resources.map(({ urn, type, name, parent, inputs }) => ({ urn, type, name, parent, inputs }));
      this.log(JSON.stringify({ stack: result.stack, resources }, null, 2));
      return;
    }
    this.log(renderTree(result.resources));
    this.log(`\n${result.resources.length} resources in stack ${result.stack}`);
  }
}

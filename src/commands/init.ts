import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { DEFAULT_STARTER_TOOLS, writeStarterSpec } from "../init";

export default class Init extends BaseCommand {
  static override summary = "Write a starter stack file.";
  static override description =
    "Each tool goes to its natural category. The file is validated before it is written, and a JSON Schema is written beside it for editors.";
  static override examples = [
    "<%= config.bin %> init",
    "<%= config.bin %> init stack.yaml --name ml-platform --account-id 123456789012 --region eu-west-1 --tools mlflow,ray",
  ];
  static override args = { file: Args.string({ description: "Where to write the stack file.", default: "stack.yaml" }) };
  static override flags = {
    name: Flags.string({ description: "Stack name (lowercase letters, digits, hyphens).", default: "mlops-stack" }),
    "account-id": Flags.string({ description: "12-digit AWS account id." }),
    region: Flags.string({ description: "AWS region, e.g. eu-west-1." }),
    tools: Flags.string({
      description: `Comma-separated tools. Default: ${DEFAULT_STARTER_TOOLS.join(",")}.`,
      default: DEFAULT_STARTER_TOOLS.join(","),
    }),
    force: Flags.boolean({ description: "Overwrite an existing file." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const tools = flags.tools.split(",").map((tool) => tool.trim()).filter(Boolean);
    const options = { name: flags.name, accountId: flags["account-id"], region: flags.region, tools };
    const result = writeStarterSpec(args.file, options, flags.force);
    this.log(`wrote ${result.specFile} (and ${result.schemaFile} for editors)`);
    if (result.usedPlaceholderAccount) this.log("set provider.account-id to your AWS account id before deploying");
    this.log(`next: platinfra validate ${result.specFile}`);
  }
}

import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { terminal } from "../cli/terminal";
import { DEFAULT_STARTER_TOOLS, nameFromFolder, writeStarterSpec, type StarterOptions } from "../init";

export default class Init extends BaseCommand {
  static override summary = "Write a starter stack file.";
  static override description =
    "The stack name defaults to the folder's name. On a terminal, asks for what no flag gave (name, account, region, tools), like pulumi new. Each tool goes to its natural category. The file is validated before it is written, and a JSON Schema is written beside it for editors.";
  static override examples = [
    "<%= config.bin %> init",
    "<%= config.bin %> init stack.yaml --name ml-platform --account-id 123456789012 --region eu-west-1 --tools mlflow,ray",
  ];
  static override args = { file: Args.string({ description: "Where to write the stack file.", default: "stack.yaml" }) };
  static override flags = {
    name: Flags.string({ description: "Stack name (lowercase letters, digits, hyphens). Default: the folder's name." }),
    "account-id": Flags.string({ description: "12-digit AWS account id." }),
    region: Flags.string({ description: "AWS region, e.g. eu-west-1." }),
    tools: Flags.string({ description: `Comma-separated tools. Default: ${DEFAULT_STARTER_TOOLS.join(",")}.` }),
    force: Flags.boolean({ description: "Overwrite an existing file." }),
    yes: Flags.boolean({ char: "y", description: "Ask nothing: take the defaults for what no flag gave." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const options = terminal().interactive && !flags.yes ? await this.ask(args.file, flags) : defaults(args.file, flags);
    const result = writeStarterSpec(args.file, options, flags.force);
    this.log(`wrote ${result.specFile} (and ${result.schemaFile} for editors)`);
    if (result.usedPlaceholderAccount) this.log("set provider.account-id to your AWS account id before deploying");
    for (const tool of result.pendingTools) {
      this.warnLine(`${this.style.yellow("warning:")} ${tool} is not deployable yet — preview, up and render will refuse this stack until it is (see "platinfra tools")`);
    }
    this.log(`next: platinfra validate ${result.specFile}`);
  }

  /** Like `pulumi new`: one question per value no flag gave, the default in brackets. */
  private async ask(file: string, flags: Partial<Record<"name" | "account-id" | "region" | "tools", string>>): Promise<StarterOptions> {
    const fallback = defaults(file, flags);
    const question = async (text: string, given: string | undefined, byDefault: string) =>
      given ?? ((await terminal().ask(`${text} [${byDefault}]: `)) || byDefault);
    const name = await question("stack name", flags.name, fallback.name);
    const accountId = await question("AWS account id (12 digits)", flags["account-id"], "none yet: a placeholder");
    const region = await question("AWS region", flags.region, "from the AWS profile or AWS_REGION");
    const tools = await question("tools, comma-separated", flags.tools, fallback.tools.join(","));
    return {
      name,
      accountId: /^none yet/.test(accountId) ? undefined : accountId,
      region: /^from the AWS profile/.test(region) ? undefined : region,
      tools: splitTools(tools),
    };
  }
}

function defaults(file: string, flags: Partial<Record<"name" | "account-id" | "region" | "tools", string>>): StarterOptions {
  return {
    name: flags.name ?? nameFromFolder(file),
    accountId: flags["account-id"],
    region: flags.region,
    tools: splitTools(flags.tools ?? DEFAULT_STARTER_TOOLS.join(",")),
  };
}

function splitTools(list: string): string[] {
  return list.split(",").map((tool) => tool.trim()).filter(Boolean);
}

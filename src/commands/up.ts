import { Flags } from "@oclif/core";
import { up } from "../api";
import { confirmFlags, OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Up extends OperationCommand {
  static override summary = "Deploy the stack: preview, ask, then create or update every resource the spec asks for.";
  static override description =
    "Like pulumi up and terraform apply: shows the plan (each resource to create, update, replace or delete, grouped by tool), then asks. Without a terminal it refuses unless --yes.";
  static override examples = [
    "<%= config.bin %> up",
    "<%= config.bin %> up stack.yaml --stack prod --target mlflow",
    "<%= config.bin %> up stack.yaml --yes --json",
  ];
  static override args = specArg;
  static override flags = {
    ...operationFlags,
    ...confirmFlags,
    "skip-preview": Flags.boolean({ description: "Deploy without the preview (only with --yes).", dependsOn: ["yes"] }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Up);
    await this.runWithProgress(flags, args.spec, "up", (hooks) =>
      up(args.spec, { ...hooks, yes: flags.yes, adopt: flags.adopt, skipPreview: flags["skip-preview"] }),
    );
  }
}

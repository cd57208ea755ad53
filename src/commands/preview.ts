import { Flags } from "@oclif/core";
import { preview } from "../api";
import { OperationCommand, operationFlags, specArg } from "../cli/engine-command";

export default class Preview extends OperationCommand {
  static override summary = "Show what up would change, resource by resource, without changing anything.";
  static override description =
    'Symbols as in Pulumi: + create, ~ update, +- replace (with the reason), - delete. --json prints {"operation", "changes", "steps": [{"urn", "type", "op", "diffs", "replaceReasons"}], "diagnostics"}.';
  static override examples = [
    "<%= config.bin %> preview",
    "<%= config.bin %> preview stack.yaml --stack prod --target mlflow --diff",
    "<%= config.bin %> preview stack.yaml --expect-no-changes   # CI drift gate: exit 3 on any change",
  ];
  static override args = specArg;
  static override flags = {
    ...operationFlags,
    "expect-no-changes": Flags.boolean({ description: "Exit 3 when the preview has any change (a drift gate for CI)." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Preview);
    await this.runWithProgress(flags, args.spec, "preview", ({ confirm: _unused, ...hooks }) =>
      preview(args.spec, { ...hooks, expectNoChanges: flags["expect-no-changes"] }),
    );
  }
}

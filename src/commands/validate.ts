import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { describeSpec, formatProblems, validationJson } from "../cli/validate-report";
import { ExitCode } from "../errors";
import { checkSpecFile, moreProblemsNote } from "../spec/validate";

export default class Validate extends BaseCommand {
  static override summary = "Check a stack file and show what it would deploy.";
  static override description =
    "Reports every problem at once as file:line:column: spec.path: message. Tools that are not deployable yet are warnings here; commands that deploy refuse them.";
  static override examples = ["<%= config.bin %> validate stack.yaml", "<%= config.bin %> validate stack.yaml --json"];
  static override args = { spec: Args.string({ description: "Path of the stack file.", required: true }) };
  static override flags = { json: Flags.boolean({ description: "Print the result as JSON on stdout." }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Validate);
    const result = checkSpecFile(args.spec);
    if (flags.json) {
      this.log(JSON.stringify(validationJson(result), null, 2));
    } else if (result.spec) {
      this.log(describeSpec(result.spec));
      if (result.warnings.length > 0) this.warnLine(formatProblems(result.warnings));
    } else {
      const count = result.errors.length + (result.moreProblems ?? 0);
      this.warnLine(formatProblems([...result.errors, ...result.warnings, ...moreProblemsNote(result)]));
      const unreadable = result.errors.some((problem) => problem.path === "(file)");
      if (!unreadable) this.warnLine(`${args.spec}: ${count} ${count === 1 ? "problem" : "problems"} — fix them and run validate again`);
    }
    if (!result.valid) this.exit(ExitCode.invalidInput);
  }
}

import { Args, Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { describeSpec, formatProblems, pendingTools, validationJson } from "../cli/validate-report";
import { ExitCode } from "../errors";
import type { ValidationResult } from "../spec/types";
import { checkSpecFile, moreProblemsNote } from "../spec/validate";

export default class Validate extends BaseCommand {
  static override summary = "Check stack files and show what each would deploy.";
  static override description =
    "Reports every problem at once as file:line:column: spec.path: message. Tools that are not deployable yet are warnings here (errors with --strict); commands that deploy refuse them. Retired tools are errors, with what replaces them in each role. Several files: each is checked, the exit code is 2 if any is invalid, --json prints an array.";
  static override examples = ["<%= config.bin %> validate", "<%= config.bin %> validate stack.yaml --json", "<%= config.bin %> validate envs/*.yaml"];
  static override args = { spec: Args.string({ description: "Path of the stack file (several may follow).", default: "stack.yaml" }) };
  static override strict = false;
  static override flags = {
    json: Flags.boolean({ description: "Print the result as JSON on stdout." }),
    strict: Flags.boolean({ description: "Exit 2 also for a stack the deploying commands would refuse (a tool that is not deployable yet)." }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    const files = argv.length > 0 ? (argv as string[]) : ["stack.yaml"];
    const results = files.map((file) => checkSpecFile(file));
    if (flags.json) {
      const documents = results.map(validationJson);
      this.log(JSON.stringify(documents.length === 1 ? documents[0] : documents, null, 2));
    } else {
      results.forEach((result, index) => {
        if (index > 0) this.log("");
        this.report(result);
      });
    }
    const refused = (result: ValidationResult) => flags.strict && result.spec !== undefined && pendingTools(result.spec).length > 0;
    if (results.some((result) => !result.valid || refused(result))) this.exit(ExitCode.invalidInput);
  }

  private report(result: ValidationResult): void {
    if (result.spec) {
      this.log(describeSpec(result.spec));
      if (result.warnings.length > 0) this.warnLine(formatProblems(result.warnings));
      return;
    }
    const count = result.errors.length + (result.moreProblems ?? 0);
    this.warnLine(formatProblems([...result.errors, ...result.warnings, ...moreProblemsNote(result)]));
    const unreadable = result.errors.some((problem) => problem.path === "(file)");
    if (!unreadable) this.warnLine(`${result.file}: ${count} ${count === 1 ? "problem" : "problems"} — fix them and run validate again`);
  }
}

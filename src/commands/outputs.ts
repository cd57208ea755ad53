import { Flags } from "@oclif/core";
import { outputs } from "../api";
import { BaseCommand } from "../cli/base-command";
import { specArg, stackFlags, stackOptions } from "../cli/engine-command";
import { formatEnv, formatOutputs, outputValues, skippedEnvNames } from "../cli/outputs-format";
import { loadSpec } from "../spec/validate";

export default class Outputs extends BaseCommand {
  static override summary = "Show the stack's outputs: endpoints, tracking URIs, bucket names.";
  static override examples = [
    "<%= config.bin %> outputs stack.yaml",
    "<%= config.bin %> outputs stack.yaml --json --show-secrets",
    'eval "$(<%= config.bin %> outputs stack.yaml --env)"',
    'eval "$(<%= config.bin %> outputs stack.yaml --env --local)"',
  ];
  static override args = specArg;
  static override flags = {
    ...stackFlags,
    "show-secrets": Flags.boolean({ description: "Print secret values instead of [secret]." }),
    env: Flags.boolean({ description: "Print `export NAME=value` lines for the tools' client settings.", exclusive: ["json"] }),
    local: Flags.boolean({
      description: "With --env: settings for this machine — localhost addresses for tools that listen only in the cluster, after the kubectl port-forward commands (as comments) that make them work.",
      dependsOn: ["env"],
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Outputs);
    const spec = loadSpec(args.spec);
    const result = await outputs(spec, stackOptions(flags, (message) => this.warnLine(message)));
    const show = flags["show-secrets"];
    if (flags.json) this.log(JSON.stringify(outputValues(result, show), null, 2));
    else if (flags.env) {
      for (const line of skippedEnvNames(result)) this.warnLine(line);
      this.log(formatEnv(result, show, { local: flags.local, ...(spec.provider.profile ? { profile: spec.provider.profile } : {}) }));
    }
    else this.log(formatOutputs(result, show));
  }
}

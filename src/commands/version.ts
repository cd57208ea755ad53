import { Flags } from "@oclif/core";
import { BaseCommand } from "../cli/base-command";
import { MIN_PULUMI_VERSION, PINNED_PULUMI_VERSION } from "../engine/pulumi-cli";

export default class Version extends BaseCommand {
  static override summary = "Show platinfra's version, the Node.js it runs on and the Pulumi CLI versions it needs.";
  static override examples = ["<%= config.bin %> version", "<%= config.bin %> version --json"];
  static override flags = { json: Flags.boolean({ description: "Print the versions as JSON on stdout." }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const versions = {
      platinfra: this.config.version,
      node: process.versions.node,
      platform: `${this.config.platform}-${this.config.arch}`,
      pulumiCli: { minimum: MIN_PULUMI_VERSION, installs: PINNED_PULUMI_VERSION },
    };
    if (flags.json) this.log(JSON.stringify(versions, null, 2));
    else this.log(`${this.config.userAgent}\nPulumi CLI: ${MIN_PULUMI_VERSION} or newer (--install-pulumi installs ${PINNED_PULUMI_VERSION})`);
  }
}

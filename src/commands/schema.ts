import { BaseCommand } from "../cli/base-command";
import { specJsonSchema } from "../spec/json-schema";

export default class Schema extends BaseCommand {
  static override summary = "Print the stack file's JSON Schema, for editors that complete and check YAML.";
  static override description =
    'Save it beside your stack file and start the stack file with "# yaml-language-server: $schema=./platinfra.schema.json".';
  static override examples = ["<%= config.bin %> schema > platinfra.schema.json"];

  async run(): Promise<void> {
    await this.parse(Schema);
    this.log(JSON.stringify(specJsonSchema(), null, 2));
  }
}

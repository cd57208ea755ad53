import type { Hook } from "@oclif/core";
import { ExitCode } from "../errors";
import { closest } from "../util/suggest";

/**
 * A mistyped command: "did you mean" with the closest command, in the one error style (or as JSON
 * with --json), exit 2. Replaces @oclif/plugin-not-found, which suggests only through an
 * interactive prompt and cannot answer in JSON.
 */
const hook: Hook<"command_not_found"> = async function (options) {
  const typed = options.id.replace(/:/g, " ");
  const commands = options.config.commands.filter((command) => !command.hidden).map((command) => command.id.replace(/:/g, " "));
  const suggestion = closest(typed, commands);
  const message = `"${typed}" is not a ${options.config.bin} command${suggestion ? ` — did you mean "${suggestion}"?` : ""}`;
  const hints = [`${options.config.bin} help lists every command`];
  if (options.argv?.includes("--json")) {
    process.stdout.write(`${JSON.stringify({ error: { code: "UNKNOWN_COMMAND", message, hints } }, null, 2)}\n`);
  } else {
    process.stderr.write(`error: ${message}\n${hints.map((hint) => `  hint: ${hint}\n`).join("")}`);
  }
  this.exit(ExitCode.invalidInput);
};

export default hook;

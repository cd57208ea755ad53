import type { Config } from "@oclif/core";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

/** A real `import()` (tsc would turn one into `require`, which cannot load this ES module). */
const importModule = new Function("url", "return import(url)") as (url: string) => Promise<{ default: PluginCommand }>;

/** A command class as the plugin exports it. */
type PluginCommand = { run(argv: string[], config: Config): Promise<unknown> };

/**
 * Runs one of @oclif/plugin-autocomplete's commands. The plugin is loaded only when completion is
 * asked for, not declared as an oclif plugin, which oclif would load at every start (about 4 ms of
 * `validate`'s budget, see `npm run bench`).
 */
export async function runAutocompleteCommand(name: "index" | "script" | "create", argv: string[], config: Config): Promise<void> {
  const lib = path.dirname(require.resolve("@oclif/plugin-autocomplete"));
  const file = path.join(lib, "commands", "autocomplete", `${name}.js`);
  const { default: command } = await importModule(pathToFileURL(file).href);
  await command.run(argv, config);
}

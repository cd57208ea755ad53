// Writes oclif.manifest.json so the CLI starts without requiring every command to list them.
const fs = require("node:fs");
const path = require("node:path");
const { Plugin } = require("@oclif/core");

async function main() {
  const root = path.resolve(__dirname, "..");
  const plugin = new Plugin({ root, type: "core", ignoreManifest: true, errorOnManifestCreate: true, isRoot: true });
  await plugin.load();
  fs.writeFileSync(path.join(root, "oclif.manifest.json"), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
  console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

#!/usr/bin/env node
// Starts the CLI from the compiled commands and the shipped oclif manifest. platinfra checks its
// own Node requirement (package.json engines); oclif's check would load semver at every start.
const fs = require("node:fs");
const path = require("node:path");

if (!fs.existsSync(path.join(__dirname, "..", "dist", "src", "commands"))) {
  // A clone installed (npm install -g .) before it was built: one line, not oclif's stack trace.
  process.stderr.write(`error: platinfra is not built — run "npm ci && npm run build" in ${path.resolve(__dirname, "..")}, then try again\n`);
  process.exit(1);
}
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= "1";
require("@oclif/core").execute({ dir: __dirname });

#!/usr/bin/env node
// Starts the CLI from the compiled commands and the shipped oclif manifest. platinfra checks its
// own Node requirement (package.json engines); oclif's check would load semver at every start.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= "1";
require("@oclif/core").execute({ dir: __dirname });

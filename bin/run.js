#!/usr/bin/env node
// Starts the CLI from the compiled commands and the shipped oclif manifest.
require("@oclif/core").execute({ dir: __dirname });

#!/usr/bin/env node
// Same as run.js, for contributors: rebuild (`npm run build`) before running it.
require("@oclif/core").execute({ development: true, dir: __dirname });

// The commands that need no engine (validate, tools, schema, init) are bundled into one minified
// file each, replacing tsc's output: Node then reads one file instead of ~200 (zod, yaml), which
// keeps `platinfra validate` within 3x of a bare `node -e 0`. See `npm run bench`.
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const FAST_COMMANDS = ["validate", "tools", "schema", "init"];

esbuild.buildSync({
  entryPoints: FAST_COMMANDS.map((name) => path.join(ROOT, "src/commands", `${name}.ts`)),
  outdir: path.join(ROOT, "dist/src/commands"),
  bundle: true,
  minify: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  mainFields: ["module", "main"],
  // oclif must stay one shared instance; Pulumi must never be pulled into these commands.
  external: ["@oclif/core", "@pulumi/*"],
  logLevel: "warning",
});

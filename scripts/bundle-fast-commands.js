// The commands that need no engine (validate, tools, schema, init) are bundled into one minified
// file each, replacing tsc's output: Node then reads one file instead of ~200 (zod, yaml), which
// keeps `platinfra validate` within 3x of a bare `node -e 0`. See `npm run bench`.
const path = require("node:path");
const esbuild = require("esbuild");

const ROOT = path.resolve(__dirname, "..");
const FAST_COMMANDS = ["validate", "tools", "schema", "init"];

/**
 * The catalog loads tool components with `require("../../components/tools/<tool>/index")` when a stack is
 * deployed. Those stay outside the bundle (resolved at run time, from dist/src/commands the same
 * relative path reaches dist/components/tools), so these commands never even parse them.
 */
const lazyToolComponents = {
  name: "lazy-tool-components",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/\.\.\/components\/tools\/[a-z-]+\/index$/ }, (args) =>
      args.kind === "require-call" ? { path: args.path, external: true } : undefined,
    );
  },
};

esbuild.build({
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
  plugins: [lazyToolComponents],
  logLevel: "warning",
}).catch(() => process.exit(1));

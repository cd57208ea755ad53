// npm run bench: whole-process time of `platinfra validate` against a bare `node -e 0`, measured in
// the same run, alternating the two so machine drift affects both alike. Prints medians and the ratio.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const commands = {
  validate: [process.execPath, [path.join(ROOT, "bin/run.js"), "validate", path.join(ROOT, "examples/aws-mlops-stack.yaml")]],
  node: [process.execPath, ["-e", "0"]],
};

function timeOnce([file, args]) {
  const start = process.hrtime.bigint();
  const result = spawnSync(file, args, { stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const samples = { validate: [], node: [] };
const ratios = [];
timeOnce(commands.validate); // warm the file cache
timeOnce(commands.node);
for (let run = 0; run < RUNS; run++) {
  const validate = timeOnce(commands.validate);
  const node = timeOnce(commands.node);
  samples.validate.push(validate);
  samples.node.push(node);
  ratios.push(validate / node);
}
const ms = (value) => `${value.toFixed(0)} ms`;
console.log(`runs: ${RUNS} of each, alternating`);
console.log(`platinfra validate examples/aws-mlops-stack.yaml  median ${ms(median(samples.validate))}  (min ${ms(Math.min(...samples.validate))}, max ${ms(Math.max(...samples.validate))})`);
console.log(`node -e 0                                         median ${ms(median(samples.node))}  (min ${ms(Math.min(...samples.node))}, max ${ms(Math.max(...samples.node))})`);
console.log(`ratio validate / node: median ${median(ratios).toFixed(2)}x (target <= 3x)`);

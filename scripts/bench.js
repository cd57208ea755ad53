// npm run bench: whole-process time of `platinfra validate` against a bare `node -e 0`, measured in
// the same run, alternating the two so machine drift affects both alike. Prints medians and the ratio.
// Then the worst case: `validate` of a generated 5 MB hostile file (many keys, long names), with its
// time and peak memory (target: within 2 s and 300 MB, exit 2).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
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

// --- the 5 MB worst case ---------------------------------------------------------------------------
const BENCH_DIR = path.join(ROOT, ".bench");
const WORST_BYTES = 5_000_000;

/**
 * A stack file of 5,000,000 bytes made to cost as much as the limits allow (measured: the most
 * expensive shape): as many mapping keys as the structure limit (20,000 line breaks and item markers)
 * leaves room for, each as long as 5 MB allows — tag keys too long for AWS, so each is checked,
 * positioned and counted as a problem.
 */
function worstCaseFile() {
  const head = ["name: worst", "provider:", "  name: aws", '  account-id: "123456789012"', "deployment:", "  type: kubernetes", "  tags:"];
  const tail = ["stack:", "  experiment_tracker: [mlflow]", ""];
  const keys = 20_000 - head.length - tail.length - 10;
  const fixed = [...head, ...tail].join("\n").length + 1;
  const keyLength = Math.floor((WORST_BYTES - fixed) / keys) - "    : v\n".length;
  const lines = Array.from({ length: keys }, (_, i) => `    ${`k${i}`.padEnd(keyLength, "x")}: v`);
  let text = [...head, ...lines, ...tail].join("\n");
  text += `#${"x".repeat(Math.max(0, WORST_BYTES - text.length - 2))}\n`;
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, "worst-case.yaml");
  fs.writeFileSync(file, text);
  return file;
}

/** Runs validate on `file` with a preload that records the process's peak memory as it exits. */
function measureWorstCase(file) {
  const rssFile = path.join(BENCH_DIR, "max-rss");
  const preload = path.join(BENCH_DIR, "record-max-rss.js");
  fs.writeFileSync(preload, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ["-r", preload, path.join(ROOT, "bin/run.js"), "validate", file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: result.status, maxRssMb: Number(fs.readFileSync(rssFile, "utf8")) / 1024, outputBytes: result.stdout.length + result.stderr.length, lastLine: result.stderr.trim().split("\n").pop() };
}

const worstFile = worstCaseFile();
const worst = [measureWorstCase(worstFile), measureWorstCase(worstFile), measureWorstCase(worstFile)].sort((a, b) => a.ms - b.ms)[1];
console.log(`platinfra validate .bench/worst-case.yaml (${fs.statSync(worstFile).size} bytes)  median of 3: ${ms(worst.ms)}, peak memory ${worst.maxRssMb.toFixed(0)} MB, exit ${worst.status}, ${worst.outputBytes} bytes of output (target: <= 2000 ms, <= 300 MB, exit 2)`);
console.log(`  last line: ${worst.lastLine}`);

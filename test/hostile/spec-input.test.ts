import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkSpecText, MAX_PROBLEMS } from "../../src/spec/validate";
import { MAX_SPEC_BYTES } from "../../src/spec/spec-file";
import { MAX_ALIASES, MAX_DEPTH, MAX_STRUCTURE } from "../../src/spec/yaml-tree";
import { formatProblem } from "../../src/errors";
import { PROJECT_ROOT, platinfra } from "../helpers/cli";
import { VALID_SPEC } from "../helpers/spec-text";

/**
 * Hostile and oversized stack files, generated at sizes near each limit: every one is answered with
 * exit 2 and a positioned problem, never an internal error. Time and memory are measured in
 * `npm run bench` (the 5 MB worst case), not here.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-hostile-"));
const write = (name: string, text: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const problemsOf = (text: string) => {
  const result = checkSpecText(text, "stack.yaml");
  return [...result.errors, ...result.warnings].map(formatProblem);
};
/** A valid spec whose experiment_tracker list is replaced by `items`. */
const withTrackers = (items: string) => VALID_SPEC.replace("experiment_tracker: [mlflow]", `experiment_tracker: ${items}`);

describe("hostile YAML: aliases, nesting, duplicate keys", () => {
  const CASES: [string, string, string[]][] = [
    ["an alias to an undefined anchor", VALID_SPEC.replace("name: demo", "name: *nope"), [
      "stack.yaml:1:7: alias *nope refers to no anchor — define &nope before it, or write the value out",
    ]],
    ["an alias inside its own anchor", `${VALID_SPEC}x: &loop [a, *loop]\n`, [
      "stack.yaml:9:14: alias *loop is inside the value it refers to (&loop), which would repeat forever — remove it",
    ]],
    ["an alias before its anchor", `x: *later\n${VALID_SPEC}y: &later 1\n`, [
      "stack.yaml:1:4: alias *later refers to no anchor — define &later before it, or write the value out",
    ]],
    ["one alias over the limit", `${VALID_SPEC}x: &v 1\n${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `k${i}: *v\n`).join("")}`, [
      `stack.yaml:${10 + MAX_ALIASES}:${String(MAX_ALIASES).length + 4}: more than ${MAX_ALIASES} aliases — write the values out instead`,
    ]],
    ["an alias bomb (nine levels of nine)", `${Array.from({ length: 9 }, (_, i) =>
      i === 0 ? "a0: &a0 [x, x, x, x, x, x, x, x, x]" : `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`).join("\n")}\n${VALID_SPEC}`, [
      `stack.yaml:2:10: aliases here expand into more than ${MAX_ALIASES} copies (Excessive alias count indicates a resource exhaustion attack) — write the values out instead`,
    ]],
    ["nesting one level over the limit", `${VALID_SPEC}x: ${"[".repeat(MAX_DEPTH)}${"]".repeat(MAX_DEPTH)}\n`, [
      `stack.yaml:9:${MAX_DEPTH + 3}: lists and mappings nest more than ${MAX_DEPTH} levels deep here — a stack file needs a few`,
    ]],
    ["keys that differ only in YAML type", `${VALID_SPEC}x:\n  1: a\n  "1": b\n`, [
      'stack.yaml:11:3: duplicate key "1" — each key may appear once in a mapping (first at line 10)',
    ]],
  ];
  for (const [name, text, expected] of CASES) {
    it(name, () => assert.deepEqual(problemsOf(text), expected));
  }

  it("nesting deeper than the parser's own stack is a problem, not a crash (its position depends on the stack size)", () => {
    const text = `${VALID_SPEC}x:\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i + 1)}-\n`).join("")}`;
    const problems = problemsOf(text);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^stack\.yaml:\d+:\d+: lists and mappings nest too deep to read — a stack file nests a few levels$/);
  });

  it("a duplicate key at the end of a mapping with keys up to the structure limit is found", () => {
    const count = MAX_STRUCTURE - 20;
    const keys = Array.from({ length: count }, (_, i) => `  k${i}: v\n`).join("");
    const text = VALID_SPEC.replace("type: kubernetes", `type: kubernetes\n  tags:\n${keys}  k0: again`);
    assert.deepEqual(problemsOf(text), [`stack.yaml:${count + 8}:3: duplicate key "k0" — each key may appear once in a mapping (first at line 8)`]);
  });

  it("lines broken by a lone carriage return count too (YAML breaks lines there)", () => {
    const keys = Array.from({ length: MAX_STRUCTURE }, (_, i) => `k${i}: v`).join("\r");
    assert.deepEqual(problemsOf(`${VALID_SPEC}${keys}\n`), [
      `stack.yaml: the file has ${MAX_STRUCTURE + 10} line breaks and item markers (",", "-", "?", "[", "{"); the limit is ${MAX_STRUCTURE} — a stack file needs a few hundred: is it the right file?`,
    ]);
  });

  it("more line breaks and item markers than the limit are refused before parsing (a 130,000-item list)", () => {
    const items = Array.from({ length: 130_000 }, () => "    - mlflow\n").join("");
    assert.deepEqual(problemsOf(withTrackers(`\n${items}`)), [
      `stack.yaml: the file has 260010 line breaks and item markers (",", "-", "?", "[", "{"); the limit is ${MAX_STRUCTURE} — a stack file needs a few hundred: is it the right file?`,
    ]);
  });
});

describe("hostile values: reports are capped, long and unprintable values are shown escaped and cut", () => {
  it(`a list of items just under the structure limit, all invalid: the first ${MAX_PROBLEMS} problems and a count of the rest`, () => {
    const count = MAX_STRUCTURE - 20;
    const result = checkSpecText(withTrackers(`[${Array(count).fill("5").join(",")}]`), "stack.yaml");
    assert.equal(result.valid, false);
    assert.equal(result.errors.length, MAX_PROBLEMS);
    assert.equal(result.moreProblems, count - MAX_PROBLEMS);
    assert.equal(formatProblem(result.errors[1]), "stack.yaml:8:26: stack.experiment_tracker[1]: expected a tool name or a single-key mapping {tool: {params}}, received the number 5");
  });

  it("a 1 MB unknown tool name is cut to 80 characters in the message, with no suggestion attempted", () => {
    const name = "a".repeat(1_000_000);
    assert.deepEqual(problemsOf(withTrackers(`[${name}]`)), [
      `stack.yaml:8:24: stack.experiment_tracker[0]: unknown tool "${"a".repeat(80)}…" (1000000 characters) (tools for experiment_tracker: mlflow, wandb, determined, clearml)`,
    ]);
  });

  it("a 1 MB unknown key is cut, and its near-miss suggestion is not computed", () => {
    assert.deepEqual(problemsOf(`${VALID_SPEC}? ${"k".repeat(1_000_000)}\n: 1\n`), [
      `stack.yaml:9:3: ${"k".repeat(80)}…: unknown key "${"k".repeat(80)}…" (1000000 characters) (allowed: name, provider, deployment, stack) — fix the spelling or remove it`,
    ]);
  });

  it("control characters, DEL, C1 controls and bidi overrides in values are printed as \\u escapes", () => {
    const text = VALID_SPEC.replace("name: demo", 'name: "de\\u001b[31m\\u007f\\u0085mo\\u202e"');
    assert.deepEqual(problemsOf(text), [
      'stack.yaml:1:7: name: "de\\u001b[31m\\u007f\\u0085mo\\u202e" is not a valid stack name — use 1–40 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (it starts every AWS name platinfra derives)',
    ]);
  });

  it("a long invalid value in a schema's own message is cut there too", () => {
    const region = "x".repeat(10_000);
    const [problem] = problemsOf(VALID_SPEC.replace('account-id: "123456789012"', `account-id: "123456789012"\n  region: ${region}`));
    assert.equal(problem, `stack.yaml:5:11: provider.region: "${"x".repeat(80)}…" (10000 characters) is not an AWS region name — expected a name like us-east-1 or eu-west-2`);
  });
});

describe("reading stack files: only regular files (or stdin as -), at most 5 MiB", () => {
  it("a file one byte over the limit is refused before it is read", async () => {
    const file = path.join(dir, "large.yaml");
    fs.writeFileSync(file, "");
    fs.truncateSync(file, MAX_SPEC_BYTES + 1);
    const { stderr, exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 2);
    assert.equal(stderr, `${file}: is larger than 5 MiB, the limit for a stack file (a real one is a few KB) — is it the right file?\n`);
  });

  it("a file exactly at the limit is read (and judged on its content)", async () => {
    const file = write("at-limit.yaml", VALID_SPEC + "#".repeat(MAX_SPEC_BYTES - VALID_SPEC.length));
    const { exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 0);
  });

  const SPECIAL: [string, string, string][] = [
    ["/dev/zero", "/dev/zero", "is not a regular file (a device)"],
    ["a directory", os.tmpdir(), "is a directory — give the path of a stack file (.yaml)"],
  ];
  for (const [name, file, detail] of SPECIAL) {
    it(`${name} is refused at once`, async () => {
      const { stderr, exitCode } = await platinfra(["validate", file]);
      assert.equal(exitCode, 2);
      assert.ok(stderr.startsWith(`${file}: ${detail}`), stderr);
    });
  }

  it("a FIFO without a writer is refused instead of blocking", async function () {
    const fifo = path.join(dir, "pipe.yaml");
    if (spawnSync("mkfifo", [fifo]).status !== 0) this.skip();
    const { stderr, exitCode } = await platinfra(["validate", fifo]);
    assert.equal(exitCode, 2);
    assert.equal(stderr, `${fifo}: is not a regular file (a named pipe) — give the path of a stack file, or "-" to read stdin\n`);
  });

  it("a missing file's hint quotes the path for the shell", async () => {
    const file = path.join(dir, "it's;rm$(x).yaml"); // no spaces: the in-process runner splits arguments on them
    const { stderr, exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 2);
    assert.equal(stderr, `${file}: no such file — check the path, or create one with "platinfra init '${file.replace("'", "'\\''")}'"\n`);
  });

  it('"-" reads stdin (child process): a valid spec passes, more than 5 MiB is refused', () => {
    const run = (input: string | Buffer) =>
      spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin/run.js"), "validate", "-"], { input, encoding: "utf8" });
    const valid = run(VALID_SPEC);
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stdout, /^<stdin>: valid\n/);
    const large = run(Buffer.alloc(MAX_SPEC_BYTES + 1, "#"));
    assert.equal(large.status, 2);
    assert.equal(large.stderr, "<stdin>: is larger than 5 MiB, the limit for a stack file (a real one is a few KB) — is it the right file?\n");
  });
});

describe("the validate command on hostile files", () => {
  it("an alias bomb exits 2 with its position, not as an internal error", async () => {
    const bomb = Array.from({ length: 9 }, (_, i) => (i === 0 ? "a0: &a0 [x, x, x, x, x, x, x, x, x]" : `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`)).join("\n");
    const file = write("bomb.yaml", `${bomb}\n${VALID_SPEC}`);
    const { stderr, exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 2);
    assert.match(stderr, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:10: aliases here expand`));
  });

  it(`100,000-odd invalid items print ${MAX_PROBLEMS} problems, a count of the rest and the total`, async () => {
    const count = MAX_STRUCTURE - 20;
    const file = write("many.yaml", withTrackers(`[${Array(count).fill("5").join(",")}]`));
    const { stderr, exitCode } = await platinfra(["validate", file]);
    assert.equal(exitCode, 2);
    const lines = stderr.trim().split("\n");
    assert.equal(lines.length, MAX_PROBLEMS + 2);
    assert.deepEqual(lines.slice(-2), [`${file}: and ${count - MAX_PROBLEMS} more problems not shown — fix these first`, `${file}: ${count} problems — fix them and run validate again`]);
    const json = await platinfra(["validate", file, "--json"]);
    const report = JSON.parse(json.stdout) as { errors: unknown[]; moreProblems: number };
    assert.equal(report.errors.length, MAX_PROBLEMS);
    assert.equal(report.moreProblems, count - MAX_PROBLEMS);
  });
});

describe("generated mutations of a valid spec never escape as exceptions", () => {
  /** A small deterministic generator (mulberry32), so a failure reproduces. */
  const random = (() => {
    let seed = 11;
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  })();
  const PIECES = ["*a", "&a ", "[", "]", "{", "}", ": ", "\n  ", "- ", "? ", "!!binary ", "\u001b[31m", "\u202e", "'", '"', "__proto__: 1\n", "x".repeat(5000), "\t", "#", "---\n", "<<: *a\n", "\\u0000", "&b [*b]"];
  const mutate = (text: string) => {
    let result = text;
    for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
      const at = Math.floor(random() * (result.length + 1));
      result = result.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + result.slice(at);
    }
    return result;
  };
  it("500 mutations: each gives a result whose printed problems are bounded and hold no control characters", () => {
    for (let run = 0; run < 500; run++) {
      const text = mutate(VALID_SPEC);
      const result = checkSpecText(text, "stack.yaml");
      const printed = [...result.errors, ...result.warnings].map(formatProblem);
      assert.ok(result.valid || result.errors.length > 0, `invalid without errors: ${JSON.stringify(text)}`);
      for (const line of printed) {
        assert.ok(line.length < 1500, `long line for ${JSON.stringify(text).slice(0, 200)}`);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202e]/, `raw control character for ${JSON.stringify(text).slice(0, 200)}`);
      }
    }
  });
});

import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { hostsEntryCommand, shellCommand, shellQuote } from "../../src/util/shell";

describe("shell quoting", () => {
  const cases: [string, string][] = [
    ["mlflow", "mlflow"],
    ["s3://bucket/prefix", "s3://bucket/prefix"],
    ["--name=demo-dev", "--name=demo-dev"],
    ["", "''"],
    ["a b", "'a b'"],
    ["$(touch x)", "'$(touch x)'"],
    ["it's", `'it'\\''s'`],
    ["a;b", "'a;b'"],
    ["line\nbreak", "'line\nbreak'"],
  ];
  for (const [input, expected] of cases) {
    it(`quotes ${JSON.stringify(input)} as ${expected}`, () => assert.equal(shellQuote(input), expected));
  }

  it("a shell given the command sees exactly the words, whatever they hold", () => {
    const words = ["a b", "$(echo injected)", "it's", "x;y", "`id`", "new\nline", ""];
    const printed = execFileSync("sh", ["-c", `for w in ${words.map(shellQuote).join(" ")}; do printf '%s\\0' "$w"; done`], { encoding: "utf8" });
    assert.deepEqual(printed.split("\0").slice(0, -1), words);
  });

  it("joins the quoted words of a command", () => {
    assert.equal(shellCommand("dvc", "remote", "add", "-d", "storage", "s3://my bucket"), "dvc remote add -d storage 's3://my bucket'");
  });

  it("a hosts entry: added once (only when the exact line is missing), the hostname one quoted word", () => {
    assert.equal(
      hostsEntryCommand("zenml.zenml.svc.cluster.local"),
      "grep -qxF '127.0.0.1 zenml.zenml.svc.cluster.local' /etc/hosts || echo '127.0.0.1 zenml.zenml.svc.cluster.local' | sudo tee -a /etc/hosts >/dev/null",
    );
    assert.equal(hostsEntryCommand("x;rm -rf ~"), "grep -qxF '127.0.0.1 x;rm -rf ~' /etc/hosts || echo '127.0.0.1 x;rm -rf ~' | sudo tee -a /etc/hosts >/dev/null");
  });
});

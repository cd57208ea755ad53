import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatEnv, formatOutputs, skippedEnvNames } from "../../src/cli/outputs-format";
import { render } from "../../src/api";
import { RefusedError } from "../../src/errors";
import { preflight } from "../../src/engine/preflight";
import type { StackOutput } from "../../src/engine/types";
import { regionProblem } from "../../src/spec/schema";
import { MAX_USER_TAGS } from "../../src/spec/target-rules";
import { errorsOf, specOf, VALID_SPEC } from "../helpers/spec-text";

/** Stack outputs as a hostile state backend could write them. */
const HOSTILE_NAMES = ["A;touch PWNED;B", "$(touch PWNED)", "X\n touch PWNED", "1ABC", "", "A B", "Ä"];
const outputs = (env: Record<string, string>, secretEnv: Record<string, string> = {}): Record<string, StackOutput> => ({
  env: { value: env, secret: false },
  secretEnv: { value: secretEnv, secret: true },
});

describe("outputs --env under eval", () => {
  const hostileValues = {
    GOOD: "it's $(touch PWNED) `touch PWNED`\n'; touch PWNED; '",
    ...Object.fromEntries(HOSTILE_NAMES.map((name) => [name, "v"])),
  };
  const secrets = { SECRET_OK: "s'ecret", "S;touch PWNED": "x", "S\n# x\ntouch PWNED": "y" };

  it("prints only shell variable names, values single-quoted, secrets as a comment", () => {
    assert.equal(
      formatEnv(outputs(hostileValues, secrets), false),
      ["export GOOD='it'\\''s $(touch PWNED) `touch PWNED`\n'\\''; touch PWNED; '\\'''", "# SECRET_OK is secret: add --show-secrets to print it"].join("\n"),
    );
  });

  it("reports every skipped name, escaped", () => {
    assert.deepEqual(skippedEnvNames(outputs(hostileValues, secrets)), [
      ...HOSTILE_NAMES,
      "S;touch PWNED",
      "S\n# x\ntouch PWNED",
    ].map((name) => `skipped output ${JSON.stringify(name)}: not a shell variable name (letters, digits and _, not starting with a digit)`));
  });

  for (const showSecrets of [false, true]) {
    it(`eval runs nothing and sets the exact values (sh, --show-secrets ${showSecrets})`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-eval-"));
      const script = `${formatEnv(outputs(hostileValues, secrets), showSecrets)}\nprintf '%s\\0' "$GOOD" "\${SECRET_OK-unset}"`;
      const printed = execFileSync("sh", ["-c", 'eval "$1"', "sh", script], { cwd: dir, encoding: "utf8" });
      assert.deepEqual(printed.split("\0").slice(0, 2), [hostileValues.GOOD, showSecrets ? secrets.SECRET_OK : "unset"]);
      assert.deepEqual(fs.readdirSync(dir), [], "no file was created");
    });
  }
});

describe("regions from outside the spec", () => {
  const REGIONS: [string, string | undefined][] = [
    ["eu-west-1", undefined],
    ["us-gov-west-1", undefined],
    ["eu-west-1\nevil: key", 'the region "eu-west-1\\nevil: key" from AWS_REGION is not an AWS region name — expected a name like us-east-1 or eu-west-2'],
    ["EU-WEST-1", 'the region "EU-WEST-1" from AWS_REGION is not an AWS region name — expected a name like us-east-1 or eu-west-2'],
  ];
  for (const [region, expected] of REGIONS) {
    it(`${JSON.stringify(region)}: ${expected ? "refused" : "accepted"}`, () => assert.equal(regionProblem(region, "AWS_REGION"), expected));
  }

  it("render refuses --region, AWS_REGION and AWS_DEFAULT_REGION values that are not region names, naming the source", async () => {
    const spec = specOf(VALID_SPEC, { allDeployable: true });
    const CASES: [{ region?: string; env: NodeJS.ProcessEnv }, string][] = [
      [{ region: "x;y", env: {} }, "the region option"],
      [{ env: { AWS_REGION: "../../etc" } }, "AWS_REGION"],
      [{ env: { AWS_DEFAULT_REGION: "eu west 1" } }, "AWS_DEFAULT_REGION"],
    ];
    for (const [options, from] of CASES) {
      await assert.rejects(render(spec, options), (error: unknown) => {
        assert.ok(error instanceof RefusedError);
        assert.match(error.message, new RegExp(`^the region ".*" from ${from} is not an AWS region name`));
        return true;
      });
    }
  });

  // Uses the fake `aws` executable in test/fixtures/fake-aws (a test double, not the AWS CLI).
  const fakeAwsPath = `${path.resolve(__dirname, "../../../test/fixtures/fake-aws")}${path.delimiter}${process.env.PATH}`;
  const PREFLIGHT: [NodeJS.ProcessEnv, string][] = [
    [{ AWS_REGION: "eu-west-1;rm" }, 'the region "eu-west-1;rm" from AWS_REGION is not an AWS region name'],
    [{ AWS_DEFAULT_REGION: "$(id)" }, 'the region "$(id)" from AWS_DEFAULT_REGION is not an AWS region name'],
    [{ FAKE_AWS_REGION: "eu west 1" }, 'the region "eu west 1" from the AWS profile is not an AWS region name'],
  ];
  for (const [extra, message] of PREFLIGHT) {
    it(`preflight refuses ${Object.keys(extra)[0]}=${JSON.stringify(Object.values(extra)[0])} before asking for credentials`, async () => {
      const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-aws-")), "calls");
      await assert.rejects(preflight(specOf(VALID_SPEC), { PATH: fakeAwsPath, FAKE_AWS_LOG: log, ...extra }), (error: Error) => {
        assert.equal(error.message, `${message} — expected a name like us-east-1 or eu-west-2`);
        return true;
      });
      const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
      assert.doesNotMatch(calls, /get-caller-identity/);
    });
  }
});

describe("spec strings that reach AWS and Kubernetes", () => {
  const withDeployment = (extra: string) => VALID_SPEC.replace("type: kubernetes", `type: kubernetes\n${extra}`);
  const CASES: [string, string, string[]][] = [
    ["AWS tag keys and values", '  tags: {"aws:owner": a, "a;b": c, ok: "v\\u0001", "platinfra:stack": x}\n', [
      'stack.yaml:7:10: deployment.tags.aws:owner: tag key "aws:owner" starts with "aws:", which AWS reserves',
      'stack.yaml:7:26: deployment.tags.a;b: tag key "a;b" holds characters AWS does not allow in tag keys — use letters, digits, spaces and _ . : / = + - @',
      'stack.yaml:7:40: deployment.tags.ok: tag value "v\\u0001" holds characters AWS does not allow — use letters, digits, spaces and _ . : / = + - @',
      'stack.yaml:7:51: deployment.tags.platinfra:stack: tag key "platinfra:stack" is a tag platinfra sets itself',
    ]],
    ["one tag too many", `  tags:\n${Array.from({ length: MAX_USER_TAGS + 1 }, (_, i) => `    k${i}: v\n`).join("")}`, [
      `stack.yaml:8:5: deployment.tags: ${MAX_USER_TAGS + 1} tags — AWS allows 50 per resource and platinfra adds 4, so at most ${MAX_USER_TAGS}`,
    ]],
    ["a tag key of 129 characters", `  tags: {${"k".repeat(129)}: v}\n`, [
      `stack.yaml:7:10: deployment.tags.${"k".repeat(80)}…: tag key "${"k".repeat(80)}…" (129 characters) is 129 characters long — AWS tag keys have 1 to 128`,
    ]],
    ["Kubernetes labels and taints", '  node_groups:\n    - name: g\n      labels: {"example.com/ok": "yes", "bad key": v, ok: "no good"}\n      taints: [{key: "-x", value: "a/b", effect: NoSchedule}]\n', [
      'stack.yaml:9:41: deployment.node_groups[0].labels.bad key: label key "bad key" is not a Kubernetes name — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
      'stack.yaml:9:59: deployment.node_groups[0].labels.ok: label value "no good" is not a Kubernetes label value — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
      'stack.yaml:10:22: deployment.node_groups[0].taints[0].key: taint key "-x" is not a Kubernetes name — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
      'stack.yaml:10:35: deployment.node_groups[0].taints[0].value: taint value "a/b" is not a Kubernetes label value — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit',
    ]],
    ["an existing cluster name EKS would refuse", '  existing_cluster: {name: "prod; rm"}\n', [
      'stack.yaml:7:28: deployment.existing_cluster.name: EKS cluster name "prod; rm" is not allowed — 1–100 letters, digits, - and _, starting with a letter or digit',
    ]],
    ["Terraform state fields", '  from_terraform_state: {backend: remote, organization: "my org", workspace: net, hostname: "evil.com/x", outputs: {vpc_id: "$(x)", private_subnet_ids: p}}\n', [
      'stack.yaml:7:57: deployment.from_terraform_state.organization: organization name "my org" is not allowed — 1–90 letters, digits, - and _',
      'stack.yaml:7:93: deployment.from_terraform_state.hostname: hostname "evil.com/x" is not allowed — a DNS name like app.terraform.io, optionally with :port',
      'stack.yaml:7:125: deployment.from_terraform_state.outputs.vpc_id: Terraform output name "$(x)" is not allowed — an identifier: letters, digits, _ and -, starting with a letter or _',
    ]],
    ["__proto__ as a key, anywhere", '  tags: {__proto__: x}\n', [
      'stack.yaml:7:10: key "__proto__" is not allowed — no setting has this name; remove it',
    ]],
  ];
  for (const [name, extra, expected] of CASES) {
    it(`${name}: refused at validate time with positions`, () => assert.deepEqual(errorsOf(withDeployment(extra)), expected));
  }

  it("a tag value with a line separator (U+2028) is refused: only space separators count as spaces", () => {
    assert.deepEqual(errorsOf(withDeployment('  tags: {team: "a\\u2028b"}\n')), [
      'stack.yaml:7:16: deployment.tags.team: tag value "a\\u2028b" holds characters AWS does not allow — use letters, digits, spaces and _ . : / = + - @',
    ]);
  });

  it("an AWS profile name with spaces or quotes", () => {
    assert.deepEqual(errorsOf(VALID_SPEC.replace("name: aws", "name: aws\n  profile: \"dev' x\"")), [
      `stack.yaml:4:12: provider.profile: AWS profile name "dev' x" is not allowed — 1–128 letters, digits and _ . + @ / -`,
    ]);
  });

  it("valid tags, labels, taints and names pass", () => {
    const spec = specOf(withDeployment('  tags: {team: ml, "cost center": "42", "a.b/c=d+e-f@g": x}\n  node_groups:\n    - name: g\n      labels: {"example.com/pool": gpu-1}\n      taints: [{key: example.com/dedicated, value: ml, effect: NoSchedule}]\n'));
    assert.deepEqual(spec.deployment.tags, { team: "ml", "cost center": "42", "a.b/c=d+e-f@g": "x" });
    assert.deepEqual(spec.deployment.nodeGroups.find((group) => group.name === "g")?.labels, { "example.com/pool": "gpu-1" });
  });
});

describe("outputs as a table, from a hostile state", () => {
  it("deep nesting, control characters and a huge key print bounded and escaped", () => {
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 20_000; i++) deep = { d: deep };
    const text = formatOutputs({ deep: { value: deep, secret: false }, ["k".repeat(100_000)]: { value: "v", secret: false }, evil: { value: "a\u001b[2Jb", secret: false } }, false);
    const lines = text.split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[0], `  deep${".d".repeat(20_000)}.leaf  x`);
    assert.equal(lines[1], `  ${"k".repeat(100_000)}  v`);
    assert.equal(lines[2], `  ${"evil".padEnd(60)}  a\\u001b[2Jb`);
  });
});

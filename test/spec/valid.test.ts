import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkSpecFile, checkSpecText, loadSpec } from "../../src/spec/validate";
import { SpecError, SpecFileError } from "../../src/errors";
import { VALID_SPEC } from "../helpers/spec-text";

const EXAMPLE = path.resolve(__dirname, "../../../examples/aws-mlops-stack.yaml");

/** RFC 5737's documentation ranges: nobody's egress address, so an API endpoint limited to one is unreachable. */
const DOCUMENTATION_RANGES = ["192.0.2.", "198.51.100.", "203.0.113."];

describe("valid specs", () => {
  it("every example validates without warnings and limits no API endpoint to a documentation range", () => {
    const dir = path.dirname(EXAMPLE);
    const examples = fs.readdirSync(dir).filter((file) => file.endsWith(".yaml")).sort();
    assert.deepEqual(examples, ["aws-mlops-stack.yaml", "existing-cluster-stack.yaml", "gpu-stack.yaml", "monitoring-stack.yaml", "pipelines-stack.yaml", "serving-stack.yaml", "terraform-network-stack.yaml"]);
    for (const file of examples) {
      const result = checkSpecFile(path.join(dir, file));
      assert.deepEqual([result.errors, result.warnings], [[], []], file);
      const cidrs = result.spec!.deployment.publicAccessCidrs;
      assert.deepEqual(cidrs.filter((cidr) => DOCUMENTATION_RANGES.some((range) => cidr.startsWith(range))), [], file);
    }
  });

  it("the canonical example: one deployment per tool, mlflow serving every role it is listed under", () => {
    const result = checkSpecFile(EXAMPLE);
    assert.equal(result.valid, true);
    assert.deepEqual(result.errors, []);
    const tools = result.spec?.tools.map(({ name, roles }) => ({ name, roles }));
    assert.deepEqual(tools, [
      { name: "dvc", roles: ["data_versioning"] },
      { name: "mlflow", roles: ["experiment_tracker", "artifact_tracker", "alerting"] },
      { name: "zenml", roles: ["pipelining"] },
      { name: "aws-batch", roles: ["orchestrator"] },
      { name: "ray", roles: ["runtime_engine"] },
      { name: "bentoml", roles: ["model_registry"] },
      { name: "nvidia-triton", roles: ["model_serving"] },
      { name: "nannyml", roles: ["monitoring"] },
    ]);
    assert.deepEqual(result.spec?.provider, { name: "aws", accountId: "123456789012" });
  });

  it("accepts account_id as well as account-id, quoted or not", () => {
    for (const line of ['account_id: "123456789012"', "account-id: 123456789012", "account_id: 123456789012"]) {
      const result = checkSpecText(VALID_SPEC.replace('account-id: "123456789012"', line), "stack.yaml");
      assert.deepEqual(result.errors, [], line);
      assert.equal(result.spec?.provider.accountId, "123456789012", line);
    }
  });

  it("keeps region and profile when given", () => {
    const text = VALID_SPEC.replace("name: aws\n", "name: aws\n  region: eu-west-1\n  profile: ml\n");
    assert.deepEqual(checkSpecText(text, "stack.yaml").spec?.provider, {
      name: "aws",
      accountId: "123456789012",
      region: "eu-west-1",
      profile: "ml",
    });
  });

  it("loadSpec throws a SpecError holding every problem, and a SpecFileError for a missing file", () => {
    assert.throws(() => loadSpec("/nonexistent/stack.yaml"), (error: unknown) => {
      assert.ok(error instanceof SpecFileError);
      assert.equal(error.message, '/nonexistent/stack.yaml: no such file — check the path, or create one with "platinfra init /nonexistent/stack.yaml"');
      assert.equal(error.exitCode, 2);
      return true;
    });
    assert.doesNotThrow(() => loadSpec(EXAMPLE));
  });

  it("a SpecError's message lists each problem on its own line", () => {
    const error = new SpecError(checkSpecText(VALID_SPEC.replace("type: kubernetes", "type: vm"), "s.yaml").errors);
    assert.equal(
      error.message,
      '1 problem in the spec:\ns.yaml:6:9: deployment.type: deployment type "vm" is not supported yet — supported: kubernetes (EKS on AWS)',
    );
  });

  it("a capped report still counts every problem: 60 invalid tags are 60 problems, 50 listed", () => {
    const tags = Array.from({ length: 60 }, (_, index) => `    "aws:t${index}": v`).join("\n");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "platinfra-capped-")), "stack.yaml");
    fs.writeFileSync(file, VALID_SPEC.replace("type: kubernetes", `type: kubernetes\n  tags:\n${tags}`));
    assert.throws(() => loadSpec(file), (error: unknown) => {
      assert.ok(error instanceof SpecError);
      assert.match(error.message, /^60 problems in the spec:\n/);
      assert.match(error.message, /and 10 more problems not shown/);
      return true;
    });
  });
});

import { strict as assert } from "node:assert";
import { terraformOutput } from "../../components/base/adopted";
import { PlatinfraError, RefusedError } from "../../src/errors";
import type { TerraformStateSpec } from "../../src/spec/types";
import { renderSpec } from "../helpers/render";
import { specOf, VALID_SPEC } from "../helpers/spec-text";

const STATE: TerraformStateSpec = {
  backend: "s3",
  bucket: "tf-state",
  key: "network/terraform.tfstate",
  outputs: { vpc_id: "vpc", private_subnet_ids: "private_subnets" },
};
const VALUES = { vpc: "vpc-1", private_subnets: ["subnet-a", "subnet-b"], count: 3 };
const hint = (setting: string, purpose: string) => `set deployment.from_terraform_state.outputs.${setting} to the name of the output holding the ${purpose}`;

describe("Terraform state outputs named by the spec", () => {
  const CASES: [string, TerraformStateSpec, Record<string, unknown>, string, string][] = [
    ["a missing output, with a near miss", { ...STATE, outputs: { ...STATE.outputs, vpc_id: "vcp" } }, VALUES,
      'the Terraform state "s3://tf-state/network/terraform.tfstate" has no output "vcp" (named by deployment.from_terraform_state.outputs.vpc_id; it has: "vpc", "private_subnets", "count") — did you mean "vpc"?',
      hint("vpc_id", "VPC id")],
    ["a state with no outputs at all", STATE, {},
      'the Terraform state "s3://tf-state/network/terraform.tfstate" has no output "vpc" (named by deployment.from_terraform_state.outputs.vpc_id; it has no outputs)',
      hint("vpc_id", "VPC id")],
    ["an output of the wrong kind", { ...STATE, outputs: { ...STATE.outputs, vpc_id: "count" } }, VALUES,
      'output "count" of the Terraform state "s3://tf-state/network/terraform.tfstate" (named by deployment.from_terraform_state.outputs.vpc_id) holds the number 3, not a non-empty string',
      hint("vpc_id", "VPC id")],
  ];
  for (const [name, state, values, message, expectedHint] of CASES) {
    it(`refuses ${name}`, () => {
      assert.throws(() => terraformOutput(state, values, "vpc_id", "id"), (error: unknown) => {
        assert.ok(error instanceof RefusedError);
        assert.equal(error.message, message);
        assert.deepEqual(error.hints, [expectedHint]);
        return true;
      });
    });
  }

  it("lists at most 20 of a state's outputs, then how many more", () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`out${i}`, "x"]));
    assert.throws(() => terraformOutput(STATE, many, "vpc_id", "id"), /it has: "out0", .*"out19" and 480 more\)$/);
  });

  it("a list of ids passes through", () => assert.deepEqual(terraformOutput(STATE, VALUES, "private_subnet_ids", "ids"), ["subnet-a", "subnet-b"]));

  it("render fails with the error naming the output and the state (the mock state has the common module's names only)", async () => {
    const spec = specOf(
      VALID_SPEC.replace(
        "type: kubernetes",
        "type: kubernetes\n  from_terraform_state:\n    backend: local\n    path: ./network.tfstate\n    outputs: {vpc_id: my_vpc, private_subnet_ids: private_subnets}",
      ),
    );
    await assert.rejects(renderSpec(spec), (error: unknown) => {
      assert.ok(error instanceof PlatinfraError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /^the Terraform state "\.\/network\.tfstate" has no output "my_vpc" \(named by deployment\.from_terraform_state\.outputs\.vpc_id; it has: /);
      return true;
    });
    // The mock runtime is usable again afterwards.
    assert.ok((await renderSpec(specOf(VALID_SPEC))).resources.length > 0);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RenderResult } from "../../src/engine/render";
import { EXAMPLES, PROJECT_ROOT } from "../helpers/cli";
import { named, renderSpec } from "../helpers/render";
import { specOf } from "../helpers/spec-text";

/**
 * The `Args` fields a resource type of @pulumi/aws requires, read from the package's own type
 * declarations (`targetKeyId: pulumi.Input<string>;` without `?`). A required input missing from
 * the render means the program passed an Output the mocks never resolve.
 */
function requiredAwsInputs(type: string): string[] {
  const [, module, className] = /^aws:([a-zA-Z0-9]+)\/[a-zA-Z0-9]+:([A-Za-z0-9]+)$/.exec(type) ?? [];
  assert.ok(module, `unexpected AWS type token ${type}`);
  const file = path.join(PROJECT_ROOT, "node_modules/@pulumi/aws", module, `${className[0].toLowerCase()}${className.slice(1)}.d.ts`);
  const declarations = fs.readFileSync(file, "utf8");
  const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(declarations);
  assert.ok(args, `${file} declares no ${className}Args`);
  return [...args[1].matchAll(/^ {4}(\w+): /gm)].map((match) => match[1]);
}

/** Every string anywhere in a value, with its path. */
function strings(value: unknown, at: string): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => strings(item, `${at}[${index}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => strings(item, `${at}.${key}`));
  return [];
}

describe("render: the mocks answer every output the program reads", () => {
  let result: RenderResult;
  before(async () => {
    result = await renderSpec(specOf(fs.readFileSync(path.join(EXAMPLES, "aws-mlops-stack.yaml"), "utf8")));
  });

  it("every AWS resource has each input its type requires", () => {
    const missing = result.resources
      .filter((resource) => resource.type.startsWith("aws:"))
      .flatMap((resource) => requiredAwsInputs(resource.type).filter((input) => !(input in resource.inputs)).map((input) => `${resource.name}: ${input}`));
    assert.deepEqual(missing, []);
  });

  it('no input holds "undefined" (an Output the mocks left unresolved, turned into text)', () => {
    const leaked = result.resources.flatMap((resource) => strings(resource.inputs, resource.name)).filter(([, value]) => /\bundefined\b/.test(value));
    assert.deepEqual(leaked, []);
  });

  it("the KMS alias names its key, and node groups a launch template version", () => {
    assert.equal(named(result, "aws-mlops-stack-cluster-secrets-key-alias").inputs.targetKeyId, "aws-mlops-stack-cluster-secrets-key-key-id");
    assert.deepEqual(named(result, "aws-mlops-stack-nodes-system").inputs.launchTemplate, { id: "aws-mlops-stack-nodes-system-template-id", version: "1" });
  });
});

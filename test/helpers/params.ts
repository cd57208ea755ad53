import { strict as assert } from "node:assert";
import type * as z from "zod";

/** The messages a params schema gives for an invalid input, as `path: message` lines (asserts it is invalid). */
export function paramsErrors(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  assert.equal(result.success, false, `expected ${JSON.stringify(input)} to be rejected`);
  return result.error!.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

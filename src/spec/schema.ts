import * as z from "zod";
import { CATEGORIES } from "../catalog/categories";
import { deploymentSchema } from "./deployment";
import { shown } from "../util/text";
import { AWS_REGION, awsProfileSchema, awsRegionSchema } from "./target-rules";

/**
 * The structure of a stack file. Tool names and tool params are checked afterwards against the
 * catalog (see stack.ts), where the messages can say which tools fit which category.
 */

// A spec is parsed once per process: compiling parsers (zod's JIT) costs more than it saves.
z.config({ jitless: true });

export const SUPPORTED_PROVIDERS = ["aws"] as const;

export const STACK_NAME_MAX = 40;
export const STACK_NAME_RULE =
  `1–${STACK_NAME_MAX} characters: lowercase letters, digits and hyphens, starting with a letter and ` +
  `not ending with a hyphen (it starts every AWS name platinfra derives)`;
const STACK_NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;


/**
 * A region from outside the spec (`--region`, AWS_REGION, AWS_DEFAULT_REGION, the AWS profile) is
 * held to the spec's rule: it ends up in names, ARNs and endpoints. Returns what is wrong, or nothing.
 */
export function regionProblem(region: string, from: string): string | undefined {
  if (AWS_REGION.test(region)) return undefined;
  return `the region ${shown(region)} from ${from} is not an AWS region name — expected a name like us-east-1 or eu-west-2`;
}

export const stackNameSchema = z
  .string()
  .max(STACK_NAME_MAX, { error: (issue) => `"${issue.input}" is too long — use ${STACK_NAME_RULE}` })
  .regex(STACK_NAME, { error: (issue) => `"${issue.input}" is not a valid stack name — use ${STACK_NAME_RULE}` })
  .describe(`The stack's name: ${STACK_NAME_RULE}.`);

const accountIdSchema = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    if (/^\d{12}$/.test(String(value))) return;
    const digits = String(value).replace(/\D/g, "").length;
    const leadingZeroHint =
      typeof value === "number" && digits < 12 ? ` If it starts with 0, quote it ("0${value}"): YAML drops leading zeros of numbers.` : "";
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(value)} is not an AWS account id — expected exactly 12 digits.${leadingZeroHint}`,
    });
  })
  .describe('The AWS account to deploy into, 12 digits. platinfra refuses to touch any other account.');

export const providerSchema = z
  .strictObject({
    name: z
      .string()
      .refine((value) => (SUPPORTED_PROVIDERS as readonly string[]).includes(value), {
        error: (issue) => `provider "${issue.input}" is not supported yet — supported: ${SUPPORTED_PROVIDERS.join(", ")}`,
      })
      .describe("The cloud provider. Supported: aws."),
    "account-id": accountIdSchema.optional(),
    account_id: accountIdSchema.optional(),
    region: awsRegionSchema()
      .optional()
      .describe("AWS region. Default: the profile's or AWS_REGION's region."),
    profile: awsProfileSchema().optional().describe("AWS profile from ~/.aws/config to deploy with."),
  })
  .superRefine((provider, ctx) => {
    const given = ["account-id", "account_id"].filter((key) => provider[key as keyof typeof provider] !== undefined);
    if (given.length === 0) {
      ctx.addIssue({ code: "custom", message: 'missing required key "account-id" — add the 12-digit AWS account id, quoted: account-id: "123456789012"' });
    } else if (given.length === 2) {
      ctx.addIssue({ code: "custom", path: ["account_id"], message: 'both "account-id" and "account_id" are given — keep one' });
    }
  });

/** A stack item: a tool name, or `{<tool>: {params…}}`. */
const stackItemSchema = z.union([z.string(), z.record(z.string(), z.unknown())]);

export const stackSchema = z.strictObject(
  Object.fromEntries(CATEGORIES.map((category) => [category, z.array(stackItemSchema).optional()])) as Record<
    (typeof CATEGORIES)[number],
    z.ZodOptional<z.ZodArray<typeof stackItemSchema>>
  >,
);

export const documentSchema = z.strictObject({
  name: stackNameSchema,
  provider: providerSchema,
  deployment: deploymentSchema,
  stack: stackSchema,
});

export type SpecDocument = z.infer<typeof documentSchema>;

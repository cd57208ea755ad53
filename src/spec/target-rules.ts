import * as z from "zod";
import { shown } from "../util/text";

/**
 * Spec strings that reach AWS or Kubernetes, held to the target's own rules at validate time: a bad
 * tag, label or name fails here with its position instead of half-way through a deployment, and no
 * value can carry characters the target would misread.
 */

/** AWS region names: us-east-1, eu-west-2, us-gov-west-1, … */
export const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const awsRegionSchema = () =>
  z.string().regex(AWS_REGION, {
    error: (issue) => `"${issue.input}" is not an AWS region name — expected a name like us-east-1 or eu-west-2`,
  });

/** Tags platinfra adds to every resource (stack, environment, managed-by, tool); AWS allows 50. */
const OWN_TAGS = 4;
export const MAX_USER_TAGS = 50 - OWN_TAGS;
const TAG_CHARACTERS = /^[\p{L}\p{Zs}\p{N}_.:/=+\-@]*$/u;

/** `deployment.tags`: AWS tag rules (EC2/IAM/EKS accept this common set). */
export const awsTagsSchema = () =>
  z
    .record(
      z.string().superRefine((key, ctx) => {
        const wrong =
          key.length < 1 || key.length > 128
            ? `is ${key.length} characters long — AWS tag keys have 1 to 128`
            : !TAG_CHARACTERS.test(key)
              ? "holds characters AWS does not allow in tag keys — use letters, digits, spaces and _ . : / = + - @"
              : /^aws:/i.test(key)
                ? `starts with "aws:", which AWS reserves`
                : /^platinfra:/.test(key) || key === "managed-by"
                  ? "is a tag platinfra sets itself"
                  : undefined;
        if (wrong) ctx.addIssue({ code: "custom", message: `tag key ${shown(key)} ${wrong}` });
      }),
      z.string().superRefine((value, ctx) => {
        if (value.length > 256) ctx.addIssue({ code: "custom", message: `tag value is ${value.length} characters long — AWS allows at most 256` });
        else if (!TAG_CHARACTERS.test(value)) {
          ctx.addIssue({ code: "custom", message: `tag value ${shown(value)} holds characters AWS does not allow — use letters, digits, spaces and _ . : / = + - @` });
        }
      }),
    )
    .superRefine((tags, ctx) => {
      const count = Object.keys(tags).length;
      if (count > MAX_USER_TAGS) {
        ctx.addIssue({ code: "custom", message: `${count} tags — AWS allows 50 per resource and platinfra adds ${OWN_TAGS}, so at most ${MAX_USER_TAGS}` });
      }
    });

/** The name part of a Kubernetes label key, and a label value when not empty. */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** The optional prefix of a label key: a DNS subdomain. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return "has a prefix that is not a DNS subdomain (lowercase letters, digits, - and ., at most 253 characters)";
  if (name.length > 63 || !LABEL_NAME.test(name)) return "is not a Kubernetes name — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit";
  return undefined;
}

function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) return "is not a Kubernetes label value — at most 63 letters, digits, -, _ and ., starting and ending with a letter or digit";
  return undefined;
}

/** A label or taint key, by Kubernetes' rules. */
export const kubernetesKeySchema = (what: string) =>
  z.string().superRefine((key, ctx) => {
    const wrong = labelKeyProblem(key);
    if (wrong) ctx.addIssue({ code: "custom", message: `${what} ${shown(key)} ${wrong}` });
  });

/** A label or taint value, by Kubernetes' rules (empty allowed). */
export const kubernetesValueSchema = (what: string) =>
  z.string().superRefine((value, ctx) => {
    const wrong = labelValueProblem(value);
    if (wrong) ctx.addIssue({ code: "custom", message: `${what} ${shown(value)} ${wrong}` });
  });

/** Node labels: Kubernetes label keys and values. */
export const kubernetesLabelsSchema = () => z.record(kubernetesKeySchema("label key"), kubernetesValueSchema("label value"));

/** A string matching `pattern`, or a message naming the rule. */
const ruled = (pattern: RegExp, what: string, rule: string) =>
  z.string().regex(pattern, { error: (issue) => `${what} ${shown(String(issue.input))} is not allowed — ${rule}` });

/** EKS cluster names (CreateCluster's rule). */
export const eksClusterNameSchema = () =>
  ruled(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "EKS cluster name", "1–100 letters, digits, - and _, starting with a letter or digit");

/** Profile names as ~/.aws/config writes them; no spaces or quotes, which would need quoting wherever it is passed on. */
export const awsProfileSchema = () =>
  ruled(/^[A-Za-z0-9_.+@\/-]{1,128}$/, "AWS profile name", "1–128 letters, digits and _ . + @ / -");

/** S3 bucket names (general purpose buckets). */
export const s3BucketSchema = () =>
  ruled(/^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/, "S3 bucket name", "3–63 lowercase letters, digits, . and -, starting and ending with a letter or digit");

/** An S3 object key or a file path: any printable text, bounded. */
export const printableSchema = (what: string, max: number) =>
  // eslint-disable-next-line no-control-regex
  ruled(new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${max}}$`), what, `1 to ${max} printable characters`);

/** HCP Terraform / Terraform Enterprise organization and workspace names. */
export const terraformNameSchema = (what: string) =>
  ruled(/^[A-Za-z0-9_-]{1,90}$/, what, "1–90 letters, digits, - and _");

/** A host name, with an optional port. */
export const hostnameSchema = () =>
  ruled(/^(?=.{1,253}(:|$))[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:\d{1,5})?$/, "hostname", "a DNS name like app.terraform.io, optionally with :port");

/** Terraform output names are identifiers. */
export const terraformOutputNameSchema = () =>
  ruled(/^[A-Za-z_][A-Za-z0-9_-]{0,127}$/, "Terraform output name", "an identifier: letters, digits, _ and -, starting with a letter or _");

import * as z from "zod";

/** Params every tool with a server shares. Kept free of Pulumi: the catalog loads them for `validate`. */

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;

export const exposeSchema = z
  .strictObject({
    host: z.string().regex(HOSTNAME, { error: (issue) => `"${issue.input}" is not a DNS host name — expected e.g. mlflow.example.com` }),
    certificate_arn: z.string().regex(ACM_ARN, {
      error: (issue) => `"${issue.input}" is not an ACM certificate ARN — expected arn:aws:acm:<region>:<account>:certificate/<id>`,
    }),
  })
  .describe("Expose the UI/API through an HTTPS-only ALB at this host, with this ACM certificate. Authentication is turned on.");

const quantity = (what: string) =>
  z.string().regex(QUANTITY, { error: (issue) => `${JSON.stringify(issue.input)} is not a Kubernetes ${what} quantity — expected e.g. ${what === "cpu" ? '"500m" or "2"' : '"512Mi" or "4Gi"'}` });

export const computeSchema = z.strictObject({ cpu: quantity("cpu"), memory: quantity("memory") });

export const resourcesSchema = z
  .strictObject({ requests: computeSchema.optional(), limits: computeSchema.optional() })
  .describe("CPU and memory requests and limits of the tool's main container.");

export const replicasSchema = (fallback: number) => z.number().int().min(1).max(50).default(fallback);

export type Expose = z.output<typeof exposeSchema>;
export type Resources = z.output<typeof resourcesSchema>;

/** Requests and limits with a tool's defaults filled in where the spec gives none. */
export function resourcesWithDefaults(given: Resources | undefined, defaults: Required<Resources>): Required<Resources> {
  return { requests: given?.requests ?? defaults.requests, limits: given?.limits ?? defaults.limits };
}

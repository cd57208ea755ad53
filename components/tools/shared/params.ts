import * as z from "zod";

/** Params every tool with a server shares. Kept free of Pulumi: the catalog loads them for `validate`. */

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
/** `registry/repository:tag` or `…@sha256:…`: a pinned image reference, never an implicit `latest`. */
export const PINNED_IMAGE = /^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
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

const SUFFIX_FACTORS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A quantity's value in cores or bytes ("500m" → 0.5, "1Gi" → 1073741824); the schema has checked its form. */
export function quantityValue(quantity: string): number {
  const [, number, suffix] = /^(\d+(?:\.\d+)?)(\D*)$/.exec(quantity) ?? [];
  return Number(number) * SUFFIX_FACTORS[suffix];
}

const COMPUTE = ["cpu", "memory"] as const;

export const resourcesSchema = z
  .strictObject({ requests: computeSchema.optional(), limits: computeSchema.optional() })
  .check((context) => {
    const { requests, limits } = context.value;
    if (!requests || !limits) return;
    for (const what of COMPUTE) {
      if (quantityValue(requests[what]) <= quantityValue(limits[what])) continue;
      context.issues.push({
        code: "custom",
        input: requests[what],
        path: ["requests", what],
        message: `the ${what} request ${requests[what]} is above its limit ${limits[what]} — Kubernetes refuses such a pod; raise limits.${what} or lower the request`,
      });
    }
  })
  .describe("CPU and memory requests and limits of the tool's main container.");

const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;

/**
 * A tool's own RDS database: instance class and storage at creation. `about` says what the database
 * holds; `instanceClass` is the tool's default class (and why, when it is not db.t4g.small).
 */
export function databaseSchema(about: string, instanceClass: { default: string; why?: string } = { default: "db.t4g.small" }) {
  return optionalDatabaseSchema(about, instanceClass).prefault({});
}

/** `databaseSchema` for a tool whose database is optional: absent unless given. */
export function optionalDatabaseSchema(about: string, instanceClass: { default: string; why?: string } = { default: "db.t4g.small" }) {
  return z
    .strictObject({
      instance_class: z
        .string()
        .regex(INSTANCE_CLASS, { error: (issue) => `"${issue.input}" is not an RDS instance class — expected e.g. ${instanceClass.default}` })
        .default(instanceClass.default)
        .describe(`RDS instance class. Default: ${instanceClass.default}${instanceClass.why ? ` (${instanceClass.why})` : ""}.`),
      storage_gb: z.number().int().min(20).max(65536).default(20).describe("Storage allocated at creation, in GiB (it grows on its own). Default: 20."),
    })
    .describe(about);
}

/** A workload's `gpu` param: "auto" (a GPU when the stack has GPU nodes), true (require one) or false. Decided by `usesGpu`. */
export function gpuSchema(what: string) {
  return z
    .union([z.literal("auto"), z.boolean()], {
      error: (issue) => `gpu ${JSON.stringify(issue.input)} is not allowed — use "auto" (a GPU when the stack has GPU nodes), true (require one) or false (CPU only)`,
    })
    .default("auto")
    .describe(`${what} on a GPU: "auto" uses one when the stack has a GPU node group, true requires one (the deployment fails without), false runs on CPU. Default: "auto".`);
}

export const replicasSchema = (fallback: number) => z.number().int().min(1).max(50).default(fallback);

export type Expose = z.output<typeof exposeSchema>;
export type Resources = z.output<typeof resourcesSchema>;
export type DatabaseSettings = z.output<ReturnType<typeof optionalDatabaseSchema>>;

/**
 * Requests and limits with a tool's defaults filled in where the spec gives none. A default never
 * contradicts what is given: given requests raise a default limit below them, given limits lower a
 * default request above them (Kubernetes refuses a request above its limit).
 */
export function resourcesWithDefaults(given: Resources | undefined, defaults: Required<Resources>): Required<Resources> {
  const requests = given?.requests ?? defaults.requests;
  const limits = given?.limits ?? defaults.limits;
  const larger = (a: string, b: string) => (quantityValue(a) >= quantityValue(b) ? a : b);
  const smaller = (a: string, b: string) => (quantityValue(a) <= quantityValue(b) ? a : b);
  if (given?.requests && !given.limits) return { requests, limits: { cpu: larger(limits.cpu, requests.cpu), memory: larger(limits.memory, requests.memory) } };
  if (given?.limits && !given.requests) return { requests: { cpu: smaller(requests.cpu, limits.cpu), memory: smaller(requests.memory, limits.memory) }, limits };
  return { requests, limits };
}

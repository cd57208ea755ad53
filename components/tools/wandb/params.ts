import * as z from "zod";
import { optionalDatabaseSchema } from "../shared/params";
import { servingExposeSchema } from "../shared/serving-params";
import { API_KEY_VARIABLE, CLOUD_BASE_URL, LICENSE_VARIABLE } from "./checks";

const HTTPS_BASE_URL = /^https:\/\/[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:\d{1,5})?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const CACHE_NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

/** The keys only self-managed W&B reads (a cloud stack giving one has mistaken the mode). */
export const SELF_MANAGED_KEYS = ["license_secret_arn", "expose", "database", "redis"] as const;

const redisSchema = z
  .strictObject({
    node_type: z
      .string()
      .regex(CACHE_NODE_TYPE, { error: (issue) => `"${issue.input}" is not an ElastiCache node type — expected e.g. cache.t4g.small` })
      .default("cache.t4g.small")
      .describe("ElastiCache node type. Default: cache.t4g.small."),
    replicas: z.number().int().min(0).max(5).default(0).describe("Read replicas beside the primary; 1 or more also turns on Multi-AZ automatic failover. Default: 0 (one node)."),
  })
  .describe("self-managed: the ElastiCache Redis 7.1 replication group W&B requires. Default: one cache.t4g.small node.");

const databaseSettings = optionalDatabaseSchema("self-managed: the MySQL 8.4 metadata database on RDS.", { default: "db.t4g.medium", why: "W&B's server keeps every run's metadata there" });

export const wandbParams = z
  .strictObject({
    mode: z
      .enum(["cloud", "self-managed"], { error: (issue) => `mode ${JSON.stringify(issue.input)} is not allowed — use cloud (W&B's hosted service or your Dedicated Cloud) or self-managed (the W&B server in this cluster, needs a W&B licence)` })
      .default("cloud")
      .describe(`cloud: the stack's pods log to W&B's hosted service with your API key, read from ${API_KEY_VARIABLE} at deploy time; self-managed: the W&B server in this cluster (needs a W&B licence). Default: cloud.`),
    base_url: z
      .string()
      .regex(HTTPS_BASE_URL, { error: (issue) => `base_url "${issue.input}" is not an https:// host URL — expected e.g. https://acme.wandb.io (Dedicated Cloud), without a path` })
      .optional()
      .describe(`cloud: the W&B API host (WANDB_BASE_URL): your Dedicated Cloud's https://<name>.wandb.io. Default: ${CLOUD_BASE_URL}.`),
    license_secret_arn: z
      .string()
      .regex(SECRET_ARN, { error: (issue) => `license_secret_arn "${issue.input}" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>` })
      .optional()
      .describe(`self-managed: the Secrets Manager secret holding the W&B licence (its whole value), synced into the cluster by External Secrets. Default: read from ${LICENSE_VARIABLE} at deploy time.`),
    expose: servingExposeSchema("wandb").describe(
      "self-managed: expose the W&B UI and API through the stack's HTTPS-only ALB at this host, behind the ALB's browser sign-in (auth type oidc or cognito). Default: not exposed (kubectl port-forward).",
    ),
    database: databaseSettings.optional(),
    redis: redisSchema.optional(),
  })
  .superRefine((params, ctx) => {
    if (params.mode === "cloud") {
      for (const key of SELF_MANAGED_KEYS.filter((key) => params[key] !== undefined)) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} is a self-managed setting, and mode is cloud — add mode: self-managed to run the W&B server in this cluster, or remove ${key}` });
      }
    } else if (params.base_url !== undefined) {
      ctx.addIssue({ code: "custom", path: ["base_url"], message: "base_url is the W&B cloud host, and mode is self-managed: the server's URL is this stack's (expose.host, or the in-cluster Service) — remove base_url" });
    }
    if (params.expose?.auth.type === "jwt") {
      ctx.addIssue({
        code: "custom",
        path: ["expose", "auth", "type"],
        message: "W&B's UI is used in a browser: auth type jwt would leave no way to sign in — use type oidc or cognito (the SDK and pods use the in-cluster Service, or kubectl port-forward)",
      });
    }
  })
  // Defaults of the self-managed settings only where they apply: a cloud stack has no database.
  .transform((params) => (params.mode === "cloud" ? params : { ...params, database: params.database ?? databaseSettings.parse({}), redis: params.redis ?? redisSchema.parse({}) }));

export type WandbParams = z.output<typeof wandbParams>;
/** A self-managed stack's params, its defaults applied. */
export type SelfManagedParams = WandbParams & { database: NonNullable<WandbParams["database"]>; redis: NonNullable<WandbParams["redis"]> };

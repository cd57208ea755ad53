import * as z from "zod";
import { MODEL_SOURCES } from "./model-sources";
import { exposeSchema, PINNED_IMAGE, replicasSchema } from "./params";

/**
 * Params shared by the model servers (fastapi, cog, tf-serving): where the model comes from, how
 * far the server scales, and how it may be exposed. Kept free of Pulumi: the catalog loads them for
 * `validate`.
 */


/** An S3 key prefix: parts of letters, digits, ".", "_" and "-" joined by "/", no leading or trailing "/". */
const KEY_PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const ABSOLUTE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const SIZE = /^\d+(Mi|Gi|Ti)$/;
const HTTPS_URL = /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const USER_POOL_ARN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[A-Za-z0-9_-]+$/;
const COGNITO_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const LAKEFS_REFUSAL =
  'from "lakefs" is not supported — lakeFS keeps objects under its own physical addresses, not under their paths, and reading through its S3 gateway would hand the server lakeFS admin keys; ' +
  "copy the model out first (lakectl fs download lakefs://<repo>/<ref>/<path> ./model, then aws s3 sync ./model s3://<this tool's models bucket>/<path>/) and use from: own";

const from = z
  .string()
  .refine((value) => value !== "lakefs", { error: LAKEFS_REFUSAL, abort: true })
  .pipe(
    z.enum(["own", ...MODEL_SOURCES], {
      error: (issue) => `from ${JSON.stringify(issue.input)} is not a model source — use own (this tool's models bucket), ${MODEL_SOURCES.join(" or ")} (that tool's bucket, which must be in the stack)`,
    }),
  )
  .default("own")
  .describe(`Whose bucket holds the model: own (this tool's models bucket, created for it), or ${MODEL_SOURCES.join("/")} (that tool's data bucket; the tool must be in the stack). Default: own.`);

/**
 * `models`: an S3 prefix synced into the server's pod before it starts. `mountPath` is where the
 * server finds it (each tool says where its server looks).
 */
export function modelsSchema(mountPath: string) {
  return z
    .strictObject({
      from,
      path: z
        .string()
        .regex(KEY_PREFIX, {
          error: (issue) => `path "${issue.input}" is not an S3 key prefix — use letters, digits, ".", "_" and "-", parts joined by "/", no leading or trailing "/" (e.g. models or 1/models/m-3f2a/artifacts)`,
        })
        .optional()
        .describe('The key prefix to sync (everything under s3://<bucket>/<path>/). Default: "models" in the own bucket; required with another tool\'s bucket (e.g. MLflow\'s <experiment>/models/<model id>/artifacts under "artifacts/").'),
      mount_path: z
        .string()
        .regex(ABSOLUTE_PATH, { error: (issue) => `mount_path "${issue.input}" is not an absolute directory path — expected e.g. ${mountPath}` })
        .default(mountPath)
        .describe(`Where the server finds the synced files (read-only; also in the MODEL_DIR environment variable). Default: ${mountPath}.`),
      size: z
        .string()
        .regex(SIZE, { error: (issue) => `size "${issue.input}" is not a size in Mi, Gi or Ti — expected e.g. 20Gi` })
        .default("10Gi")
        .describe("Room for the synced files on the node's disk (each pod keeps a copy): reserved for the pod, which is evicted when the copy grows past it; it must fit a node's disk beside the images (deployment.node_groups[].disk_size, default 50 GiB). Default: 10Gi."),
    })
    .superRefine((models, ctx) => {
      if (models.from !== "own" && models.path === undefined) {
        ctx.addIssue({ code: "custom", path: ["path"], message: `path is required with from: ${models.from} — name the prefix of the model in ${models.from}'s bucket (a whole bucket is never synced)` });
      }
    })
    .transform((models) => ({ ...models, path: models.path ?? "models" }))
    .describe("The model files, copied from S3 into every server pod before the server starts (read with the tool's own IAM role, which may read exactly this prefix).");
}

const onUnauthenticated = z
  .enum(["authenticate", "deny"], { error: (issue) => `on_unauthenticated ${JSON.stringify(issue.input)} is not allowed — use authenticate (redirect browsers to sign in) or deny (401)` })
  .default("authenticate")
  .describe("What the ALB does with a request without a session: authenticate (redirect to sign in: browsers) or deny (HTTP 401: API clients without a session). Default: authenticate.");
const scope = z.string().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/).default("openid").describe("Claims requested from the identity provider, space-separated. Default: openid.");
const httpsUrl = (what: string) => z.string().regex(HTTPS_URL, { error: (issue) => `${what} "${issue.input}" is not an https:// URL` });

const oidcAuth = z.strictObject({
  type: z.literal("oidc"),
  issuer: httpsUrl("issuer"),
  authorization_endpoint: httpsUrl("authorization_endpoint"),
  token_endpoint: httpsUrl("token_endpoint"),
  user_info_endpoint: httpsUrl("user_info_endpoint"),
  client_id: z.string().min(1),
  client_secret_arn: z
    .string()
    .regex(SECRET_ARN, { error: (issue) => `client_secret_arn "${issue.input}" is not a Secrets Manager secret ARN — expected arn:aws:secretsmanager:<region>:<account>:secret:<name>` })
    .describe("The Secrets Manager secret holding the client secret (its whole value, or the JSON key client_secret_key); synced into the cluster by External Secrets, never written to the stack's state."),
  client_secret_key: z.string().min(1).optional().describe("The JSON key of the client secret inside the secret's value. Default: the whole value."),
  scope,
  on_unauthenticated: onUnauthenticated,
});

const cognitoAuth = z.strictObject({
  type: z.literal("cognito"),
  user_pool_arn: z.string().regex(USER_POOL_ARN, { error: (issue) => `user_pool_arn "${issue.input}" is not a Cognito user pool ARN — expected arn:aws:cognito-idp:<region>:<account>:userpool/<id>` }),
  client_id: z.string().min(1),
  domain: z.string().regex(COGNITO_DOMAIN, {
    error: (issue) => `domain "${issue.input}" is not a Cognito domain prefix — give the prefix only (my-domain, not https://my-domain.auth.<region>.amazoncognito.com)`,
  }),
  scope,
  on_unauthenticated: onUnauthenticated,
});

/** Claims the ALB always checks itself (AWS: exp and iss mandatory, nbf and iat when present): not listable as additional ones. */
const CHECKED_CLAIMS = ["exp", "iss", "nbf", "iat"];
const CLAIM_VALUE = z.string().min(1).max(256);

const jwtClaim = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .refine((name) => !CHECKED_CLAIMS.includes(name), { error: (issue) => `claim ${issue.input} is always checked by the ALB — list other claims (e.g. aud, scope, client_id)` }),
    format: z.enum(["single-string", "string-array", "space-separated-values"], {
      error: (issue) => `format ${JSON.stringify(issue.input)} is not a claim format — use single-string (e.g. aud: "my-api"), string-array (e.g. groups: ["a","b"]) or space-separated-values (e.g. scope: "read write")`,
    }),
    values: z.array(CLAIM_VALUE).min(1).max(10).describe("Accepted values of the claim (1 to 10, each up to 256 characters)."),
  })
  .superRefine((claim, ctx) => {
    if (claim.format === "single-string" && claim.values.length > 1) {
      ctx.addIssue({ code: "custom", path: ["values"], message: `a single-string claim has one value — use format: string-array or space-separated-values to accept several` });
    }
    if (claim.format === "space-separated-values" && claim.values.some((value) => value.includes(" "))) {
      ctx.addIssue({ code: "custom", path: ["values"], message: "space-separated-values are single words — list each value on its own, without spaces" });
    }
  });

const jwtAuth = z
  .strictObject({
    type: z.literal("jwt"),
    issuer: z.string().regex(/^\S{1,256}$/, { error: (issue) => `issuer "${issue.input}" is not a JWT issuer — the exact iss claim of the tokens (up to 256 characters, no spaces), e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>` }),
    jwks_endpoint: httpsUrl("jwks_endpoint").max(256).describe("The identity provider's public JSON Web Key Set (up to 10 keys, 150 KB; the ALB fetches it from the internet), e.g. https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json."),
    claims: z
      .array(jwtClaim)
      .max(10)
      .optional()
      .describe("What a token must say besides its issuer (1 to 10 claims), e.g. [{name: scope, format: space-separated-values, values: [models/predict]}]. Required."),
  })
  .superRefine((auth, ctx) => {
    // Issuer and signature alone accept every token of the provider, for any of its applications.
    if (!auth.claims?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["claims"],
        message: "jwt auth needs claims — the issuer alone accepts any token the provider issues, for any application; name this server's audience or scope, e.g. claims: [{name: aud, format: single-string, values: [my-api]}] or [{name: scope, format: space-separated-values, values: [models/predict]}]",
      });
    }
  })
  .transform((auth) => ({ ...auth, claims: auth.claims ?? [] }));

const NO_AUTH = (tool: string) =>
  `${tool} has no authentication of its own, so expose needs auth — add auth: {type: jwt, issuer: …, jwks_endpoint: …, claims: […]} (scripts and services sending a bearer token), auth: {type: oidc, issuer: …, authorization_endpoint: …, token_endpoint: …, user_info_endpoint: …, client_id: …, client_secret_arn: …} or auth: {type: cognito, user_pool_arn: …, client_id: …, domain: …} (browser sign-in); or remove expose and reach it in the cluster or through kubectl port-forward`;

/**
 * `expose` for a server without authentication of its own: the shared host and certificate, and a
 * required `auth` the ALB enforces before any request reaches the server.
 */
export function servingExposeSchema(tool: string) {
  return exposeSchema
    .extend({
      // Optional here, required below: a missing key would only get the generic "missing required key" message, not the fix.
      auth: z
        .discriminatedUnion("type", [jwtAuth, oidcAuth, cognitoAuth], {
          error: (issue) => `auth needs type: jwt, oidc or cognito — got ${JSON.stringify((issue.input as { type?: unknown })?.type)}`,
        })
        .optional()
        .describe(
          "What the ALB checks before a request reaches the server (AWS Load Balancer Controller v3.5.0): jwt (a bearer token in the Authorization header, validated against your identity provider's keys: scripts and services), " +
            "or sign-in for browsers: oidc with your identity provider, or an Amazon Cognito user pool. Required.",
        ),
    })
    .superRefine((expose, ctx) => {
      if (!expose.auth) ctx.addIssue({ code: "custom", path: ["auth"], message: NO_AUTH(tool) });
    })
    .transform((expose) => expose as typeof expose & { auth: NonNullable<typeof expose.auth> })
    .optional()
    .describe(
      "Expose the server through the stack's HTTPS-only ALB at this host, behind auth. For scripts and services use auth type jwt (Authorization: Bearer <token>); " +
        "oidc and cognito are browser sign-in (redirect, session cookie): clients without the cookie get a redirect, or 401 with on_unauthenticated: deny. Default: not exposed (in-cluster, kubectl port-forward).",
    );
}

/** `replicas`: the autoscaler's bounds. */
export const servingReplicasSchema = z
  .strictObject({
    min: replicasSchema(1).describe("Fewest server pods the autoscaler keeps. With 1, draining its node stops serving until the pod restarts elsewhere: use 2 for no gap. Default: 1."),
    max: replicasSchema(3).describe("Most server pods the autoscaler starts (each takes one GPU when on GPUs). Default: 3."),
  })
  .superRefine((replicas, ctx) => {
    if (replicas.min > replicas.max) ctx.addIssue({ code: "custom", path: ["min"], message: `replicas.min (${replicas.min}) is greater than replicas.max (${replicas.max}) — need min <= max` });
  })
  .prefault({})
  .describe("Server pods, scaled on CPU use (target 70%) between min and max.");

/**
 * `startup_minutes`: how long a new pod may take to become ready (model copy, start, model load):
 * `up` waits that long for a rollout (Pulumi's own default is 10 minutes); `what` says what the
 * server does meanwhile.
 */
export function startupMinutesSchema(what: string) {
  return z
    .number()
    .int()
    .min(5)
    .max(180)
    .default(20)
    .describe(`Minutes a new pod may take to become ready: the model's copy from S3, then ${what}. \`up\` waits this long for a rollout before reporting it failed. Default: 20.`);
}

/**
 * `image`: pinned; optional in the schema so that `requireImage` names the fix when it is missing.
 */
export function servingImageSchema(example: string, about: string) {
  return z
    .string()
    .regex(PINNED_IMAGE, { error: (issue) => `"${issue.input}" is not a pinned image reference — expected <registry>/<repository>:<tag> or …@sha256:<digest> (e.g. ${example})` })
    .optional()
    .describe(`${about} Required.`);
}

/** A server's params refinement: `image` is required (see servingImageSchema). */
export function requireImage(tool: string, example: string) {
  return (params: { image?: string }, ctx: z.RefinementCtx) => {
    if (params.image === undefined) ctx.addIssue({ code: "custom", path: ["image"], message: `${tool} needs the image to serve — write - ${tool}: {image: ${example}}` });
  };
}

/** The params with `image` known to be there (after `requireImage`). */
export function withImage<T extends { image?: string }>(params: T): T & { image: string } {
  return params as T & { image: string };
}

export type ModelsSettings = z.output<ReturnType<typeof modelsSchema>>;
export type ServingExpose = NonNullable<z.output<ReturnType<typeof servingExposeSchema>>>;
export type ServingAuth = ServingExpose["auth"];
export type ServingReplicas = z.output<typeof servingReplicasSchema>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that usually hold secrets: their values would sit in the stack file and in plain Pulumi state. */
const SECRET_LIKE = /(SECRET|PASSWORD|PASSWD|TOKEN|CREDENTIAL|PRIVATE|ACCESS_KEY|API_KEY)/i;
/** Names platinfra sets itself (the model directory, AWS's web identity and region, MLflow's client settings). */
const RESERVED = /^(MODEL_DIR$|AWS_|MLFLOW_)/;

/** `env`: plain settings for the server; secrets never (they would be plain text in the spec and the state). */
export const servingEnvSchema = z
  .record(
    z
      .string()
      .regex(ENV_NAME, { error: (issue) => `"${issue.input}" is not an environment variable name — use letters, digits and "_", not starting with a digit` })
      .refine((name) => !SECRET_LIKE.test(name), {
        error: (issue) => `${issue.input} looks like a secret — env values are plain text in the stack file and Pulumi state; keep secrets out of env (read them from Secrets Manager with the server's role, or a Kubernetes Secret you manage)`,
      })
      .refine((name) => !RESERVED.test(name), { error: (issue) => `${issue.input} is set by platinfra (MODEL_DIR, AWS_*, MLFLOW_*) — pick another name` }),
    z.string(),
  )
  .default({})
  .describe("Plain (non-secret) environment variables for the server. Names that look secret (…TOKEN, …PASSWORD, …API_KEY) and the ones platinfra sets are refused. Default: none.");

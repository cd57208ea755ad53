import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyChartCrds, CHART_CRDS } from "../../base/chart-crds";
import { CHARTS } from "../../base/charts";
import type { Database } from "../../base/database";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createToolDatabase, secretReadStatement, syncDatabaseSecret } from "../shared/database";
import { createGeneratedSecret } from "../shared/generated-secret";
import { createIngress } from "../shared/ingress";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { createToolRole } from "../shared/role";
import type { ToolScope } from "../shared/scope";
import { authAnnotations, authStatements, createAuthSecret, OIDC_CLIENT_SECRET_KEY, oidcSecretName } from "../shared/serving-auth";
import type { ServingAuth } from "../shared/serving-params";
import type { LocalAccess } from "../shared/types";
import { LICENSE_VARIABLE } from "./checks";
import { deployInput, type WandbSettings } from "./cloud";
import type { SelfManagedParams } from "./params";
import { createRedis } from "./redis";
import * as names from "./values";

/**
 * MySQL settings from W&B's own AWS module (terraform-aws-wandb v8.0.0 modules/database, for
 * Aurora MySQL 3) that exist in MySQL 8.4: room for the server's many prepared statements, and
 * for online schema changes of its migrations. binlog_format is deprecated in 8.4 (ROW already).
 */
export const MYSQL_PARAMETERS = { max_prepared_stmt_count: "1048576", innodb_online_alter_log_max_size: "268435456" };

/** The ExternalSecrets refresh of the licence from Secrets Manager. */
const LICENSE_REFRESH = "1h";

/**
 * The W&B server in the cluster: the W&B operator (its CRD applied by platinfra) and a
 * WeightsAndBiases resource from which the operator installs W&B's chart, on MySQL 8.4 on RDS,
 * ElastiCache Redis and an S3 bucket reached through IRSA. In the cluster only (port-forward),
 * or exposed behind the ALB's sign-in.
 */
export function selfManagedWandb(scope: ToolScope, params: SelfManagedParams): WandbSettings {
  const { context } = scope;
  const namespace = createNamespace(scope, names.NAMESPACE);
  const files = createToolBucket(scope, "files");
  const database = createToolDatabase(scope, { engine: "mysql", databaseName: "wandb_local", settings: params.database, parameters: MYSQL_PARAMETERS });
  const roles = createRoles(scope, namespace, files.arn, database, params.license_secret_arn);
  const credentials = syncDatabaseSecret(scope, {
    namespace,
    serviceAccount: names.SERVICE_ACCOUNTS.app,
    database,
    secretName: names.DB_SECRET,
    dependsOn: [roles.app],
    // The chart's init-db container URL-decodes MYSQL_PASSWORD (values.yaml app.initContainers.init-db) and the server puts it into a mysql:// URL.
    template: { MYSQL_PASSWORD: "{{ .password | urlquery }}" },
  });
  const license = createLicenseSecret(scope, namespace, params.license_secret_arn, credentials.externalSecret);
  const redisToken = createGeneratedSecret(scope, { namespace, purpose: "redis", secretName: names.REDIS_SECRET, generated: { [names.REDIS_PASSWORD_KEY]: 32 } });
  const redis = createRedis(scope, params.redis, redisToken.values[names.REDIS_PASSWORD_KEY]);
  const operator = createOperator(scope, namespace);
  const externalUrl = params.expose ? `https://${params.expose.host}` : undefined;
  const host = externalUrl ?? localUrl(names.LOCAL_PORT);
  allowBrowserTransfers(scope, files.name, host);
  const signInSecrets = params.expose ? createSignInSecret(scope, namespace, params.expose.auth) : [];
  const instance = new k8s.apiextensions.CustomResource(
    `${scope.name}-server`,
    {
      apiVersion: "apps.wandb.com/v1",
      kind: "WeightsAndBiases",
      metadata: { name: names.RELEASE, namespace: names.NAMESPACE, labels: { "wandb.ai/console-default": "true" } },
      spec: {
        chart: { ...names.APP_CHART },
        values: names.wandbValues({ host, bucket: files.name, region: context.platform.region, database, redis, podAnnotations: credentials.podAnnotations, oidc: wandbOidc(params.expose?.auth) }),
      },
    },
    // Deleted before the operator: its finalizer needs the operator to uninstall W&B's release.
    { parent: scope.parent, dependsOn: [operator, roles.app, roles.parquet, credentials.externalSecret, license, redisToken.secret, ...signInSecrets] },
  );
  const exposed = params.expose ? exposeServer(scope, namespace, params.expose, [instance, ...signInSecrets]) : undefined;

  const inCluster = serviceUrl(names.APP_SERVICE, names.NAMESPACE, names.APP_PORT);
  const forward = `kubectl -n ${names.NAMESPACE} port-forward svc/${names.APP_SERVICE} ${names.LOCAL_PORT}:${names.APP_PORT}`;
  return {
    outputs: stringMap({
      mode: "self-managed",
      url: host,
      inClusterUrl: inCluster,
      portForward: forward,
      ...(exposed ? { loadBalancerHostname: exposed.loadBalancerHostname } : {}),
      firstLogin: `open ${host}${exposed ? "" : ` (after: ${forward})`} right after up and create the admin account: W&B makes its first sign-up the instance admin`,
      ...(params.expose ? { sso: ssoOutput(host, params.expose.auth as BrowserSignIn) } : {}),
      apiKey: `each user creates one at ${host}/authorize`,
      sdk: exposed
        ? `pods: WANDB_BASE_URL=${inCluster}; laptops: ${forward}, then WANDB_BASE_URL=${localUrl(names.LOCAL_PORT)} (the ALB's browser sign-in stops API clients)`
        : `pods: WANDB_BASE_URL=${inCluster}; laptops: ${forward}, then WANDB_BASE_URL=${host}`,
      serverVersions: `W&B's operator picks the server images of your licence's release channel (connected mode); platinfra pins the operator ${names.OPERATOR_IMAGE.tag} and chart ${names.APP_CHART.name} ${names.APP_CHART.version}`,
      status: `kubectl -n ${names.NAMESPACE} get weightsandbiases ${names.RELEASE} -o jsonpath='{.status.phase}'`,
      // The operator's finalizer runs helm uninstall (chart from charts.wandb.ai): if that fails, the CR and the namespace stay Terminating.
      beforeDestroy: `nothing to run; if destroy waits on the WeightsAndBiases resource (its finalizer could not run helm uninstall), remove the finalizer: kubectl -n ${names.NAMESPACE} patch weightsandbiases ${names.RELEASE} --type merge -p '{"metadata":{"finalizers":[]}}'`,
      filesBucket: files.name,
      databaseEndpoint: database.endpoint,
      redisEndpoint: redis.host,
    }),
    // SDK clients: the Service in pods, the port-forward on laptops (`outputs --env --local`); browsers use `url`.
    env: stringMap({ WANDB_BASE_URL: inCluster }),
    // Each user's API key is personal: none is minted here.
    podEnv: { plain: stringMap({ WANDB_BASE_URL: inCluster }) },
    localAccess: localAccess(),
  };
}

/**
 * Browsers upload and download run files straight to and from S3 through presigned URLs: the
 * bucket admits W&B's origin (the rule of W&B's own AWS module, terraform-aws-wandb
 * modules/file_storage, with its origin "*" narrowed to W&B's URL).
 */
function allowBrowserTransfers(scope: ToolScope, bucket: pulumi.Output<string>, origin: string): aws.s3.BucketCorsConfiguration {
  return new aws.s3.BucketCorsConfiguration(
    `${scope.name}-files-cors`,
    { bucket, corsRules: [{ allowedOrigins: [origin], allowedMethods: ["GET", "HEAD", "PUT"], allowedHeaders: ["*"], exposeHeaders: ["ETag"], maxAgeSeconds: 3000 }] },
    { parent: scope.parent },
  );
}

/** The port-forward to the app Service (when not exposed, global.host is its local URL, so the UI's links work through it). */
function localAccess(): LocalAccess {
  return { namespace: names.NAMESPACE, service: names.APP_SERVICE, ports: [{ local: names.LOCAL_PORT, remote: names.APP_PORT }], env: { WANDB_BASE_URL: localUrl(names.LOCAL_PORT) } };
}

/**
 * One IRSA role per service account of the pods that touch the bucket (app, parquet), each
 * allowed exactly that bucket; the app's also reads the database secret (and the licence secret
 * when given) for the secret sync, which authenticates as it. Platinfra creates the accounts
 * (the chart's `serviceAccount.create: false`) so they exist before the operator's release.
 */
function createRoles(scope: ToolScope, namespace: ToolNamespace, bucketArn: pulumi.Output<string>, database: Database, licenseArn: string | undefined): { app: ServiceAccountRole; parquet: ServiceAccountRole } {
  const files = bucketStatements([bucketArn], "readwrite", "Files");
  return {
    app: createToolRole(scope, {
      role: "app",
      namespace,
      serviceAccount: names.SERVICE_ACCOUNTS.app,
      statements: [...files, secretReadStatement(database.masterUserSecretArn), ...(licenseArn ? [secretReadStatement(licenseArn, "LicenseSecret")] : [])],
    }),
    parquet: createToolRole(scope, { role: "parquet", namespace, serviceAccount: names.SERVICE_ACCOUNTS.parquet, statements: files }),
  };
}

/**
 * The licence as Secret `wandb-license`, which the pods and the operator read (global.licenseSecret;
 * never in the resource's values, readable by whoever can read the resource): synced from
 * Secrets Manager, or from the deploy-time variable as a Pulumi secret.
 */
function createLicenseSecret(scope: ToolScope, namespace: ToolNamespace, licenseArn: string | undefined, store: pulumi.Resource): pulumi.Resource {
  if (!licenseArn) {
    return new k8s.core.v1.Secret(
      `${scope.name}-license`,
      { metadata: { name: names.LICENSE_SECRET, namespace: names.NAMESPACE }, stringData: { [names.LICENSE_KEY]: pulumi.secret(deployInput(scope.context, LICENSE_VARIABLE)) } },
      { parent: scope.parent, dependsOn: [namespace.resource] },
    );
  }
  return new k8s.apiextensions.CustomResource(
    `${scope.name}-license`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: names.LICENSE_SECRET, namespace: names.NAMESPACE },
      spec: {
        refreshInterval: LICENSE_REFRESH,
        secretStoreRef: { name: `${scope.name}-aws`, kind: "SecretStore" },
        target: { name: names.LICENSE_SECRET, creationPolicy: "Owner" },
        data: [{ secretKey: names.LICENSE_KEY, remoteRef: { key: licenseArn } }],
      },
    },
    // The store is the database sync's (same namespace and role); it exists once that sync does.
    { parent: scope.parent, dependsOn: [store] },
  );
}

/** The operator chart, its CRD applied first (Helm never upgrades crds/); it watches and holds Roles in this namespace only. */
function createOperator(scope: ToolScope, namespace: ToolNamespace): k8s.helm.v3.Release {
  const crds = applyChartCrds(`${scope.name}-crds`, CHART_CRDS.wandbOperator, { parent: scope.parent, dependsOn: [namespace.resource] });
  return helmRelease(
    `${scope.name}-operator`,
    { chart: CHARTS.wandbOperator, releaseName: "wandb-operator", namespace: names.NAMESPACE, values: names.operatorValues(), skipCrds: true },
    { parent: scope.parent, dependsOn: [namespace.resource, ...crds] },
  );
}

/**
 * The OIDC client of the ALB's sign-in (oidc only; Cognito needs none), synced through a store and
 * role of its own (`wandb-ui`), which may read only that secret. W&B's pods read it too (`wandbOidc`).
 */
function createSignInSecret(scope: ToolScope, namespace: ToolNamespace, auth: ServingAuth): pulumi.Resource[] {
  const uiScope: ToolScope = { ...scope, name: `${scope.name}-ui` };
  const statements = authStatements(auth);
  if (!statements.length) return [];
  const role = createToolRole(uiScope, { namespace, serviceAccount: uiScope.name, statements });
  return createAuthSecret(uiScope, { auth, app: names.RELEASE, namespace, serviceAccount: uiScope.name, role });
}

/**
 * With auth oidc, W&B signs people in through the same client as the ALB (PKCE, the client
 * secret from the Secret the ALB reads), so W&B's accounts are the provider's identities rather
 * than passwords of W&B's own form. Not with Cognito: the ALB needs a Cognito client with a
 * secret, which platinfra never reads (the ALB reads it from Cognito), and W&B's code exchange
 * for a client with a secret fails without it; `ssoOutput` says what to do instead.
 */
function wandbOidc(auth: ServingAuth | undefined): names.WandbOidc | undefined {
  if (auth?.type !== "oidc") return undefined;
  return { clientId: auth.client_id, issuer: auth.issuer, secretName: oidcSecretName(names.RELEASE), secretKey: OIDC_CLIENT_SECRET_KEY };
}

/** The sign-ins W&B can be exposed with (params refuse jwt: a browser UI). */
type BrowserSignIn = Extract<ServingAuth, { type: "oidc" | "cognito" }>;

/** What the identity provider must allow for W&B's own sign-in, or why W&B keeps its own form. */
function ssoOutput(host: string, auth: BrowserSignIn): string {
  if (auth.type === "oidc") {
    return `W&B signs users in through your OIDC provider too (client ${auth.client_id}, authorization code with PKCE, scopes openid profile email): allow the redirect ${host}/oidc/callback in that client, beside the ALB's ${host}/oauth2/idpresponse`;
  }
  // arn:aws:cognito-idp:<region>:<account>:userpool/<pool id> (the spec's pattern); the issuer W&B's docs give for Cognito.
  const [, , , region, , resource] = auth.user_pool_arn.split(":");
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${resource.split("/")[1]}`;
  return (
    `not wired for Cognito: W&B keeps its own sign-up form behind the ALB's Cognito sign-in, so the first person through the ALB to sign up becomes W&B's instance admin and W&B's accounts are separate passwords. ` +
    `To sign in to W&B with the pool too: create a second app client without a secret in that pool (authorization code grant, scopes openid profile email, callback ${host}/oidc/callback) ` +
    `and enter its ID, issuer ${issuer} and auth method pkce in W&B's settings page (W&B's SSO docs)`
  );
}

/**
 * The app Service behind the stack's ALB with its browser sign-in (oidc or cognito): only people
 * of your identity provider reach W&B, its first sign-up included.
 */
function exposeServer(scope: ToolScope, namespace: ToolNamespace, expose: NonNullable<SelfManagedParams["expose"]>, dependsOn: pulumi.Resource[]) {
  return createIngress(scope, {
    namespace,
    serviceName: names.APP_SERVICE,
    port: names.APP_PORT,
    expose,
    healthCheckPath: "/ready",
    annotations: authAnnotations(expose.auth, names.RELEASE),
    dependsOn,
  });
}

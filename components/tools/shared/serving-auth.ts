import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../../base/policies";
import { secretReadStatement } from "./database";
import type { ToolNamespace } from "./namespace";
import type { ToolScope } from "./scope";
import { createSecretStore, secretStoreName } from "./secret-store";
import type { ServingAuth } from "./serving-params";

/**
 * The ALB's check in front of a server without authentication of its own (AWS Load Balancer
 * Controller v3.5.0, docs/guide/ingress/annotations.md "Authentication" and "Token Validation"):
 * a bearer JWT validated against the provider's keys (machine clients), or a sign-in (browsers)
 * after which only requests with a valid session are forwarded.
 */

/** How often External Secrets re-reads the OIDC client secret: the longest a rotation goes unseen by the ALB. */
const CLIENT_SECRET_REFRESH = "1h";
const ALB = "alb.ingress.kubernetes.io";

/** The key of the synced OIDC client secret in that Secret (the controller's name for it; apps reading the Secret use it too). */
export const OIDC_CLIENT_SECRET_KEY = "clientSecret";

/** The Secret the controller reads the OIDC client from: it must be in the Ingress' namespace. */
export function oidcSecretName(app: string): string {
  return `${app}-oidc-client`;
}

/** What the tool's role needs for its sign-in: reading exactly the OIDC client secret (Cognito and JWT need nothing). */
export function authStatements(auth: ServingAuth): PolicyStatement[] {
  return auth.type === "oidc" ? [secretReadStatement(auth.client_secret_arn, "OidcClientSecret")] : [];
}

/**
 * The Ingress annotations turning the ALB's check on for the tool's host: JWT validation (v3.5.0
 * pkg/ingress/enhanced_backend_builder.go reads `jwt-validation` from the Ingress; model_build_actions.go
 * puts it before the forward on HTTPS listeners, and refuses it together with auth-type), or sign-in.
 */
export function authAnnotations(auth: ServingAuth, app: string): Record<string, string> {
  if (auth.type === "jwt") {
    return {
      [`${ALB}/jwt-validation`]: JSON.stringify({
        jwksEndpoint: auth.jwks_endpoint,
        issuer: auth.issuer,
        additionalClaims: auth.claims.map((claim) => ({ name: claim.name, format: claim.format, values: claim.values })),
      }),
    };
  }
  const identityProvider: Record<string, string> =
    auth.type === "oidc"
      ? {
          [`${ALB}/auth-idp-oidc`]: JSON.stringify({
            issuer: auth.issuer,
            authorizationEndpoint: auth.authorization_endpoint,
            tokenEndpoint: auth.token_endpoint,
            userInfoEndpoint: auth.user_info_endpoint,
            secretName: oidcSecretName(app),
          }),
        }
      : { [`${ALB}/auth-idp-cognito`]: JSON.stringify({ userPoolARN: auth.user_pool_arn, userPoolClientID: auth.client_id, userPoolDomain: auth.domain }) };
  return {
    [`${ALB}/auth-type`]: auth.type,
    ...identityProvider,
    [`${ALB}/auth-on-unauthenticated-request`]: auth.on_unauthenticated,
    [`${ALB}/auth-scope`]: auth.scope,
  };
}

/**
 * For OIDC: the client (`clientID`, `clientSecret`, the keys the controller reads) synced from
 * Secrets Manager by External Secrets, authenticating as the tool's service account, whose role
 * may read exactly that secret (`authStatements`). The secret never enters the spec, Pulumi state
 * or a manifest. Returns what the Ingress must wait for (nothing for Cognito).
 */
export function createAuthSecret(
  scope: ToolScope,
  options: { auth: ServingAuth; app: string; namespace: ToolNamespace; serviceAccount: string; role: pulumi.Resource },
): pulumi.Resource[] {
  const { auth } = options;
  if (auth.type !== "oidc") return [];
  const store = createSecretStore(scope, { namespace: options.namespace, serviceAccount: options.serviceAccount, dependsOn: [options.role] });
  const secretName = oidcSecretName(options.app);
  const externalSecret = new k8s.apiextensions.CustomResource(
    `${scope.name}-oidc-client`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: secretName, namespace: options.namespace.name },
      spec: {
        refreshInterval: CLIENT_SECRET_REFRESH,
        secretStoreRef: { name: secretStoreName(scope), kind: "SecretStore" },
        target: {
          name: secretName,
          creationPolicy: "Owner",
          // The client ID is not secret: written by the template next to the synced secret.
          template: { engineVersion: "v2", data: { clientID: auth.client_id, [OIDC_CLIENT_SECRET_KEY]: "{{ .clientSecret }}" } },
        },
        data: [{ secretKey: "clientSecret", remoteRef: { key: auth.client_secret_arn, ...(auth.client_secret_key ? { property: auth.client_secret_key } : {}) } }],
      },
    },
    { parent: scope.parent, dependsOn: [store] },
  );
  return [externalSecret];
}

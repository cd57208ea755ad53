/** An `expose.auth` block of type oidc (components/tools/shared/serving-auth.ts) for the identity provider at `idp`. */
export function oidcAuth(idp: string, clientId: string, clientSecretArn: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    type: "oidc",
    issuer: idp,
    authorization_endpoint: `${idp}/authorize`,
    token_endpoint: `${idp}/token`,
    user_info_endpoint: `${idp}/userinfo`,
    client_id: clientId,
    client_secret_arn: clientSecretArn,
    ...extra,
  };
}

/** The IRSA trust policy a role for exactly one service account must have (the expected value in tests). */
export function expectedTrustPolicy(oidcProviderArn: string, issuerHost: string, namespace: string, serviceAccount: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuerHost}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${issuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ],
  };
}

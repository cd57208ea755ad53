import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "./namespace";
import type { ToolScope } from "./scope";

/**
 * The tool's External Secrets SecretStore `<tool>-aws` for Secrets Manager, authenticating as the
 * tool's own service account (IRSA): the store reads exactly the secrets that role may read.
 */
export function createSecretStore(
  scope: ToolScope,
  options: { namespace: ToolNamespace; serviceAccount: string; dependsOn: pulumi.Resource[] },
): k8s.apiextensions.CustomResource {
  const { platform } = scope.context;
  return new k8s.apiextensions.CustomResource(
    `${scope.name}-secret-store`,
    {
      apiVersion: "external-secrets.io/v1",
      kind: "SecretStore",
      metadata: { name: secretStoreName(scope), namespace: options.namespace.name },
      spec: {
        provider: {
          aws: { service: "SecretsManager", region: platform.region, auth: { jwt: { serviceAccountRef: { name: options.serviceAccount } } } },
        },
      },
    },
    { parent: scope.parent, dependsOn: [...platform.externalSecretsReady(), options.namespace.resource, ...options.dependsOn] },
  );
}

/** The name of the tool's SecretStore, for ExternalSecrets' `secretStoreRef`. */
export function secretStoreName(scope: ToolScope): string {
  return `${scope.name}-aws`;
}

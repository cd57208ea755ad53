import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "./charts";
import { helmRelease } from "./helm";

export const EXTERNAL_SECRETS_NAMESPACE = "external-secrets";

/**
 * The External Secrets Operator, installed once when any tool needs a secret from AWS. It holds no
 * AWS permissions of its own: each tool's SecretStore authenticates as the tool's service account
 * (IRSA), so a tool can read exactly its own secrets.
 */
export class ExternalSecretsOperator extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: { dependsOn: pulumi.Resource[] }, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:ExternalSecretsOperator", name, {}, opts);
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: EXTERNAL_SECRETS_NAMESPACE } }, { parent: this, dependsOn: args.dependsOn });
    this.release = helmRelease(
      name,
      {
        chart: CHARTS.externalSecrets,
        releaseName: "external-secrets",
        namespace: namespace.metadata.name,
        values: { installCRDs: true, replicaCount: 1 },
      },
      { parent: this, dependsOn: [namespace] },
    );
    this.registerOutputs({});
  }
}

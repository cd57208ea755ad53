import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "./charts";
import { releaseInOwnNamespace } from "./helm";

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
    this.release = releaseInOwnNamespace(
      name,
      {
        chart: CHARTS.externalSecrets,
        releaseName: "external-secrets",
        namespace: EXTERNAL_SECRETS_NAMESPACE,
        values: { installCRDs: true, replicaCount: 1 },
        dependsOn: args.dependsOn,
      },
      this,
    );
    this.registerOutputs({});
  }
}

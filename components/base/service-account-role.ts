import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PlatinfraError } from "../../src/errors";
import { serviceAccountSubject } from "./naming";
import { assertNoWildcardAdmin, irsaTrustPolicy, policyJson, type PolicyStatement, type ResolvedPolicyStatement } from "./policies";

export interface ServiceAccountRoleArgs {
  /** The IAM role's physical name, derived by the caller (see naming.ts) within 64 characters. */
  roleName: string;
  /** The Kubernetes namespace of the service account; the caller creates it. */
  namespace: string;
  /** The service account the tool's pods run as: the only identity allowed to assume the role. */
  serviceAccountName: string;
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL, with or without `https://`. */
  oidcProviderUrl: pulumi.Input<string>;
  /**
   * What the tool may do: the exact bucket, secret and queue ARNs it uses. Never "*" on "*".
   * An empty list creates no inline policy; a list that is itself an Output must not resolve empty.
   */
  statements: pulumi.Input<PolicyStatement[]>;
  /** AWS-managed policies to attach, for the few controllers AWS writes one for. @default none */
  managedPolicyArns?: pulumi.Input<string>[];
  /**
   * Create the Kubernetes ServiceAccount, annotated with the role, in `namespace`. Turn off when a
   * Helm chart creates its own and only needs the role ARN. @default created
   */
  createServiceAccount?: boolean;
  /** What the ServiceAccount must wait for (its namespace, when the caller creates it). @default nothing */
  serviceAccountDependsOn?: pulumi.Resource[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): pods running as that service account, and
 * only those, get the role's permissions, scoped to the ARNs the tool uses.
 */
export class ServiceAccountRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly serviceAccount?: k8s.core.v1.ServiceAccount;
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly serviceAccountName: string;
  readonly namespace: string;

  constructor(name: string, args: ServiceAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:ServiceAccountRole", name, {}, opts);
    // Plain statements are checked now, so the mistake surfaces before anything is created.
    if (Array.isArray(args.statements)) assertNoWildcardAdmin(args.statements);
    this.role = new aws.iam.Role(
      name,
      { name: args.roleName, assumeRolePolicy: trustPolicyJson(args) },
      { parent: this },
    );
    this.createInlinePolicy(name, args);
    this.attachManagedPolicies(name, args.managedPolicyArns ?? []);
    if (args.createServiceAccount ?? true) this.serviceAccount = this.createServiceAccount(name, args);
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.serviceAccountName = args.serviceAccountName;
    this.namespace = args.namespace;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }

  /** The statements as one inline policy: it lives and dies with the role, no separate policy to leak. */
  private createInlinePolicy(name: string, args: ServiceAccountRoleArgs): void {
    if (Array.isArray(args.statements) && args.statements.length === 0) return;
    const statements = pulumi.output(args.statements).apply((resolved: ResolvedPolicyStatement[]) => {
      if (resolved.length === 0) throw new PlatinfraError("POLICY_EMPTY", `role ${args.roleName}: the policy statements resolved to an empty list`);
      return resolved;
    });
    const policy = policyJson(statements as pulumi.Output<PolicyStatement[]>);
    new aws.iam.RolePolicy(`${name}-policy`, { role: this.role.id, name: `${args.roleName}-inline`, policy }, { parent: this });
  }

  private attachManagedPolicies(name: string, policyArns: pulumi.Input<string>[]): void {
    policyArns.forEach((policyArn, index) => {
      new aws.iam.RolePolicyAttachment(`${name}-managed-${index}`, { role: this.role.name, policyArn }, { parent: this });
    });
  }

  /** The annotation is what makes EKS inject the role's web identity token into the pods. */
  private createServiceAccount(name: string, args: ServiceAccountRoleArgs): k8s.core.v1.ServiceAccount {
    return new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: {
          name: args.serviceAccountName,
          namespace: args.namespace,
          annotations: { "eks.amazonaws.com/role-arn": this.role.arn },
        },
      },
      { parent: this, dependsOn: args.serviceAccountDependsOn },
    );
  }
}

function trustPolicyJson(args: ServiceAccountRoleArgs): pulumi.Output<string> {
  return pulumi
    .all([args.oidcProviderArn, args.oidcProviderUrl])
    .apply(([providerArn, issuerUrl]) =>
      JSON.stringify(irsaTrustPolicy(providerArn, issuerUrl, serviceAccountSubject(args.namespace, args.serviceAccountName))),
    );
}

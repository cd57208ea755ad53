import type * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "../../base/naming";
import type { PolicyStatement } from "../../base/policies";
import { ServiceAccountRole } from "../../base/service-account-role";
import type { ToolNamespace } from "./namespace";
import type { ToolScope } from "./scope";

/**
 * An IRSA role for the tool's service account, allowed exactly `statements`. Named
 * `<prefix>-<tool>` or, for a tool's further roles, `<prefix>-<tool>-<role>`: IAM role names are
 * account-wide, so the tool's name keeps two tools' `server` or `database` roles apart.
 */
export function createToolRole(
  scope: ToolScope,
  options: {
    role?: string;
    namespace: ToolNamespace;
    serviceAccount: string;
    statements: pulumi.Input<PolicyStatement[]>;
    /** Off when the tool's Helm chart creates the service account (give it the role ARN instead). @default created */
    createServiceAccount?: boolean;
  },
): ServiceAccountRole {
  const { platform } = scope.context;
  return new ServiceAccountRole(
    options.role ? `${scope.name}-${options.role}-irsa` : `${scope.name}-irsa`,
    {
      roleName: awsName([platform.namePrefix, scope.name, ...(options.role ? [options.role] : [])], NAME_LIMITS.iamRole),
      namespace: options.namespace.name,
      serviceAccountName: options.serviceAccount,
      oidcProviderArn: platform.cluster.oidcProviderArn,
      oidcProviderUrl: platform.cluster.oidcProviderUrl,
      statements: options.statements,
      serviceAccountDependsOn: [options.namespace.resource],
      createServiceAccount: options.createServiceAccount ?? true,
    },
    { parent: scope.parent },
  );
}

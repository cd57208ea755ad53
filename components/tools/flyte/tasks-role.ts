import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { assertNoWildcardAdmin, irsaTrustPolicy, policyJson, type PolicyStatement } from "../../base/policies";
import type { ToolScope } from "../shared/scope";
import { taskSubjects } from "./params";

/**
 * One IRSA role for the task pods of every project-domain namespace: they run as each namespace's
 * `default` account, which flyteadmin's cluster resource templates annotate with this role. It
 * trusts exactly those accounts (a list, never a wildcard: a project added later is trusted only
 * once it is listed in the spec and deployed).
 */
export function createTaskRole(scope: ToolScope, projects: readonly string[], statements: PolicyStatement[]): aws.iam.Role {
  const { platform } = scope.context;
  assertNoWildcardAdmin(statements);
  const roleName = awsName([platform.namePrefix, `${scope.name}-tasks`], NAME_LIMITS.iamRole);
  const trust = pulumi.all([platform.cluster.oidcProviderArn, platform.cluster.oidcProviderUrl]).apply(([arn, url]) => JSON.stringify(irsaTrustPolicy(arn, url, taskSubjects(projects))));
  const role = new aws.iam.Role(`${scope.name}-tasks-irsa`, { name: roleName, assumeRolePolicy: trust }, { parent: scope.parent });
  new aws.iam.RolePolicy(`${scope.name}-tasks-irsa-policy`, { role: role.id, name: `${roleName}-inline`, policy: policyJson(statements) }, { parent: scope.parent });
  return role;
}

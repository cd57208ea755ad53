import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";
import { SUBMITTER, SUBMITTER_TOKEN_SECRET } from "./values";

/**
 * What the submitter may do in the workflows namespace, as the server checks it in client auth
 * mode (every API call runs with the caller's token): manage workflows and their templates, read
 * pods and logs (`argo logs`, the UI's log view). Nothing outside that namespace, no Secrets.
 */
export const SUBMITTER_RULES = [
  { apiGroups: ["argoproj.io"], resources: ["workflows", "workflowtemplates", "cronworkflows"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
  { apiGroups: [""], resources: ["pods", "pods/log", "events"], verbs: ["get", "list", "watch"] },
];

/**
 * A service account for people and CI to use the API and UI, with a long-lived token Secret
 * (Kubernetes fills in the token: it never passes through Pulumi), bound to `SUBMITTER_RULES`.
 */
export function createSubmitter(scope: ToolScope, namespace: ToolNamespace, dependsOn: pulumi.Resource[]): void {
  const opts = { parent: scope.parent, dependsOn: [namespace.resource, ...dependsOn] };
  const metadata = { name: SUBMITTER, namespace: namespace.name };
  const account = new k8s.core.v1.ServiceAccount(`${scope.name}-submitter`, { metadata }, opts);
  new k8s.core.v1.Secret(
    `${scope.name}-submitter-token`,
    {
      metadata: { name: SUBMITTER_TOKEN_SECRET, namespace: namespace.name, annotations: { "kubernetes.io/service-account.name": SUBMITTER } },
      type: "kubernetes.io/service-account-token",
    },
    { ...opts, dependsOn: [...opts.dependsOn, account] },
  );
  const role = new k8s.rbac.v1.Role(`${scope.name}-submitter`, { metadata, rules: SUBMITTER_RULES }, opts);
  new k8s.rbac.v1.RoleBinding(
    `${scope.name}-submitter`,
    { metadata, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: SUBMITTER }, subjects: [{ kind: "ServiceAccount", name: SUBMITTER, namespace: namespace.name }] },
    { ...opts, dependsOn: [...opts.dependsOn, account, role] },
  );
}

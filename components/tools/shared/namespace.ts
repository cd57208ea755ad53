import * as k8s from "@pulumi/kubernetes";
import type { ToolScope } from "./scope";

/** A tool's namespace: its name (known up front) and the resource (to wait for). */
export interface ToolNamespace {
  name: string;
  resource: k8s.core.v1.Namespace;
}

/** The tool's own namespace, created after the cluster's add-ons are ready. */
export function createNamespace(scope: ToolScope, namespace: string): ToolNamespace {
  const resource = new k8s.core.v1.Namespace(
    `${scope.name}-namespace`,
    { metadata: { name: namespace, labels: { "app.kubernetes.io/managed-by": "platinfra", "platinfra.dev/tool": scope.context.instance.name } } },
    { parent: scope.parent, dependsOn: scope.context.platform.ready },
  );
  return { name: namespace, resource };
}

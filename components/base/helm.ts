import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartRef } from "./charts";

export interface ReleaseArgs {
  chart: ChartRef;
  /** The Helm release name (≤ 53 characters, DNS-safe), unique in its namespace. */
  releaseName: string;
  namespace: pulumi.Input<string>;
  values: pulumi.Input<Record<string, unknown>>;
  /** Seconds Helm waits for the release to be ready. @default 600 */
  timeout?: number;
  /** Leave the chart's `crds/` alone: platinfra applies them itself (chart-crds.ts). @default installed by Helm */
  skipCrds?: boolean;
}

/**
 * A real Helm release (hooks run, history kept): atomic, so a failed install or upgrade rolls
 * back instead of leaving half a release; waits for readiness within a timeout.
 */
export function helmRelease(name: string, args: ReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      // OCI charts and chart archives are addressed by their URL alone; others by name in a repository.
      chart: args.chart.url ?? (args.chart.repo.startsWith("oci://") ? `${args.chart.repo}/${args.chart.chart}` : args.chart.chart),
      version: args.chart.version,
      ...(args.chart.url || args.chart.repo.startsWith("oci://") ? {} : { repositoryOpts: { repo: args.chart.repo } }),
      namespace: args.namespace,
      values: args.values,
      atomic: true,
      cleanupOnFail: true,
      timeout: args.timeout ?? 600,
      maxHistory: 10,
      ...(args.skipCrds ? { skipCrds: true } : {}),
    },
    opts,
  );
}

/**
 * A cluster-wide controller's release in a namespace of its own, created after `dependsOn` (the
 * cluster's add-ons): the namespace is named `${name}-namespace` in Pulumi, the release `name`.
 */
export function releaseInOwnNamespace(
  name: string,
  args: Omit<ReleaseArgs, "namespace"> & { namespace: string; dependsOn: pulumi.Resource[] },
  parent: pulumi.ComponentResource,
): k8s.helm.v3.Release {
  const { namespace: namespaceName, dependsOn, ...release } = args;
  const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: namespaceName } }, { parent, dependsOn });
  return helmRelease(name, { ...release, namespace: namespace.metadata.name }, { parent, dependsOn: [namespace] });
}

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
  /** Leave the chart's crds/ folder alone, when a separate release owns the CRDs. @default CRDs installed */
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
      // OCI charts are addressed by their URL alone; others by name in a repository.
      chart: args.chart.repo.startsWith("oci://") ? `${args.chart.repo}/${args.chart.chart}` : args.chart.chart,
      version: args.chart.version,
      ...(args.chart.repo.startsWith("oci://") ? {} : { repositoryOpts: { repo: args.chart.repo } }),
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

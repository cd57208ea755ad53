import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CHARTS } from "./charts";
import { releaseInOwnNamespace } from "./helm";

export const RELOADER_NAMESPACE = "reloader";

/**
 * The pod-template annotation that makes Reloader roll a workload when one of these Secrets
 * changes. Reloader reads it from the workload or, when the workload has none, from its pod
 * template — which is what a chart's `podAnnotations` sets.
 */
export function reloadOnSecretChange(secretNames: string[]): Record<string, string> {
  return { [RELOAD_ANNOTATION]: secretNames.join(",") };
}

const RELOAD_ANNOTATION = "secret.reloader.stakater.com/reload";

/** `annotations` (from `reloadOnSecretChange`) extended so that Reloader also rolls on `secretNames`. */
export function alsoReloadOnSecretChange(annotations: Record<string, string>, secretNames: string[]): Record<string, string> {
  const current = annotations[RELOAD_ANNOTATION]?.split(",") ?? [];
  return { ...annotations, ...reloadOnSecretChange([...new Set([...current, ...secretNames])]) };
}

/**
 * Stakater Reloader, installed once when any tool has a synced database Secret: RDS rotates managed
 * master passwords (every 7 days), External Secrets rewrites the Secret, and Reloader rolls the
 * workloads annotated with `reloadOnSecretChange`, which read the password at start only.
 */
export class Reloader extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: { dependsOn: pulumi.Resource[] }, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Reloader", name, {}, opts);
    this.release = releaseInOwnNamespace(
      name,
      { chart: CHARTS.reloader, releaseName: "reloader", namespace: RELOADER_NAMESPACE, values: reloaderValues(), dependsOn: args.dependsOn },
      this,
    );
    this.registerOutputs({});
  }
}

/** The chart's values (chart 2.2.16; every key checked against its defaults in the tests). */
export function reloaderValues(): Record<string, unknown> {
  return {
    reloader: {
      // Tool namespaces appear one tool at a time; only annotated workloads are ever rolled.
      watchGlobally: true,
      // Only Secrets matter here: no read access to ConfigMaps at all.
      ignoreConfigMaps: true,
      // Roll by stamping the pod template's annotations, not by injecting environment variables.
      reloadStrategy: "annotations",
      readOnlyRootFileSystem: true,
      deployment: { resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } } },
    },
  };
}

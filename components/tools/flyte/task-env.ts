import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ToolNamespace } from "../shared/namespace";
import type { ToolScope } from "../shared/scope";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/**
 * The PodTemplate flytepropeller bases every task pod on (`plugins.k8s.default-pod-template-name`).
 * It lives in flyte's namespace: propeller looks in the task's namespace first, then in its own
 * (v1.16.8 flyteplugins/go/tasks/pluginmachinery/flytek8s/pod_template_store.go LoadOrDefault).
 */
export const TASK_POD_TEMPLATE = "flyte-task-defaults";
/**
 * The API requires an image on a PodTemplate's container; it is never pulled: the task's own
 * container replaces it when propeller merges the two (pod_helper.go MergeBasePodSpecOntoTemplate).
 */
export const PLACEHOLDER_IMAGE = "registry.k8s.io/pause:3.10";

/** What the release needs so that task pods get a peer's settings (see `taskEnvValues`). */
export interface TaskEnvValues {
  /** Merged into `configuration.inline` (a config file of its own, deep-merged over the chart's). */
  inline: Record<string, unknown>;
  /** Extra cluster resource templates: the peer Secrets, re-created in every project-domain namespace. */
  templates: Record<string, string>;
  /** The flyte container's own variables holding the secret values those templates fill in. */
  serverEnv: EnvVar[];
  /**
   * The Secrets `serverEnv` reads: the flyte container reads them at start only, and flyteadmin
   * re-applies the templates with the new value only after a restart (its applied-template checksums
   * live in memory), so Reloader must roll it when one of them changes.
   */
  serverSecrets: string[];
}

/** A secretKeyRef of an env entry, when it has one. */
function secretRef(entry: EnvVar): { name: string; key: string } | undefined {
  const ref = (entry.valueFrom as { secretKeyRef?: { name?: string; key?: string } } | undefined)?.secretKeyRef;
  return ref?.name && ref.key ? { name: ref.name, key: ref.key } : undefined;
}

/**
 * The values that carry task pods' settings (`env`, as `peerPodEnv` gives them) into every
 * project-domain namespace. A secretKeyRef reads the pod's own namespace, and flyteadmin creates
 * those namespaces (and projects added later) itself, so it also creates the peer's Secret in each,
 * from a cluster resource template whose `{{ VAR }}` placeholders it fills from its own environment
 * (`cluster_resources.templateData` … `valueFrom.env`, v1.16.8 flyteadmin/pkg/clusterresource/controller.go).
 * Values hold only names: the secret reaches the flyte container through a secretKeyRef on the peer
 * Secret copied into flyte's namespace. The placeholders sit in single quotes, which holds for the
 * alphanumeric generated passwords peers hand out (createGeneratedSecret).
 */
export function taskEnvValues(env: EnvVar[]): TaskEnvValues {
  const refs = env.flatMap((entry) => {
    const ref = secretRef(entry);
    return ref ? [{ variable: entry.name, ...ref }] : [];
  });
  const secretNames = [...new Set(refs.map((ref) => ref.name))];
  const templates = Object.fromEntries(
    secretNames.map((name) => [
      `003_${name}.yaml`,
      [
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        `  name: ${name}`,
        "  namespace: '{{ namespace }}'",
        "type: Opaque",
        "stringData:",
        ...refs.filter((ref) => ref.name === name).map((ref) => `  ${ref.key}: '{{ ${ref.variable} }}'`),
        "",
      ].join("\n"),
    ]),
  );
  const templateData = Object.fromEntries(refs.map((ref) => [ref.variable, { valueFrom: { env: ref.variable } }]));
  return {
    inline: {
      plugins: { k8s: { "default-pod-template-name": TASK_POD_TEMPLATE } },
      ...(refs.length ? { cluster_resources: { templateData } } : {}),
    },
    templates,
    serverEnv: env.filter((entry) => secretRef(entry)),
    serverSecrets: secretNames,
  };
}

/**
 * The default PodTemplate: its `primary` container's variables go into every task's primary
 * container (propeller appends the task's own after them, so a task's own value wins).
 */
export function createTaskPodTemplate(scope: ToolScope, namespace: ToolNamespace, env: pulumi.Input<EnvVar[]>): k8s.core.v1.PodTemplate {
  return new k8s.core.v1.PodTemplate(
    `${scope.name}-task-pod-template`,
    {
      metadata: { name: TASK_POD_TEMPLATE, namespace: namespace.name },
      template: { spec: { containers: [{ name: "primary", image: PLACEHOLDER_IMAGE, env }] } },
    },
    { parent: scope.parent, dependsOn: [namespace.resource] },
  );
}

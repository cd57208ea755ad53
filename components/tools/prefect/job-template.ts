import type * as k8s from "@pulumi/kubernetes";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** What flow runs default to: the worker's namespace (its Role allows Jobs only there) and the flows account. */
export interface FlowRunDefaults {
  namespace: string;
  serviceAccount: string;
  /** Settings every flow-run container gets (a peer's in-cluster URL; its secrets as secretKeyRef only). */
  env: EnvVar[];
}

const optional = (type: "string" | "integer", title: string, description: string) => ({ anyOf: [{ type }, { type: "null" }], default: null, title, description });
const stringMap = (title: string, description: string, values: object = { type: "string" }) => ({ type: "object", additionalProperties: values, title, description });

/**
 * The variables a deployment may set (`--job-variable`, `job_variables=`), as a JSON schema: the
 * names, types and defaults of prefect-kubernetes' KubernetesWorkerVariables (0.7.12, the release
 * in the 3.8.3 `-kubernetes` image), except the two defaults that make a flow run work here
 * without job variables. `cluster_config` is left out: the worker then uses its in-cluster config.
 */
function variables(defaults: FlowRunDefaults): Record<string, unknown> {
  return {
    type: "object",
    properties: {
      name: optional("string", "Name", "Name of the Job (default: the flow run's name)."),
      env: stringMap("Environment Variables", "Extra environment variables of the flow-run container.", { anyOf: [{ type: "string" }, { type: "null" }] }),
      labels: stringMap("Labels", "Labels of the Job and its pod."),
      command: optional("string", "Command", "Command of the flow-run container (default: the one the worker generates)."),
      annotations: stringMap("Annotations", "Annotations of the Job and its pod."),
      namespace: { type: "string", default: defaults.namespace, title: "Namespace", description: `Namespace of the Job. Default: ${defaults.namespace}, the only namespace where the worker may create Jobs.` },
      image: optional("string", "Image", "Image of the flow-run container, with the flow's code and dependencies (default: Prefect's image of the worker's version)."),
      service_account_name: {
        anyOf: [{ type: "string" }, { type: "null" }],
        default: defaults.serviceAccount,
        title: "Service Account Name",
        description: `Service account of the pod. Default: ${defaults.serviceAccount}, whose IRSA role reaches the flows bucket.`,
      },
      image_pull_policy: { type: "string", enum: ["IfNotPresent", "Always", "Never"], default: "IfNotPresent", title: "Image Pull Policy", description: "Pull policy of the flow-run image." },
      backoff_limit: { type: "integer", minimum: 0, default: 0, title: "Backoff Limit", description: "Retries of the Job after pod failure or eviction (0: Prefect reschedules an evicted run)." },
      finished_job_ttl: optional("integer", "Finished Job TTL", "Seconds a finished Job is kept (default: kept until deleted)."),
      job_watch_timeout_seconds: optional("integer", "Job Watch Timeout Seconds", "Seconds to wait for each Job event (default: no limit)."),
      pod_watch_timeout_seconds: { type: "integer", default: 60, title: "Pod Watch Timeout Seconds", description: "Seconds to wait for the pod to be created." },
      stream_output: { type: "boolean", default: true, title: "Stream Output", description: "Stream the flow-run container's output to the worker's log." },
      cpu_request: optional("string", "CPU Request", "CPU request of the flow-run container, e.g. 500m."),
      cpu_limit: optional("string", "CPU Limit", "CPU limit of the flow-run container, e.g. 2."),
      memory_request: optional("string", "Memory Request", "Memory request of the flow-run container, e.g. 1Gi."),
      memory_limit: optional("string", "Memory Limit", "Memory limit of the flow-run container, e.g. 4Gi."),
    },
  };
}

/**
 * The Job the worker creates per flow run, as prefect-kubernetes' default manifest (the fields its
 * validation requires: restartPolicy Never, one container `prefect-job`). With settings in
 * `defaults.env`, the container's env is that list: the worker then puts its own variables (API URL,
 * auth string as a secretKeyRef, the `env` job variable) in front and keeps these
 * (prefect-kubernetes `_populate_env_in_manifest`).
 */
function jobManifest(defaults: FlowRunDefaults): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { annotations: "{{ annotations }}", labels: "{{ labels }}", namespace: "{{ namespace }}", generateName: "{{ name }}-" },
    spec: {
      backoffLimit: "{{ backoff_limit }}",
      ttlSecondsAfterFinished: "{{ finished_job_ttl }}",
      template: {
        spec: {
          parallelism: 1,
          completions: 1,
          restartPolicy: "Never",
          serviceAccountName: "{{ service_account_name }}",
          containers: [
            {
              name: "prefect-job",
              env: defaults.env.length ? defaults.env : "{{ env }}",
              image: "{{ image }}",
              imagePullPolicy: "{{ image_pull_policy }}",
              args: "{{ command }}",
              resources: {
                limits: { cpu: "{{ cpu_limit }}", memory: "{{ memory_limit }}" },
                requests: { cpu: "{{ cpu_request }}", memory: "{{ memory_request }}" },
              },
            },
          ],
        },
      },
    },
  };
}

/**
 * The Kubernetes work pool's base job template (`worker.config.baseJobTemplate.configuration`):
 * the worker creates the pool with it, and the chart's init container writes it into an existing
 * pool on every worker start. prefect-kubernetes' own default runs flow runs in namespace
 * "default" under its default account, where the worker's Role grants nothing.
 */
export function baseJobTemplate(defaults: FlowRunDefaults): Record<string, unknown> {
  return {
    job_configuration: {
      command: "{{ command }}",
      env: "{{ env }}",
      labels: "{{ labels }}",
      name: "{{ name }}",
      annotations: "{{ annotations }}",
      namespace: "{{ namespace }}",
      job_manifest: jobManifest(defaults),
      job_watch_timeout_seconds: "{{ job_watch_timeout_seconds }}",
      pod_watch_timeout_seconds: "{{ pod_watch_timeout_seconds }}",
      stream_output: "{{ stream_output }}",
    },
    variables: variables(defaults),
  };
}

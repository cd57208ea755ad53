import * as z from "zod";

/** A Kubernetes object name that is also a DNS label (RFC 1123): what namespaces and service accounts accept. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** Namespaces every cluster already has: creating one would fail, and sharing one defeats the scoping. */
const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

const dnsLabel = (field: string, what: string) =>
  z.string().regex(DNS_LABEL, {
    error: (issue) => `${field} ${JSON.stringify(issue.input)} is not a valid ${what} name — use 1–63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
  });

/** Params of the `dvc` data_versioning tool. Kept free of Pulumi: the catalog loads them for `validate`. */
export const dvcParams = z.strictObject({
  pipeline_namespace: dnsLabel("pipeline_namespace", "Kubernetes namespace")
    .refine((namespace) => !RESERVED_NAMESPACES.includes(namespace), {
      error: (issue) => `pipeline_namespace "${String(issue.input)}" is a namespace the cluster already has — choose a namespace of your own, e.g. ml-pipelines`,
    })
    .default("ml-pipelines")
    .describe("Namespace created for in-cluster pipelines that push and pull DVC data. Default: ml-pipelines."),
  service_account: dnsLabel("service_account", "Kubernetes service account")
    .default("dvc")
    .describe("Service account (in pipeline_namespace) whose pods may read and write the DVC remote through IRSA. Default: dvc."),
});

export type DvcParams = z.output<typeof dvcParams>;

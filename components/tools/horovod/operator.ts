import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** The MPI operator release (kubeflow/mpi-operator tag v0.8.0, commit 101db144, 2026-02-18). */
export const MPI_OPERATOR_VERSION = "v0.8.0";
/**
 * Upstream's single-file install at that tag (its README's `kubectl apply --server-side -f` URL):
 * Namespace, the MPIJob CRD, RBAC and the controller Deployment (image mpioperator/mpi-operator:0.8.0).
 */
export const MPI_OPERATOR_MANIFEST = `https://raw.githubusercontent.com/kubeflow/mpi-operator/${MPI_OPERATOR_VERSION}/deploy/v2beta1/mpi-operator.yaml`;
/** Fixed by the manifest: its Namespace object and the controller's `--lock-namespace`. */
export const OPERATOR_NAMESPACE = "mpi-operator";
export const OPERATOR_DEPLOYMENT = "mpi-operator";
/**
 * The manifest sets no resources. The controller only watches MPIJobs and their pods in one
 * namespace; these are platinfra's figures, not upstream's.
 */
export const CONTROLLER_RESOURCES = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } };

/**
 * Upstream's manifest, applied as it is (server-side apply, as its README requires: the CRD is too
 * large for client-side apply's annotation). Its CRD comes before any MPIJob: the ConfigFile orders
 * CRDs first, and users apply jobs after `up`. A new pinned URL re-applies it, so upgrades replace
 * the CRD too (Helm's skipped `crds/` problem does not arise: there is no chart).
 */
export function applyOperator(name: string, opts: pulumi.ComponentResourceOptions): k8s.yaml.v2.ConfigFile {
  return new k8s.yaml.v2.ConfigFile(name, { file: MPI_OPERATOR_MANIFEST, resourcePrefix: name }, opts);
}

/**
 * Narrows the controller to the training namespace and sizes it, as a server-side apply patch of
 * fields the manifest leaves unset. The ConfigFile's Deployment and this patch apply under field
 * managers of their own (pulumi-kubernetes names one per resource), owning disjoint fields, so a
 * re-applied manifest keeps the patch's env and resources and neither `up` undoes the other; it
 * waits for the ConfigFile's children (a remote component), so it finds the Deployment. Upstream's
 * flag `--namespace` defaults to $KUBEFLOW_NAMESPACE (cmd/mpi-operator/app/options/options.go), and
 * with it the controller's informers watch that namespace only. Its RBAC stays cluster-wide, as
 * the manifest ships it.
 */
export function scopeController(name: string, trainingNamespace: string, opts: pulumi.CustomResourceOptions): k8s.apps.v1.DeploymentPatch {
  return new k8s.apps.v1.DeploymentPatch(
    name,
    {
      metadata: { name: OPERATOR_DEPLOYMENT, namespace: OPERATOR_NAMESPACE },
      spec: {
        template: {
          spec: {
            containers: [{ name: "mpi-operator", env: [{ name: "KUBEFLOW_NAMESPACE", value: trainingNamespace }], resources: CONTROLLER_RESOURCES }],
          },
        },
      },
    },
    opts,
  );
}

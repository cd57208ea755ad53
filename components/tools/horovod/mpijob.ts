import type * as k8s from "@pulumi/kubernetes";

/* The example MPIJob a team starts from: built from this stack's names, printed in the outputs, never created by platinfra. */

type EnvVar = k8s.types.input.core.v1.EnvVar;
type Toleration = { key: string; operator: string; value?: string; effect: string };

/** Horovod's last release (github.com/horovod/horovod tag v0.28.1, 2023-06-12). */
export const HOROVOD_VERSION = "0.28.1";
/** Upstream's images of that release (its CI's docker job pushes horovod/<image>:<version> on release tags). */
export const HOROVOD_GPU_IMAGE = `horovod/horovod:${HOROVOD_VERSION}`;
export const HOROVOD_CPU_IMAGE = `horovod/horovod-cpu:${HOROVOD_VERSION}`;
export const EXAMPLE_JOB = "horovod-example";
/**
 * In both images: their Dockerfiles copy the repository to /horovod (`WORKDIR /horovod`, `COPY . .`).
 * The synthetic benchmark downloads no dataset, so the example needs no egress beyond image pulls.
 */
export const EXAMPLE_SCRIPT = "/horovod/examples/pytorch/pytorch_synthetic_benchmark.py";
/**
 * The benchmark's size on CPU. Its defaults (ResNet-50, batches of 32, 10 warm-up + 100 timed
 * batches) are GPU figures: on one core they train for tens of minutes, and ResNet-50 keeps every
 * activation of a 32-image batch for the backward pass — several GiB, against a CPU worker's
 * default 4Gi (an estimate, not measured). Batches of 8 over 10 + 30 batches make a smoke test of
 * minutes. On GPU upstream's defaults stay.
 */
const CPU_BENCHMARK_ARGS = ["--batch-size", "8", "--num-iters", "3"];
/**
 * Variables the workers' ranks need but cannot get from their own pod: processes started through
 * sshd do not inherit the container's environment, so mpirun forwards them (`-x NAME`). Open MPI
 * 4.1.4 (the images' build) puts them in the launch message it sends its daemons, not on the ssh
 * command line, so secret values (MLflow's password) never show in a process list; a name that is
 * unset only earns a warning (orte/mca/schizo/ompi/schizo_ompi.c). The IRSA pair is injected by
 * EKS into every container of a pod running as the annotated service account — launcher and
 * workers both do — with the token at the same path in each pod.
 */
const IRSA_ENV = ["AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"];
/** The CUDA base image sets LD_LIBRARY_PATH (driver libraries); ubuntu:20.04, the CPU image's base, does not. */
const IMAGE_ENV = { gpu: ["LD_LIBRARY_PATH", "PATH"], cpu: ["PATH"] };
/**
 * Shared memory for the ranks of a worker: a container's /dev/shm is 64Mi, too small for NCCL's
 * shared-memory transport between the GPUs of one pod (several GPUs per worker) and for PyTorch
 * DataLoader workers. Memory-backed, so it counts against the worker's memory limit.
 */
const SHARED_MEMORY = { volume: { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } }, mount: { name: "dshm", mountPath: "/dev/shm" } };
/** The launcher only runs mpirun; it never uses a GPU (the operator hides them from it). */
const LAUNCHER_RESOURCES = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } };

export interface ExampleJobSettings {
  namespace: string;
  serviceAccount: string;
  workers: { replicas: number; cpu: string; memory: string };
  /** GPUs per worker, absent on CPU. */
  gpus?: number;
  /** Where the workers go: GPU nodes' selector and tolerations (placement.ts), nothing on CPU. */
  placement: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  /** The launcher's environment (region, checkpoint URI, MLflow's settings): all forwarded to the ranks. */
  env: EnvVar[];
}

/** Horovod processes per worker: one per GPU, one on CPU. */
export function slotsPerWorker(settings: Pick<ExampleJobSettings, "gpus">): number {
  return settings.gpus ?? 1;
}

/**
 * mpirun's command line, after the MPI operator's Horovod example (examples/v2beta1/horovod at
 * v0.8.0): every slot of every worker, no binding, TCP between pods. Known hosts go to /dev/null
 * because the operator mounts ~/.ssh read-only from a Secret.
 */
export function launcherArgs(settings: ExampleJobSettings): string[] {
  const processes = settings.workers.replicas * slotsPerWorker(settings);
  const imageEnv = settings.gpus ? IMAGE_ENV.gpu : IMAGE_ENV.cpu;
  const forwarded = [...new Set([...imageEnv, ...IRSA_ENV, ...settings.env.map((variable) => String(variable.name))])];
  return [
    "-np", String(processes),
    "--allow-run-as-root",
    "-bind-to", "none",
    "-map-by", "slot",
    ...forwarded.flatMap((name) => ["-x", name]),
    ...(settings.gpus ? ["-x", "NCCL_DEBUG=INFO"] : []),
    "-mca", "pml", "ob1",
    "-mca", "btl", "^openib",
    "-mca", "plm_rsh_args", "-o ConnectionAttempts=10 -o UserKnownHostsFile=/dev/null",
    "python", EXAMPLE_SCRIPT,
    ...(settings.gpus ? [] : CPU_BENCHMARK_ARGS),
  ];
}

/** The example MPIJob (kubeflow.org/v2beta1) for this stack. */
export function exampleMpiJob(settings: ExampleJobSettings): Record<string, unknown> {
  const image = settings.gpus ? HOROVOD_GPU_IMAGE : HOROVOD_CPU_IMAGE;
  const compute = { cpu: settings.workers.cpu, memory: settings.workers.memory };
  const workerLimits = settings.gpus ? { ...compute, "nvidia.com/gpu": String(settings.gpus) } : compute;
  return {
    apiVersion: "kubeflow.org/v2beta1",
    kind: "MPIJob",
    metadata: { name: EXAMPLE_JOB, namespace: settings.namespace },
    spec: {
      slotsPerWorker: slotsPerWorker(settings),
      // mpirun fails when a worker's sshd is not up yet; GPU nodes may take minutes to start.
      launcherCreationPolicy: "WaitForWorkersReady",
      runPolicy: { cleanPodPolicy: "Running" },
      mpiReplicaSpecs: {
        Launcher: {
          replicas: 1,
          template: {
            spec: {
              serviceAccountName: settings.serviceAccount,
              containers: [{ name: "launcher", image, command: ["mpirun"], args: launcherArgs(settings), env: settings.env, resources: LAUNCHER_RESOURCES }],
            },
          },
        },
        Worker: {
          replicas: settings.workers.replicas,
          template: {
            spec: {
              serviceAccountName: settings.serviceAccount,
              ...settings.placement,
              containers: [
                {
                  name: "worker",
                  image,
                  // The operator's own default is `sshd -De`; StrictModes would refuse the keys it mounts from a Secret (the operator's example image turns it off too).
                  command: ["/usr/sbin/sshd", "-De", "-o", "StrictModes=no"],
                  resources: { requests: compute, limits: workerLimits },
                  volumeMounts: [SHARED_MEMORY.mount],
                },
              ],
              volumes: [SHARED_MEMORY.volume],
            },
          },
        },
      },
    },
  };
}

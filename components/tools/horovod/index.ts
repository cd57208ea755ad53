import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify as stringifyYaml } from "yaml";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "../shared/bucket";
import { createNamespace } from "../shared/namespace";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { placement, usesGpu } from "../shared/placement";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import type { ToolComponent, ToolComponentModule } from "../shared/types";
import { EXAMPLE_JOB, exampleMpiJob, type ExampleJobSettings } from "./mpijob";
import { applyOperator, MPI_OPERATOR_MANIFEST, MPI_OPERATOR_VERSION, scopeController } from "./operator";
import { horovodParams, type HorovodParams } from "./params";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Where MPIJobs run: the controller watches it, and the role trusts only its service account. */
export const NAMESPACE = "horovod";
/** The identity of launcher and worker pods (the operator never sets one: jobs name it). */
export const SERVICE_ACCOUNT = "horovod";
/**
 * The tools whose data jobs train on or write to (their `dataBuckets`: DVC's datasets, MLflow's and
 * ZenML's artifacts, AWS Batch's and Ray's data) or whose settings they read (MLflow's tracking URI).
 */
export const HOROVOD_LINKS = ["dvc", ...TRACKERS, "zenml", "aws-batch", "ray"];
/** Workers' size when the params give none: a g5.xlarge's room on GPU, a share of a system node on CPU. */
const WORKER_DEFAULTS = { gpu: { cpu: "3", memory: "12Gi" }, cpu: { cpu: "1", memory: "4Gi" } };

/**
 * Horovod (runtime_engine): the Kubeflow MPI operator from its pinned upstream manifest, watching
 * the `horovod` namespace only, where launcher and worker pods run as one IRSA service account
 * allowed to read and write the linked tools' data buckets and Horovod's checkpoint bucket. No
 * server, nothing exposed; the outputs hold an example MPIJob filled in for this stack.
 */
export class Horovod extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Horovod", name, {}, opts);
    const params = horovodParams.parse(context.instance.params);
    const gpu = usesGpu(name, params.gpu, context.platform.gpuNodesAvailable);
    const scope: ToolScope = { name, context, parent: this };

    const namespace = createNamespace(scope, NAMESPACE);
    const checkpoints = createToolBucket(scope, "checkpoints");
    const linked = linkedDataBuckets(context, HOROVOD_LINKS);
    createToolRole(scope, {
      namespace,
      serviceAccount: SERVICE_ACCOUNT,
      statements: bucketStatements([...linked.map((bucket) => bucket.arn), checkpoints.arn], "readwrite", "DataBuckets"),
    });
    const operator = applyOperator(`${name}-mpi-operator`, { parent: this, dependsOn: [namespace.resource] });
    scopeController(`${name}-controller-scope`, NAMESPACE, { parent: this, dependsOn: [operator] });
    const trackers = trackerPodEnv(scope, namespace);

    const checkpointUri = pulumi.interpolate`s3://${checkpoints.name}/${EXAMPLE_JOB}/`;
    const job = pulumi
      .all([checkpointUri, trackers?.env ?? []])
      .apply(([uri, peerEnv]) => exampleMpiJob(exampleSettings(context, params, gpu, [...baseEnv(context, uri), ...peerEnv])));
    this.dataBuckets = [{ name: checkpoints.name, arn: checkpoints.arn }];
    this.outputs = pulumi.output({
      operator: `kubeflow/mpi-operator ${MPI_OPERATOR_VERSION}`,
      operatorManifest: MPI_OPERATOR_MANIFEST,
      namespace: NAMESPACE,
      serviceAccount: SERVICE_ACCOUNT,
      checkpointBucket: checkpoints.name,
      dataBuckets: pulumi.all(linked.map((bucket) => bucket.name)),
      exampleMpiJob: job.apply((manifest) => stringifyYaml(manifest)),
      usage: EXAMPLE_USAGE,
      commands: commands(),
    });
    this.env = pulumi.output<Record<string, string>>({});
    this.registerOutputs({ outputs: this.outputs });
  }
}

/** Every setting of the example job that comes from this stack. */
export function exampleSettings(context: ToolContext, params: HorovodParams, gpu: boolean, env: EnvVar[]): ExampleJobSettings {
  const defaults = gpu ? WORKER_DEFAULTS.gpu : WORKER_DEFAULTS.cpu;
  return {
    namespace: NAMESPACE,
    serviceAccount: SERVICE_ACCOUNT,
    workers: { replicas: params.workers.replicas, cpu: params.workers.cpu ?? defaults.cpu, memory: params.workers.memory ?? defaults.memory },
    ...(gpu ? { gpus: params.workers.gpus } : {}),
    placement: placement(context, gpu),
    env,
  };
}

/** The region for an AWS SDK and where checkpoints go: for user images (upstream's have neither boto3 nor a job that writes). */
function baseEnv(context: ToolContext, checkpointUri: string): EnvVar[] {
  return [
    { name: "AWS_REGION", value: context.platform.region },
    { name: "AWS_DEFAULT_REGION", value: context.platform.region },
    { name: "CHECKPOINT_URI", value: checkpointUri },
  ];
}

/**
 * Run the example: write it out, apply it, wait until the operator creates the launcher Job
 * (`<job>-launcher`, only once every worker is ready: GPU nodes may take minutes to start;
 * `--for=create` needs kubectl 1.31+), follow its logs, then delete the job (its pods and ssh Secret
 * go with it). Not the MPIJob's Running condition: the operator sets it False when the job ends, so
 * a wait started after a quick job (or a failed one) would sit out its whole timeout. The logs are
 * retried because kubectl refuses them while the launcher's image is still being pulled; once the
 * container has run, finished or failed, they print and the loop ends.
 */
export function commands(): string[] {
  const launcherJob = `job/${EXAMPLE_JOB}-launcher`;
  return [
    `platinfra outputs stack.yaml --json | jq -r '.tools.horovod.exampleMpiJob' > ${EXAMPLE_JOB}.yaml`,
    `kubectl apply -f ${EXAMPLE_JOB}.yaml`,
    `kubectl -n ${NAMESPACE} wait --for=create ${launcherJob} --timeout=30m`,
    `until kubectl -n ${NAMESPACE} logs -f ${launcherJob}; do sleep 10; done`,
    `kubectl -n ${NAMESPACE} get mpijob ${EXAMPLE_JOB}`,
    `kubectl -n ${NAMESPACE} delete mpijob ${EXAMPLE_JOB}`,
  ];
}

/**
 * What the example does and does not do: upstream's images hold no AWS SDK (boto3, AWS CLI) and no
 * MLflow client (docker/horovod{,-cpu}/Dockerfile at v0.28.1), so the bucket and MLflow settings
 * the ranks receive only serve a team's own image built on them.
 */
export const EXAMPLE_USAGE =
  "The example MPIJob runs Horovod's synthetic PyTorch benchmark on upstream's images (horovod/horovod, horovod/horovod-cpu 0.28.1); it reads and writes no data. " +
  "Those images contain no AWS SDK (boto3, AWS CLI) and no MLflow client: to write checkpoints to CHECKPOINT_URI or log to MLflow, build your own image FROM them adding boto3 (or s3fs) and mlflow, and set it as both containers' image. " +
  "Every rank then gets the service account's IRSA web-identity credentials (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE), AWS_REGION, CHECKPOINT_URI and MLflow's settings, forwarded by mpirun -x; " +
  "keep serviceAccountName: horovod on both the Launcher and the Worker, and add any variable of your own to the launcher's env and to mpirun's -x list.";

export const horovod: ToolComponentModule = {
  links: HOROVOD_LINKS,
  create: (name, context) => new Horovod(name, context, toolComponentOptions(context)),
};

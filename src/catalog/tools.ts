import * as z from "zod";
import type { Category } from "./categories";
import type { StackCheck } from "./checks";
import type { DeployInputs } from "../deploy-inputs";
import { NEPTUNE_RETIREMENT, WEAVE_SCOPE_RETIREMENT, type Retirement } from "./retirements";
import type { ToolComponentModule } from "../../components/tools/shared/types";

/**
 * One entry of the catalog: everything platinfra knows about a tool without loading Pulumi.
 * The component itself is loaded on demand, so `validate` and `tools` stay fast.
 */
export interface ToolDefinition {
  /** Canonical name: lowercase, hyphenated. */
  name: string;
  /** How people write it. */
  title: string;
  /** Other names users write for it (matched with the same normalization). */
  aliases: string[];
  /** Every role this tool can serve in a stack. */
  categories: Category[];
  /** What a deployment of this tool creates, in one sentence. */
  deploys: string;
  /**
   * The tool's params schema, strict: unknown keys are rejected. A function, so a schema is built
   * only when a spec gives that tool params (building every schema would slow `validate` down).
   */
  params: () => z.ZodType;
  /** Checks across the tool's params, roles and the deployment (see checks.ts). @default none */
  checks?: () => StackCheck;
  /** Secrets the tool reads from the environment at deploy time, by params (see deploy-inputs.ts). @default none */
  deployInputs?: () => DeployInputs;
  /** Loads the tool's component. Absent while the tool is not deployable yet, and for a retired tool. */
  load?: () => ToolComponentModule;
  /** Present when the upstream is gone: `validate` refuses the tool with the reason and its replacements. */
  retired?: Retirement;
}

let emptyParams: z.ZodType | undefined;
const noParams = () => (emptyParams ??= z.strictObject({}));

/** A tool platinfra knows but cannot deploy yet: any params are rejected until it can. */
function planned(
  name: string,
  title: string,
  categories: Category[],
  deploys: string,
  aliases: string[] = [],
): ToolDefinition {
  return { name, title, aliases, categories, deploys, params: noParams };
}

/**
 * A tool whose upstream no longer exists or can no longer be run safely: known, so a stack naming it
 * gets the reason and what replaces each of its roles instead of "unknown tool".
 */
function retired(name: string, title: string, categories: Category[], retirement: Retirement, aliases: string[] = []): ToolDefinition {
  return { name, title, aliases, categories, deploys: "nothing: retired", params: noParams, retired: retirement };
}

/** A tool platinfra can deploy: its params schema and its component (loaded on demand). */
function deployable(
  name: string,
  title: string,
  categories: Category[],
  deploys: string,
  params: () => z.ZodType,
  load: () => ToolComponentModule,
  aliases: string[] = [],
  checks?: () => StackCheck,
): ToolDefinition {
  return { name, title, aliases, categories, deploys, params, load, ...(checks ? { checks } : {}) };
}

// Components load lazily (require inside the loader), so this file never loads Pulumi.
/* eslint-disable @typescript-eslint/no-require-imports */
const TOOL_LIST: ToolDefinition[] = [
  // data versioning
  deployable("dvc", "DVC", ["data_versioning"], "a versioned S3 remote, an IAM policy for people and CI, an IRSA role for pipelines", () => require("../../components/tools/dvc/params").dvcParams, () => require("../../components/tools/dvc/index").dvc),
  deployable("pachyderm", "Pachyderm", ["data_versioning", "artifact_tracker"], "the community edition's last stable release, 2.11.6 (pachd, etcd, pgbouncer, console), in-cluster only, with its PostgreSQL on RDS and S3 object storage through IRSA for pachd and its pipeline workers", () => require("../../components/tools/pachyderm/params").pachydermParams, () => require("../../components/tools/pachyderm/index").pachyderm, [], () => require("../../components/tools/pachyderm/checks").pachydermChecks),
  deployable("lakefs", "lakeFS", ["data_versioning", "artifact_tracker"], "the lakeFS server with its PostgreSQL metadata store on RDS, an S3 block store through IRSA and an admin created at deploy time", () => require("../../components/tools/lakefs/params").lakefsParams, () => require("../../components/tools/lakefs/index").lakefs, ["lake-fs"]),
  retired("neptune", "Neptune", ["data_versioning", "experiment_tracker", "artifact_tracker", "model_registry", "monitoring", "alerting"], NEPTUNE_RETIREMENT, ["neptune-ai", "neptune.ai"]),
  // experiment tracking
  deployable("mlflow", "MLflow", ["experiment_tracker", "artifact_tracker", "model_registry", "monitoring", "alerting"], "the MLflow tracking server with a PostgreSQL backend store on RDS and S3 artifacts through IRSA", () => require("../../components/tools/mlflow/params").mlflowParams, () => require("../../components/tools/mlflow/index").mlflow),
  { ...deployable("wandb", "Weights & Biases", ["experiment_tracker", "artifact_tracker"], "W&B cloud (mode: cloud, the default): the API key from WANDB_API_KEY at deploy time in a Secret for the stack's training and pipeline pods; or self-managed W&B (mode: self-managed, needs a W&B licence) through the W&B operator with MySQL on RDS, ElastiCache Redis and an S3 bucket through IRSA", () => require("../../components/tools/wandb/params").wandbParams, () => require("../../components/tools/wandb/index").wandb, ["weights and biases", "weights & biases", "w&b"], () => require("../../components/tools/wandb/checks").wandbChecks), deployInputs: () => require("../../components/tools/wandb/checks").wandbDeployInputs },
  deployable("determined", "Determined", ["experiment_tracker", "artifact_tracker", "model_registry", "alerting"], "the last release, 0.38.1: the Determined master launching trial pods on the cluster (GPU nodes when the stack has them), PostgreSQL on RDS, S3 checkpoints through IRSA", () => require("../../components/tools/determined/params").determinedParams, () => require("../../components/tools/determined/index").determined, [], () => require("../../components/tools/determined/checks").determinedChecks),
  deployable("clearml", "ClearML", ["experiment_tracker", "artifact_tracker"], "the ClearML server (API, web, file server) with MongoDB, Elasticsearch and Dragonfly on gp3 volumes, fixed users only, and an S3 artifact bucket through IRSA", () => require("../../components/tools/clearml/params").clearmlParams, () => require("../../components/tools/clearml/index").clearml, [], () => require("../../components/tools/clearml/checks").clearmlChecks),
  // pipelining
  deployable("zenml", "ZenML", ["pipelining"], "the ZenML server with its database on RDS and an S3 artifact store through IRSA", () => require("../../components/tools/zenml/params").zenmlParams, () => require("../../components/tools/zenml/index").zenml),
  deployable("argo", "Argo Workflows", ["pipelining"], "the Argo Workflows controller and server (client token auth) with an S3 artifact repository through IRSA and the workflow archive on RDS PostgreSQL", () => require("../../components/tools/argo/params").argoParams, () => require("../../components/tools/argo/index").argo, ["argo-workflows", "argo workflows"]),
  deployable("luigi", "Luigi", ["pipelining"], "the Luigi central scheduler (luigid) with its state on a volume, and an optional task history database on RDS", () => require("../../components/tools/luigi/params").luigiParams, () => require("../../components/tools/luigi/index").luigi),
  deployable("airflow", "Apache Airflow", ["pipelining"], "Airflow (API server, scheduler, DAG processor, triggerer; KubernetesExecutor) with PostgreSQL on RDS and task logs in S3 through IRSA", () => require("../../components/tools/airflow/params").airflowParams, () => require("../../components/tools/airflow/index").airflow, ["apache-airflow", "apache airflow"]),
  deployable("dagster", "Dagster", ["pipelining"], "the Dagster webserver and daemon (K8sRunLauncher) with PostgreSQL on RDS and compute logs in S3 through IRSA", () => require("../../components/tools/dagster/params").dagsterParams, () => require("../../components/tools/dagster/index").dagster),
  deployable("prefect", "Prefect", ["pipelining"], "the Prefect server with PostgreSQL on RDS, basic auth and a Kubernetes worker", () => require("../../components/tools/prefect/params").prefectParams, () => require("../../components/tools/prefect/index").prefect),
  deployable("flyte", "Flyte", ["pipelining"], "flyte-binary (Flyte 1.x) with PostgreSQL on RDS and S3 metadata and raw-data buckets through IRSA for the server and task pods", () => require("../../components/tools/flyte/params").flyteParams, () => require("../../components/tools/flyte/index").flyte),
  deployable("kubeflow", "Kubeflow Pipelines", ["pipelining"], "Kubeflow Pipelines 2.17 standalone (official manifests; in-cluster only, it has no auth) with MySQL on RDS and S3 artifacts through IRSA", () => require("../../components/tools/kubeflow/params").kubeflowParams, () => require("../../components/tools/kubeflow/index").kubeflow, ["kubeflow-pipelines", "kfp"], () => require("../../components/tools/kubeflow/checks").kubeflowChecks),
  // orchestrators
  deployable("aws-batch", "AWS Batch", ["orchestrator"], "a Batch compute environment, job queue, job and execution roles, log group and ECR repository", () => require("../../components/tools/aws-batch/params").awsBatchParams, () => require("../../components/tools/aws-batch/index").awsBatch, ["batch"]),
  deployable("aws-step-functions", "AWS Step Functions", ["orchestrator"], "a Step Functions role scoped to this stack (its Batch queue or one namespace of its cluster, the linked tools' data buckets), a log group and an example Standard state machine running one job on aws-batch's queue, else on the cluster through eks:runJob", () => require("../../components/tools/aws-step-functions/params").awsStepFunctionsParams, () => require("../../components/tools/aws-step-functions/index").awsStepFunctions, ["step-functions", "sfn"], () => require("../../components/tools/aws-step-functions/checks").awsStepFunctionsChecks),
  deployable("aws-fargate", "AWS Fargate", ["orchestrator"], "an EKS Fargate profile for one pipeline namespace (private subnets), its pod execution role, an IRSA service account for the linked tools' data buckets, and the pods' logs in CloudWatch", () => require("../../components/tools/aws-fargate/params").awsFargateParams, () => require("../../components/tools/aws-fargate/index").awsFargate, ["fargate"]),
  deployable("aws-eks", "Amazon EKS", ["orchestrator"], "nothing beyond the stack's EKS cluster, used as the orchestrator", () => require("../../components/tools/aws-eks/params").awsEksParams, () => require("../../components/tools/aws-eks/index").awsEks, ["eks"]),
  planned("azure-aks", "Azure AKS", ["orchestrator"], "an AKS cluster (needs the azure provider, which platinfra does not support yet)", ["aks"]),
  // runtime engines
  deployable("ray", "Ray", ["runtime_engine", "model_serving"], "the KubeRay operator and a Ray cluster with autoscaling workers", () => require("../../components/tools/ray/params").rayParams, () => require("../../components/tools/ray/index").ray),
  deployable("horovod", "Horovod", ["runtime_engine"], "the Kubeflow MPI operator (v0.8.0, pinned manifest) for Horovod MPIJobs, a training namespace whose service account reads and writes the linked tools' data and a checkpoint bucket through IRSA, and an example job", () => require("../../components/tools/horovod/params").horovodParams, () => require("../../components/tools/horovod/index").horovod, [], () => require("../../components/tools/horovod/checks").horovodChecks),
  deployable("spark", "Apache Spark", ["runtime_engine"], "the Spark operator (chart 2.5.2) watching a job namespace whose service account reads and writes the stack's data buckets through IRSA (S3A with web identity), event logs in S3 and an in-cluster Spark history server", () => require("../../components/tools/spark/params").sparkParams, () => require("../../components/tools/spark/index").spark, ["apache-spark", "spark-operator"], () => require("../../components/tools/spark/checks").sparkChecks),
  // registries and serving
  deployable("bentoml", "BentoML", ["model_registry", "model_serving"], "an ECR repository and bento bucket as registry; a Deployment, Service and HPA for a bento as serving", () => require("../../components/tools/bentoml/params").bentomlParams, () => require("../../components/tools/bentoml/index").bentoml, ["bento-ml"], () => require("../../components/tools/bentoml/checks").bentomlChecks),
  deployable("nvidia-triton", "NVIDIA Triton", ["model_serving"], "Triton Inference Server serving a model repository in S3", () => require("../../components/tools/nvidia-triton/params").nvidiaTritonParams, () => require("../../components/tools/nvidia-triton/index").nvidiaTriton, ["triton", "triton-inference-server"], () => require("../../components/tools/nvidia-triton/checks").nvidiaTritonChecks),
  deployable("seldon-core", "Seldon Core", ["model_serving"], "Seldon Core 2 without Kafka (Business Source License 1.1): its CRDs, the operator, scheduler and Envoy mesh, MLServer and Triton servers loading Models from a models bucket through IRSA, in-cluster only", () => require("../../components/tools/seldon-core/params").seldonCoreParams, () => require("../../components/tools/seldon-core/index").seldonCore, ["seldon"], () => require("../../components/tools/seldon-core/checks").seldonCoreChecks),
  deployable("fastapi", "FastAPI", ["model_serving"], "a Deployment, Service, HPA and PDB for a FastAPI model image, its model synced from S3", () => require("../../components/tools/fastapi/params").fastapiParams, () => require("../../components/tools/fastapi/index").fastapi, [], () => require("../../components/tools/fastapi/checks").fastapiChecks),
  deployable("cog", "Cog", ["model_serving"], "a Deployment, Service, HPA and PDB for a Cog model image, ready once setup() succeeded", () => require("../../components/tools/cog/params").cogParams, () => require("../../components/tools/cog/index").cog, [], () => require("../../components/tools/cog/checks").cogChecks),
  deployable("tf-serving", "TensorFlow Serving", ["model_serving"], "TensorFlow Serving serving a SavedModel's versions from S3 (synced into each pod), REST and gRPC", () => require("../../components/tools/tf-serving/params").tfServingParams, () => require("../../components/tools/tf-serving/index").tfServing, ["tensorflow-serving", "tfserving"], () => require("../../components/tools/tf-serving/checks").tfServingChecks),
  // monitoring and alerting
  deployable("nannyml", "NannyML", ["monitoring"], "a CronJob running NannyML on data in S3, writing results to a results bucket", () => require("../../components/tools/nannyml/params").nannymlParams, () => require("../../components/tools/nannyml/index").nannyml, ["nanny-ml"]),
  deployable("grafana", "Grafana", ["monitoring", "alerting"], "Grafana (grafana-community chart 12.11.1) inside the stack's one kube-prometheus-stack release, with Prometheus and Alertmanager as data sources, a generated admin password, its database on gp3 and dashboards for the stack's tools", () => require("../../components/tools/monitoring/params").grafanaParams, () => require("../../components/tools/monitoring/index").grafana, [], () => require("../../components/tools/monitoring/checks").grafanaChecks),
  deployable("prometheus", "Prometheus", ["monitoring", "alerting"], "kube-prometheus-stack 88.5.3 (Prometheus, Alertmanager with receivers from params, the operator, exporters and Grafana: one release with the grafana tool), volumes on gp3, monitors for the stack's tools", () => require("../../components/tools/monitoring/params").prometheusParams, () => require("../../components/tools/monitoring/index").prometheus, ["kube-prometheus-stack"], () => require("../../components/tools/monitoring/checks").prometheusChecks),
  deployable("alibi", "Alibi Detect", ["monitoring"], "a CronJob running an Alibi Detect 0.12.0 drift detector (Business Source License 1.1) on data in S3, writing each verdict as JSON to a results bucket", () => require("../../components/tools/alibi/params").alibiParams, () => require("../../components/tools/alibi/index").alibi, ["alibi-detect"], () => require("../../components/tools/alibi/checks").alibiChecks),
  deployable("evidently", "Evidently", ["monitoring"], "the Evidently UI service (0.7.21) with its workspace on an encrypted gp3 volume and a generated secret guarding writes; in-cluster only unless exposed behind ALB sign-in", () => require("../../components/tools/evidently/params").evidentlyParams, () => require("../../components/tools/evidently/index").evidently, ["evidently-ai"]),
  retired("weaveworks", "Weave Scope", ["monitoring", "alerting"], WEAVE_SCOPE_RETIREMENT, ["weave", "weave-scope"]),
];
/* eslint-enable @typescript-eslint/no-require-imports */

export const TOOLS: readonly ToolDefinition[] = TOOL_LIST;

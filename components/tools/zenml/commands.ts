import { hostsEntryCommand, shellCommand } from "../../../src/util/shell";

/** Where pipeline pods run, as the service account that may use the artifact store. */
export const PIPELINES = { namespace: "zenml-pipelines", serviceAccount: "zenml-pipelines" };
/**
 * The port ZenML's Service listens on, and the laptop's port-forward binds: the same unprivileged
 * port on both sides, so one URL works in the cluster and, through the forward, on a laptop.
 */
export const SERVER_PORT = 8080;

/** The peer MLflow's client settings, as its `env` gives them. */
export type MlflowEnv = Record<string, string> | undefined;

export interface ZenmlCommandArgs {
  /** The server's URL: https://<host> when exposed, else the in-cluster URL. */
  serverUrl: string;
  /** Set when the server is in-cluster only (`serverUrl` is then its in-cluster URL): its namespace and Service, to port-forward. */
  inCluster?: { namespace: string; service: string };
  artifactStore: string;
  cluster: string;
  region: string;
  /** The ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`) and ZenML's repository in it. */
  registry: { host: string; repository: string };
  mlflow?: MlflowEnv;
}

/**
 * The zenml CLI lines that make this deployment the active stack, every value shell-quoted: the S3
 * artifact store, the ECR registry (aws flavor, pushing to platinfra's repository), the local Docker
 * image builder, the cluster as Kubernetes orchestrator and, with MLflow in the stack, the
 * experiment tracker. In-cluster only, the laptop logs in at the in-cluster URL itself (see
 * loginCommands). The image builder is `local`: it builds with the Docker of whoever runs the pipeline,
 * which a laptop has, and needs no in-cluster builder with push rights of its own (kaniko would).
 */
export function zenmlCommands(args: ZenmlCommandArgs): string[] {
  const { cluster, region, registry, mlflow } = args;
  const tracker = mlflow?.MLFLOW_TRACKING_URI ? mlflowTrackerCommands(mlflow.MLFLOW_TRACKING_URI, mlflow.MLFLOW_TRACKING_USERNAME) : [];
  return [
    shellCommand("aws", "eks", "update-kubeconfig", "--name", cluster, "--region", region, "--alias", cluster),
    ...loginCommands(args),
    // The flavors registered below live in these integrations (`kubernetes` for the orchestrator, `aws` for ECR).
    shellCommand("zenml", "integration", "install", "s3", "aws", "kubernetes", ...(tracker.length > 0 ? ["mlflow"] : []), "-y"),
    `${shellCommand("aws", "ecr", "get-login-password", "--region", region)} | ${shellCommand("docker", "login", "--username", "AWS", "--password-stdin", registry.host)}`,
    shellCommand("zenml", "artifact-store", "register", "s3_store", "--flavor=s3", `--path=${args.artifactStore}`),
    shellCommand("zenml", "container-registry", "register", "ecr", "--flavor=aws", `--uri=${registry.host}`, `--default_repository=${registry.repository}`),
    shellCommand("zenml", "image-builder", "register", "local_docker", "--flavor=local"),
    shellCommand(
      "zenml",
      "orchestrator",
      "register",
      "eks",
      "--flavor=kubernetes",
      `--kubernetes_context=${cluster}`,
      `--kubernetes_namespace=${PIPELINES.namespace}`,
      `--service_account_name=${PIPELINES.serviceAccount}`,
      `--step_pod_service_account_name=${PIPELINES.serviceAccount}`,
    ),
    ...tracker,
    shellCommand("zenml", "stack", "register", "platinfra", "-a", "s3_store", "-o", "eks", "-c", "ecr", "-i", "local_docker", ...(tracker.length > 0 ? ["-e", "mlflow"] : []), "--set"),
  ];
}

/**
 * Exposed: log in at the public URL. In-cluster: the ZenML client hands the URL it logged in at to
 * every orchestrator and step pod (ZENML_STORE_URL), so a `localhost` URL would leave the pods
 * without a server. The laptop logs in at the in-cluster URL instead: /etc/hosts maps the Service's
 * hostname to 127.0.0.1 and a backgrounded port-forward binds the Service's own port.
 */
function loginCommands(args: ZenmlCommandArgs): string[] {
  if (!args.inCluster) return [shellCommand("zenml", "login", args.serverUrl)];
  const { namespace, service } = args.inCluster;
  const forward = shellCommand("kubectl", "--context", args.cluster, "--namespace", namespace, "port-forward", `service/${service}`, `${SERVER_PORT}:${SERVER_PORT}`);
  return [hostsEntryCommand(serviceHostname(service, namespace)), `${forward} &`, shellCommand("zenml", "login", args.serverUrl)];
}

/** A Service's in-cluster DNS name. */
export function serviceHostname(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

/**
 * ZenML requires credentials for any remote tracking URI. With MLflow's basic auth on, they go into a
 * ZenML secret (the password from `platinfra outputs --env --show-secrets`, never printed here);
 * with it off (in-cluster), MLflow ignores whatever is sent, so a placeholder satisfies ZenML.
 */
function mlflowTrackerCommands(uri: string, username?: string): string[] {
  const register = ["zenml", "experiment-tracker", "register", "mlflow", "--flavor=mlflow", `--tracking_uri=${uri}`];
  if (!username) return [shellCommand(...register, "--tracking_username=platinfra", "--tracking_password=unused")];
  return [
    `${shellCommand("zenml", "secret", "create", "mlflow_tracking", `--username=${username}`)} --password="$MLFLOW_TRACKING_PASSWORD"`,
    shellCommand(...register, "--tracking_username={{mlflow_tracking.username}}", "--tracking_password={{mlflow_tracking.password}}"),
  ];
}

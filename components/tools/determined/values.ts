import type * as pulumi from "@pulumi/pulumi";
import { resourcesWithDefaults } from "../shared/params";
import type { DeterminedParams } from "./params";

/* Names and the chart's values (determined 0.38.1: helm/charts/determined of determined-ai/determined@v0.38.1). */

export const NAMESPACE = "determined";
export const RELEASE = "determined";
/** master-service.yaml: `determined-master-service-<release>`, port `masterPort` (the container listens on 8081). */
export const MASTER_SERVICE = `determined-master-service-${RELEASE}`;
export const PORT = 8080;
/** The chart's own account for the master (master-permissions.yaml), without an annotations key. */
export const MASTER_SERVICE_ACCOUNT = `determined-master-${RELEASE}`;
export const MASTER_DEPLOYMENT = `determined-master-deployment-${RELEASE}`;
/** Task pods (trials, notebooks, commands, TensorBoards, checkpoint GC) run as this IRSA account. */
export const TASK_SERVICE_ACCOUNT = "determined-tasks";
/** Only External Secrets runs as this account: it syncs the RDS master credentials for the setup Job. */
export const DATABASE_SERVICE_ACCOUNT = "determined-database";
export const MASTER_SECRET = "determined-db-master";
export const CREDENTIALS_SECRET = "determined-credentials";
export const CREDENTIAL_KEYS = { dbPassword: "db-password" } as const;
/** The RDS CA bundle the master and the setup Job verify the database's certificate with. */
export const CA_CONFIGMAP = "determined-rds-ca";
export const CA_FILE = "rds-ca-bundle.pem";
/** Determined's database and the role of its own that owns it (made by the setup Job). */
export const DATABASE = { name: "determined", user: "determined" } as const;
/** The built-in administrator (OSS also creates `determined`, with the same initial password). */
export const ADMIN_USERNAME = "admin";
export const MASTER_DEFAULTS = { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "2Gi" } };

type PodPlacement = { nodeSelector?: Record<string, string>; tolerations?: unknown[] };

/**
 * A default task pod spec: the IRSA account (the master sets none itself, so tasks would otherwise
 * run as the namespace's `default` account, without S3), plus GPU placement for GPU tasks. The
 * master deep-copies it and overwrites only containers, volumes, labels and scheduling fields.
 */
export function taskPodSpec(placement: PodPlacement = {}): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", spec: { serviceAccountName: TASK_SERVICE_ACCOUNT, ...placement } };
}

export function determinedValues(args: {
  params: DeterminedParams;
  gpu: PodPlacement | undefined;
  bucket: pulumi.Input<string>;
  database: { address: pulumi.Input<string>; port: pulumi.Input<number> };
  /** Both Pulumi secrets, nested: Helm values are the chart's only way in (no existing-Secret option). */
  dbPassword: pulumi.Input<string>;
  adminPassword: pulumi.Input<string>;
}): Record<string, unknown> {
  const { params } = args;
  const resources = resourcesWithDefaults(params.resources, MASTER_DEFAULTS);
  return {
    enterpriseEdition: false,
    // NodePort, not the default LoadBalancer (a public ELB); exposure goes through the shared ALB.
    useNodePortForMaster: true,
    masterPort: PORT,
    masterCpuRequest: resources.requests.cpu,
    masterMemRequest: resources.requests.memory,
    masterCpuLimit: resources.limits.cpu,
    masterMemLimit: resources.limits.memory,
    // Checked by the chart on every install (≥ 8 characters, upper, lower, digit); used at the first start only.
    initialUserPassword: args.adminPassword,
    telemetry: { enabled: false },
    maxSlotsPerPod: params.max_slots_per_pod,
    // Without GPU nodes a slot is a CPU, so `slots_per_trial: 1` still schedules.
    ...(args.gpu ? {} : { slotType: "cpu", slotResourceRequests: { cpu: 1 } }),
    db: {
      hostAddress: args.database.address,
      port: args.database.port,
      name: DATABASE.name,
      user: DATABASE.user,
      // Alphanumeric: the master pastes it unescaped into a postgres:// URL (master/internal/db/setup.go).
      password: args.dbPassword,
      sslMode: "verify-full",
      sslRootCert: CA_FILE,
      resourceType: "configMap",
      certResourceName: CA_CONFIGMAP,
    },
    // No accessKey/secretKey/endpointUrl, not even "": absent keys render null, so the master and
    // the task pods use the default AWS credential chain (IRSA).
    checkpointStorage: { type: "s3", bucket: args.bucket, prefix: params.checkpoint_prefix, saveExperimentBest: 0, saveTrialBest: 1, saveTrialLatest: 1 },
    taskContainerDefaults: {
      cpuPodSpec: taskPodSpec(),
      ...(args.gpu ? { gpuPodSpec: taskPodSpec(args.gpu) } : {}),
      // Without it GC reuses the experiment's pod spec: a GPU experiment's GC would wait for a GPU node.
      checkpointGcPodSpec: taskPodSpec(),
    },
    resourceManager: { defaultNamespace: NAMESPACE },
  };
}


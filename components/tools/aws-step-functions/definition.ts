/* The example state machine's definition (Amazon States Language, JSONPath). Pure: tested as plain functions. */

/** The image of the example job: Amazon Linux from AWS's public ECR gallery (no Docker Hub rate limits). */
export const EXAMPLE_IMAGE = "public.ecr.aws/amazonlinux/amazonlinux:2023";
/** Finished example Jobs are removed by Kubernetes after this long: runJob itself never deletes them. */
export const JOB_TTL_SECONDS = 3600;

/** The partition of the integration's ARN (`aws`, `aws-cn`, `aws-us-gov`). */
interface Partitioned {
  partition: string;
}

export interface BatchTarget extends Partitioned {
  jobQueueArn: string;
  jobDefinitionArn: string;
}

export interface EksTarget extends Partitioned {
  clusterName: string;
  endpoint: string;
  certificateAuthority: string;
  namespace: string;
  serviceAccount: string;
}

/** One Task state that submits a job to this stack's Batch queue and waits for it (.sync). */
export function batchDefinition(target: BatchTarget): Record<string, unknown> {
  return {
    Comment: "platinfra example: one job on this stack's AWS Batch queue",
    StartAt: "RunBatchJob",
    States: {
      RunBatchJob: {
        Type: "Task",
        Resource: `arn:${target.partition}:states:::batch:submitJob.sync`,
        Parameters: {
          "JobName.$": "States.Format('sfn-example-{}', $$.Execution.Name)",
          JobQueue: target.jobQueueArn,
          JobDefinition: target.jobDefinitionArn,
        },
        ResultSelector: { "JobId.$": "$.JobId", "JobName.$": "$.JobName", "Status.$": "$.Status" },
        End: true,
      },
    },
  };
}

/**
 * One Task state that runs a Kubernetes Job on this stack's cluster and waits for it (.sync), its
 * last log lines in the result (the result is capped at 256 KiB). The Job is named after the
 * execution (UUIDs by default: valid Kubernetes names), so two executions never collide.
 */
export function eksDefinition(target: EksTarget): Record<string, unknown> {
  return {
    Comment: "platinfra example: one Kubernetes Job on this stack's EKS cluster",
    StartAt: "RunKubernetesJob",
    States: {
      RunKubernetesJob: {
        Type: "Task",
        Resource: `arn:${target.partition}:states:::eks:runJob.sync`,
        Parameters: {
          ClusterName: target.clusterName,
          CertificateAuthority: target.certificateAuthority,
          Endpoint: target.endpoint,
          Namespace: target.namespace,
          LogOptions: { RetrieveLogs: true, LogParameters: { tailLines: ["20"] } },
          Job: exampleJob(target),
        },
        End: true,
      },
    },
  };
}

/** A batch/v1 Job (the only kind runJob runs): one container, non-root, requests equal to limits. */
function exampleJob(target: EksTarget): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { "name.$": "States.Format('sfn-example-{}', $$.Execution.Name)", labels: { "app.kubernetes.io/managed-by": "platinfra", "platinfra.dev/example": "step-functions" } },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template: {
        spec: {
          serviceAccountName: target.serviceAccount,
          restartPolicy: "Never",
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "main",
              image: EXAMPLE_IMAGE,
              // uname (coreutils): the minimal Amazon Linux image need not ship the hostname package.
              command: ["sh", "-c", "echo hello from Step Functions on $(uname -n)"],
              resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "250m", memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}

/** The example Batch job's container: Fargate needs its execution role, the vCPU/memory pairs it sells and no public IP (private subnets). */
export function batchContainerProperties(options: {
  compute: "fargate" | "ec2";
  jobRoleArn: string;
  executionRoleArn: string;
  logGroup: string;
  region: string;
}): Record<string, unknown> {
  const fargate = options.compute === "fargate";
  return {
    image: EXAMPLE_IMAGE,
    command: ["echo", "hello from Step Functions on AWS Batch"],
    jobRoleArn: options.jobRoleArn,
    executionRoleArn: options.executionRoleArn,
    resourceRequirements: [
      { type: "VCPU", value: fargate ? "0.25" : "1" },
      { type: "MEMORY", value: "512" },
    ],
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": options.logGroup, "awslogs-region": options.region, "awslogs-stream-prefix": "sfn-example" } },
    ...(fargate ? { networkConfiguration: { assignPublicIp: "DISABLED" }, fargatePlatformConfiguration: { platformVersion: "LATEST" } } : {}),
  };
}

/* What runs in the Fargate namespace: the logging ConfigMap and the example Job. Pure: tested as plain functions. */
import { AWS_CLI_IMAGE } from "../shared/model-source";

/** The project's one AWS CLI pin (ECR Public): the example asks STS who the pod is (its IRSA role). */
export const EXAMPLE_IMAGE = AWS_CLI_IMAGE;
export const EXAMPLE_JOB = "hello-fargate";

/** What Fargate cannot run: said in the outputs and the README. */
export const LIMITATIONS = [
  "no GPUs",
  "no DaemonSets (run agents as sidecars)",
  "no privileged containers, hostNetwork or hostPort",
  "no EBS volumes (EFS by static provisioning only); 20 GiB ephemeral storage by default",
  "one pod per Fargate node, sized from the pod's requests (requests = limits; without requests 0.25 vCPU and 0.5 GB)",
  "private subnets only: no public IP",
];

/**
 * The output section of Fargate's built-in Fluent Bit: every Fargate pod's logs to the tool's log
 * group, which Pulumi creates and keeps (no auto-created group). Only the message (`log_key`), as
 * the parser below leaves it, so `aws logs tail` shows what the container printed.
 */
export function fluentBitOutput(region: string, logGroup: string): string {
  return [
    "[OUTPUT]",
    "    Name cloudwatch_logs",
    "    Match *",
    `    region ${region}`,
    `    log_group_name ${logGroup}`,
    "    log_stream_prefix fargate-",
    "    log_key log",
    "    auto_create_group false",
    "",
  ].join("\n");
}

/**
 * Fargate's log router tails the containers' files without a parser (its fixed [INPUT]), so each
 * record is the whole CRI line, "<time> <stream> <P|F> <message>": this filter and parser split it,
 * as AWS's CloudWatch example for Fargate logging does (EKS user guide, fargate-logging).
 */
export const FLUENT_BIT_FILTERS = ["[FILTER]", "    Name parser", "    Match *", "    Key_name log", "    Parser crio", ""].join("\n");
export const FLUENT_BIT_PARSERS = [
  "[PARSER]",
  "    Name crio",
  "    Format Regex",
  "    Regex ^(?<time>[^ ]+) (?<stream>stdout|stderr) (?<logtag>P|F) (?<log>.*)$",
  "    Time_Key time",
  "    Time_Format %Y-%m-%dT%H:%M:%S.%L%z",
  "",
].join("\n");

/** A Job for the namespace: one container, requests equal to limits (what Fargate sizes the pod from), non-root. */
export function exampleJob(namespace: string, serviceAccount: string, region: string): Record<string, unknown> {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: EXAMPLE_JOB, namespace },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 3600,
      template: {
        spec: {
          serviceAccountName: serviceAccount,
          restartPolicy: "Never",
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "main",
              image: EXAMPLE_IMAGE,
              args: ["sts", "get-caller-identity"],
              env: [
                { name: "AWS_REGION", value: region },
                { name: "HOME", value: "/tmp" },
              ],
              resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            },
          ],
        },
      },
    },
  };
}

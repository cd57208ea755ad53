import type * as k8s from "@pulumi/kubernetes";
import { quantityValue } from "../shared/params";
import { jarDownload, S3A_CLASSPATH, SPARK_SECURITY_CONTEXT, SPARK_UID, WEB_IDENTITY_PROVIDER } from "./s3a";

type PodSpec = k8s.types.input.core.v1.PodSpec;

/** The history server's Service, service account and port (Spark's default `spark.history.ui.port`). */
export const HISTORY_SERVER = "spark-history-server";
export const HISTORY_PORT = 18080;
const LABELS = { "app.kubernetes.io/name": HISTORY_SERVER, "app.kubernetes.io/managed-by": "platinfra" };

export interface HistoryServerArgs {
  image: string;
  downloadsJars: boolean;
  region: string;
  /** `s3a://<event-log bucket>/<prefix>`: where the jobs write their event logs. */
  eventLogDir: string;
  cpu: string;
  memory: string;
}

/**
 * How often the history server scans the event-log directory (Spark's default: 10s). A scan lists
 * the directory, and each rolled log (Spark 4's default: one directory per application) once more
 * (RollingEventLogFilesFileReader lists its directory): at 10s that is ~260k S3 LIST requests a
 * month per application kept (~$1.30 at $0.005 per 1,000); at 60s, a sixth of it. On S3 a job
 * shows up only once its first log file is closed anyway.
 */
export const HISTORY_SCAN_INTERVAL = "60s";

/**
 * The history server's JVM options: the event-log directory and its scan interval, S3A with the
 * pod's IRSA role, and the same region the jobs use. It only reads (no cleaner: that would need
 * delete rights); the UI state is kept in memory (no `spark.history.store.path`), so the pod needs
 * no volume for it.
 */
export function historyServerOptions(args: Pick<HistoryServerArgs, "eventLogDir" | "region">): string {
  return [
    `-Dspark.history.fs.logDirectory=${args.eventLogDir}`,
    `-Dspark.history.fs.update.interval=${HISTORY_SCAN_INTERVAL}`,
    `-Dspark.history.ui.port=${HISTORY_PORT}`,
    `-Dspark.hadoop.fs.s3a.aws.credentials.provider=${WEB_IDENTITY_PROVIDER}`,
    `-Dspark.hadoop.fs.s3a.endpoint.region=${args.region}`,
  ].join(" ");
}

/** Half the container's memory as heap (`SPARK_DAEMON_MEMORY`, in MiB): the rest for metaspace, threads and S3A's buffers. */
export function daemonMemory(memory: string): string {
  return `${Math.floor(quantityValue(memory) / 2 ** 20 / 2)}m`;
}

/**
 * The pod: `spark-class` runs the HistoryServer in the foreground (the image's entrypoint passes
 * any command other than driver/executor through; `sbin/start-history-server.sh` would daemonize
 * and the container would exit). Read-only root filesystem, /tmp for the JVM.
 */
export function historyServerPod(args: HistoryServerArgs): { metadata: { labels: Record<string, string> }; spec: PodSpec } {
  const download = args.downloadsJars ? jarDownload(args.image) : undefined;
  const env = [
    { name: "SPARK_HISTORY_OPTS", value: historyServerOptions(args) },
    { name: "SPARK_DAEMON_MEMORY", value: daemonMemory(args.memory) },
    // spark-class adds SPARK_DAEMON_CLASSPATH to the history server's class path (SparkClassCommandBuilder).
    ...(download ? [{ name: "SPARK_DAEMON_CLASSPATH", value: S3A_CLASSPATH }] : []),
  ];
  return {
    metadata: { labels: LABELS },
    spec: {
      serviceAccountName: HISTORY_SERVER,
      securityContext: { runAsNonRoot: true, runAsUser: SPARK_UID, runAsGroup: SPARK_UID, fsGroup: SPARK_UID, seccompProfile: { type: "RuntimeDefault" } },
      ...(download ? { initContainers: [download.initContainer] } : {}),
      containers: [
        {
          name: "history-server",
          image: args.image,
          args: ["/opt/spark/bin/spark-class", "org.apache.spark.deploy.history.HistoryServer"],
          env,
          ports: [{ name: "http", containerPort: HISTORY_PORT }],
          readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 10 },
          livenessProbe: { httpGet: { path: "/", port: "http" }, initialDelaySeconds: 60, periodSeconds: 30, failureThreshold: 5 },
          resources: { requests: { cpu: args.cpu, memory: args.memory }, limits: { cpu: doubled(args.cpu), memory: args.memory } },
          securityContext: { ...SPARK_SECURITY_CONTEXT, readOnlyRootFilesystem: true },
          volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(download ? [download.mount] : [])],
        },
      ],
      volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }, ...(download ? [download.volume] : [])],
    },
  };
}

/** Twice a CPU quantity, in millicores. */
function doubled(cpu: string): string {
  return `${Math.round(quantityValue(cpu) * 2000)}m`;
}

export const HISTORY_LABELS = LABELS;

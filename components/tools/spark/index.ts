import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Bucket } from "../../base/bucket";
import { CHARTS } from "../../base/charts";
import { applyChartCrds, CHART_CRDS } from "../../base/chart-crds";
import { helmRelease } from "../../base/helm";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket, linkedDataBuckets } from "../shared/bucket";
import type { ToolContext } from "../shared/context";
import { createNamespace, type ToolNamespace } from "../shared/namespace";
import { localUrl, serviceUrl, stringMap } from "../shared/outputs";
import { trackerPodEnv, TRACKERS } from "../shared/peers";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { LocalAccess, ToolComponent, ToolComponentModule } from "../shared/types";
import { exampleCommands, exampleManifest } from "./example";
import { HISTORY_LABELS, HISTORY_PORT, HISTORY_SERVER, historyServerPod } from "./history";
import { sparkParams, type SparkParams } from "./params";
import { SPARK_IMAGE } from "./s3a";
import { sparkOperatorValues } from "./values";

/** The operator and the history server. */
const NAMESPACE = "spark";
/** Where SparkApplications run: the operator watches only this namespace. */
export const JOB_NAMESPACE = "spark-jobs";
/** The driver's and executors' service account, the identity of the jobs' IRSA role. */
export const JOB_SERVICE_ACCOUNT = "spark";
/** The event logs' prefix in their bucket (the history server lists it). */
const EVENT_LOG_PREFIX = "spark-events";
/** The tools whose data Spark jobs process (their `dataBuckets`) or whose settings they read (MLflow's tracking URI). */
const SPARK_LINKS = ["dvc", ...TRACKERS, "zenml", "bentoml", "nannyml", "aws-batch", "ray"];

/**
 * Apache Spark as runtime engine: the Spark operator (kubeflow/spark-operator) watching one job
 * namespace, whose service account reaches through IRSA the stack's data (its own data bucket and
 * its links' data buckets) and the event-log bucket; a Spark history server reading those event
 * logs with a read-only role. S3A authenticates with the pods' web identity token. Nothing is
 * exposed: the history server has no authentication, so it stays in the cluster (port-forward).
 */
export class Spark extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly localAccess: LocalAccess;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Spark", name, {}, opts);
    const params = sparkParams.parse(context.instance.params);
    const image = params.image ?? SPARK_IMAGE;
    const downloadsJars = params.image === undefined;
    const region = context.platform.region;

    const scope: ToolScope = { name, context, parent: this };
    const namespace = createNamespace(scope, NAMESPACE);
    // Named `spark-jobs-namespace` in Pulumi, labelled as the tool's own: the operator's webhook selects it by name.
    const jobNamespace = createNamespace({ ...scope, name: `${name}-jobs` }, JOB_NAMESPACE);
    const data = createToolBucket(scope, "data");
    // Event logs are rewritten (in-progress file, then renamed: a copy and a delete): no versions kept.
    const eventLogs = createToolBucket(scope, "event-logs", { versioned: false });
    const eventLogDir = pulumi.interpolate`s3a://${eventLogs.name}/${EVENT_LOG_PREFIX}`;
    const eventLogMarker = this.createEventLogPrefix(name, eventLogs);
    this.createEventLogRetention(name, eventLogs, params.event_log_retention_days);

    const jobRole = createToolRole(scope, {
      role: "jobs",
      namespace: jobNamespace,
      serviceAccount: JOB_SERVICE_ACCOUNT,
      statements: [
        ...bucketStatements([...linkedDataBuckets(context, SPARK_LINKS).map((bucket) => bucket.arn), data.arn], "readwrite", "DataBuckets"),
        ...bucketStatements([eventLogs.arn], "readwrite", "EventLogs"),
      ],
    });
    const historyRole = createToolRole(scope, {
      role: "history-server",
      namespace,
      serviceAccount: HISTORY_SERVER,
      statements: bucketStatements([eventLogs.arn], "read", "EventLogs"),
    });
    this.createOperator(name, { namespace, jobNamespace, jobRole, crdProvider: context.platform.crdsProvider() });
    this.createHistoryServer(name, params, { image, downloadsJars, region, eventLogDir, dependsOn: [historyRole, eventLogMarker] });

    const trackers = trackerPodEnv(scope, jobNamespace);
    const manifest = pulumi
      .all([eventLogDir, data.name, trackers?.env ?? []])
      .apply(([dir, dataBucket, env]) =>
        exampleManifest({ namespace: JOB_NAMESPACE, serviceAccount: JOB_SERVICE_ACCOUNT, image, downloadsJars, region, eventLogDir: dir, warehouseDir: `s3a://${dataBucket}/warehouse`, env }),
      );

    const historyUrl = serviceUrl(HISTORY_SERVER, NAMESPACE, HISTORY_PORT);
    this.dataBuckets = [{ name: data.name, arn: data.arn }];
    this.outputs = stringMap({
      jobNamespace: JOB_NAMESPACE,
      serviceAccount: JOB_SERVICE_ACCOUNT,
      image,
      historyUrl,
      // No authentication on the history server: from a laptop, through the API server only.
      historyPortForward: `kubectl -n ${NAMESPACE} port-forward svc/${HISTORY_SERVER} ${HISTORY_PORT}:${HISTORY_PORT}  # then ${localUrl(HISTORY_PORT)}`,
      eventLogDir,
      eventLogBucket: eventLogs.name,
      dataBucket: data.name,
      exampleManifest: manifest,
      ...exampleCommands(JOB_NAMESPACE),
    });
    this.env = stringMap({ SPARK_HISTORY_URL: historyUrl, SPARK_EVENT_LOG_DIR: eventLogDir });
    this.localAccess = {
      namespace: NAMESPACE,
      service: HISTORY_SERVER,
      ports: [{ local: HISTORY_PORT, remote: HISTORY_PORT }],
      env: { SPARK_HISTORY_URL: localUrl(HISTORY_PORT) },
    };
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * An empty `spark-events/` object: Spark refuses to start a job whose event-log directory does
   * not exist (EventLogFileWriter.requireLogBaseDirAsDirectory), and on S3 a directory exists only
   * when something is under its prefix.
   */
  private createEventLogPrefix(name: string, bucket: Bucket): aws.s3.BucketObjectv2 {
    return new aws.s3.BucketObjectv2(`${name}-event-log-prefix`, { bucket: bucket.name, key: `${EVENT_LOG_PREFIX}/`, content: "" }, { parent: this });
  }

  /**
   * S3 expires event logs after the retention: the history server would need delete rights to
   * clean them itself. The empty prefix marker is kept (size 0), or jobs would fail once the last
   * log expired. Spark 4 rolls event logs by default: one `eventlog_v2_<app>/` directory per
   * application, holding an empty directory marker and an empty `appstatus_<app>` file besides the
   * event files. Those empty objects expire with the directory's files (everything under the
   * `eventlog_v2_` prefix): left behind, each would stay listed forever, and the history server
   * lists every such directory on every scan. Uploads a dying driver left unfinished are aborted after a week.
   */
  private createEventLogRetention(name: string, bucket: Bucket, days: number): aws.s3.BucketLifecycleConfiguration {
    return new aws.s3.BucketLifecycleConfiguration(
      `${name}-event-log-retention`,
      {
        bucket: bucket.name,
        rules: [
          {
            id: "expire-event-logs",
            status: "Enabled",
            filter: { and: { prefix: `${EVENT_LOG_PREFIX}/`, objectSizeGreaterThan: 0 } },
            expiration: { days },
          },
          { id: "expire-rolled-event-log-dirs", status: "Enabled", filter: { prefix: `${EVENT_LOG_PREFIX}/eventlog_v2_` }, expiration: { days } },
          { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
      },
      { parent: this },
    );
  }

  /** The operator and its CRDs (applied by platinfra, so chart upgrades upgrade them), after the job namespace and its service account. */
  private createOperator(
    name: string,
    args: { namespace: ToolNamespace; jobNamespace: ToolNamespace; jobRole: ServiceAccountRole; crdProvider: k8s.Provider },
  ): k8s.helm.v3.Release {
    const crds = applyChartCrds(`${name}-crds`, CHART_CRDS.sparkOperator, { parent: this, dependsOn: [args.namespace.resource], provider: args.crdProvider });
    return helmRelease(
      `${name}-operator`,
      {
        chart: CHARTS.sparkOperator,
        releaseName: "spark-operator",
        namespace: args.namespace.name,
        values: sparkOperatorValues({ jobNamespace: args.jobNamespace.name, jobServiceAccount: JOB_SERVICE_ACCOUNT }),
        skipCrds: true,
      },
      { parent: this, dependsOn: [args.namespace.resource, args.jobNamespace.resource, args.jobRole, ...crds] },
    );
  }

  /** The history server: one replica (its state is rebuilt from the event logs), reachable in the cluster only. */
  private createHistoryServer(
    name: string,
    params: SparkParams,
    args: { image: string; downloadsJars: boolean; region: string; eventLogDir: pulumi.Output<string>; dependsOn: pulumi.Resource[] },
  ): void {
    const template = args.eventLogDir.apply((eventLogDir) =>
      historyServerPod({ image: args.image, downloadsJars: args.downloadsJars, region: args.region, eventLogDir, cpu: params.history_server.cpu, memory: params.history_server.memory }),
    );
    new k8s.apps.v1.Deployment(
      `${name}-history-server`,
      {
        metadata: { name: HISTORY_SERVER, namespace: NAMESPACE, labels: HISTORY_LABELS },
        spec: { replicas: 1, selector: { matchLabels: HISTORY_LABELS }, template },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    new k8s.core.v1.Service(
      `${name}-history-service`,
      {
        metadata: { name: HISTORY_SERVER, namespace: NAMESPACE, labels: HISTORY_LABELS },
        spec: { type: "ClusterIP", selector: HISTORY_LABELS, ports: [{ name: "http", port: HISTORY_PORT, targetPort: "http" }] },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
  }
}

export const spark: ToolComponentModule = {
  links: SPARK_LINKS,
  create: (name, context) => new Spark(name, context, toolComponentOptions(context)),
};

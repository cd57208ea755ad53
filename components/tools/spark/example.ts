import type * as k8s from "@pulumi/kubernetes";
import * as YAML from "yaml";
import { jarDownload, s3aSparkConf, SPARK_SECURITY_CONTEXT, SPARK_UID, SPARK_VERSION } from "./s3a";

type EnvVar = k8s.types.input.core.v1.EnvVar;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;

/** The example's name: its driver pod is `<name>-driver`. */
export const EXAMPLE_NAME = "spark-pi";
/** The container names Spark gives the driver and executors (the operator 2.5.2 names the templates' containers so). */
const DRIVER_CONTAINER = "spark-kubernetes-driver";
const EXECUTOR_CONTAINER = "spark-kubernetes-executor";

/** Everything of this stack the example names. */
export interface ExampleArgs {
  namespace: string;
  serviceAccount: string;
  image: string;
  /** The image lacks hadoop-aws and the SDK: each pod downloads them first. */
  downloadsJars: boolean;
  region: string;
  /** `s3a://<event-log bucket>/<prefix>`, where the history server reads. */
  eventLogDir: string;
  /** `s3a://<data bucket>/warehouse`: where `saveAsTable` writes. */
  warehouseDir: string;
  /** MLflow's client settings for the driver and executors (plain values and secretKeyRefs): empty without MLflow. */
  env: EnvVar[];
}

/**
 * A SparkApplication that runs against this stack: SparkPi from the image's examples jar, writing
 * its event log to the stack's event-log bucket through S3A and the job service account's IRSA role.
 * The driver and executor pods come from pod templates (Spark ≥ 3 builds them itself): the jar
 * download, the volume and MLflow's env need no webhook mutation, and both pods name the IRSA
 * service account (an executor left without one runs as the namespace's `default`, without AWS access).
 */
export function exampleApplication(args: ExampleArgs): Record<string, unknown> {
  return {
    apiVersion: "sparkoperator.k8s.io/v1beta2",
    kind: "SparkApplication",
    metadata: { name: EXAMPLE_NAME, namespace: args.namespace },
    spec: {
      type: "Scala",
      mode: "cluster",
      image: args.image,
      imagePullPolicy: "IfNotPresent",
      sparkVersion: SPARK_VERSION,
      mainClass: "org.apache.spark.examples.SparkPi",
      mainApplicationFile: "local:///opt/spark/examples/jars/spark-examples.jar",
      arguments: ["1000"],
      sparkConf: {
        "spark.eventLog.enabled": "true",
        "spark.eventLog.dir": args.eventLogDir,
        "spark.sql.warehouse.dir": args.warehouseDir,
        ...s3aSparkConf(args.region, args.downloadsJars),
      },
      restartPolicy: { type: "Never" },
      driver: { cores: 1, coreLimit: "1", memory: "1g", serviceAccount: args.serviceAccount, template: podTemplate(DRIVER_CONTAINER, args) },
      executor: { instances: 2, cores: 1, memory: "1g", serviceAccount: args.serviceAccount, template: podTemplate(EXECUTOR_CONTAINER, args) },
    },
  };
}

/** The driver's or executors' pod template: the Spark user, the jar download when needed, MLflow's env. */
function podTemplate(container: string, args: ExampleArgs): PodTemplateSpec {
  const download = args.downloadsJars ? jarDownload(args.image) : undefined;
  return {
    spec: {
      securityContext: { fsGroup: SPARK_UID },
      ...(download ? { initContainers: [download.initContainer], volumes: [download.volume] } : {}),
      containers: [
        {
          name: container,
          securityContext: SPARK_SECURITY_CONTEXT,
          ...(download ? { volumeMounts: [download.mount] } : {}),
          ...(args.env.length > 0 ? { env: args.env } : {}),
        },
      ],
    },
  };
}

/** The manifest as a file's text, for `kubectl apply -f -`. */
export function exampleManifest(args: ExampleArgs): string {
  // No anchors: shared objects (the security context, the env) are written out in full, as people read manifests.
  return YAML.stringify(exampleApplication(args), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Apply the example from the stack's outputs and follow it: the application's state, then the driver's log. */
export function exampleCommands(namespace: string): { applyExample: string; watchExample: string; exampleLogs: string } {
  return {
    applyExample: `platinfra outputs <stack.yaml> --json | jq -r '.tools.spark.exampleManifest' | kubectl apply -f -`,
    watchExample: `kubectl -n ${namespace} get sparkapplication ${EXAMPLE_NAME} -w`,
    exampleLogs: `kubectl -n ${namespace} logs -f ${EXAMPLE_NAME}-driver`,
  };
}

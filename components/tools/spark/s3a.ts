import type * as k8s from "@pulumi/kubernetes";

/**
 * Spark, and what it needs to read and write S3 with the pods' IRSA role (S3A with web identity).
 * Free of Pulumi values: the example manifest and the history server are built from these.
 */

/** The Spark release the operator 2.5.2 is built from and tested against (its Dockerfile: FROM apache/spark:4.0.4@sha256:94ad73…). */
export const SPARK_VERSION = "4.0.4";
/** Apache Spark's own image (java17 + python3 for the plain version tag, as apache/spark-docker's versions.json maps it). */
export const SPARK_IMAGE = `docker.io/apache/spark:${SPARK_VERSION}`;
/**
 * The Hadoop client Spark 4.0.x is built with (its jars/hadoop-client-api-3.4.1.jar). hadoop-aws
 * must be this exact version: it calls Hadoop internals that change between releases.
 */
export const HADOOP_VERSION = "3.4.1";
/** The AWS SDK v2 that hadoop-aws 3.4.1 is built and tested against (hadoop-project 3.4.1: aws-java-sdk-v2.version). */
export const AWS_SDK_VERSION = "2.24.6";

const MAVEN_CENTRAL = "https://repo1.maven.org/maven2";

/** A jar Spark's image lacks for S3A, by its Maven Central coordinate. */
export interface S3aJar {
  coordinate: string;
  file: string;
  url: string;
}

function mavenJar(group: string, artifact: string, version: string): S3aJar {
  const file = `${artifact}-${version}.jar`;
  return { coordinate: `${group}:${artifact}:${version}`, file, url: `${MAVEN_CENTRAL}/${group.replace(/\./g, "/")}/${artifact}/${version}/${file}` };
}

/**
 * The S3A connector and the SDK it calls. The apache/spark image carries the Spark distribution
 * built without the hadoop-cloud profile: no hadoop-aws, no AWS SDK.
 */
export const S3A_JARS: readonly S3aJar[] = [
  mavenJar("org.apache.hadoop", "hadoop-aws", HADOOP_VERSION),
  mavenJar("software.amazon.awssdk", "bundle", AWS_SDK_VERSION),
];

/**
 * The SDK v2 provider that reads the IRSA token (AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE, set by
 * EKS in every container of a pod whose service account names a role). hadoop-aws 3.4 creates
 * providers through the SDK v2 and maps only four v1 names (anonymous, environment, instance
 * profile, container) to v2 classes: the v1 `com.amazonaws.auth.WebIdentityTokenCredentialsProvider`
 * is not among them and the v1 SDK is absent, so that name would fail. S3A's default chain has no
 * web-identity provider either (and the node role is out of reach: IMDS hop limit 1).
 */
export const WEB_IDENTITY_PROVIDER = "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider";

/** Where the init container puts the jars: an emptyDir beside Spark's own jars, added to the JVM class path. */
export const S3A_JARS_DIR = "/opt/spark/s3a-jars";
const JARS_VOLUME = "s3a-jars";
/** The apache/spark images' `spark` user. */
export const SPARK_UID = 185;

/**
 * The shell script of the init container, on the Spark image itself (it has wget, and sha1sum in
 * coreutils): each jar, then the SHA-1 that Maven Central publishes beside it, and a check of one
 * against the other, so a truncated or corrupted download stops the pod instead of failing later
 * inside a job with a class-loading error.
 */
export function downloadJarsScript(jars: readonly S3aJar[] = S3A_JARS): string {
  // One command a line: under `set -e` a failure inside an `a && b` list would not stop the script.
  const steps = jars.flatMap((jar) => [
    `wget --no-hsts -nv -O ${jar.file} ${jar.url}`,
    `wget --no-hsts -nv -O ${jar.file}.sha1 ${jar.url}.sha1`,
    `echo "$(cut -c1-40 ${jar.file}.sha1)  ${jar.file}" | sha1sum -c -`,
  ]);
  return ["set -euo pipefail", `cd ${S3A_JARS_DIR}`, ...steps].join("\n");
}

/** Hardened like the operator's own pods: the Spark user, nothing more. */
export const SPARK_SECURITY_CONTEXT: k8s.types.input.core.v1.SecurityContext = {
  runAsUser: SPARK_UID,
  runAsGroup: SPARK_UID,
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** What a pod template adds when the image lacks the jars: the volume, the init container filling it, the mount. */
export interface JarDownload {
  volume: k8s.types.input.core.v1.Volume;
  initContainer: k8s.types.input.core.v1.Container;
  mount: k8s.types.input.core.v1.VolumeMount;
}

/** The jar download for pods running `image` (the stock Spark image). */
export function jarDownload(image: string): JarDownload {
  return {
    // ~0.6 GB of jars: bounded, so a wrong URL cannot fill the node's disk.
    volume: { name: JARS_VOLUME, emptyDir: { sizeLimit: "1Gi" } },
    initContainer: {
      name: "fetch-s3a-jars",
      image,
      command: ["/bin/bash", "-c", downloadJarsScript()],
      volumeMounts: [{ name: JARS_VOLUME, mountPath: S3A_JARS_DIR }],
      // The ephemeral-storage request makes the scheduler reserve node disk for the jars' emptyDir
      // (a pod's request is the larger of its init containers' and the sum of its containers').
      resources: { requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "1Gi" }, limits: { cpu: "1", memory: "256Mi" } },
      securityContext: SPARK_SECURITY_CONTEXT,
    },
    mount: { name: JARS_VOLUME, mountPath: S3A_JARS_DIR, readOnly: true },
  };
}

/** The JVM class path entry for the downloaded jars (a `dir/*` wildcard, as Java's -cp reads it). */
export const S3A_CLASSPATH = `${S3A_JARS_DIR}/*`;

/**
 * Spark settings every job of this stack needs for S3: the web-identity provider, the region
 * (S3A would otherwise probe for it), and, when the image lacks the jars, the downloaded ones on
 * the driver's and executors' class path (the JVM's, not Spark's user class loader, so Hadoop's
 * FileSystem service lookup finds s3a even for the event log opened at SparkContext start).
 */
export function s3aSparkConf(region: string, downloadsJars: boolean): Record<string, string> {
  return {
    "spark.hadoop.fs.s3a.aws.credentials.provider": WEB_IDENTITY_PROVIDER,
    "spark.hadoop.fs.s3a.endpoint.region": region,
    ...(downloadsJars ? { "spark.driver.extraClassPath": S3A_CLASSPATH, "spark.executor.extraClassPath": S3A_CLASSPATH } : {}),
  };
}

import type { StackCheck } from "../../../src/catalog/checks";
import { AWS_SDK_VERSION, HADOOP_VERSION, SPARK_VERSION } from "./s3a";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/**
 * Said when `image` is not set: what the stock image costs on every pod start. The jars are not
 * checked against digests pinned here (no source for them was found), only against the SHA-1
 * files Maven Central serves beside them.
 */
export const JAR_DOWNLOAD_COST =
  `spark: without \`image\`, every Spark pod (each driver, each executor, the history server) first downloads hadoop-aws ${HADOOP_VERSION} and the AWS SDK v2 bundle ${AWS_SDK_VERSION} ` +
  `(about 0.5 GB) from Maven Central through the NAT gateway — NAT data charges and start-up time on every pod start, checked only against the SHA-1 files Maven Central serves beside them. ` +
  `For regular use set \`image\` to your own image FROM apache/spark:${SPARK_VERSION} with both jars in /opt/spark/jars (see the README)`;

export const sparkChecks: StackCheck = ({ params }) => (params.image === undefined ? [{ severity: "warning", message: JAR_DOWNLOAD_COST }] : []);

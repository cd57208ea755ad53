import { createHash } from "node:crypto";

/** Length limits of the AWS names platinfra derives, per service. */
export const NAME_LIMITS = {
  eksCluster: 100,
  eksNodeGroup: 63,
  iamRole: 64,
  iamPolicy: 128,
  s3Bucket: 63,
  rdsIdentifier: 63,
  dbSubnetGroup: 255,
  securityGroup: 255,
  kmsAlias: 250, // 256 including "alias/"
  logGroup: 512,
  ecrRepository: 256,
  batchName: 128,
  secretName: 512,
  ingressGroup: 63,
} as const;

/** A short, stable hash of a text: the same input always gives the same 8 characters. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A physical AWS name from parts: lowercase, hyphen-joined, only letters, digits and hyphens,
 * starting with a letter. When longer than `max`, it is cut and ends with a hash of the full name,
 * so two long names never collide and the same inputs always give the same name.
 */
export function awsName(parts: readonly string[], max: number): string {
  const full = parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
  if (full.length <= max) return full;
  const hash = shortHash(full);
  return `${full.slice(0, max - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/**
 * The prefix of every name a stack derives: the spec's name and the environment, so two
 * environments of one spec in one account never collide.
 */
export function namePrefix(stackName: string, environment: string): string {
  return `${stackName}-${environment}`;
}

/** The name of the EKS cluster platinfra creates for a stack's environment. */
export function clusterName(stackName: string, environment: string): string {
  return awsName([namePrefix(stackName, environment)], NAME_LIMITS.eksCluster);
}

/**
 * S3 bucket names are global across all accounts: add a hash of account and region to the
 * stack's prefix so the name is unique without being random.
 */
export function bucketName(prefix: string, purpose: string, accountId: string, region: string): string {
  return awsName([prefix, purpose, shortHash(`${accountId}/${region}`, 6)], NAME_LIMITS.s3Bucket);
}

/** How IRSA's `sub` claim (and an IAM trust policy) names one service account. Pure: params use it at validate time. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

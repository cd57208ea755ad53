import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BucketArgs {
  /** The bucket's physical name (see naming.ts `bucketName`): global across AWS, so derived, not random. */
  bucketName: string;
  /** Keep every version of every object: for data that matters (datasets, models, artifacts). @default true */
  versioned?: boolean;
  /** Let `destroy` delete a bucket that still holds objects. Only when the spec asks for it. @default false */
  forceDestroy?: boolean;
  /** Refuse to delete the bucket on destroy (Pulumi `protect`), for buckets holding data. @default false */
  protect?: boolean;
  /**
   * Default encryption: SSE-KMS with bucket keys, or SSE-S3 for buckets AWS services deliver logs
   * to (log delivery cannot use the `aws/s3` managed key). @default "kms"
   */
  encryption?: "kms" | "s3";
  /** Statements added to the bucket policy besides TLS-only (a bucket has one policy: later writes replace it). */
  policyStatements?: (bucketArn: string) => object[];
}

/**
 * An S3 bucket as it should be by default: public access blocked, encrypted at rest (SSE-KMS with
 * S3 bucket keys), TLS-only, object ownership enforced (no ACLs), versioned for data that matters.
 */
export class Bucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  /** The bucket's name. */
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: BucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Bucket", name, {}, opts);
    const versioned = args.versioned ?? true;
    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false },
      { parent: this, protect: args.protect ?? false },
    );
    const bucketId = this.bucket.id;
    const child = { parent: this };
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucketId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucketId, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucketId, rules: [encryptionRule(args.encryption ?? "kms")] },
      child,
    );
    if (versioned) {
      new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucketId, versioningConfiguration: { status: "Enabled" } }, child);
    }
    // Applied after the public access block so the two never race on a fresh bucket.
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucketId, policy: this.bucket.arn.apply((arn) => JSON.stringify(bucketPolicy(arn, args.policyStatements?.(arn) ?? []))) },
      { parent: this, dependsOn: [publicAccess] },
    );
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

function encryptionRule(encryption: "kms" | "s3") {
  return encryption === "kms"
    ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }
    : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
}

/** TLS-only, plus the bucket's own statements. */
function bucketPolicy(bucketArn: string, statements: object[]) {
  const policy = tlsOnlyPolicy(bucketArn);
  return { ...policy, Statement: [...policy.Statement, ...statements] };
}

/**
 * What VPC flow-log delivery needs on its bucket, limited to this account's log deliveries
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html). Written by
 * platinfra, so AWS does not add it to a policy platinfra would then overwrite.
 */
export function logDeliveryStatements(bucketArn: string, accountId: string, region: string): object[] {
  const source = { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": `arn:aws:logs:${region}:${accountId}:*` } };
  const principal = { Service: "delivery.logs.amazonaws.com" };
  return [
    {
      Sid: "AWSLogDeliveryWrite",
      Effect: "Allow",
      Principal: principal,
      Action: "s3:PutObject",
      Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: { ...source, StringEquals: { ...source.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
    { Sid: "AWSLogDeliveryAclCheck", Effect: "Allow", Principal: principal, Action: ["s3:GetBucketAcl", "s3:ListBucket"], Resource: bucketArn, Condition: source },
  ];
}

/** Denies every request that does not use TLS. */
export function tlsOnlyPolicy(bucketArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

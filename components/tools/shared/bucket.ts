import * as pulumi from "@pulumi/pulumi";
import { Bucket } from "../../base/bucket";
import type { PolicyStatement } from "../../base/policies";
import type { ToolContext } from "./context";
import type { ToolScope } from "./scope";
import type { DataBucket } from "./types";

/** A bucket of this stack for one purpose of the tool: protected and force-destroyed per the spec. */
export function createToolBucket(scope: ToolScope, purpose: string, options: { versioned?: boolean } = {}): Bucket {
  const { platform } = scope.context;
  return new Bucket(
    `${scope.name}-${purpose}`,
    {
      bucketName: platform.bucketName(`${scope.name}-${purpose}`),
      versioned: options.versioned ?? true,
      forceDestroy: platform.deployment.forceDestroyBuckets,
      protect: platform.deployment.deletionProtection,
    },
    { parent: scope.parent },
  );
}

/** S3 access to exactly these buckets: read, or read and write (never delete the bucket itself). */
export function bucketStatements(bucketArns: pulumi.Input<string>[], access: "read" | "readwrite", sid = "Buckets"): PolicyStatement[] {
  const objectActions = access === "read" ? ["s3:GetObject", "s3:GetObjectVersion"] : ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];
  return [
    { Sid: `${sid}List`, Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], Resource: bucketArns },
    { Sid: `${sid}Objects`, Effect: "Allow", Action: objectActions, Resource: bucketArns.map((arn) => pulumi.interpolate`${arn}/*`) },
  ];
}

/**
 * The data buckets of the tools this one links to, when the stack has them: a tool is granted
 * exactly its links' data, never whatever tools happen to be created before it.
 */
export function linkedDataBuckets(context: ToolContext, links: readonly string[]): DataBucket[] {
  return links.flatMap((link) => context.peers.get(link)?.dataBuckets ?? []);
}

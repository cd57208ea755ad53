import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { shellCommand } from "../../../src/util/shell";
import type { Bucket } from "../../base/bucket";
import { awsName, NAME_LIMITS } from "../../base/naming";
import { policyJson, type PolicyStatement } from "../../base/policies";
import type { ServiceAccountRole } from "../../base/service-account-role";
import { bucketStatements, createToolBucket } from "../shared/bucket";
import { createNamespace } from "../shared/namespace";
import { createToolRole } from "../shared/role";
import { toolComponentOptions, type ToolScope } from "../shared/scope";
import type { ToolContext } from "../shared/context";
import { dvcParams } from "./params";
import type { ToolComponent, ToolComponentModule } from "../shared/types";

/**
 * The `dvc` data_versioning tool. DVC has no server: a team needs a remote to push data to and
 * identities allowed to use it. This deploys a versioned S3 remote, a managed IAM policy granting
 * exactly that bucket (to attach to people and CI), and an IRSA role for in-cluster pipelines.
 */
export class Dvc extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly dataBuckets: { name: pulumi.Output<string>; arn: pulumi.Output<string> }[];
  /** The remote: `s3://<bucket>`. */
  readonly remoteUrl: pulumi.Output<string>;
  /** The managed policy to attach to the users, groups and CI roles that push and pull data. */
  readonly policyArn: pulumi.Output<string>;
  /** The IRSA role of the pipelines' service account. */
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Dvc", name, {}, opts);
    const params = dvcParams.parse(context.instance.params);
    const scope: ToolScope = { name, context, parent: this };

    const bucket = createToolBucket(scope, "remote");
    const statements = bucketStatements([bucket.arn], "readwrite", "DvcRemote");
    const policy = this.createRemotePolicy(scope, bucket, statements);
    const role = this.createPipelineRole(scope, params.pipeline_namespace, params.service_account, statements);

    this.remoteUrl = pulumi.interpolate`s3://${bucket.name}`;
    this.policyArn = policy.arn;
    this.roleArn = role.roleArn;
    this.dataBuckets = [{ name: bucket.name, arn: bucket.arn }];
    this.outputs = pulumi.all({
      remoteUrl: this.remoteUrl,
      // Printed for users to paste: every interpolated word is quoted for the shell.
      remoteAddCommand: pulumi.output(this.remoteUrl).apply((url) => shellCommand("dvc", "remote", "add", "-d", "storage", url)),
      bucket: bucket.name,
      policyArn: this.policyArn,
      roleArn: this.roleArn,
      serviceAccount: `${params.pipeline_namespace}/${params.service_account}`,
    });
    this.env = pulumi.all({ DVC_REMOTE_URL: this.remoteUrl });
    this.registerOutputs({ outputs: this.outputs });
  }

  /**
   * A customer-managed policy rather than a role: people and CI systems already have identities,
   * the team attaches this to them. It names the remote bucket and nothing else.
   */
  private createRemotePolicy(scope: ToolScope, bucket: Bucket, statements: PolicyStatement[]): aws.iam.Policy {
    const { platform } = scope.context;
    return new aws.iam.Policy(
      `${scope.name}-remote-policy`,
      {
        name: awsName([platform.namePrefix, `${scope.name}-remote`], NAME_LIMITS.iamPolicy),
        description: pulumi.interpolate`Read and write the DVC remote s3://${bucket.name}`,
        policy: policyJson(statements),
      },
      { parent: this },
    );
  }

  /** Pipelines running in the cluster reach the remote as one service account, through IRSA. */
  private createPipelineRole(scope: ToolScope, namespace: string, serviceAccount: string, statements: PolicyStatement[]): ServiceAccountRole {
    return createToolRole(scope, { namespace: createNamespace(scope, namespace), serviceAccount, statements });
  }
}

export const dvc: ToolComponentModule = {
  links: [],
  create: (name, context) => new Dvc(name, context, toolComponentOptions(context)),
};

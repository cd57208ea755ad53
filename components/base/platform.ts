import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackTags, toolTags } from "./tags";

export interface PlatformArgs {
  /** The spec's stack name. */
  stackName: string;
  /** The Pulumi stack (environment) name, e.g. `dev`. */
  environment: string;
  /** AWS region, resolved before the program runs (spec, profile or environment). */
  region: string;
  /** The only AWS account the providers may touch. */
  accountId: string;
  /** AWS profile to use. @default the environment's credentials */
  profile?: string;
  /** Extra tags for every AWS resource. @default none */
  tags?: Record<string, string>;
}

/**
 * The base every tool stands on. It owns the AWS providers: one for shared infrastructure, one per
 * tool (so each tool's resources carry its name in their tags), all pinned to one account.
 */
export class Platform extends pulumi.ComponentResource {
  readonly stackName: string;
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  /** Provider for shared infrastructure (network, cluster). */
  readonly awsProvider: aws.Provider;
  private readonly args: PlatformArgs;
  private readonly tags: Record<string, string>;
  private readonly toolProviders = new Map<string, aws.Provider>();

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:base:Platform", name, {}, opts);
    this.args = args;
    this.stackName = args.stackName;
    this.environment = args.environment;
    this.region = args.region;
    this.accountId = args.accountId;
    this.tags = stackTags(args.stackName, args.environment, args.tags);
    this.awsProvider = this.createAwsProvider(`${name}-aws`, this.tags);
    this.registerOutputs({ region: args.region });
  }

  /** The AWS provider for one tool's resources: the stack's tags plus `platinfra:tool`. */
  awsProviderFor(tool: string): aws.Provider {
    let provider = this.toolProviders.get(tool);
    if (!provider) {
      provider = this.createAwsProvider(`${this.stackName}-aws-${tool}`, toolTags(this.tags, tool));
      this.toolProviders.set(tool, provider);
    }
    return provider;
  }

  private createAwsProvider(name: string, tags: Record<string, string>): aws.Provider {
    return new aws.Provider(
      name,
      {
        region: this.args.region as aws.Region,
        allowedAccountIds: [this.args.accountId],
        defaultTags: { tags },
        ...(this.args.profile ? { profile: this.args.profile } : {}),
      },
      { parent: this },
    );
  }
}

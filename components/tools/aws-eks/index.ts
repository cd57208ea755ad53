import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import type { ToolComponent, ToolComponentModule } from "../shared/types";

/**
 * The `aws-eks` orchestrator: the stack's own EKS cluster, which the platform already creates.
 * Listing it deploys nothing extra; its outputs say where pipelines run.
 */
export class AwsEks extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:AwsEks", name, {}, opts);
    const { platform } = context;
    this.outputs = pulumi.output<Record<string, string>>({ orchestrator: "kubernetes (EKS)", region: platform.region });
    this.env = pulumi.output<Record<string, string>>({ AWS_REGION: platform.region });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const awsEks: ToolComponentModule = {
  create: (name, context) => new AwsEks(name, context),
};

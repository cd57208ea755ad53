import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../../components/tools/shared/context";
import type { ToolComponent, ToolComponentModule } from "../../components/tools/shared/types";

/**
 * A test-only tool component: one bucket, plain and secret outputs, and an optional link to
 * another tool. It lets the program's assembly be tested apart from the real tools.
 */
class FakeTool extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Input<Record<string, unknown>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv: pulumi.Output<Record<string, string>>;

  constructor(name: string, context: ToolContext) {
    super("platinfra:test:FakeTool", name, {}, { providers: { aws: context.platform.awsProviderFor(name) } });
    const bucket = new aws.s3.Bucket(`${name}-data`, {}, { parent: this });
    const peer = [...context.peers.keys()].join(",");
    this.outputs = pulumi.output({ bucket: bucket.bucket, peers: peer, roles: context.instance.roles.join(",") });
    this.env = pulumi.output({ [`${name.toUpperCase().replace(/-/g, "_")}_BUCKET`]: bucket.bucket });
    this.secretEnv = pulumi.secret({ [`${name.toUpperCase().replace(/-/g, "_")}_TOKEN`]: "s3cr3t-token" });
    this.registerOutputs({ outputs: this.outputs });
  }
}

export function fakeToolModule(links: string[] = []): ToolComponentModule {
  return { links, create: (name, context) => new FakeTool(name, context) };
}

import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import { toolComponentOptions } from "../shared/scope";
import type { LocalAccess, PodEnv, ToolComponent, ToolComponentModule } from "../shared/types";
import { cloudWandb } from "./cloud";
import { wandbParams, type SelfManagedParams } from "./params";
import { selfManagedWandb } from "./self-managed";

/**
 * Weights & Biases as experiment and artifact tracker. `mode: cloud` (the default) uses W&B's
 * hosted service: the API key given at deploy time reaches the pods of the stack's training and
 * pipeline tools. `mode: self-managed` runs the W&B server in this cluster (see self-managed.ts).
 */
export class Wandb extends pulumi.ComponentResource implements ToolComponent {
  readonly outputs: pulumi.Output<Record<string, string>>;
  readonly env: pulumi.Output<Record<string, string>>;
  readonly secretEnv?: pulumi.Output<Record<string, string>>;
  readonly localAccess?: LocalAccess;
  readonly podEnv: PodEnv;

  constructor(name: string, context: ToolContext, opts?: pulumi.ComponentResourceOptions) {
    super("platinfra:tools:Wandb", name, {}, opts);
    const params = wandbParams.parse(context.instance.params);
    const settings = params.mode === "cloud" ? cloudWandb(context, params) : selfManagedWandb({ name, context, parent: this }, params as SelfManagedParams);
    this.outputs = settings.outputs;
    this.env = settings.env;
    if (settings.secretEnv) this.secretEnv = settings.secretEnv;
    this.podEnv = settings.podEnv;
    if (settings.localAccess) this.localAccess = settings.localAccess;
    this.registerOutputs({ outputs: this.outputs });
  }
}

export const wandb: ToolComponentModule = {
  create: (name, context) => new Wandb(name, context, toolComponentOptions(context)),
};

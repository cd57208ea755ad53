import * as pulumi from "@pulumi/pulumi";
import type { ToolContext } from "../shared/context";
import { stringMap } from "../shared/outputs";
import type { LocalAccess, PodEnv } from "../shared/types";
import { API_KEY_VARIABLE, CLOUD_BASE_URL } from "./checks";
import type { WandbParams } from "./params";

/** The Secret each consuming tool's namespace gets (`peerPodEnv` names it `<peer>-client`). */
export const CLIENT_SECRET = "wandb-client";

/** What either mode gives the program: outputs, client settings for people and for other tools' pods. */
export interface WandbSettings {
  outputs: pulumi.Output<Record<string, string>>;
  env: pulumi.Output<Record<string, string>>;
  secretEnv?: pulumi.Output<Record<string, string>>;
  podEnv: PodEnv;
  localAccess?: LocalAccess;
}

/** A secret the tool's catalog entry declares (`wandbDeployInputs`), as `requireDeployInputs` read it before the program ran. */
export function deployInput(context: ToolContext, variable: string): string {
  const value = context.deployInputs?.[variable];
  if (!value) throw new Error(`wandb: ${variable} was not passed to the program — deploy with platinfra (up/preview read it from the environment first), or pass deployInputs: {${variable}: …} to stackProgram`);
  return value;
}

/**
 * W&B's hosted service (or a Dedicated Cloud): nothing runs in the cluster. The API key, read from
 * the deploying environment, becomes a Pulumi secret; the tools whose pods log to W&B copy it into
 * a Secret of their own namespace (`peerPodEnv`) and read it by reference, the host as a value.
 */
export function cloudWandb(context: ToolContext, params: WandbParams): WandbSettings {
  const apiKey = pulumi.secret(deployInput(context, API_KEY_VARIABLE));
  const baseUrl = params.base_url ?? CLOUD_BASE_URL;
  return {
    outputs: stringMap({
      mode: "cloud",
      baseUrl,
      apiKey: `read from ${API_KEY_VARIABLE} at deploy time; a Pulumi secret (platinfra outputs --env --show-secrets), never in plain outputs`,
      pods: `training and pipeline pods of this stack's tools read WANDB_BASE_URL, and WANDB_API_KEY from Secret ${CLIENT_SECRET} in their own namespace`,
      laptop: `export WANDB_BASE_URL=${baseUrl} WANDB_API_KEY=<your key>, or wandb login --host=${baseUrl}`,
      check: `python -c "import wandb; run = wandb.init(project='platinfra-smoke'); run.log({'x': 1}); run.finish()"`,
    }),
    env: stringMap({ WANDB_BASE_URL: baseUrl }),
    secretEnv: pulumi.secret(stringMap({ WANDB_API_KEY: apiKey })),
    podEnv: { plain: stringMap({ WANDB_BASE_URL: baseUrl }), secrets: { WANDB_API_KEY: apiKey } },
  };
}

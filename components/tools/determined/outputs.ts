import { stringify } from "yaml";

/* What a user runs next (pure: no Pulumi). */

/** The client must match the master: 0.38.1 is the last release of both. */
export const CLIENT_INSTALL = "pip install determined==0.38.1";

export function determinedCommands(args: { portForward?: string }): string[] {
  return [
    CLIENT_INSTALL,
    ...(args.portForward ? [args.portForward] : []),
    `eval "$(platinfra outputs stack.yaml --env${args.portForward ? " --local" : ""} --show-secrets)"   # DET_MASTER, DET_USER=admin, DET_PASS (the generated admin password)`,
    "det user login admin   # or rely on DET_USER/DET_PASS; then change the built-in 'determined' user's password (it starts with admin's): det user change-password determined",
    `det experiment create experiment.yaml ./mnist_pytorch   # experiment.yaml: the exampleExperiment output; ./mnist_pytorch: ${TUTORIAL}`,
  ];
}

/** The tutorial the example experiment runs (its directory is the model directory `det experiment create` uploads). */
export const TUTORIAL = "https://github.com/determined-ai/determined/tree/v0.38.1/examples/tutorials/mnist_pytorch";

/**
 * An experiment config for this stack: the mnist_pytorch tutorial's const.yaml at v0.38.1 (its
 * train.py reads these hyperparameters: without them every trial fails) with its
 * checkpoints in the tool's bucket. One slot: a GPU on GPU stacks, a CPU otherwise (the master's
 * slot type follows the stack).
 */
export function exampleExperiment(args: { bucket: string; prefix: string }): string {
  return stringify({
    name: "platinfra-example",
    hyperparameters: { learning_rate: 1.0, n_filters1: 32, n_filters2: 64, dropout1: 0.25, dropout2: 0.5 },
    entrypoint: "python3 train.py --epochs 1",
    resources: { slots_per_trial: 1 },
    searcher: { name: "single", metric: "validation_loss", smaller_is_better: true },
    checkpoint_storage: { type: "s3", bucket: args.bucket, prefix: args.prefix },
  });
}

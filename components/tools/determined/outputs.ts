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
    "det experiment create experiment.yaml ./model_dir   # experiment.yaml: the exampleExperiment output",
  ];
}

/**
 * An experiment config for this stack (the single-trial searcher of the mnist_pytorch tutorial at
 * v0.38.1) with its checkpoints in the tool's bucket. One slot: a GPU on GPU stacks, a CPU otherwise
 * (the master's slot type follows the stack).
 */
export function exampleExperiment(args: { bucket: string; prefix: string }): string {
  return stringify({
    name: "platinfra-example",
    entrypoint: "python3 train.py",
    resources: { slots_per_trial: 1 },
    searcher: { name: "single", metric: "validation_loss", smaller_is_better: true },
    checkpoint_storage: { type: "s3", bucket: args.bucket, prefix: args.prefix },
  });
}

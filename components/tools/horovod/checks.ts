import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";

/* Checks run by `validate`. No schema here: building one costs start-up time. */

/** Said on every stack listing Horovod: it deploys, but upstream stopped releasing. */
export const UPSTREAM_STATUS =
  "horovod: upstream's last release is v0.28.1 (2023-06-12, github.com/horovod/horovod) — none since, and its scheduled CI was switched off in 2026-06, so no fixes for newer PyTorch, TensorFlow or CUDA will follow. " +
  "platinfra deploys the maintained Kubeflow MPI operator (v0.8.0), which runs Horovod jobs; the example job uses upstream's last images, horovod/horovod:0.28.1 (CUDA 11.3, PyTorch 1.12) and horovod/horovod-cpu:0.28.1 — recent GPU types need an image built on a newer CUDA. " +
  "For new work consider PyTorch DDP or DeepSpeed (e.g. on ray)";

const gpuCheck = gpuParamCheck("horovod");

export const horovodChecks: StackCheck = (input) => [{ severity: "warning", message: UPSTREAM_STATUS }, ...gpuCheck(input)];

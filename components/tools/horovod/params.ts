import * as z from "zod";
import { computeSchema, gpuSchema } from "../shared/params";

/** Params of `horovod`. Kept free of Pulumi: the catalog loads them for `validate`. */

const whole = (what: string, least: number, most: number) =>
  z
    .number({ error: (issue) => `${what} ${JSON.stringify(issue.input)} is not a number — expected a whole number from ${least} to ${most}` })
    .int({ error: (issue) => `${what} ${String(issue.input)} is not a whole number` })
    .min(least, { error: (issue) => `${what} ${String(issue.input)} is below ${least}` })
    .max(most, { error: (issue) => `${what} ${String(issue.input)} is above ${most}` });

export const horovodParams = z
  .strictObject({
    gpu: gpuSchema("Train"),
    workers: z
      .strictObject({
        replicas: whole("workers.replicas", 1, 64).default(2).describe("Worker pods of the example MPIJob (one MPI host each). Default: 2."),
        gpus: whole("workers.gpus", 1, 8)
          .default(1)
          .describe("GPUs per worker on GPU nodes: the example requests them and runs one Horovod process per GPU (slotsPerWorker). Default: 1. On CPU: one process per worker."),
        cpu: computeSchema.shape.cpu.optional().describe('CPU of each worker (request and limit). Default: "3" on GPU (fits a g5.xlarge), "1" on CPU.'),
        memory: computeSchema.shape.memory.optional().describe('Memory of each worker (request and limit). Default: "12Gi" on GPU (fits a g5.xlarge), "4Gi" on CPU.'),
      })
      .prefault({})
      .describe("The workers of the example MPIJob printed in the outputs (platinfra runs no job itself)."),
  })
  .describe(
    "The Kubeflow MPI operator (v0.8.0) for Horovod training jobs (MPIJob), a `horovod` namespace whose service account reads and writes " +
      "the linked tools' data buckets and a checkpoint bucket through IRSA, and an example MPIJob for this stack in the outputs " +
      "(a synthetic benchmark on upstream's images, which hold no AWS SDK or MLflow client: the bucket and MLflow settings serve your own image built on them). " +
      "Horovod's last release is v0.28.1 (2023): validate warns.",
  );

export type HorovodParams = z.output<typeof horovodParams>;

import * as z from "zod";
import { computeSchema } from "../shared/params";

/** Params of `ray`. Kept free of Pulumi: the catalog loads them for `validate`. */

const cpu = computeSchema.shape.cpu;
const memory = computeSchema.shape.memory;
const count = (what: string, least: number) =>
  z
    .number({ error: (issue) => `${what} ${JSON.stringify(issue.input)} is not a number of pods — expected a whole number from ${least} to 100` })
    .int({ error: (issue) => `${what} ${String(issue.input)} is not a whole number of pods` })
    .min(least, { error: (issue) => `${what} ${String(issue.input)} is below ${least}` })
    .max(100, { error: (issue) => `${what} ${String(issue.input)} is above 100 — raise it in steps you can afford` });

export const rayParams = z
  .strictObject({
    head: z
      .strictObject({
        cpu: cpu.default("500m").describe('CPU of the head pod (request and limit). Default: "500m" (it runs no tasks).'),
        memory: memory.default("2Gi").describe('Memory of the head pod (request and limit). Default: "2Gi".'),
      })
      .prefault({})
      .describe("The head pod: scheduler, GCS, dashboard and autoscaler; it runs no tasks (num-cpus 0)."),
    workers: z
      .strictObject({
        min: count("workers.min", 0).default(1).describe("Fewest CPU workers, kept even when idle. Default: 1."),
        max: count("workers.max", 1).default(4).describe("Most CPU workers the autoscaler starts. Default: 4."),
        cpu: cpu.default("1").describe('CPU of each CPU worker (request and limit). Default: "1".'),
        memory: memory.default("4Gi").describe('Memory of each CPU worker (request and limit). Default: "4Gi".'),
      })
      .superRefine((workers, ctx) => {
        if (workers.min > workers.max) {
          ctx.addIssue({ code: "custom", path: ["min"], message: `workers.min (${workers.min}) is greater than workers.max (${workers.max}) — need min <= max` });
        }
      })
      .prefault({})
      .describe("The CPU worker group, scaled by Ray's autoscaler between min and max."),
    gpu_workers: z
      .strictObject({
        max: count("gpu_workers.max", 1).default(2).describe("Most GPU workers (one GPU each) the autoscaler starts. Default: 2."),
        cpu: cpu.default("3").describe('CPU of each GPU worker (request and limit). Default: "3" (fits a g5.xlarge).'),
        memory: memory.default("12Gi").describe('Memory of each GPU worker (request and limit). Default: "12Gi" (fits a g5.xlarge).'),
      })
      .prefault({})
      .describe("The GPU worker group, only when the stack has a GPU node group: scales from zero, so idle GPUs cost nothing."),
  })
  .describe(
    "The KubeRay operator and one autoscaling Ray cluster. Ray's dashboard and client port have no authentication, " +
      "so Ray is never exposed outside the cluster (no `expose`): reach the dashboard with " +
      "`kubectl -n ray port-forward svc/ray-head-svc 8265`.",
  );

export type RayParams = z.output<typeof rayParams>;

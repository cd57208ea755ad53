import type { EngineDependencies } from "../../src/api";
import type { PreflightResult } from "../../src/engine/preflight";
import type { Engine, EngineEvent, Operation, OperationOptions, OperationResult, StackOutput, StackTarget } from "../../src/engine/types";

export interface EngineCall {
  operation: Operation | "outputs" | "resourceCount" | "cancel";
  target: StackTarget;
  options?: OperationOptions;
}

/** An in-memory Engine for command tests: records calls, plays fixed events and outputs. */
export class FakeEngine implements Engine {
  readonly calls: EngineCall[] = [];
  outputsToReturn: Record<string, StackOutput> = {
    clusterName: { value: "demo-dev", secret: false },
    kubeconfig: { value: "apiVersion: v1", secret: true },
    env: { value: { MLFLOW_TRACKING_URI: "http://mlflow.mlflow.svc:5000" }, secret: false },
    secretEnv: { value: { MLFLOW_TRACKING_PASSWORD: "it's-secret" }, secret: true },
  };
  failWith?: Error;
  /** The program of the last run, to render under the mock runtime. */
  lastProgram?: () => Promise<unknown>;

  async run(operation: Operation, target: StackTarget, program: () => Promise<unknown>, options: OperationOptions): Promise<OperationResult> {
    this.calls.push({ operation, target, options });
    this.lastProgram = program;
    if (this.failWith) throw this.failWith;
    for (const event of EVENTS) options.onEvent?.(event);
    const changes: Record<string, number> = operation === "destroy" ? { delete: 3 } : { create: 2, same: 1 };
    const outputs = operation === "up" || operation === "refresh" ? this.outputsToReturn : {};
    return { operation, changes, durationSeconds: 75, outputs };
  }

  async outputs(target: StackTarget): Promise<Record<string, StackOutput>> {
    this.calls.push({ operation: "outputs", target });
    return this.outputsToReturn;
  }

  async resourceCount(target: StackTarget): Promise<number> {
    this.calls.push({ operation: "resourceCount", target });
    return 42;
  }

  async cancel(target: StackTarget): Promise<string> {
    this.calls.push({ operation: "cancel", target });
    return `released 1 stale lock(s) of stack ${target.stack}`;
  }
}

const urn = "urn:pulumi:dev::demo::aws:s3/bucket:Bucket::mlflow-artifacts";
const metadata = { op: "create" as const, urn, type: "aws:s3/bucket:Bucket", provider: "" };
const EVENTS: EngineEvent[] = [
  { sequence: 1, timestamp: 1, resourcePreEvent: { metadata } },
  { sequence: 2, timestamp: 2, resOutputsEvent: { metadata } },
];

export function fakeDependencies(engine: FakeEngine, preflight?: () => Promise<PreflightResult>): EngineDependencies {
  return {
    createEngine: async () => engine,
    preflight: preflight ?? (async () => ({ accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/x", region: "eu-west-1" })),
  };
}

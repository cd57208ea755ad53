import type { EngineDependencies } from "../../src/api";
import type { PreflightResult } from "../../src/engine/preflight";
import type { Engine, EngineEvent, EngineRunResult, Operation, OperationOptions, StackIdentity, StackOutput, StackTarget } from "../../src/engine/types";

export interface EngineCall {
  operation: Operation | "outputs" | "resourceCount" | "cancel" | "readIdentity" | "recordIdentity";
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
  /** Fail only this operation (every one when unset). */
  failOn?: Operation;
  /** The events every run plays (a create, an update with a property diff, a replacement, a warning). */
  events: EngineEvent[] = PLAN_EVENTS;
  changes: Record<string, number> = { create: 1, update: 1, replace: 1, same: 1 };
  /** Identities recorded per project/stack, as the stack tags would keep them. */
  readonly identities = new Map<string, StackIdentity>();

  /** The program of the last run, to render under the mock runtime. */
  lastProgram?: () => Promise<unknown>;

  async run(operation: Operation, target: StackTarget, program: () => Promise<unknown>, options: OperationOptions): Promise<EngineRunResult> {
    this.calls.push({ operation, target, options });
    this.lastProgram = program;
    if (this.failWith && (!this.failOn || this.failOn === operation)) throw this.failWith;
    for (const event of this.events) options.onEvent?.(event);
    const changes: Record<string, number> = operation === "destroy" ? { delete: 3 } : this.changes;
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

  async readIdentity(target: StackTarget): Promise<StackIdentity | undefined> {
    this.calls.push({ operation: "readIdentity", target });
    return this.identities.get(`${target.project}/${target.stack}`);
  }

  async recordIdentity(target: StackTarget, identity: StackIdentity): Promise<void> {
    this.calls.push({ operation: "recordIdentity", target });
    this.identities.set(`${target.project}/${target.stack}`, identity);
  }

  async cancel(target: StackTarget): Promise<string> {
    this.calls.push({ operation: "cancel", target });
    return `released 1 stale lock(s) of stack ${target.stack}`;
  }

  /** The engine operations run, without the bookkeeping calls. */
  get operations(): string[] {
    return this.calls.map((call) => call.operation).filter((operation) => operation !== "readIdentity" && operation !== "recordIdentity");
  }
}

const STACK = "urn:pulumi:dev::demo::pulumi:pulumi:Stack";
const bucket = `${STACK}$platinfra:tools:Mlflow$aws:s3/bucket:Bucket::mlflow-artifacts`;
const logs = `${STACK}$platinfra:tools:Mlflow$aws:s3/bucket:Bucket::mlflow-logs`;
const database = `${STACK}$platinfra:tools:Mlflow$platinfra:base:Database$aws:rds/instance:Instance::mlflow-db`;
const vpc = `${STACK}$platinfra:base:Platform$aws:ec2/vpc:Vpc::demo-vpc`;
const step = (op: string, urn: string, type: string, extra: object = {}) => ({ op, urn, type, provider: "", ...extra }) as never;

export const PLAN_EVENTS: EngineEvent[] = [
  { sequence: 1, timestamp: 1, resourcePreEvent: { metadata: step("same", vpc, "aws:ec2/vpc:Vpc") } },
  { sequence: 2, timestamp: 2, resourcePreEvent: { metadata: step("create", bucket, "aws:s3/bucket:Bucket") } },
  { sequence: 3, timestamp: 3, resOutputsEvent: { metadata: step("create", bucket, "aws:s3/bucket:Bucket") } },
  {
    sequence: 4,
    timestamp: 4,
    resourcePreEvent: {
      metadata: step("update", logs, "aws:s3/bucket:Bucket", {
        diffs: ["tags"],
        detailedDiff: { "tags.team": { diffKind: "update", inputDiff: true } },
        old: { inputs: { tags: { team: "ml" } } },
        new: { inputs: { tags: { team: "platform" } } },
      }),
    },
  },
  { sequence: 5, timestamp: 5, resourcePreEvent: { metadata: step("create-replacement", database, "aws:rds/instance:Instance", { keys: ["engineVersion"], diffs: ["engineVersion"] }) } },
  { sequence: 6, timestamp: 6, resourcePreEvent: { metadata: step("replace", database, "aws:rds/instance:Instance", { keys: ["engineVersion"], diffs: ["engineVersion"] }) } },
  { sequence: 7, timestamp: 7, resourcePreEvent: { metadata: step("delete-replaced", database, "aws:rds/instance:Instance", { keys: ["engineVersion"] }) } },
  { sequence: 8, timestamp: 8, diagnosticEvent: { message: "a warning from the provider\n", color: "never", severity: "warning", urn: bucket } },
];

export function fakeDependencies(engine: FakeEngine, preflight?: () => Promise<PreflightResult>): EngineDependencies {
  return {
    createEngine: async () => engine,
    preflight: preflight ?? (async () => ({ accountId: "123456789012", callerArn: "arn:aws:iam::123456789012:user/x", region: "eu-west-1" })),
  };
}

/** A stand-in terminal: answers the questions asked, in order, and records them. */
export class FakeTerminal {
  readonly questions: string[] = [];
  constructor(private readonly answers: (string | Error)[], readonly interactive = true) {}

  async ask(question: string): Promise<string> {
    this.questions.push(question);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error(`unexpected question: ${question}`);
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

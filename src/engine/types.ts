import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { PlanDiagnostic, PlanStep } from "./plan";

/** `preview-refresh` shows what a refresh would change, without writing the state. */
export type Operation = "preview" | "preview-refresh" | "up" | "destroy" | "refresh";

/** Where and how a stack is kept: everything the engine needs besides the program. */
export interface StackTarget {
  /** The Pulumi project: the spec's stack name. */
  project: string;
  /** The Pulumi stack: the environment (`dev`, `prod`). */
  stack: string;
  /** The spec file, as given: for the commands hints print. */
  specFile: string;
  /** Backend URL (file://, s3://, https://api.pulumi.com, …). */
  backendUrl: string;
  /** Where the workspace (Pulumi.yaml, stack settings) lives. */
  workDir: string;
  /** Environment for the Pulumi CLI: passphrase, AWS profile, … */
  env: Record<string, string>;
  /** Stack tags (shown on Pulumi Cloud dashboards). */
  tags: Record<string, string>;
}

export interface OperationOptions {
  /** Only these resources (URN patterns) and what they depend on. */
  targets?: string[];
  parallel?: number;
  refresh?: boolean;
  diff?: boolean;
  /** Every engine event, as it happens. */
  onEvent?: (event: EngineEvent) => void;
  /** The engine's own text output. */
  onOutput?: (text: string) => void;
  /** Aborting asks the engine to stop gracefully. */
  signal?: AbortSignal;
}

export interface ChangeSummary {
  /** Counts by operation: create, update, delete, same, replace… */
  changes: Record<string, number>;
  durationSeconds?: number;
}

export interface StackOutput {
  value: unknown;
  secret: boolean;
}

/** What the engine returns for one run. */
export interface EngineRunResult extends ChangeSummary {
  operation: Operation;
  /** Stack outputs after up/refresh (empty for preview and destroy). */
  outputs: Record<string, StackOutput>;
}

/** What a library call returns: the engine's result with the steps and diagnostics of its events. */
export interface OperationResult extends EngineRunResult {
  /** Each resource created, updated, replaced or deleted (or, for a preview, to be). */
  steps: PlanStep[];
  /** Errors and warnings the engine and providers reported. */
  diagnostics: PlanDiagnostic[];
}

/** Who deployed a stack from which spec file: recorded on every up and destroy, as stack tags. */
export interface StackIdentity {
  /** Absolute path of the spec file. */
  specPath: string;
  /** sha256 of the spec file's text. */
  specSha256: string;
  host: string;
  user: string;
  /** ISO 8601. */
  at: string;
}

/** The deployment engine: the Pulumi Automation API in production, a fake in tests. */
export interface Engine {
  run(operation: Operation, target: StackTarget, program: () => Promise<unknown>, options: OperationOptions): Promise<EngineRunResult>;
  outputs(target: StackTarget): Promise<Record<string, StackOutput>>;
  /** How many resources the stack holds now (0 when it does not exist). */
  resourceCount(target: StackTarget): Promise<number>;
  /** The identity recorded by the last up or destroy, or undefined (new stack, or none recorded). */
  readIdentity(target: StackTarget): Promise<StackIdentity | undefined>;
  recordIdentity(target: StackTarget, identity: StackIdentity): Promise<void>;
  /** Releases a stuck lock / cancels a running update. Returns what was done. */
  cancel(target: StackTarget): Promise<string>;
}

export type { EngineEvent, PlanDiagnostic, PlanStep };

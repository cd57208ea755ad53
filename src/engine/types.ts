import type { EngineEvent } from "@pulumi/pulumi/automation";

export type Operation = "preview" | "up" | "destroy" | "refresh";

/** Where and how a stack is kept: everything the engine needs besides the program. */
export interface StackTarget {
  /** The Pulumi project: the spec's stack name. */
  project: string;
  /** The Pulumi stack: the environment (`dev`, `prod`). */
  stack: string;
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

export interface OperationResult extends ChangeSummary {
  operation: Operation;
  /** Stack outputs after up/refresh (empty for preview and destroy). */
  outputs: Record<string, StackOutput>;
}

/** The deployment engine: the Pulumi Automation API in production, a fake in tests. */
export interface Engine {
  run(operation: Operation, target: StackTarget, program: () => Promise<unknown>, options: OperationOptions): Promise<OperationResult>;
  outputs(target: StackTarget): Promise<Record<string, StackOutput>>;
  /** How many resources the stack holds now (0 when it does not exist). */
  resourceCount(target: StackTarget): Promise<number>;
  /** Releases a stuck lock / cancels a running update. Returns what was done. */
  cancel(target: StackTarget): Promise<string>;
}

export type { EngineEvent };

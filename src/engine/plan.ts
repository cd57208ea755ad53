import type { EngineEvent } from "@pulumi/pulumi/automation";

/** One resource the engine will (or did) touch, as its step event described it. */
export interface PlanStep {
  urn: string;
  type: string;
  /** Pulumi's operation: create, update, replace, delete, read, refresh… (never `same`). */
  op: string;
  /** Top-level properties that change. */
  diffs: string[];
  /** Properties whose change forces a replacement. */
  replaceReasons: string[];
  /** Property path → kind of change (add, update, delete, and their `-replace` forms). */
  detailedDiff: Record<string, string>;
  /** Inputs before and after, for `--diff`; secrets arrive from the engine already masked. */
  oldInputs?: Record<string, unknown>;
  newInputs?: Record<string, unknown>;
}

/** A provider or engine message worth showing: errors and warnings, never debug chatter. */
export interface PlanDiagnostic {
  severity: "error" | "warning";
  /** The resource it is about, when there is one. */
  urn?: string;
  message: string;
}

/** Steps of a replacement the plan shows once, as the `replace` step itself. */
const REPLACEMENT_PARTS = new Set(["create-replacement", "delete-replaced", "discard-replaced", "read-replacement", "import-replacement"]);

/**
 * Collects a run's steps and diagnostics from its engine events: what `preview` shows and what
 * `preview --json` returns. Resources that stay the same and the stack itself are left out.
 */
export class PlanRecorder {
  private readonly byUrn = new Map<string, PlanStep>();
  readonly diagnostics: PlanDiagnostic[] = [];

  handle(event: EngineEvent): void {
    const metadata = event.resourcePreEvent?.metadata;
    if (metadata) this.step(metadata);
    const diagnostic = event.diagnosticEvent;
    if (diagnostic && !diagnostic.ephemeral && (diagnostic.severity === "error" || diagnostic.severity === "warning")) {
      this.diagnostics.push({ severity: diagnostic.severity, ...(diagnostic.urn ? { urn: diagnostic.urn } : {}), message: diagnostic.message.trim() });
    }
  }

  get steps(): PlanStep[] {
    return [...this.byUrn.values()];
  }

  private step(metadata: NonNullable<EngineEvent["resourcePreEvent"]>["metadata"]): void {
    if (metadata.op === "same" || metadata.type === "pulumi:pulumi:Stack") return;
    const existing = this.byUrn.get(metadata.urn);
    if (existing && REPLACEMENT_PARTS.has(metadata.op)) return;
    const op = REPLACEMENT_PARTS.has(metadata.op) ? "replace" : metadata.op;
    const detailedDiff = Object.fromEntries(Object.entries(metadata.detailedDiff ?? {}).map(([key, diff]) => [key, String(diff.diffKind)]));
    this.byUrn.set(metadata.urn, {
      urn: metadata.urn,
      type: metadata.type,
      op,
      diffs: metadata.diffs ?? [],
      replaceReasons: metadata.keys ?? [],
      detailedDiff,
      ...(metadata.old?.inputs ? { oldInputs: metadata.old.inputs } : {}),
      ...(metadata.new?.inputs ? { newInputs: metadata.new.inputs } : {}),
    });
  }
}

/** True when a change summary holds anything but unchanged resources. */
export function hasChanges(changes: Record<string, number>): boolean {
  return Object.entries(changes).some(([op, count]) => op !== "same" && count > 0);
}

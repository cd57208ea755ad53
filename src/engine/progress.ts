import type { EngineEvent } from "@pulumi/pulumi/automation";

/** How progress is shown: redrawn in place on a terminal, line by line otherwise, or not at all. */
export type ProgressMode = "live" | "plain" | "silent";

interface ResourceState {
  op: string;
  type: string;
  name: string;
  startedAt: number;
  done?: number;
  failed?: boolean;
}

const PAST: Record<string, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  "create-replacement": "created replacement",
  "delete-replaced": "deleted replaced",
  read: "read",
  refresh: "refreshed",
  same: "unchanged",
  import: "imported",
};

/**
 * Turns engine events into what a person watching needs: each resource's operation and elapsed
 * time, counts by state, and every diagnostic in full.
 */
export class ProgressView {
  private readonly resources = new Map<string, ResourceState>();
  private readonly diagnostics: string[] = [];
  private drawnLines = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  /** While a preview runs, nothing is being changed: only a count is shown, the plan comes after. */
  private planning = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly mode: ProgressMode,
    private readonly now: () => number = Date.now,
  ) {}

  handle(event: EngineEvent): void {
    if (this.mode === "silent") return;
    if (event.resourcePreEvent) this.started(event.resourcePreEvent.metadata);
    if (event.resOutputsEvent) this.finished(event.resOutputsEvent.metadata.urn, false);
    if (event.resOpFailedEvent) this.finished(event.resOpFailedEvent.metadata.urn, true);
    if (event.diagnosticEvent) this.diagnostic(event.diagnosticEvent);
    if (this.mode === "live") this.redraw(false);
  }

  /** Events from now on belong to a preview (`true`) or to the run that changes things (`false`). */
  setPlanning(planning: boolean): void {
    if (this.mode === "live" && this.drawnLines > 0) this.write(`\x1b[${this.drawnLines}A\x1b[0J`);
    this.drawnLines = 0;
    this.planning = planning;
    this.resources.clear();
  }

  /** Everything the engine reported as an error or warning, in full. */
  get reported(): string[] {
    return [...this.diagnostics];
  }

  /** Counts of resources by state: in progress, done, failed. */
  counts(): { inProgress: number; done: number; failed: number } {
    const states = [...this.resources.values()];
    return {
      inProgress: states.filter((state) => state.done === undefined).length,
      done: states.filter((state) => state.done !== undefined && !state.failed).length,
      failed: states.filter((state) => state.failed).length,
    };
  }

  /** Final redraw of a live view, so the terminal keeps the last state. */
  close(): void {
    // Nothing started (a refusal at the question): no empty frame.
    if (this.mode === "live" && (this.resources.size > 0 || this.drawnLines > 0)) this.redraw(true);
  }

  private started(metadata: { urn: string; op: string; type: string }): void {
    if (metadata.op === "same" || metadata.type === "pulumi:pulumi:Stack") return;
    const name = metadata.urn.split("::").pop() ?? metadata.urn;
    this.resources.set(metadata.urn, { op: metadata.op, type: metadata.type, name, startedAt: this.now() });
    if (this.mode === "plain" && !this.planning) this.write(`  ${metadata.op} ${metadata.type} ${name}\n`);
  }

  private finished(urn: string, failed: boolean): void {
    const state = this.resources.get(urn);
    if (!state) return;
    state.done = this.now();
    state.failed = failed;
    if (this.mode === "plain" && !this.planning) {
      const verb = failed ? `failed to ${state.op}` : (PAST[state.op] ?? state.op);
      this.write(`  ${verb} ${state.type} ${state.name} (${seconds(state.done - state.startedAt)})\n`);
    }
  }

  private diagnostic(event: { severity: string; message: string; urn?: string; ephemeral?: boolean }): void {
    if (event.ephemeral || (event.severity !== "error" && event.severity !== "warning")) return;
    const where = event.urn ? ` ${event.urn.split("::").pop()}` : "";
    const text = `${event.severity}${where}: ${event.message.trim()}`;
    this.diagnostics.push(text);
  }

  private redraw(force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    if (this.planning) return this.draw([`  planning: ${this.resources.size} changes found so far`]);
    const active = [...this.resources.values()].filter((state) => state.done === undefined);
    const { inProgress, done, failed } = this.counts();
    const lines = [
      ...active.slice(0, 15).map((state) => `  ${state.op.padEnd(8)} ${state.type} ${state.name}  ${seconds(now - state.startedAt)}`),
      ...(active.length > 15 ? [`  … and ${active.length - 15} more`] : []),
      `  ${inProgress} in progress, ${done} done, ${failed} failed`,
    ];
    this.draw(lines);
  }

  private draw(lines: string[]): void {
    const clear = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[0J` : "";
    this.write(`${clear}${lines.join("\n")}\n`);
    this.drawnLines = lines.length;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function formatDuration(totalSeconds: number): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = Math.round(totalSeconds % 60);
  return minutes > 0 ? `${minutes}m${String(seconds).padStart(2, "0")}s` : `${seconds}s`;
}

import { strict as assert } from "node:assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { formatChanges } from "../../src/cli/plan-view";
import { formatDuration, ProgressView } from "../../src/engine/progress";

const step = (op: string, name: string) => ({ op, urn: `urn:pulumi:dev::demo::aws:s3/bucket:Bucket::${name}`, type: "aws:s3/bucket:Bucket", provider: "" });
const pre = (op: string, name: string): EngineEvent => ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: step(op, name) as never } });
const done = (op: string, name: string): EngineEvent => ({ sequence: 0, timestamp: 0, resOutputsEvent: { metadata: step(op, name) as never } });
const failed = (op: string, name: string): EngineEvent => ({ sequence: 0, timestamp: 0, resOpFailedEvent: { metadata: step(op, name) as never, status: 1, steps: 1 } });

describe("progress from engine events", () => {
  it("live (a terminal): redraws in place the resources in flight with elapsed time, and counts by state", () => {
    const frames: string[] = [];
    let now = 0;
    const view = new ProgressView((text) => frames.push(text), "live", () => now);
    view.handle(pre("create", "a"));
    now = 1500;
    view.handle(pre("update", "b"));
    now = 3000;
    view.handle(done("create", "a"));
    view.close();
    assert.equal(frames[0], "  create   aws:s3/bucket:Bucket a  0.0s\n  1 in progress, 0 done, 0 failed\n");
    assert.equal(frames[1], "\x1b[2A\x1b[0J  create   aws:s3/bucket:Bucket a  1.5s\n  update   aws:s3/bucket:Bucket b  0.0s\n  2 in progress, 0 done, 0 failed\n");
    assert.equal(frames[2], "\x1b[3A\x1b[0J  update   aws:s3/bucket:Bucket b  1.5s\n  1 in progress, 1 done, 0 failed\n");
    assert.equal(frames.length, 4, "close draws the final state once more");
  });

  it("plain (a log): one line when a resource starts and one when it ends, failures named", () => {
    const lines: string[] = [];
    let now = 0;
    const view = new ProgressView((text) => lines.push(text), "plain", () => now);
    view.handle(pre("delete", "old"));
    now = 2000;
    view.handle(failed("delete", "old"));
    view.handle(pre("same", "kept"));
    assert.deepEqual(lines, ["  delete aws:s3/bucket:Bucket old\n", "  failed to delete aws:s3/bucket:Bucket old (2.0s)\n"]);
    assert.deepEqual(view.counts(), { inProgress: 0, done: 0, failed: 1 });
  });

  it("silent (--json): nothing is written", () => {
    const lines: string[] = [];
    const view = new ProgressView((text) => lines.push(text), "silent");
    view.handle(pre("create", "a"));
    view.close();
    assert.deepEqual(lines, []);
  });

  it("while planning, a preview: no per-resource lines in a log, a count on a terminal", () => {
    const lines: string[] = [];
    const view = new ProgressView((text) => lines.push(text), "plain", () => 0);
    view.setPlanning(true);
    view.handle(pre("create", "a"));
    view.handle(done("create", "a"));
    assert.deepEqual(lines, []);
    const frames: string[] = [];
    const live = new ProgressView((text) => frames.push(text), "live", () => 0);
    live.setPlanning(true);
    live.handle(pre("create", "a"));
    assert.deepEqual(frames, ["  planning: 1 changes found so far\n"]);
  });

  it("the summary counts every kind of change, in the past after a run and in the future for a plan", () => {
    assert.equal(formatChanges({ create: 12, update: 1, same: 30 }, "past"), "created 12, updated 1, replaced 0, deleted 0, unchanged 30");
    assert.equal(formatChanges({ create: 12, update: 1, same: 30 }, "future"), "12 to create, 1 to update, 0 to replace, 0 to delete, 30 unchanged");
    assert.equal(formatDuration(252), "4m12s");
    assert.equal(formatDuration(9.6), "10s");
  });
});

import type { ToolInstance } from "../../../src/spec/types";
import type { Platform } from "../../base/platform";
import type { ToolComponent } from "./types";

/** Everything a tool component is given: its own settings, the platform, and the other tools. */
export interface ToolContext {
  /** The tool as the spec lists it: canonical name, roles, validated params. */
  instance: ToolInstance;
  /** The base infrastructure every tool stands on. */
  platform: Platform;
  /** The other tools of the stack created before this one, by canonical name (for links). */
  peers: ReadonlyMap<string, ToolComponent>;
  /** Every tool the spec lists, created or not yet (prometheus and grafana share one release). */
  stack: readonly ToolInstance[];
}

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
  /**
   * Secrets read from the deploying environment that the spec's tools declare (catalog
   * `deployInputs`, e.g. WANDB_API_KEY), by variable. @default none
   */
  deployInputs?: Readonly<Record<string, string>>;
}

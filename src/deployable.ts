import { RefusedError } from "./errors";
import type { Spec } from "./spec/types";

/** Refuses (exit 2) a spec listing any tool that cannot be deployed yet: never skip one silently. */
export function assertDeployable(spec: Spec): void {
  const pending = spec.tools.filter((tool) => !tool.deployable).map((tool) => tool.name);
  if (pending.length === 0) return;
  const list = pending.join(", ");
  throw new RefusedError(
    "TOOLS_NOT_DEPLOYABLE",
    `${spec.file}: ${pending.length === 1 ? "this tool is" : "these tools are"} not deployable yet: ${list} — nothing was deployed`,
    [`remove ${pending.length === 1 ? "it" : "them"} from the stack, or see "platinfra tools" for what can be deployed`],
  );
}

import { gpuParamCheck, type StackCheck } from "../../../src/catalog/checks";
import { MODEL_SOURCES } from "./model-sources";

/* Validate-time checks shared by the model servers. No schema here: building one costs start-up time. */

/** `models.from: <tool>` needs that tool in the stack: its bucket is the source. */
export const modelSourceCheck: StackCheck = ({ params, tools }) => {
  const from = (params.models as { from?: unknown } | undefined)?.from;
  if (!MODEL_SOURCES.includes(from as never) || tools.includes(from as string)) return [];
  return [{ paramsKey: ["models", "from"], message: `models.from is ${from}, but the stack has no ${from} — add ${from} to the stack (its bucket holds the model), or use from: own (this tool's models bucket)` }];
};

/** A model server's checks: `gpu: true` needs GPU nodes (`gpuInstead`: the value the fix suggests), and its model source. */
export function servingChecks(tool: string, gpuInstead: "auto" | "false"): StackCheck {
  const gpuCheck = gpuParamCheck(tool, gpuInstead);
  return (input) => [...gpuCheck(input), ...modelSourceCheck(input)];
}

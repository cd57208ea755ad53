import type { ToolComponentModule } from "../../components/tools/shared/types";
import type { RenderResult } from "../../src/engine/render";
import { renderSpec } from "./render";
import { specOf } from "./spec-text";

/**
 * Renders a stack whose tools come from the given modules (tools need not be registered in the
 * catalog yet); `params` replaces a tool's validated params when given.
 */
export function renderWithTools(
  specText: string,
  modules: Record<string, ToolComponentModule>,
  params: Record<string, Record<string, unknown>> = {},
): Promise<RenderResult> {
  const spec = specOf(specText, { allDeployable: true });
  const tools = spec.tools.map((tool) => (params[tool.name] ? { ...tool, params: params[tool.name] } : tool));
  return renderSpec({ ...spec, tools }, { loadTool: (name) => modules[name] });
}

/** A stack listing the given tools under the given categories, in eu-west-1, with a GPU group when asked. */
export function stackWith(stack: Record<string, string[]>, options: { gpu?: boolean; name?: string } = {}): string {
  const gpu = options.gpu
    ? "  node_groups:\n    - {name: gpu, gpu: true, instance_types: [g5.xlarge], max: 2}\n"
    : "";
  const lines = Object.entries(stack).map(([category, tools]) => `  ${category}: [${tools.join(", ")}]`);
  return `name: ${options.name ?? "demo"}
provider:
  name: aws
  account-id: "123456789012"
  region: eu-west-1
deployment:
  type: kubernetes
${gpu}stack:
${lines.join("\n")}
`;
}

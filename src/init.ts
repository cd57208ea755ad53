import * as fs from "node:fs";
import * as path from "node:path";
import { CATEGORIES, type Category, findTool, knownToolSpellings } from "./catalog";
import { RefusedError, SpecError } from "./errors";
import { specJsonSchema } from "./spec/json-schema";
import { checkSpecText } from "./spec/validate";
import { closest } from "./util/suggest";

export interface StarterOptions {
  name: string;
  accountId?: string;
  region?: string;
  /** Tool names as users write them; each goes to its first (natural) category. */
  tools: string[];
}

/** The tools of the canonical example, used when `--tools` is not given. */
export const DEFAULT_STARTER_TOOLS = ["dvc", "mlflow", "zenml", "aws-batch", "ray", "bentoml", "nvidia-triton", "nannyml"];
const PLACEHOLDER_ACCOUNT = "123456789012";

/** Renders a starter stack file. Throws a `RefusedError` for an unknown tool. */
export function renderStarterSpec(options: StarterOptions): string {
  const byCategory = new Map<Category, string[]>();
  for (const raw of options.tools) {
    const tool = findTool(raw);
    if (!tool) {
      const spelling = closest(raw.toLowerCase(), knownToolSpellings());
      const hint = spelling ? ` — did you mean "${findTool(spelling)?.name}"?` : "";
      throw new RefusedError("UNKNOWN_TOOL", `--tools: unknown tool "${raw}"${hint} (see "platinfra tools")`);
    }
    const category = tool.categories[0];
    const names = byCategory.get(category) ?? [];
    if (!names.includes(tool.name)) names.push(tool.name);
    byCategory.set(category, names);
  }
  const accountLine = options.accountId
    ? `  account-id: "${options.accountId}"`
    : `  account-id: "${PLACEHOLDER_ACCOUNT}" # replace with your 12-digit AWS account id`;
  const lines = [
    "# yaml-language-server: $schema=./platinfra.schema.json",
    `name: ${options.name}`,
    "provider:",
    "  name: aws",
    accountLine,
    ...(options.region ? [`  region: ${options.region}`] : []),
    "deployment:",
    "  type: kubernetes",
    "stack:",
    ...CATEGORIES.filter((category) => byCategory.has(category)).map(
      (category) => `  ${category}: [${byCategory.get(category)?.join(", ")}]`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

export interface InitResult {
  specFile: string;
  schemaFile: string;
  usedPlaceholderAccount: boolean;
}

/** Writes a starter spec (checked before it is written) and the JSON Schema beside it. */
export function writeStarterSpec(file: string, options: StarterOptions, force: boolean): InitResult {
  if (fs.existsSync(file) && !force) {
    throw new RefusedError("FILE_EXISTS", `${file} already exists — choose another path, or add --force to overwrite it`);
  }
  const text = renderStarterSpec(options);
  const result = checkSpecText(text, file);
  if (!result.valid) throw new SpecError([...result.errors]);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
  const schemaFile = path.join(path.dirname(file), "platinfra.schema.json");
  fs.writeFileSync(schemaFile, `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
  return { specFile: file, schemaFile, usedPlaceholderAccount: !options.accountId };
}

import * as fs from "node:fs";
import * as path from "node:path";
import { Document, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { CATEGORIES, type Category, findTool, isDeployable, knownToolSpellings, replacementFacts, type ToolDefinition } from "./catalog";
import { retiredToolSummary } from "./catalog/retirements";
import { RefusedError } from "./errors";
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
const FALLBACK_NAME = "mlops-stack";

/** Which `init` flag each spec path comes from: a problem in the written text is reported on the flag. */
const FLAG_OF: [prefix: string, flag: string][] = [
  ["name", "--name"],
  ["provider.account-id", "--account-id"],
  ["provider.region", "--region"],
  ["stack", "--tools"],
];

/**
 * A stack name from the folder the file goes to (`~/work/Fraud Model/stack.yaml` → `fraud-model`),
 * so two projects started with the defaults are not the same stack.
 */
export function nameFromFolder(file: string): string {
  const folder = path.basename(path.dirname(path.resolve(file)));
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return name || FALLBACK_NAME;
}

/** Renders a starter stack file through the YAML library, so no value can add keys or lines. Throws a `RefusedError` for an unknown tool. */
export function renderStarterSpec(options: StarterOptions): string {
  const byCategory = new Map<Category, string[]>();
  for (const raw of options.tools) {
    const tool = findTool(raw);
    if (!tool) {
      const spelling = closest(raw.toLowerCase(), knownToolSpellings());
      const hint = spelling ? ` — did you mean "${findTool(spelling)?.name}"?` : "";
      throw new RefusedError("UNKNOWN_TOOL", `--tools: unknown tool "${raw}"${hint} (see "platinfra tools")`);
    }
    if (tool.retired) throw retiredToolRefusal(tool.name, tool.retired, tool.categories, options.tools);
    const category = tool.categories[0];
    const names = byCategory.get(category) ?? [];
    if (!names.includes(tool.name)) names.push(tool.name);
    byCategory.set(category, names);
  }
  const account = new Scalar(options.accountId ?? PLACEHOLDER_ACCOUNT);
  account.type = Scalar.QUOTE_DOUBLE;
  if (!options.accountId) account.comment = " replace with your 12-digit AWS account id";
  const provider = new YAMLMap<string, unknown>();
  provider.set("name", "aws");
  provider.set("account-id", account);
  if (options.region !== undefined) provider.set("region", options.region);
  const stack = new YAMLMap<string, unknown>();
  for (const category of CATEGORIES.filter((item) => byCategory.has(item))) {
    const list = new YAMLSeq();
    list.flow = true;
    for (const name of byCategory.get(category) ?? []) list.add(name);
    stack.set(category, list);
  }
  const document = new Document({ name: options.name, provider, deployment: { type: "kubernetes" }, stack });
  (document.contents as YAMLMap).commentBefore = " yaml-language-server: $schema=./platinfra.schema.json";
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export interface InitResult {
  specFile: string;
  schemaFile: string;
  usedPlaceholderAccount: boolean;
  /** Tools written that the deploying commands would refuse (not deployable yet). */
  pendingTools: string[];
}

/** Writes a starter spec (checked before it is written) and the JSON Schema beside it. */
export function writeStarterSpec(file: string, options: StarterOptions, force: boolean): InitResult {
  checkTarget(file, force);
  const text = renderStarterSpec(options);
  const result = checkSpecText(text, file);
  if (!result.valid) {
    const lines = result.errors.map((problem) => `${flagOf(problem.path)}: ${problem.message}`);
    throw new RefusedError("INIT_INVALID", lines.join("\n"), ["nothing was written"]);
  }
  const schemaFile = path.join(path.dirname(file), "platinfra.schema.json");
  writeFile(file, text);
  writeFile(schemaFile, `${JSON.stringify(specJsonSchema(), null, 2)}\n`);
  const pendingTools = (result.spec?.tools ?? []).filter((tool) => !tool.deployable).map((tool) => tool.name);
  return { specFile: file, schemaFile, usedPlaceholderAccount: !options.accountId, pendingTools };
}

/** init never writes a retired tool: it says why, and what to ask for in each of its roles. */
function retiredToolRefusal(name: string, retirement: NonNullable<ToolDefinition["retired"]>, roles: Category[], asked: string[]): RefusedError {
  const facts = replacementFacts(asked.flatMap((raw) => findTool(raw)?.name ?? []));
  return new RefusedError("RETIRED_TOOL", `--tools: ${retiredToolSummary(name, retirement, roles, facts)}`, ["nothing was written"]);
}

/** Whether a tool name (as typed) is known and deployable; for init's questions. */
export function isKnownDeployable(raw: string): boolean {
  const tool = findTool(raw);
  return tool !== undefined && isDeployable(tool);
}

function flagOf(specPath: string): string {
  return FLAG_OF.find(([prefix]) => specPath === prefix || specPath.startsWith(`${prefix}.`) || specPath.startsWith(`${prefix}[`))?.[1] ?? specPath;
}

/** Refuses, in one line, a path init cannot or must not write: a folder, a file's child, an existing file. */
function checkTarget(file: string, force: boolean): void {
  const stat = statOf(file);
  if (stat?.isDirectory()) {
    throw new RefusedError("FILE_IS_DIRECTORY", `${file} is a directory — give the stack file's path, e.g. ${path.join(file, "stack.yaml")}`);
  }
  if (stat && !force) {
    throw new RefusedError("FILE_EXISTS", `${file} already exists — choose another path, or add --force to overwrite it`);
  }
  for (let dir = path.dirname(path.resolve(file)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const parent = statOf(dir);
    if (parent && !parent.isDirectory()) {
      throw new RefusedError("PARENT_NOT_DIRECTORY", `cannot write ${file}: ${dir} is a file, not a folder — choose another path`);
    }
    if (parent) break;
  }
}

/** The file's stat, or undefined when it does not exist (or cannot, under a file). */
function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw error;
  }
}

function writeFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new RefusedError("CANNOT_WRITE", `cannot write ${file} (${code}) — check the path and its permissions`);
  }
}

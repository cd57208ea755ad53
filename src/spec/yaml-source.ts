import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { SpecFileError } from "../errors";
import { escapeControls, shown } from "../util/text";
import { keyText, structureProblem, treeProblem, MAX_ALIASES, MAX_DEPTH } from "./yaml-tree";

export { readSpecText } from "./spec-file";

/** A parsed spec file that still knows where every value came from. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain data, for validation. */
  data: Record<string, unknown>;
}

export type SpecPath = readonly (string | number)[];

/** Parses YAML text; anything that is not one mapping document is a one-line `SpecFileError`. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const tooLarge = structureProblem(text);
  if (tooLarge) throw new SpecFileError(file, tooLarge.message);
  // Duplicate keys are checked by treeProblem, in linear time (the parser's own check is quadratic).
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const empty = `the file is empty — start from "platinfra init" or examples/aws-mlops-stack.yaml`;
  if (!Array.isArray(documents)) throw new SpecFileError(file, empty);
  const [document, second] = documents;
  for (const doc of documents) {
    const [error] = doc.errors;
    if (error) {
      const spanEnd = doc.errors.reduce((end, item) => Math.max(end, where(item.pos[1]).line), 0);
      const misindented = misindentedKey(text, where(error.pos[0]).line, spanEnd);
      if (misindented) throw new SpecFileError(file, misindented.detail, misindented.position);
      throw new SpecFileError(file, describeYamlError(error.message), where(error.pos[0]));
    }
  }
  if (!document || document.contents === null) throw new SpecFileError(file, empty);
  if (second) {
    const detail = `the file holds several YAML documents — a stack file is one document; remove the "---" separator`;
    throw new SpecFileError(file, detail, where(second.range[0]));
  }
  const problem = treeProblem(document, (offset) => lineCounter.linePos(offset).line);
  if (problem) throw new SpecFileError(file, problem.message, where(problem.offset));
  if (!isMap(document.contents)) {
    const received = isScalar(document.contents) ? `the value ${escapeControls(JSON.stringify(document.contents.toJSON()).slice(0, 80))}` : "a list";
    const detail = `expected a mapping with keys name, provider, deployment and stack; received ${received}`;
    throw new SpecFileError(file, detail, where(document.contents.range?.[0] ?? 0));
  }
  return { file, document, lineCounter, data: plainData(document, file, where) };
}

/**
 * A key indented deeper than the line above makes the parser read both lines as one value and
 * complain where that value began; the line to fix is the deeper one. Finds it between the lines
 * the parser's error spans.
 */
function misindentedKey(text: string, fromLine: number, toLine: number): { detail: string; position: { line: number; column: number } } | undefined {
  const lines = text.split("\n");
  const indent = (line: string) => line.length - line.trimStart().length;
  for (let number = fromLine + 1; number <= Math.min(toLine, lines.length); number++) {
    const line = lines[number - 1];
    const above = lines[number - 2];
    if (!/^\s*[^\s#][^:#]*:(\s|$)/.test(line) || above.trim() === "" || indent(line) <= indent(above)) continue;
    const key = line.trim().split(":")[0];
    const detail = `invalid YAML: ${shown(key)} is indented ${indent(line)} spaces, more than line ${number - 1} (${indent(above)}) — keys of one mapping line up: indent it like the key above, or nest it under a key that ends with ":"`;
    return { detail, position: { line: number, column: indent(line) + 1 } };
  }
  return undefined;
}

function plainData(document: Document.Parsed, file: string, where: (offset: number) => { line: number; column: number }) {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (error) {
    // The only conversion error left after treeProblem: aliases that expand into too many copies.
    const message = `aliases here expand into more than ${MAX_ALIASES} copies (${(error as Error).message}) — write the values out instead`;
    throw new SpecFileError(file, message, where(firstAliasOffset(document)));
  }
}

function firstAliasOffset(document: Document.Parsed): number {
  let first = Number.POSITIVE_INFINITY;
  const walk = (node: unknown, depth: number): void => {
    if (!node || depth > MAX_DEPTH) return;
    if (isAlias(node)) first = Math.min(first, node.range?.[0] ?? first);
    else if (isMap(node) || isSeq(node)) for (const item of node.items as unknown[]) walk(item, depth + 1);
    else if (typeof node === "object" && "key" in node) {
      walk((node as Pair).key, depth + 1);
      walk((node as Pair).value, depth + 1);
    }
  };
  walk(document.contents, 0);
  return Number.isFinite(first) ? first : 0;
}

function describeYamlError(message: string): string {
  const firstLine = escapeControls(message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""));
  // The parser recurses per nesting level and reports running out of stack as its own error.
  if (/call stack/i.test(firstLine)) return `lists and mappings nest too deep to read — a stack file nests a few levels`;
  return `invalid YAML: ${firstLine}`;
}

/** 1-based line and column of a spec path; a key path points at the key, else at the value. */
export function positionOf(source: YamlSource, path: SpecPath, at: "key" | "value" = "value") {
  const offset = offsetOf(source, path, at);
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Walks down as far as the document goes; a missing key points at its closest existing parent. */
function offsetOf(source: YamlSource, path: SpecPath, at: "key" | "value"): number {
  let node: unknown = source.document.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (let depth = 0; depth < path.length; depth++) {
    const pair = isMap(node) ? pairsOf(node).get(String(path[depth])) : undefined;
    if (pair && at === "key" && depth === path.length - 1) return (pair.key as Node | null)?.range?.[0] ?? offset;
    const child = pair ? pair.value : isSeq(node) && typeof path[depth] === "number" ? node.items[path[depth] as number] : undefined;
    const range = (child as Node | null | undefined)?.range;
    if (!range) return offset;
    node = child;
    offset = range[0];
  }
  return offset;
}

/** Each mapping's pairs by key, built once: looking a path up is then linear in its length, not in the file's size. */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsOf(map: YAMLMap): Map<string, Pair> {
  let pairs = pairIndex.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items as Pair[]) {
      const text = keyText(pair.key);
      if (text !== undefined && !pairs.has(text)) pairs.set(text, pair);
    }
    pairIndex.set(map, pairs);
  }
  return pairs;
}

import * as fs from "node:fs";
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import { SpecFileError } from "../errors";

/** A parsed spec file that still knows where every value came from. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain data, for validation. */
  data: Record<string, unknown>;
}

export type SpecPath = readonly (string | number)[];

export function readSpecText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new SpecFileError(file, `no such file — check the path, or create one with "platinfra init ${file}"`);
    }
    if (code === "EISDIR") throw new SpecFileError(file, "is a directory — give the path of a stack file (.yaml)");
    throw new SpecFileError(file, `cannot be read (${code ?? String(error)})`);
  }
}

/** Parses YAML text; anything that is not one mapping document is a one-line `SpecFileError`. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const empty = `the file is empty — start from "platinfra init" or examples/aws-mlops-stack.yaml`;
  if (!Array.isArray(documents)) throw new SpecFileError(file, empty);
  const [document, second] = documents;
  for (const doc of documents) {
    const [error] = doc.errors;
    if (error) {
      const spanEnd = Math.max(...doc.errors.map((item) => where(item.pos[1]).line));
      const misindented = misindentedKey(text, where(error.pos[0]).line, spanEnd);
      if (misindented) throw new SpecFileError(file, misindented.detail, misindented.position);
      throw new SpecFileError(file, describeYamlError(error.code, error.message), where(error.pos[0]));
    }
  }
  if (!document || document.contents === null) throw new SpecFileError(file, empty);
  if (second) {
    const detail = `the file holds several YAML documents — a stack file is one document; remove the "---" separator`;
    throw new SpecFileError(file, detail, where(second.range[0]));
  }
  if (!isMap(document.contents)) {
    const received = isScalar(document.contents) ? `the value ${JSON.stringify(document.contents.toJSON())}` : "a list";
    const detail = `expected a mapping with keys name, provider, deployment and stack; received ${received}`;
    throw new SpecFileError(file, detail, where(document.contents.range?.[0] ?? 0));
  }
  const data = document.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  return { file, document, lineCounter, data };
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
    const detail = `invalid YAML: "${key}" is indented ${indent(line)} spaces, more than line ${number - 1} (${indent(above)}) — keys of one mapping line up: indent it like the key above, or nest it under a key that ends with ":"`;
    return { detail, position: { line: number, column: indent(line) + 1 } };
  }
  return undefined;
}

function describeYamlError(code: string, message: string): string {
  const firstLine = message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (code === "DUPLICATE_KEY") return `duplicate key — each key may appear once in a mapping (${firstLine})`;
  return `invalid YAML: ${firstLine}`;
}

/** 1-based line and column of a spec path; a key path points at the key, else at the value. */
export function positionOf(source: YamlSource, path: SpecPath, at: "key" | "value" = "value") {
  const offset = offsetOf(source, path, at);
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

function offsetOf(source: YamlSource, path: SpecPath, at: "key" | "value"): number {
  // Walk down as far as the document goes; a missing key points at its closest existing parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (at === "key" && depth === path.length && depth > 0) {
      const keyNode = keyNodeAt(source, prefix);
      if (keyNode?.range) return keyNode.range[0];
      continue;
    }
    const node = source.document.getIn(prefix, true) as Node | undefined;
    if (node && typeof node === "object" && node.range) return node.range[0];
  }
  return 0;
}

function keyNodeAt(source: YamlSource, path: SpecPath): Node | undefined {
  const parent = path.length === 1 ? source.document.contents : source.document.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const key = path[path.length - 1];
  const pair = parent.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

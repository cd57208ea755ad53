import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { shown } from "../util/text";

/**
 * Limits on the shape of a stack file, checked in one linear pass before anything else touches the
 * parsed tree, so hostile files cost time and memory in proportion to their size, never more.
 */

/** Line breaks plus the characters that open items (`,` `-` `?` `[` `{`); a stack file has a few hundred. */
export const MAX_STRUCTURE = 20_000;
/** Nesting of lists and mappings; a stack file needs about six. */
export const MAX_DEPTH = 64;
/** Aliases (`*name`) in one file. */
export const MAX_ALIASES = 100;

export interface TreeProblem {
  message: string;
  /** Offset in the text. */
  offset: number;
}

/** Counts what the YAML parser turns into nodes, before parsing: its cost grows with this count. */
export function structureProblem(text: string): TreeProblem | undefined {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // \n , - ? [ {, and a lone \r (YAML also breaks lines there; \r\n counts once)
    if (code === 10 || code === 44 || code === 45 || code === 63 || code === 91 || code === 123) count++;
    else if (code === 13 && text.charCodeAt(index + 1) !== 10) count++;
  }
  if (count <= MAX_STRUCTURE) return undefined;
  return {
    message: `the file has ${count} line breaks and item markers (",", "-", "?", "[", "{"); the limit is ${MAX_STRUCTURE} — a stack file needs a few hundred: is it the right file?`,
    offset: 0,
  };
}

interface Visit {
  node: Node | null;
  depth: number;
  /** Set on the second visit of an anchored node, once its contents have been checked. */
  leaving?: boolean;
}

/**
 * Duplicate keys (a set per mapping, so linear in the number of keys), nesting depth, and aliases:
 * how many, and whether each refers to an anchor defined before it and outside itself.
 */
export function treeProblem(document: Document.Parsed, lineOf: (offset: number) => number): TreeProblem | undefined {
  const anchors = new Map<string, { node: Node; open: boolean }>();
  let aliases = 0;
  const pending: Visit[] = [{ node: document.contents, depth: 0 }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { node, depth } = visit;
    if (!node) continue;
    const anchor = "anchor" in node ? (node.anchor as string | undefined) : undefined;
    if (visit.leaving) {
      if (anchor && anchors.get(anchor)?.node === node) anchors.set(anchor, { node, open: false });
      continue;
    }
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) {
      if (++aliases > MAX_ALIASES) return { message: `more than ${MAX_ALIASES} aliases — write the values out instead`, offset };
      const target = anchors.get(node.source);
      if (!target) return { message: `alias *${node.source} refers to no anchor — define &${node.source} before it, or write the value out`, offset };
      if (target.open) return { message: `alias *${node.source} is inside the value it refers to (&${node.source}), which would repeat forever — remove it`, offset };
      continue;
    }
    if (anchor) {
      anchors.set(anchor, { node, open: true });
      pending.push({ node, depth, leaving: true });
    }
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= MAX_DEPTH) return { message: `lists and mappings nest more than ${MAX_DEPTH} levels deep here — a stack file needs a few`, offset };
    if (isMap(node)) {
      const duplicate = duplicateKey(node as YAMLMap, lineOf);
      if (duplicate) return duplicate;
    }
    const children = (node.items as unknown[]).flatMap((item) => (isPair(item) ? [item.key, item.value] : [item])) as (Node | null)[];
    for (let index = children.length - 1; index >= 0; index--) pending.push({ node: children[index], depth: depth + 1 });
  }
  return undefined;
}

/** The text a scalar key becomes in the plain data (`1` and `"1"` are the same key there). */
export function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function duplicateKey(map: YAMLMap, lineOf: (offset: number) => number): TreeProblem | undefined {
  const seen = new Map<string, Node>();
  for (const pair of map.items as Pair<Node | null, unknown>[]) {
    const text = keyText(pair.key);
    if (text === undefined || !pair.key) continue;
    if (text === "__proto__") {
      // Plain JavaScript objects would drop it silently (it sets their prototype): refused, not lost.
      return { message: `key "__proto__" is not allowed — no setting has this name; remove it`, offset: pair.key.range?.[0] ?? 0 };
    }
    const first = seen.get(text);
    if (first) {
      return {
        message: `duplicate key ${shown(text)} — each key may appear once in a mapping (first at line ${lineOf(first.range?.[0] ?? 0)})`,
        offset: pair.key.range?.[0] ?? 0,
      };
    }
    seen.set(text, pair.key);
  }
  return undefined;
}

/**
 * User values echoed in messages. They reach terminals and CI logs, so they are bounded in length
 * and carry no raw control characters (no escape sequences, no fake log lines, no bidi tricks).
 */

/** Characters of a value shown in a message; the rest is cut and counted. */
export const SHOWN_MAX = 80;

/** Longest message of one problem; anything longer is cut (its values already are). */
export const MESSAGE_MAX = 1000;

/** C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Replaces every unprintable character by its `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `text` cut to `max` characters, saying how long it was. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length} characters)`;
}

/** A string value as messages show it: double-quoted, escaped, cut when long. */
export function shown(value: string, max = SHOWN_MAX): string {
  const head = value.length > max ? value.slice(0, max) : value;
  const text = escapeControls(JSON.stringify(head).slice(1, -1));
  return value.length > max ? `"${text}…" (${value.length} characters)` : `"${text}"`;
}

/** A list of values for a message: the first `max` shown, then how many more. */
export function shownList(values: readonly string[], max = 5): string {
  const listed = values.slice(0, max).map((value) => shown(value)).join(", ");
  return values.length > max ? `${listed} and ${values.length - max} more` : listed;
}

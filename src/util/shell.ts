/**
 * Commands platinfra prints for users to paste. Every interpolated value is quoted for a POSIX
 * shell, so a value from a spec or a stack output can never become a second command.
 */

/** Characters that never need quoting in a shell word. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: as is when it is plainly safe, else single-quoted. */
export function shellQuote(value: string): string {
  if (value !== "" && SAFE_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from its words, each quoted as needed. */
export function shellCommand(...words: string[]): string {
  return words.map(shellQuote).join(" ");
}

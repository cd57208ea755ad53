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

/**
 * Maps a hostname to this machine in /etc/hosts, once (the line is added only when missing; sudo,
 * since the file is root's): with a port-forward on the same port, an in-cluster URL then works
 * on a laptop exactly as it does in the cluster.
 */
export function hostsEntryCommand(hostname: string): string {
  const line = `127.0.0.1 ${hostname}`;
  return `${shellCommand("grep", "-qxF", line, "/etc/hosts")} || ${shellCommand("echo", line)} | ${shellCommand("sudo", "tee", "-a", "/etc/hosts")} >/dev/null`;
}

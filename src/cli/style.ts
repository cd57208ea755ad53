/**
 * Colour for errors, warnings and plan symbols: only on a terminal, never with NO_COLOR
 * (https://no-color.org) or --no-color, and never in --json output.
 */
export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  magenta(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const paint = (code: number, reset: number) => (text: string) => `\x1b[${code}m${text}\x1b[${reset}m`;

const COLOURS: Style = {
  red: paint(31, 39),
  yellow: paint(33, 39),
  green: paint(32, 39),
  magenta: paint(35, 39),
  bold: paint(1, 22),
  dim: paint(2, 22),
};

const identity = (text: string) => text;
export const PLAIN: Style = { red: identity, yellow: identity, green: identity, magenta: identity, bold: identity, dim: identity };

/** Whether to colour what goes to `stream`, given the command line and the environment. */
export function colourWanted(stream: { isTTY?: boolean }, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (argv.includes("--no-color") || argv.includes("--json")) return false;
  if (argv.includes("--color")) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

export function styleFor(enabled: boolean): Style {
  return enabled ? COLOURS : PLAIN;
}

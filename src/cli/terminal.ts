import * as readline from "node:readline";
import { CancelledError } from "../errors";

/** Where questions are asked: the real terminal, or a stand-in a test (or an embedding tool) puts in place. */
export interface Terminal {
  /** True when a person can answer (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** Asks and resolves with the answer; rejects with `CancelledError` on Ctrl-C or end of input. */
  ask(question: string): Promise<string>;
}

const realTerminal: Terminal = {
  get interactive() {
    return Boolean(process.stdin.isTTY && process.stderr.isTTY);
  },
  ask: (question) =>
    new Promise((resolve, reject) => {
      const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
      let answered = false;
      // Ctrl-C at a prompt is a cancel, before anything changed: not an error, not a stack trace.
      prompt.on("SIGINT", () => {
        process.stderr.write("\n");
        prompt.close();
      });
      prompt.on("close", () => {
        if (!answered) reject(new CancelledError());
      });
      prompt.question(question, (answer) => {
        answered = true;
        prompt.close();
        resolve(answer.trim());
      });
    }),
};

/** Kept on the global object: bundled commands (init) carry their own copy of this module. */
const OVERRIDE = Symbol.for("platinfra.terminal");
const slot = globalThis as { [OVERRIDE]?: Terminal };

export function terminal(): Terminal {
  return slot[OVERRIDE] ?? realTerminal;
}

/** Replaces the terminal for every command run after it; `undefined` restores the real one. */
export function useTerminal(replacement: Terminal | undefined): void {
  slot[OVERRIDE] = replacement;
}

import * as readline from "node:readline/promises";

/** Asks on the terminal; true only when the user types exactly `answer`. */
export async function askToType(question: string, answer: string): Promise<boolean> {
  const terminal = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await terminal.question(`${question} (${answer}): `)).trim() === answer;
  } finally {
    terminal.close();
  }
}

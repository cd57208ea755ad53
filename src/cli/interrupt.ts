/**
 * Ctrl-C once stops the engine gracefully (it finishes in-flight operations, so state stays
 * consistent); twice forces an exit. On a terminal, Ctrl-C also reaches the Pulumi CLI directly
 * (same process group), so only non-interactive runs forward the first one themselves.
 */
export function gracefulInterrupts(write: (text: string) => void, interactive: boolean, cancelCommand: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let presses = 0;
  const onInterrupt = () => {
    presses++;
    if (presses === 1) {
      write("\ninterrupted: stopping gracefully, the engine finishes what is in flight — press Ctrl-C again to force\n");
      if (!interactive) controller.abort();
      return;
    }
    write(`\nforced exit: the stack may be locked — release it with ${cancelCommand}\n`);
    process.exit(130);
  };
  process.on("SIGINT", onInterrupt);
  return { signal: controller.signal, dispose: () => process.off("SIGINT", onInterrupt) };
}

import * as fs from "node:fs";
import { SpecFileError } from "../errors";
import { shellCommand } from "../util/shell";

/**
 * Reading a stack file, bounded: only regular files (or stdin, asked for with "-") are read, and
 * only up to a size no real stack file comes near, checked before reading. `/dev/zero`, a FIFO
 * without a writer or a multi-gigabyte file are refused at once instead of hanging or filling memory.
 */

/** Largest stack file read, in bytes (a real one is a few KB). */
export const MAX_SPEC_BYTES = 5 * 1024 * 1024;

/** The name "-" stands for in messages. */
export const STDIN_NAME = "<stdin>";

/** How messages name a spec file: stdin ("-") gets a readable name. */
export function specFileName(file: string): string {
  return file === "-" ? STDIN_NAME : file;
}

const TOO_LARGE = `is larger than ${MAX_SPEC_BYTES / 1024 / 1024} MiB, the limit for a stack file (a real one is a few KB) — is it the right file?`;

/** The text of a stack file, or a `SpecFileError` saying why it cannot be read. */
export function readSpecText(file: string): string {
  if (file === "-") return readBounded(0, STDIN_NAME);
  let fd: number;
  try {
    const stats = fs.statSync(file);
    refuseUnlessRegular(file, stats);
    // Non-blocking: should the path become a FIFO between stat and open, opening must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw asSpecFileError(file, error);
  }
  try {
    refuseUnlessRegular(file, fs.fstatSync(fd));
    return readBounded(fd, file);
  } catch (error) {
    throw asSpecFileError(file, error);
  } finally {
    fs.closeSync(fd);
  }
}

function refuseUnlessRegular(file: string, stats: fs.Stats): void {
  if (stats.isDirectory()) throw new SpecFileError(file, "is a directory — give the path of a stack file (.yaml)");
  if (!stats.isFile()) {
    throw new SpecFileError(file, `is not a regular file (${kindOf(stats)}) — give the path of a stack file, or "-" to read stdin`);
  }
  if (stats.size > MAX_SPEC_BYTES) throw new SpecFileError(file, TOO_LARGE);
}

function kindOf(stats: fs.Stats): string {
  if (stats.isFIFO()) return "a named pipe";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}

/** Reads in chunks until the end or one byte past the limit, so a file that grew after its size was checked is still refused. */
function readBounded(fd: number, name: string): string {
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let read: number;
    try {
      read = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw asSpecFileError(name, error);
      waitForInput();
      continue;
    }
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    length += read;
    if (length > MAX_SPEC_BYTES) throw new SpecFileError(name, TOO_LARGE);
  }
  return Buffer.concat(chunks, length).toString("utf8");
}

/** stdin may be non-blocking (a terminal, some pipes): wait a little for the next chunk. */
function waitForInput(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
}

function asSpecFileError(file: string, error: unknown): SpecFileError {
  if (error instanceof SpecFileError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new SpecFileError(file, `no such file — check the path, or create one with "${shellCommand("platinfra", "init", file)}"`);
  if (code === "EISDIR") return new SpecFileError(file, "is a directory — give the path of a stack file (.yaml)");
  return new SpecFileError(file, `cannot be read (${code ?? String(error)})`);
}

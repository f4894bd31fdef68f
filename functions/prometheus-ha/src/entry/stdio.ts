/**
 * stdin and stdout for both bundles (main.ts, the full one; light-main.ts, the common path's): read
 * and written with fs calls on the file descriptors, not process.stdin/stdout.
 */
import { readSync, writeSync } from 'node:fs';
import type { Outcome } from '../commands/io.js';

export const MAX_INPUT = Number(process.env.PROMETHEUS_HA_MAX_INPUT_BYTES) || 32 * 1024 * 1024;

export function fail(message: string): never {
  try {
    writeAll(2, `prometheus-ha: ${message}\n`);
  } catch {
    // stderr is gone too: the exit status still says it.
  }
  process.exit(1);
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of a text to a file descriptor, synchronously. Not process.stdout/stderr: creating
 * those streams loads Node's net and stream modules, ~5 ms of a start (issue 7). A non-blocking
 * pipe (EAGAIN) is waited on; a closed one (EPIPE) throws.
 */
export function writeAll(fd: number, text: string): void {
  writeParts(fd, [text]);
}

/**
 * Writes pieces of text (whole lines each, as the writers make them) in slices of at most 1 Mi
 * characters, encoded into one reused buffer (3 bytes per UTF-16 unit at most). Encoding a big
 * output at once held it twice (text and bytes), joining its pieces a third time, and a buffer per
 * slice piles up until a GC: on a 50 MB ResourceList that was ~100 MB of the peak. Small outputs
 * are joined and written at once. A slice never ends inside a surrogate pair.
 */
export function writeParts(fd: number, pieces: readonly string[]): void {
  const STEP = 1 << 20;
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const parts = pieces.length > 1 && total <= STEP ? [pieces.join('')] : pieces;
  const buf = Buffer.allocUnsafe(Math.min(total, STEP) * 3);
  for (const text of parts) {
    for (let i = 0; i < text.length; ) {
      let j = Math.min(text.length, i + STEP);
      if (j < text.length && (text.charCodeAt(j - 1) & 0xfc00) === 0xd800) j--;
      const len = buf.write(j - i === text.length ? text : text.slice(i, j), 0, 'utf8');
      let off = 0;
      while (off < len) {
        try {
          off += writeSync(fd, buf, off, len - off);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
      i = j;
    }
  }
}

export interface Stdin {
  bytes: Buffer;
  tooLarge: boolean;
}

/**
 * All of stdin. Read 64 KiB at a time, what a pipe gives per read: a bigger zero-filled buffer cost
 * its page faults on every start (~1 MB of them), and a small input is read whole by the first read.
 */
export function readAll(): Stdin {
  // Read into one buffer that doubles when full, not a copy per read then a concatenation: a big
  // input's 64 KiB copies stayed in the allocator's arenas after they were freed (issue 17: 500,000
  // small items, 31 MiB, peaked ~50 MB higher). Big buffers are mapped, and unmapped when freed.
  let buf = Buffer.allocUnsafe(1 << 16);
  let size = 0;
  for (;;) {
    if (size === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_INPUT + 1));
      buf.copy(bigger, 0, 0, size);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(0, buf, size, buf.length - size, null);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EAGAIN') continue;
      if (err.code === 'EOF') break;
      fail(`cannot read stdin: ${err.message}`);
    }
    if (n === 0) break;
    size += n;
    if (size > MAX_INPUT) return { bytes: Buffer.alloc(0), tooLarge: true };
  }
  return { bytes: buf.subarray(0, size), tooLarge: false };
}

/** Writes an outcome (stderr first, then stdout) and exits with its code. */
export function finish(out: Outcome): never {
  if (out.stderr) {
    try {
      writeAll(2, out.stderr);
    } catch {
      // Nobody reads stderr: the exit status and stdout still say it.
    }
  }
  try {
    writeParts(1, out.stdoutParts ?? [out.stdout]);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(err.code === 'EPIPE' ? 'stdout was closed before the output was written (broken pipe)' : `cannot write to stdout: ${err.message}`);
  }
  process.exit(out.code);
}

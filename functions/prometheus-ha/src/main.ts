/**
 * Entry point of the bundle (dist/prometheus-ha.bundle.cjs, started by launcher.ts): reads stdin, writes
 * stdout, maps results to the exit code. All logic is in run.ts.
 */
import { readFileSync, readSync, writeSync } from 'node:fs';
import { run } from './run.js';

const MAX_INPUT = Number(process.env.PROMETHEUS_HA_MAX_INPUT_BYTES) || 32 * 1024 * 1024;

function fail(message: string): never {
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
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

function readStdin(): { bytes: Buffer; tooLarge: boolean } {
  const chunks: Buffer[] = [];
  let size = 0;
  const buf = Buffer.alloc(1 << 20);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EAGAIN') continue;
      if (err.code === 'EOF') break;
      fail(`cannot read stdin: ${err.message}`);
    }
    if (n === 0) break;
    size += n;
    if (size > MAX_INPUT) return { bytes: Buffer.alloc(0), tooLarge: true };
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return { bytes: Buffer.concat(chunks), tooLarge: false };
}

const NO_STDIN = ['--help', '-h', 'help', 'chart', 'install-kustomize-plugin', '--version'];

/** Runs the command line; `self` is the launcher's path (what install-kustomize-plugin points at). */
export async function main(self: string): Promise<void> {
  const argv = process.argv.slice(2);
  const input = NO_STDIN.includes(argv[0] ?? '') ? { bytes: Buffer.alloc(0), tooLarge: false } : readStdin();
  const out = await run(argv, { stdin: input.bytes, stdinTooLarge: input.tooLarge, maxInput: MAX_INPUT, readFile: (p) => readFileSync(p), env: process.env, self });
  if (out.stderr) {
    try {
      writeAll(2, out.stderr);
    } catch {
      // Nobody reads stderr: the exit status and stdout still say it.
    }
  }
  try {
    writeAll(1, out.stdout);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    fail(err.code === 'EPIPE' ? 'stdout was closed before the output was written (broken pipe)' : `cannot write to stdout: ${err.message}`);
  }
  process.exit(out.code);
}

/**
 * Entry point of the full bundle (dist/prometheus-ha.bundle.cjs, started by launcher.ts, or by the
 * common path's bundle, light-main.ts, with the stdin it read, when its light reader does not
 * apply): reads stdin, writes stdout, maps results to the exit code. All logic is in commands/ (run.ts maps argv to a command).
 */
import type { IO } from '../commands/io.js';
import { readsStdin } from '../commands/names.js';
import { run } from '../commands/run.js';
import { finish, MAX_INPUT, readAll, type Stdin } from './stdio.js';

/**
 * Runs the command line; `self` is the launcher's path (what install-kustomize-plugin points at).
 * `stdin`: read already by light-main.ts, whose light reader was tried on it (not again here).
 */
export async function main(self: string, stdin?: Stdin): Promise<void> {
  const argv = process.argv.slice(2);
  const io: IO = { stdin: new Uint8Array(0), maxInput: MAX_INPUT, env: process.env, self, lightTried: !!stdin };
  if (readsStdin(argv)) {
    // io holds the bytes' only reference: run() lets go of them once they are decoded.
    const r = stdin ?? readAll();
    io.stdin = r.bytes;
    io.stdinTooLarge = r.tooLarge;
    r.bytes = Buffer.alloc(0); // light-main.ts still holds r: a big input would stay in memory
  }
  finish(await run(argv, io));
}

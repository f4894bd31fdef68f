/**
 * Entry point of the common path's bundle (dist/prometheus-ha.light.cjs), which launcher.ts starts
 * for the KRM function (no arguments) and the kustomize legacy plugin (a config file): the light
 * reader (fast.ts) without the yaml package, whose loading and first run were most of a start
 * (issue 7). Where it does not apply, the full bundle is loaded and given the stdin read here; it
 * then runs the yaml path, as it would have alone.
 */
import { existsSync } from 'node:fs';
import { fastKrm, fastLegacy } from '../commands/fast.js';
import { decode, FULL_VALIDATION_BYTES } from '../yaml/items.js';
import { reportLight } from '../commands/krm.js';
import type { Outcome } from '../commands/io.js';
import { finish, readAll, type Stdin } from './stdio.js';

interface Full {
  main(self: string, stdin?: Stdin): Promise<void>;
}

export function main(self: string, loadFull: () => Full): void {
  const arg = process.argv[2];
  const stdin = readAll();
  let out: Outcome | undefined;
  if (!stdin.tooLarge && stdin.bytes.length <= FULL_VALIDATION_BYTES) {
    try {
      if (arg === undefined) out = fastKrm(decode(stdin.bytes));
      else if (existsSync(arg)) {
        let text: string | undefined;
        out = fastLegacy(arg, { env: process.env }, () => (text ??= decode(stdin.bytes)));
      }
    } catch {
      // Not UTF-8 (the full bundle words it), or a fault of the light path: the yaml path decides.
    }
  }
  if (out) finish(reportLight(out, true, process.env));
  void loadFull().main(self, stdin);
}

/**
 * The bin (dist/prometheus-ha.cjs). kustomize and kpt start the function once per build, so its
 * cold start is most of its cost (issue 7). This launcher, built as CommonJS (an ES module entry
 * costs Node ~5 ms more to start, for its module loader), loads one of two bundles next to it, each
 * through V8's code cache (`<bundle>.cache`, written by the build after running the function on
 * the seed): the functions a run needs come precompiled instead of being parsed and compiled on
 * every start. It imports nothing of the function itself but the table of command words (names.ts).
 * - prometheus-ha.light.cjs (light-main.ts), for the KRM function (no arguments) and the kustomize
 *   legacy plugin (one argument, not a command): the common path without the yaml package; it loads
 *   the full bundle itself when its light reader does not apply.
 * - prometheus-ha.bundle.cjs (main.ts): everything, for every mode.
 * PROMETHEUS_HA_LIGHT=off starts the full bundle only.
 *
 * The cache is only an accelerator. V8 rejects it for another Node.js (V8) version or other V8
 * flags (vm.Script cachedDataRejected), the header below rejects it for another build of the
 * bundle; then the bundle is compiled as usual, with the same output.
 * PROMETHEUS_HA_CODE_CACHE: `off` ignores the cache (the bench compares), `report` says on stderr
 * whether it was used, `write` writes it at exit (the build does, over several runs: a run adds the
 * functions it compiled to those of the cache it loaded).
 *
 * The build puts a shell line before this (scripts/build.mjs, LAUNCHER_HEADER): run as a program,
 * the file starts Node.js without NODE_EXTRA_CA_CERTS, which Node.js 20 reads at start whether or
 * not TLS is used, and the function uses none.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isCommand } from '../commands/names.js';

// Built as CommonJS (scripts/build.mjs): __filename is this file.
const self = __filename;
const dir = dirname(self);
const mode = process.env.PROMETHEUS_HA_CODE_CACHE;

/** A bundle's exports, compiled with its code cache when there is a usable one. */
function load<T>(name: string): T {
  const file = join(dir, name);
  const cacheFile = `${file}.cache`;
  let source: string;
  try {
    source = readFileSync(file, 'latin1'); // ASCII: the build checks it
  } catch (e) {
    writeSync(2, `prometheus-ha: cannot read the bundle ${file} (${(e as Error).message}); the launcher needs the files the build writes next to it (npm run build)\n`);
    process.exit(1);
  }
  // The build starts the bundle with "// build <id>\n" and the cache with the same <id>.
  const id = /^\/\/ build ([0-9a-f]{16})\n/.exec(source)?.[1];
  let cachedData: Buffer | undefined;
  let state = 'missing';
  if (mode !== 'off' && id) {
    try {
      const c = readFileSync(cacheFile);
      if (c.subarray(0, 16).toString('latin1') === id) cachedData = c.subarray(16);
      else state = 'stale (another build)';
    } catch {
      // No cache (not built here, or removed): compile as usual.
    }
  }
  // The build wrote the bundle as one function expression, the same wrapper as Node's for CommonJS.
  const script = new Script(source, { filename: file, cachedData });
  if (cachedData) state = script.cachedDataRejected ? 'rejected by V8 (another Node.js version or V8 flags)' : 'used';
  if (mode === 'report') writeSync(2, `prometheus-ha: code cache of ${name} ${state}\n`);
  if (mode === 'write' && id) {
    // At exit, the cache holds every function compiled during the run.
    process.on('exit', () => writeFileSync(cacheFile, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()])));
  }
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dir);
  return module.exports;
}

type Full = { main: (self: string) => Promise<void> };
const arg = process.argv[2];
const light = process.argv.length === 2 || (process.argv.length === 3 && !arg!.startsWith('-') && !isCommand(arg!));
if (light && process.env.PROMETHEUS_HA_LIGHT !== 'off') {
  load<{ main: (self: string, full: () => Full) => void }>('prometheus-ha.light.cjs').main(self, () => load<Full>('prometheus-ha.bundle.cjs'));
} else {
  void load<Full>('prometheus-ha.bundle.cjs').main(self);
}

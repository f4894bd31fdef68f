// Builds the bin: dist/prometheus-ha.cjs (launcher.ts, a few lines), which loads one of two bundles
// (one file each, nothing to resolve) through V8's code cache (<bundle>.cache), recorded here by
// running the function on the seed (scripts/code-cache.mjs; issue 7):
// - dist/prometheus-ha.bundle.cjs (entry/main.ts): everything;
// - dist/prometheus-ha.light.cjs (entry/light-main.ts): the KRM function's common path without the yaml
//   package, which loads the full bundle when its light reader does not apply.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { recordCodeCaches } from './code-cache.mjs';

const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' };

// The bundle: CommonJS, because V8's code cache is for scripts (vm.Script), not ES modules.
// yaml's ES module build (the same code as its CommonJS one, which the "node" export condition
// picks) lets esbuild leave out what the function never calls: ~30 KB less to read at each start.
const yamlEsm = { yaml: './node_modules/yaml/browser/dist/index.js' };
/** A bundle, written wrapped as Node wraps CommonJS, with the id its cache must carry. */
async function bundle(entry, out, extra = {}) {
  const r = await build({ ...common, entryPoints: [entry], format: 'cjs', alias: yamlEsm, write: false, ...extra });
  const code = r.outputFiles[0].text;
  // esbuild escapes non-ASCII (charset: ascii), so the launcher may read the file as latin1, with no
  // UTF-8 decoding.
  if (!/^[\x00-\x7f]*$/.test(code)) throw new Error(`build: ${out} is not ASCII`);
  // Written wrapped as Node wraps CommonJS (exports, require, module, __filename, __dirname), so the
  // launcher hands the file's text to V8 as it is, without copying it into a wrapper.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
  const id = createHash('sha256').update(wrapped).digest('hex').slice(0, 16);
  writeFileSync(out, `// build ${id}\n${wrapped}`);
  return code;
}
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await bundle('functions/prometheus-ha/src/entry/main.ts', 'dist/prometheus-ha.bundle.cjs');
const light = await bundle('functions/prometheus-ha/src/entry/light-main.ts', 'dist/prometheus-ha.light.cjs');
// The point of the light bundle: a start that never loads the yaml package.
if (/\b(?:Composer|Lexer) = class\b|\bclass (?:Composer|Lexer)\b|\bparseAllDocuments\b/.test(light)) throw new Error('build: the light bundle contains the yaml package; something it imports imports yaml');

// The bin is a shell script for its first two lines and JavaScript after (line 2 is a string and a
// comment to JavaScript; Node.js skips line 1): sh unsets NODE_EXTRA_CA_CERTS and starts Node.js on
// this same file. Node.js 20 reads and parses that CA bundle at start even when no TLS is used
// (nodejs/node#40524): here, where it names the system bundle, that is ~80 ms of `node -e 0`'s
// ~120 ms, and the function makes no network connection. `node dist/prometheus-ha.cjs` runs the
// JavaScript directly (the shell is then skipped, and so is this saving).
const LAUNCHER_HEADER = '#!/bin/sh\n":" //; unset NODE_EXTRA_CA_CERTS; exec node "$0" "$@"';
await build({ ...common, entryPoints: ['functions/prometheus-ha/src/entry/launcher.ts'], outfile: 'dist/prometheus-ha.cjs', format: 'cjs', banner: { js: LAUNCHER_HEADER } });
chmodSync('dist/prometheus-ha.cjs', 0o755);

// The code caches (scripts/code-cache.mjs).
recordCodeCaches('dist/prometheus-ha.cjs');

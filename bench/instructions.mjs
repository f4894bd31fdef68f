// npm run bench:instructions: the cold start counted in instructions instead of milliseconds, the
// same ratio as bench.mjs's "like for like" (the function on the seed / node -e 0), but the same
// number on every run, whatever else the machine does: to tell whether a change to the start-up
// path helps before `npm run bench` can show it through the noise. Needs valgrind; says so when it
// is absent. Not a test and not run by CI.
//
// How: callgrind counts the instructions of Node's main thread (the platform's worker threads vary
// from run to run). `--hash-seed` and `--random-seed` fix what V8 otherwise draws at start (string
// hashes, hence hash-table layouts), and `setarch -R` fixes the addresses: the count is then the
// same to a few hundred instructions. V8 flags are part of a code cache's identity, so the bundles
// are copied and their caches recorded again under those flags, as the build records them
// (scripts/code-cache.mjs), before counting.
//
// PROMETHEUS_HA_STOP=LABEL is passed through, for counting up to a marker a developer adds
// (`if (process.env.PROMETHEUS_HA_STOP === 'x') process.exit(0)`); none is committed.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordCodeCaches } from '../scripts/code-cache.mjs';
import { resourceList, seedDocs } from '../scripts/resource-list.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = process.argv[2] ?? join(ROOT, 'dist');
const SEEDS = ['--hash-seed=1', '--random-seed=1'];
if (spawnSync('valgrind', ['--version']).error) {
  console.error('bench:instructions: valgrind is not installed here (apt-get install valgrind); nothing counted');
  process.exit(2);
}
const TMP = mkdtempSync(join(tmpdir(), 'prometheus-ha-instr-'));
// The bench's seed input: the tutorial's base and the bench's minimal config (as bench.mjs).
const input = resourceList(seedDocs(), readFileSync(join(ROOT, 'bench/default-config.yaml'), 'utf8'));
const dist = join(TMP, 'dist');
cpSync(DIST, dist, { recursive: true });
const bin = join(dist, 'prometheus-ha.cjs');
const env = { PATH: process.env.PATH, ...(process.env.PROMETHEUS_HA_STOP ? { PROMETHEUS_HA_STOP: process.env.PROMETHEUS_HA_STOP } : {}) };
// The caches recorded as the build records them, under the flags counted with.
recordCodeCaches(bin, SEEDS);
const used = spawnSync(process.execPath, [...SEEDS, bin], { input, env: { ...env, PROMETHEUS_HA_CODE_CACHE: 'report', PROMETHEUS_HA_STOP: '' } }).stderr.toString();
if (!/code cache of prometheus-ha\.light\.cjs used/.test(used)) throw new Error(`the light bundle's code cache is not used:\n${used}`);

/** Instructions of the main thread of `node ...args` on the seed input. */
function count(args, name) {
  const out = join(TMP, name);
  const r = spawnSync('setarch', ['-R', 'valgrind', '--tool=callgrind', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, process.execPath, ...SEEDS, ...args], { input, env });
  if (r.status !== 0) throw new Error(`valgrind node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const main = readdirSync(TMP).find((f) => f.startsWith(`${name}-01`));
  const m = /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(TMP, main), 'utf8'));
  return Number(m[1]);
}
const node = count(['-e', '0'], 'node');
const fn = count([bin], 'fn');
rmSync(TMP, { recursive: true, force: true });
const M = (n) => `${(n / 1e6).toFixed(2)} M`.padStart(10);
console.log(`node -e 0                         ${M(node)} instructions`);
console.log(`function on the seed${process.env.PROMETHEUS_HA_STOP ? ` (to ${process.env.PROMETHEUS_HA_STOP})` : ''}              ${M(fn)} instructions (${M(fn - node)} more)`);
console.log(`ratio                                  ${(fn / node).toFixed(3)}`);

/**
 * The launcher (dist/prometheus-ha.cjs) and its V8 code cache (issue 7): the cache the build writes
 * is used, and whatever happens to it (missing, from another build, corrupt, switched off) the
 * output is byte for byte the same: it only changes how fast the function starts.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, ROOT, resourceList, SEED_BASE, SEED_CONFIG, SEED_ITEMS } from './helpers.js';
import { copyDist, sh, show, tmp } from './modes.js';

const INPUT = resourceList(SEED_ITEMS, SEED_CONFIG);

/** A copy of dist/, changed by `spoil`, run on the seed with the cache state reported. */
function runCopy(spoil: (dir: string) => void = () => {}, env: Record<string, string> = {}) {
  const dir = copyDist('launcher');
  spoil(dir);
  const file = join(dir, 'in.yaml');
  writeFileSync(file, INPUT);
  return sh('sh', ['-c', `"${process.execPath}" "${join(dir, 'prometheus-ha.cjs')}" < "${file}"`], { env: { PROMETHEUS_HA_CODE_CACHE: 'report', ...env } });
}

const reference = runCopy();

test('the build writes a code cache for this bundle, and the launcher uses it', () => {
  assert.is(reference.code, 0, show(reference));
  assert.match(reference.stderr, /^prometheus-ha: code cache used$/m);
  assert.match(reference.stdout, /kind: Deployment/, 'the function ran');
});

const variants: [string, (dir: string) => void, Record<string, string>, RegExp][] = [
  ['switched off (PROMETHEUS_HA_CODE_CACHE=off)', () => {}, { PROMETHEUS_HA_CODE_CACHE: 'off' }, /^$/],
  ['missing', (d) => rmSync(join(d, 'prometheus-ha.bundle.cjs.cache')), {}, /code cache missing/],
  ['from another build (header differs)', (d) => {
    const c = readFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'));
    c.write('0000000000000000', 0, 'latin1');
    writeFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'), c);
  }, {}, /code cache stale \(another build\)/],
  ['corrupt (right header, garbage after it)', (d) => {
    const c = readFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'));
    c.fill(7, 16);
    writeFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'), c);
  }, {}, /code cache rejected by V8/],
  ['truncated', (d) => {
    const c = readFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'));
    writeFileSync(join(d, 'prometheus-ha.bundle.cjs.cache'), c.subarray(0, 100));
  }, {}, /code cache rejected by V8/],
];
for (const [what, spoil, env, said] of variants) {
  test(`a code cache ${what}: same output, exit and stderr`, () => {
    const r = runCopy(spoil, env);
    assert.is(r.code, reference.code, show(r));
    assert.is(r.stdout, reference.stdout);
    assert.match(r.stderr.split('\n')[0] ?? '', said);
    const rest = (s: string) => s.split('\n').filter((l) => !l.includes('code cache')).join('\n');
    assert.is(rest(r.stderr), rest(reference.stderr));
  });
}

test('without its bundle the launcher says what is missing, without a stack trace', () => {
  const r = runCopy((d) => rmSync(join(d, 'prometheus-ha.bundle.cjs')));
  assert.is(r.code, 1, show(r));
  assert.match(r.stderr, /^prometheus-ha: cannot read the bundle .*prometheus-ha\.bundle\.cjs .*npm run build/);
  assert.not.match(r.stderr, /\n\s+at /);
  assert.is(r.stdout, '');
});

// NODE_EXTRA_CA_CERTS naming a missing file makes Node.js warn at start: whether the warning comes
// shows whether Node.js read the variable (Node.js 20 reads it at start, TLS or not: ~80 ms where it
// names the system bundle, as on these machines).
const CA = { NODE_EXTRA_CA_CERTS: '/nonexistent/prometheus-ha-test-ca.pem', PATH: `${dirname(process.execPath)}:${process.env.PATH}` };
const CA_WARNING = /Ignoring extra certs from/;

test('run as a program, the bin and its wrappers start Node.js without NODE_EXTRA_CA_CERTS (same output)', () => {
  const dir = tmp('ca');
  const input = join(dir, 'in.yaml');
  writeFileSync(input, INPUT);
  const stream = join(dir, 'stream.yaml');
  writeFileSync(stream, SEED_BASE);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, SEED_CONFIG);
  // The probe works: plain Node.js and the bin run by `node` (no shell line) read the variable.
  const control = sh(process.execPath, ['-e', '0'], { env: CA });
  assert.match(control.stderr, CA_WARNING, `node -e 0 (${process.version}) does not warn about a missing NODE_EXTRA_CA_CERTS file: this Node.js may no longer read it at start (later releases load certificates only with TLS, nodejs/node#59856), and this test cannot see whether the bin does\n${show(control)}`);
  const direct = sh('sh', ['-c', `"${process.execPath}" "${BIN}" < "${input}"`], { env: CA });
  assert.match(direct.stderr, CA_WARNING, show(direct));
  const runs: [string, string][] = [
    ['the bin', `"${BIN}" < "${input}"`],
    ['kustomize/exec/prometheus-ha.sh', `"${join(ROOT, 'kustomize/exec/prometheus-ha.sh')}" < "${input}"`],
  ];
  sh(process.execPath, [BIN, 'install-kustomize-plugin', join(dir, 'plugins')]);
  runs.push(['the installed legacy plugin', `"${join(dir, 'plugins/fn.prometheus-ha.dev/v1alpha1/prometheusha/PrometheusHA')}" "${config}" < "${stream}"`]);
  const legacy = sh('sh', ['-c', `"${process.execPath}" "${BIN}" "${config}" < "${stream}"`]);
  for (const [what, cmd] of runs) {
    const r = sh('sh', ['-c', cmd], { env: CA });
    assert.is(r.code, 0, `${what}: ${show(r)}`);
    assert.not.match(r.stderr, CA_WARNING, `${what} started Node.js with NODE_EXTRA_CA_CERTS`);
    assert.is(r.stdout, what.includes('legacy') ? legacy.stdout : direct.stdout, what);
  }
});

test.run();

/**
 * The launcher (dist/prometheus-ha.cjs), its two bundles and their V8 code caches (issue 7): the
 * KRM function starts the light bundle (no yaml package), which hands over to the full bundle when
 * its light reader does not apply; the caches the build writes are used, and whatever happens to
 * them (missing, from another build, corrupt, switched off) the output is byte for byte the same:
 * they only change how fast the function starts.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, ROOT, resourceList, SEED_BASE, SEED_CONFIG, SEED_ITEMS } from '../lib/helpers.js';
import { copyDist, sh, show, tmp } from '../lib/modes.js';

const INPUT = resourceList(SEED_ITEMS, SEED_CONFIG);

/** A copy of dist/, changed by `spoil`, run on the seed with the cache state reported. */
function runCopy(spoil: (dir: string) => void = () => {}, env: Record<string, string> = {}) {
  const dir = copyDist('launcher');
  spoil(dir);
  const file = join(dir, 'in.yaml');
  writeFileSync(file, INPUT);
  return sh('sh', ['-c', `"${process.execPath}" "${join(dir, 'prometheus-ha.cjs')}" < "${file}"`], { env: { PROMETHEUS_HA_CODE_CACHE: 'report', ...env } });
}

const LIGHT = 'prometheus-ha.light.cjs';
const FULL = 'prometheus-ha.bundle.cjs';
const reference = runCopy();
const referenceFull = runCopy(() => {}, { PROMETHEUS_HA_LIGHT: 'off' });

test('the KRM function on the seed starts the light bundle only, with the code cache the build wrote for it', () => {
  assert.is(reference.code, 0, show(reference));
  assert.is(reference.stderr, `prometheus-ha: code cache of ${LIGHT} used\n`, show(reference));
  assert.match(reference.stdout, /kind: Deployment/, 'the function ran');
});

test('PROMETHEUS_HA_LIGHT=off starts the full bundle, with its code cache: the same output', () => {
  assert.is(referenceFull.code, 0, show(referenceFull));
  assert.is(referenceFull.stderr, `prometheus-ha: code cache of ${FULL} used\n`, show(referenceFull));
  assert.is(referenceFull.stdout, reference.stdout);
});

test('where the light reader does not apply (a trailing comment in the Prometheus), the light bundle hands over to the full one: the same output as the full one alone', () => {
  const commented = resourceList([SEED_ITEMS[0]!.replace('  retention: 12h\n', '  retention: 12h # one for now\n'), ...SEED_ITEMS.slice(1)], SEED_CONFIG);
  const run = (env: Record<string, string>) => {
    const dir = copyDist('launcher');
    writeFileSync(join(dir, 'in.yaml'), commented);
    return sh('sh', ['-c', `"${process.execPath}" "${join(dir, 'prometheus-ha.cjs')}" < "${join(dir, 'in.yaml')}"`], { env: { PROMETHEUS_HA_CODE_CACHE: 'report', PROMETHEUS_HA_LIGHT: 'report', ...env } });
  };
  const r = run({});
  assert.is(r.code, 0, show(r));
  assert.is(r.stderr, `prometheus-ha: code cache of ${LIGHT} used\nprometheus-ha: code cache of ${FULL} used\nprometheus-ha: light reader not used\n`, show(r));
  const full = run({ PROMETHEUS_HA_LIGHT: 'off' });
  assert.is(r.stdout, full.stdout);
  assert.match(r.stdout, /# one for now/, 'the comment is kept');
});

test('the legacy plugin (a config file) starts the light bundle too; with it off, the full one: the same output', () => {
  const dir = copyDist('launcher');
  writeFileSync(join(dir, 'stream.yaml'), SEED_BASE);
  writeFileSync(join(dir, 'config.yaml'), SEED_CONFIG);
  const run = (env: Record<string, string>) =>
    sh('sh', ['-c', `"${process.execPath}" "${join(dir, 'prometheus-ha.cjs')}" "${join(dir, 'config.yaml')}" < "${join(dir, 'stream.yaml')}"`], { env: { PROMETHEUS_HA_CODE_CACHE: 'report', ...env } });
  const light = run({});
  assert.is(light.code, 0, show(light));
  assert.is(light.stderr, `prometheus-ha: code cache of ${LIGHT} used\n`, show(light));
  const full = run({ PROMETHEUS_HA_LIGHT: 'off' });
  assert.is(full.stderr, `prometheus-ha: code cache of ${FULL} used\n`, show(full));
  assert.is(light.stdout, full.stdout);
  assert.match(light.stdout, /kind: Deployment/);
});

const variants: [string, (cache: string) => (dir: string) => void, Record<string, string>, (name: string) => RegExp][] = [
  ['switched off (PROMETHEUS_HA_CODE_CACHE=off)', () => () => {}, { PROMETHEUS_HA_CODE_CACHE: 'off' }, () => /^$/],
  ['missing', (cache) => (d) => rmSync(join(d, cache)), {}, (name) => new RegExp(`code cache of ${name} missing`)],
  ['from another build (header differs)', (cache) => (d) => {
    const c = readFileSync(join(d, cache));
    c.write('0000000000000000', 0, 'latin1');
    writeFileSync(join(d, cache), c);
  }, {}, (name) => new RegExp(`code cache of ${name} stale \\(another build\\)`)],
  ['corrupt (right header, garbage after it)', (cache) => (d) => {
    const c = readFileSync(join(d, cache));
    c.fill(7, 16);
    writeFileSync(join(d, cache), c);
  }, {}, (name) => new RegExp(`code cache of ${name} rejected by V8`)],
  ['truncated', (cache) => (d) => {
    const c = readFileSync(join(d, cache));
    writeFileSync(join(d, cache), c.subarray(0, 100));
  }, {}, (name) => new RegExp(`code cache of ${name} rejected by V8`)],
];
for (const [name, extra, ref] of [[LIGHT, {}, reference], [FULL, { PROMETHEUS_HA_LIGHT: 'off' }, referenceFull]] as const) {
  for (const [what, spoil, env, said] of variants) {
    test(`${name}: a code cache ${what}: same output, exit and stderr`, () => {
      const r = runCopy(spoil(`${name}.cache`), { ...extra, ...env });
      assert.is(r.code, ref.code, show(r));
      assert.is(r.stdout, ref.stdout);
      assert.match(r.stderr.split('\n')[0] ?? '', said(name));
      const rest = (s: string) => s.split('\n').filter((l) => !l.includes('code cache')).join('\n');
      assert.is(rest(r.stderr), rest(ref.stderr));
    });
  }
}

for (const [name, env] of [[LIGHT, {}], [FULL, { PROMETHEUS_HA_LIGHT: 'off' }]] as const) {
  test(`without ${name} the launcher says what is missing, without a stack trace`, () => {
    const r = runCopy((d) => rmSync(join(d, name)), env);
    assert.is(r.code, 1, show(r));
    assert.match(r.stderr, new RegExp(`^prometheus-ha: cannot read the bundle .*${name.replace(/\./g, '\\.')} .*npm run build`));
    assert.not.match(r.stderr, /\n\s+at /);
    assert.is(r.stdout, '');
  });
}

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

/**
 * prometheus-ha through the real kpt: `kpt fn render --allow-exec` of the example package
 * (functions/prometheus-ha/examples/kpt-render) and imperative `kpt fn eval --exec`.
 * The package is copied to a temp dir first. Needs `npm run build` (npm test runs it first).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, docs, find, ROOT } from '../lib/helpers.js';
import { assertHighlyAvailable, assertUnrelatedUnchanged, copyToTmp, sh, show, snapshot, tmp, toolTests, type Run, TOOLS } from '../lib/modes.js';

const T: { kpt?: string } = TOOLS;
const EXAMPLE = 'functions/prometheus-ha/examples/kpt-render';
const ORIGINAL = snapshot(join(ROOT, EXAMPLE));
const BASE = docs(ORIGINAL['rbac.yaml']!);

/** `prometheus-ha` on PATH, as `npm install -g` would put it: a link to the built bundle. */
let binDir: string | undefined;
function env() {
  if (!binDir) {
    binDir = join(tmp('bin'), 'bin');
    mkdirSync(binDir);
    symlinkSync(BIN, join(binDir, 'prometheus-ha'));
  }
  return { PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH}` };
}
const kpt = (args: string[], cwd?: string): Run => sh(T.kpt!, args, { cwd, env: env() });
const render = (dir: string, cwd?: string) => kpt(['fn', 'render', dir, '--allow-exec', '--truncate-output=false'], cwd);

/** Comment lines of a text, each with how often it occurs. */
function comments(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of text.match(/#.*$/gm) ?? []) m.set(c.trim(), (m.get(c.trim()) ?? 0) + 1);
  return m;
}
function assertCommentsKept(before: string, after: string): void {
  const b = comments(before);
  assert.ok(b.size >= 5, 'the example has comments to keep');
  assert.equal(comments(after), b, 'every comment kept, exactly once');
}

const withConfig = (dir: string, edit: (text: string) => string) => {
  const p = join(dir, 'prometheus-ha-config.yaml');
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
};

test('the example package holds the seed objects (kustomize/seed/prometheus.yaml)', () => {
  const seed = docs(readFileSync(join(ROOT, 'kustomize/seed/prometheus.yaml'), 'utf8'));
  assertUnrelatedUnchanged(BASE, seed);
  const prom = find(docs(ORIGINAL['prometheus.yaml']!), 'Prometheus')[0];
  const { tolerations, ...spec } = prom.spec;
  assert.equal({ ...prom, spec }, find(seed, 'Prometheus')[0], 'the seed Prometheus plus tolerations');
  assert.ok(tolerations.length >= 2, 'two list items with comments before them');
});

const k = toolTests('kpt', T.kpt, test);

k.add('kpt fn render: files written back, comments kept, injected objects in their own file', () => {
  const dir = copyToTmp(EXAMPLE, 'render');
  const r = render(dir);
  assert.is(r.code, 0, show(r));
  const after = snapshot(dir);
  assert.equal(Object.keys(after).sort(), [...Object.keys(ORIGINAL), 'prometheus-ha.yaml'].sort(), 'one new file: prometheus-ha.yaml');

  const prom = docs(after['prometheus.yaml']!);
  const injected = docs(after['prometheus-ha.yaml']!);
  const all = [...prom, ...injected, ...docs(after['rbac.yaml']!)];
  assertHighlyAvailable(all, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assert.is(find(prom, 'Prometheus').length, 1, 'prometheus.yaml still holds only the Prometheus');
  assert.is(prom.length, 1);
  assert.is(find(injected, 'Deployment', 'thanos-query').length, 1, 'Query is in prometheus-ha.yaml');
  assert.is(find(injected, 'Service', 'thanos-store-api').length, 1, 'the store-API Service is in prometheus-ha.yaml');
  assert.ok(!after['prometheus-ha.yaml']!.includes('config.kubernetes.io/'), 'kpt removed the path annotations');

  assertCommentsKept(ORIGINAL['prometheus.yaml']!, after['prometheus.yaml']!);
  assert.is(after['rbac.yaml'], ORIGINAL['rbac.yaml'], 'rbac.yaml byte for byte');
  assertUnrelatedUnchanged(all, BASE);
  assert.is(after['prometheus-ha-config.yaml'], ORIGINAL['prometheus-ha-config.yaml'], 'the config is not rewritten');
  assert.is(after['Kptfile'], ORIGINAL['Kptfile']);
});

k.add('kpt fn render twice: the second render changes nothing', () => {
  const dir = copyToTmp(EXAMPLE, 'render2');
  const r1 = render(dir);
  assert.is(r1.code, 0, show(r1));
  const once = snapshot(dir);
  assert.ok(once['prometheus-ha.yaml'] && once['prometheus.yaml'] !== ORIGINAL['prometheus.yaml'], 'the first render changed the package');
  const r2 = render(dir);
  assert.is(r2.code, 0, show(r2));
  assert.equal(snapshot(dir), once, 'diff -r clean after the second render');
});

k.add('kpt fn render after config changes: comments before list items stay once (no doubling)', () => {
  const dir = copyToTmp(EXAMPLE, 'render-comments');
  for (const replicas of [2, 3, 4]) {
    withConfig(dir, (t) => t.replace(/^replicas: \d+$/m, `replicas: ${replicas}`));
    const r = render(dir);
    assert.is(r.code, 0, show(r));
    const prom = readFileSync(join(dir, 'prometheus.yaml'), 'utf8');
    assert.is(find(docs(prom), 'Prometheus')[0].spec.replicas, replicas);
    assertCommentsKept(ORIGINAL['prometheus.yaml']!, prom);
  }
  const injected = docs(readFileSync(join(dir, 'prometheus-ha.yaml'), 'utf8'));
  assert.is(find(injected, 'Deployment', 'thanos-query').length, 1, 'still one Query Deployment');
  assert.is(find(injected, 'Service', 'thanos-store-api').length, 1, 'still one store-API Service');
});

k.add('kpt fn render with a bad config: kpt fails with the message and writes nothing', () => {
  const bad = [
    { what: 'replicas: 1', edit: (t: string) => t.replace(/^replicas: \d+$/m, 'replicas: 1'), message: /replicas: must be >= 2/ },
    { what: 'an unknown field', edit: (t: string) => `${t}replicaz: 3\n`, message: /unknown field "replicaz"/ },
  ];
  for (const b of bad) {
    const dir = copyToTmp(EXAMPLE, 'render-bad');
    withConfig(dir, b.edit);
    const before = snapshot(dir);
    const r = render(dir);
    assert.ok(r.code !== 0, `${b.what}: kpt must fail\n${show(r)}`);
    assert.match(r.stderr + r.stdout, b.message, `${b.what}\n${show(r)}`);
    assert.equal(snapshot(dir), before, `${b.what}: no file written`);
  }
});

k.add('kpt fn eval --exec prometheus-ha -- replicas=3 externalLabels.cluster=eu1 (ConfigMap config)', () => {
  const dir = copyToTmp(EXAMPLE, 'eval');
  const r = kpt(['fn', 'eval', dir, '--exec', 'prometheus-ha', '--', 'replicas=3', 'externalLabels.cluster=eu1', 'query.replicas=1']);
  assert.is(r.code, 0, show(r));
  const all = [...docs(readFileSync(join(dir, 'prometheus.yaml'), 'utf8')), ...docs(readFileSync(join(dir, 'prometheus-ha.yaml'), 'utf8')), ...BASE];
  assertHighlyAvailable(all, { replicas: 3, externalLabels: { cluster: 'eu1' } });
  assert.is(find(all, 'Deployment', 'thanos-query')[0].spec.replicas, 1, 'query.replicas=1 reached the Query Deployment');
  assert.is(readFileSync(join(dir, 'rbac.yaml'), 'utf8'), ORIGINAL['rbac.yaml']);
});

k.add('kpt fn eval with bad arguments: kpt fails with each message and writes nothing', () => {
  const dir = copyToTmp(EXAMPLE, 'eval-bad');
  const before = snapshot(dir);
  const r = kpt(['fn', 'eval', dir, '--exec', 'prometheus-ha', '--', 'replicas=1', 'replicaz=3']);
  assert.ok(r.code !== 0, show(r));
  const text = r.stderr + r.stdout;
  assert.match(text, /replicas: must be >= 2/, show(r));
  assert.match(text, /unknown config key "replicaz"/, show(r));
  assert.equal(snapshot(dir), before, 'no file written');
});

k.add('kpt fn eval --exec "prometheus-ha check" as a validator: findings reported, nothing written', () => {
  // The package as rendered passes; the base alone (one replica, no sidecar) fails the check.
  const good = copyToTmp(EXAMPLE, 'check-good');
  assert.is(render(good).code, 0);
  const ok = kpt(['fn', 'eval', good, '--exec', 'prometheus-ha check']);
  assert.is(ok.code, 0, show(ok));
  const dir = copyToTmp(EXAMPLE, 'check-bad');
  const before = snapshot(dir);
  const r = kpt(['fn', 'eval', dir, '--exec', 'prometheus-ha check']);
  assert.ok(r.code !== 0, show(r));
  assert.match(r.stderr + r.stdout, /REPLICAS_TOO_FEW|nothing to fail over to/, show(r));
  assert.match(r.stderr + r.stdout, /no Thanos sidecar/, show(r));
  assert.equal(snapshot(dir), before, 'a validator writes nothing');
});

k.add('a relative exec: path in a Kptfile resolves against the directory kpt runs in (README)', () => {
  const dir = copyToTmp(EXAMPLE, 'relative');
  const kptfile = join(dir, 'Kptfile');
  writeFileSync(kptfile, readFileSync(kptfile, 'utf8').replace('exec: prometheus-ha', 'exec: ./dist/prometheus-ha.cjs'));
  const elsewhere = render(dir, tmp('cwd'));
  assert.ok(elsewhere.code !== 0, `from another directory the path does not resolve\n${show(elsewhere)}`);
  const fromRoot = render(dir, ROOT);
  assert.is(fromRoot.code, 0, show(fromRoot));
  assertHighlyAvailable([...docs(readFileSync(join(dir, 'prometheus.yaml'), 'utf8')), ...docs(readFileSync(join(dir, 'prometheus-ha.yaml'), 'utf8'))], { replicas: 2, externalLabels: { cluster: 'eu1' } });
});
k.add('kpt itself doubles a comment written after a list dash, once, even in a resource no function changes (README)', () => {
  const dir = copyToTmp(EXAMPLE, 'dash-comment');
  writeFileSync(join(dir, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata:\n  a: b\nlist:\n- # after the dash\n  key: a\n');
  for (const want of [2, 2]) {
    const r = render(dir);
    assert.is(r.code, 0, show(r));
    // If this fails, kpt changed: update the README's note on comments.
    assert.is(readFileSync(join(dir, 'other.yaml'), 'utf8').match(/# after the dash/g)?.length, want);
  }
});
k.add('kpt fn render of a Prometheus that ends with comments: the comment after its last key stays once, one after the document is doubled once by kpt (README)', () => {
  const dir = copyToTmp(EXAMPLE, 'end-comments');
  const p = join(dir, 'prometheus.yaml');
  writeFileSync(p, readFileSync(p, 'utf8').replace(/  version: v2.44.0\n$/, '  version: v2.44.0\n  # retention: 24h, once the disks are bigger\n# end of the Prometheus\n'));
  for (let i = 0; i < 2; i++) {
    const r = render(dir);
    assert.is(r.code, 0, show(r));
    const prom = readFileSync(p, 'utf8');
    assert.is(prom.match(/# retention: 24h/g)?.length, 1, prom);
    assert.match(prom, /  version: v2.44.0\n  # retention: 24h, once the disks are bigger\n\n  affinity:\n/);
    // If this fails, kpt changed: update the README's note on comments.
    assert.is(prom.match(/# end of the Prometheus/g)?.length, 2, prom);
  }
});
k.done();

test.run();

/**
 * The KRM function's common path without the yaml package (fast.ts, light.ts; issue 7). helpers.fn
 * runs every KRM test both ways and fails on any difference; this file checks that the light
 * reader does take the inputs it is for (or the comparison would be vacuous) and leaves the rest
 * to the yaml path, and that the light bundle does not contain the yaml package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_CONFIG, fn, resourceList, ROOT, SEED_CONFIG, SEED_ITEMS, withConfig, withoutResults } from '../lib/helpers.js';

const PROM = SEED_ITEMS[0]!;
const OTHERS = SEED_ITEMS.slice(1);

/** Which path answered, and the outcome (fn has checked that the other path agrees). */
async function path(stdin: string, argv: string[] = []): Promise<{ light: boolean; code: number; stdout: string }> {
  const r = await fn(stdin, argv, { PROMETHEUS_HA_LIGHT: 'report' });
  const m = /^prometheus-ha: light reader (used|not used)\n/.exec(r.stderr);
  assert.ok(m, `no report on stderr: ${r.stderr}`);
  await fn(stdin, argv); // both ways, compared
  return { light: m![1] === 'used', code: r.code, stdout: r.stdout };
}

const golden = (name: string): string => {
  const dir = `${ROOT}test/golden/${name}/`;
  return withConfig(readFileSync(`${dir}input.yaml`, 'utf8'), existsSync(`${dir}config.yaml`) ? readFileSync(`${dir}config.yaml`, 'utf8') : undefined);
};

test('the seed, as kpt and kustomize hand it over, takes the light path (and the golden cases written like it)', async () => {
  assert.ok((await path(resourceList(SEED_ITEMS, SEED_CONFIG))).light, 'the seed');
  for (const name of ['seed-tutorial', 'defaults', 'production-all-options', 'target-among-two', 'query-disabled', 'error-config-fields', 'error-affinity-conflict']) {
    assert.ok((await path(golden(name))).light, name);
  }
  // Comments and blank lines where people write them.
  const commented = PROM.replace('apiVersion:', '# Our Prometheus.\napiVersion:').replace('spec:\n', '\nspec:\n  # one replica for now\n').replace('  storage:\n', '\n  # 10Gi is enough for 12h\n  storage:\n');
  assert.ok((await path(resourceList([commented, ...OTHERS], SEED_CONFIG))).light, 'comments and blank lines in the Prometheus');
  // Its own output too, as a second kpt render hands it over (kpt keeps the results apart), where
  // the injected objects are ours: updated in place, or left alone.
  const once = await path(resourceList(SEED_ITEMS, SEED_CONFIG));
  assert.ok((await path(withoutResults(once.stdout))).light, 'the output of a first run');
});

const yamlOnly: [string, string][] = [
  ['a flow sequence in the config (golden custom-names-and-labels)', golden('custom-names-and-labels')],
  ['a trailing comment in the Prometheus', resourceList([PROM.replace('replicas: 1', 'replicas: 1 # one for now'), ...OTHERS], DEFAULT_CONFIG)],
  ['a comment indented deeper than its map, right after a value (yaml puts it on the value)', resourceList([PROM.replace('  logLevel: info\n', '  logLevel: info\n      # about the level\n'), ...OTHERS], DEFAULT_CONFIG)],
  ['flow style', resourceList([PROM.replace(/podMetadata:\n[\s\S]*?replicas/, 'podMetadata: {labels: {app: prometheus}}\n  replicas'), ...OTHERS], DEFAULT_CONFIG)],
  ['a null value', resourceList([PROM.replace('logLevel: info', 'logLevel:'), ...OTHERS], DEFAULT_CONFIG)],
  ['a block scalar in another item', resourceList([PROM, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: |\n    x\n'], DEFAULT_CONFIG)],
  ['an anchor', resourceList([PROM.replace('app: prometheus', 'app: &a prometheus'), ...OTHERS], DEFAULT_CONFIG)],
  ['a float', resourceList([PROM.replace('cpu: 1\n', 'cpu: 0.5\n'), ...OTHERS], DEFAULT_CONFIG)],
  ['a non-ASCII character', resourceList([PROM.replace('name: prometheus\n', 'name: prometheus\n  labels:\n    team: équipe\n'), ...OTHERS], DEFAULT_CONFIG)],
  ['invalid YAML', resourceList([PROM.replace('kind: Prometheus', 'kind: [Prometheus')], DEFAULT_CONFIG)],
  ['a JSON ResourceList', JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'p', namespace: 'n' } }] })],
  ['more than 64 KB (read by its lines, not composed)', resourceList([PROM, ...Array.from({ length: 400 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: ${'v'.repeat(150)}\n`)], DEFAULT_CONFIG)],
  ['an empty input', ''],
];
for (const [what, stdin] of yamlOnly) {
  test(`the yaml path answers ${what}, as before`, async () => {
    const r = await path(stdin);
    assert.not.ok(r.light, `${what}: the light reader should not apply`);
  });
}

const SEED_CONFIG_FILE = `${ROOT}kustomize/seed/prometheus-ha.yaml`;
const stream = (docs: string[]) => docs.join('---\n');

test('legacy plugin: the seed stream, as kustomize hands it over, takes the light path; so does a config with comments', async () => {
  assert.ok((await path(stream(SEED_ITEMS), [SEED_CONFIG_FILE])).light, 'the seed');
  assert.ok((await path(`---\n${stream(SEED_ITEMS)}`, [SEED_CONFIG_FILE])).light, 'a leading ---');
  assert.match(readFileSync(SEED_CONFIG_FILE, 'utf8'), /^ *#/m, 'the probe: the seed config has a comment');
});

const yamlOnlyStreams: [string, string, string?][] = [
  ['a comment line', stream([PROM.replace('spec:\n', 'spec:\n  # why\n'), ...OTHERS])],
  ['a blank line', stream([PROM, `\n${OTHERS[0]}`])],
  ['an empty document', `${stream([PROM])}---\n---\n${OTHERS[0]}`],
  ['a document marker with content', stream([PROM]).replace('apiVersion', '--- apiVersion')],
  ['no Prometheus (an error, worded by either path alike)', stream(OTHERS)],
  ['invalid YAML', stream([PROM.replace('kind: Prometheus', 'kind: [Prometheus')])],
  ['an empty stream', ''],
  ['a missing config file', stream(SEED_ITEMS), `${ROOT}does-not-exist.yaml`],
];
for (const [what, stdin, config] of yamlOnlyStreams) {
  test(`legacy plugin: ${what} gives the same outcome both ways`, async () => {
    if (config) {
      const r = await fn(stdin, [config], { PROMETHEUS_HA_LIGHT: 'report' });
      assert.is(r.code, 2, 'unknown argument');
      return;
    }
    const r = await path(stdin, [SEED_CONFIG_FILE]);
    if (!what.startsWith('no Prometheus')) assert.not.ok(r.light, `${what}: the light reader should not apply`);
  });
}

test('the light bundle does not contain the yaml package (what it is for)', () => {
  const light = readFileSync(`${ROOT}dist/prometheus-ha.light.cjs`, 'latin1');
  const full = readFileSync(`${ROOT}dist/prometheus-ha.bundle.cjs`, 'latin1');
  const YAML = /\b(?:Composer|Lexer) = class\b|\bclass (?:Composer|Lexer)\b/;
  assert.match(full, YAML, 'the probe finds yaml in the full bundle');
  assert.not.match(light, YAML);
  // What the light bundle leaves out: the yaml package, ~260 KB bundled alone as the build bundles
  // (esbuild, not minified). Both bundles share the rest (the model, the schema and its validator) and
  // grow with it, so the gap is the measure, not a ratio.
  assert.ok(full.length - light.length > 200_000, `light ${light.length} bytes, full ${full.length}`);
});

test.run();

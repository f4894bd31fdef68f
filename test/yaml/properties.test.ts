/**
 * Properties (fast-check, fixed seed, bounded counts; PROPERTY_RUNS=N for a longer run):
 * idempotence, passthrough, order, totality, and the two plugin protocols agreeing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { injected } from '../../functions/prometheus-ha/src/core/model.js';
import { readResourceList } from '../../functions/prometheus-ha/src/yaml/source.js';
import { DEFAULT_CONFIG, fn, propertyCount as count, resourceList, SEED_ITEMS } from '../lib/helpers.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261126);
const runs = (n: number) => ({ seed: SEED, numRuns: count(n) });

const PROM = SEED_ITEMS[0]!;
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
const labelName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,15}$/);
const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', 'yes', 'null', '0x1F', '- x', '# not a comment', 'a: b', '"q"', "it's", '\t', 'multi\nline\n'));

/** A ConfigMap or Service with random content, written in block style (as kpt writes it), maybe with comments. */
const otherItem = fc
  .record({ kind: fc.constantFrom('ConfigMap', 'Service', 'Secret'), name, ns: fc.option(name, { nil: undefined }), data: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), text, { maxKeys: 4 }), comment: fc.option(fc.stringMatching(/^[ -~]{0,30}$/), { nil: undefined }) })
  .map(({ kind, name, ns, data, comment }) => {
    const obj = { apiVersion: 'v1', kind, metadata: { name, ...(ns ? { namespace: ns } : {}) }, ...(kind === 'Service' ? { spec: { ports: [{ port: 80 }] } } : { data }) };
    const y = stringify(obj, { lineWidth: 0, indentSeq: false });
    return comment !== undefined ? y.replace('metadata:\n', `metadata: # ${comment}\n`) : y;
  });

/** The seed Prometheus with variations the function must respect. */
const prometheus = fc
  .record({ labels: fc.dictionary(labelName, fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxKeys: 3 }), replicaLabel: fc.option(labelName, { nil: undefined }), thanosExtra: fc.boolean() })
  .map(({ labels, replicaLabel, thanosExtra }) => {
    let p = PROM.replace('      app: prometheus\n', `      app: prometheus\n${Object.entries(labels).map(([k, v]) => `      ${k}: "${v}"\n`).join('')}`);
    if (replicaLabel) p = p.replace('  version: v2.44.0\n', `  version: v2.44.0\n  replicaExternalLabelName: ${replicaLabel}\n`);
    if (thanosExtra) p = p.replace('  version: v2.44.0\n', '  version: v2.44.0\n  thanos:\n    logLevel: debug # keep me\n');
    return p;
  });

const config = fc
  .record(
    {
      replicas: fc.integer({ min: 2, max: 5 }),
      antiAffinity: fc.record({ mode: fc.constantFrom('soft', 'hard', 'none'), topologyKey: fc.constantFrom('kubernetes.io/hostname', 'topology.kubernetes.io/zone') }, { requiredKeys: [] }),
      externalLabels: fc.dictionary(labelName, fc.stringMatching(/^[a-z0-9-]{0,10}$/), { maxKeys: 3 }),
      query: fc.record({ enabled: fc.boolean(), name, replicas: fc.integer({ min: 1, max: 3 }), replicaLabels: fc.uniqueArray(labelName, { maxLength: 3 }) }, { requiredKeys: [] }),
      storeApi: fc.record({ service: fc.record({ name }) }, { requiredKeys: [] }),
      networkPolicy: fc.record({ enabled: fc.boolean() }),
    },
    { requiredKeys: [] },
  )
  .map((c) => `${DEFAULT_CONFIG}${stringify(c, { lineWidth: 0 })}`);

/** A valid input: the Prometheus among other items, in any order. */
const validList = fc.tuple(fc.array(otherItem, { maxLength: 5 }), prometheus, fc.nat(), config).map(([others, p, at, cfg]) => {
  const items = [...others];
  items.splice(at % (others.length + 1), 0, p);
  return { items, text: resourceList(items, cfg) };
});

const body = (out: string) => out.replace(/^results:[\s\S]*$/m, '');

test('idempotence: f(f(x)) == f(x), textually', async () => {
  await fc.assert(
    fc.asyncProperty(validList, async ({ text }) => {
      const once = await fn(text);
      if (once.code !== 0) return true; // doubtful configs are other tests' business
      const twice = await fn(once.stdout);
      return twice.code === 0 && body(twice.stdout) === body(once.stdout);
    }),
    runs(150),
  );
});

test('passthrough and order: items other than the Prometheus come out byte-identical, in place; injected ones after, in model order', async () => {
  const order = injected.map((i) => `${i.kind}`);
  await fc.assert(
    fc.asyncProperty(validList, async ({ items, text }) => {
      const r = await fn(text);
      if (r.code !== 0) return true;
      const before = readResourceList(text).items;
      const after = readResourceList(r.stdout).items;
      for (let i = 0; i < before.length; i++) {
        if (before[i]!.meta.kind === 'Prometheus') assert.is(after[i]!.meta.kind, 'Prometheus');
        else assert.is(after[i]!.source!.text, before[i]!.source!.text, `item ${i} changed`);
      }
      const added = after.slice(items.length).map((i) => i.meta.kind!);
      let k = 0;
      for (const kind of added) {
        while (k < order.length && order[k] !== kind) k++;
        assert.ok(k < order.length, `injected ${added.join(',')} out of model order ${order.join(',')}`);
        k++;
      }
      return true;
    }),
    runs(150),
  );
});

/** Anything at all: random YAML values, broken items, random configs. */
const anyList = fc.oneof(
  { weight: 3, arbitrary: validList.map((v) => v.text) },
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.oneof(otherItem, prometheus, fc.jsonValue().map((j) => stringify(j))), { maxLength: 4 }), fc.jsonValue()).map(([items, cfg]) => resourceList(items.map((i) => (i.trim() ? i : '{}')), stringify({ kind: 'PrometheusHA', apiVersion: 'fn.prometheus-ha.dev/v1alpha1', x: cfg }))) },
  { weight: 2, arbitrary: fc.jsonValue().map((j) => stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: j })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(validList, fc.nat(), fc.string({ maxLength: 5 })).map(([v, at, junk]) => v.text.slice(0, at % v.text.length) + junk + v.text.slice(at % v.text.length)) },
);

test('totality: never a crash or a hang; always a ResourceList with a clear result', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(anyList, async (input) => {
      n++;
      const r = await fn(input);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}`);
      assert.not.match(r.stderr, /internal error/, r.stderr);
      const out = parse(r.stdout, { uniqueKeys: false, maxAliasCount: 100, logLevel: 'error' });
      assert.is(out?.kind, 'ResourceList');
      if (r.code === 1) assert.ok(out.results?.some((x: { severity: string; message: string }) => x.severity === 'error' && x.message.length > 10));
      return true;
    }),
    { ...runs(10000), interruptAfterTimeLimit: 10 * 60 * 1000 },
  );
  console.log(`  totality: ${n} generated ResourceLists`);
  assert.ok(n >= count(10000));
});

test('the legacy kustomize plugin and the ResourceList mode give the same objects', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pha-prop-'));
  await fc.assert(
    fc.asyncProperty(validList, async ({ items, text }) => {
      const cfg = parse(text).functionConfig;
      const file = join(dir, 'config.yaml');
      writeFileSync(file, stringify(cfg));
      const a = await fn(items.join('---\n'), [file]);
      const b = await fn(text);
      assert.is(a.code, b.code, `${a.stderr} | ${b.stderr}`);
      if (b.code === 0) assert.equal(parseAllDocuments(a.stdout).map((d) => d.toJS()), parse(b.stdout).items);
      return true;
    }),
    runs(100),
  );
});

test.run();

/**
 * Property: for random VALID configs drawn from the schema (fixed seed), `helm template` of chart/
 * with the config as values renders the same manifests as the function with it (test/lib/equivalence.ts),
 * on Helm 3 and Helm 4. The configs are drawn from schema/prometheus-ha.schema.json itself, so
 * new config fields are covered without touching this test; the edge values that matter are
 * counted and must each have been drawn.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig } from '../../functions/prometheus-ha/src/core/config.js';
import schemaJson from '../../schema/prometheus-ha.schema.json' with { type: 'json' };
import { functionOutput, HELMS, helmTemplate, pool, SEED, tmp, writeValues } from '../lib/chart-helpers.js';
import { differences, withNamespace } from '../lib/equivalence.js';

const SEED_NUMBER = 20261126;
const RUNS = 120;
const NS = 'prop-ns';

type Schema = Record<string, any>;
const schema = schemaJson as Schema;
const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? { ...schema.definitions[s.$ref.replace('#/definitions/', '')], ...s, $ref: undefined } : s);

/** A value the schema describes (mostly valid; invalid draws are dropped by the real validator). */
function arb(s0: Schema): fc.Arbitrary<unknown> {
  const s = resolve(s0);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.anyOf) return fc.oneof(...(s.anyOf as Schema[]).map(arb));
  // allOf [a, not b] (podLabels' keys): drawn from a, the validator drops what b refuses.
  if (s.allOf) return arb(s.allOf[0]);
  switch (s.type) {
    case 'object': {
      if (s.properties) {
        const keys = Object.keys(s.properties).filter((k) => !['apiVersion', 'kind', 'metadata', 'target'].includes(k));
        const rec = fc.record(Object.fromEntries(keys.map((k) => [k, arb(s.properties[k])])), { requiredKeys: [] });
        return s.minProperties ? rec.filter((o) => Object.keys(o).length >= s.minProperties) : rec;
      }
      const key = s.propertyNames ? (arb(s.propertyNames) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 12 });
      const value = typeof s.additionalProperties === 'object' ? arb(s.additionalProperties) : fc.string({ maxLength: 12 });
      return fc.dictionary(key, value, { minKeys: s.minProperties ?? 0, maxKeys: 3 });
    }
    case 'array': {
      const item = arb(s.items ?? {});
      const max = Math.min(s.maxItems ?? 4, 4);
      return s.uniqueItems ? fc.uniqueArray(item, { maxLength: max, selector: (x) => JSON.stringify(x) }) : fc.array(item, { maxLength: max });
    }
    case 'string': {
      const str = s.pattern ? fc.stringMatching(new RegExp(s.pattern)) : fc.string({ maxLength: 16 });
      return str.filter((x) => x.length >= (s.minLength ?? 0) && x.length <= Math.min(s.maxLength ?? 80, 80));
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 1000) });
    case 'number':
      return fc.oneof(fc.integer({ min: s.minimum ?? 0, max: 4096 }), fc.constantFrom(0.5, 1.25, 1e6));
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant({});
  }
}

const valid = (values: Record<string, unknown>): boolean => !!readConfig({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', ...values }).config;
const configs = fc.sample((arb(schema) as fc.Arbitrary<Record<string, unknown>>).filter(valid), { seed: SEED_NUMBER, numRuns: RUNS });

const at = (o: any, path: string): any => path.split('.').reduce((c, k) => (c && typeof c === 'object' ? c[k] : undefined), o);
/** Edge values each drawn at least once (else the seed or the generator has gone wrong). */
const EDGES: Record<string, (v: Record<string, unknown>) => boolean> = {
  'antiAffinity.mode hard': (v) => at(v, 'antiAffinity.mode') === 'hard',
  'antiAffinity.mode none': (v) => at(v, 'antiAffinity.mode') === 'none',
  'a custom antiAffinity.labelSelector': (v) => at(v, 'antiAffinity.labelSelector') !== undefined,
  'extra externalLabels': (v) => Object.keys(at(v, 'externalLabels') ?? {}).length > 0,
  'several query.replicaLabels': (v) => (at(v, 'query.replicaLabels') ?? []).length >= 2,
  'query.enabled false': (v) => at(v, 'query.enabled') === false,
  'custom query.name': (v) => at(v, 'query.name') !== undefined,
  'custom storeApi.service.name': (v) => at(v, 'storeApi.service.name') !== undefined,
  'custom thanos.resources': (v) => at(v, 'thanos.resources') !== undefined,
  'custom query.resources': (v) => at(v, 'query.resources') !== undefined,
  'query.extraArgs': (v) => (at(v, 'query.extraArgs') ?? []).length > 0,
  'query.pod.podLabels': (v) => Object.keys(at(v, 'query.pod.podLabels') ?? {}).length > 0,
  'query.pod.tolerations': (v) => (at(v, 'query.pod.tolerations') ?? []).length > 0,
  'query.pod.extraVolumes': (v) => (at(v, 'query.pod.extraVolumes') ?? []).length > 0,
  'query.pod.extraEnv': (v) => (at(v, 'query.pod.extraEnv') ?? []).length > 0,
  'podDisruptionBudget.enabled false': (v) => at(v, 'podDisruptionBudget.enabled') === false,
};

test(`${RUNS} random valid configs (seed ${SEED_NUMBER}) cover the edge values`, () => {
  assert.is(configs.length, RUNS);
  const missing = Object.entries(EDGES).filter(([, has]) => !configs.some(has)).map(([k]) => k);
  assert.equal(missing, [], 'edge values never drawn');
});

const dir = tmp('prometheus-ha-prop-');
const base = withNamespace(SEED, NS);
const files = configs.map((v, i) => writeValues(dir, `values-${i}.json`, v));

for (const [name, helm] of HELMS) {
  test(`${name}: helm template == the function for ${RUNS} random valid configs`, async () => {
    const fns = await Promise.all(configs.map((v) => functionOutput(v, base, dir)));
    const helms = await pool(files.map((f) => () => helmTemplate(helm, NS, f)), 4);
    const failures: string[] = [];
    let refused = 0;
    configs.forEach((v, i) => {
      const f = fns[i]!;
      const h = helms[i]!;
      // A config the function refuses (a query.replicaLabels without the replica label, say) Helm must refuse too.
      if (f.code !== 0) {
        refused++;
        if (h.code === 0) failures.push(`#${i} the function refused it (${f.stderr.trim()}) but helm rendered it`);
      } else if (h.code !== 0) failures.push(`#${i} helm failed: ${h.stderr}`);
      else {
        const d = differences(f.stdout, h.stdout);
        if (d.length) failures.push(`#${i} ${d.join('; ')}`);
      }
      if (failures.length === 1 && failures[0]!.startsWith(`#${i} `)) failures[0] += `\n  values (${files[i]}): ${JSON.stringify(v)}`;
    });
    assert.equal(failures.slice(0, 5), [], `${failures.length} of ${RUNS} configs differ`);
    // Most draws must render, or the property says little about equal output.
    assert.ok(refused < RUNS / 2, `${refused} of ${RUNS} configs refused`);
  });
}

test.run();

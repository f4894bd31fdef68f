/**
 * Property: for random VALID configs drawn from the schema (fixed seed), `helm template` of chart/
 * with the config as values renders the same manifests as the function with it (test/lib/equivalence.ts),
 * on Helm 3 and Helm 4. The configs are drawn from schema/prometheus-ha.schema.json itself, so
 * new config fields are covered without touching this test; the edge values that matter are
 * counted and must each have been drawn.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extraArgsRefusals } from '../../functions/prometheus-ha/src/core/checks.js';
import { validConfigs } from '../lib/schema-arb.js';
import { functionOutput, HELMS, helmTemplate, pool, SEED, tmp, writeValues } from '../lib/chart-helpers.js';
import { differences, withNamespace } from '../lib/equivalence.js';

const SEED_NUMBER = 20261126;
const RUNS = 120;
const NS = 'prop-ns';

const configs = validConfigs(SEED_NUMBER, RUNS);

const flagRefusals = (v: Record<string, unknown>): number => extraArgsRefusals(at(v, 'query.version') ?? 'v0.42.4', at(v, 'query.extraArgs') ?? []).length;
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
  // THANOS_FLAG_UNKNOWN, judged in Helm on the table folded into the chart (chart/build.ts extraArgsRefusal).
  'a query.extraArgs flag that query.version lacks': (v) => at(v, 'query.enabled') !== false && flagRefusals(v) > 0,
  'query.extraArgs that a query.version other than the default has': (v) => (at(v, 'query.extraArgs') ?? []).length > 0 && ![undefined, 'v0.42.4'].includes(at(v, 'query.version')) && flagRefusals(v) === 0,
  'query.pod.podLabels': (v) => Object.keys(at(v, 'query.pod.podLabels') ?? {}).length > 0,
  'query.pod.tolerations': (v) => (at(v, 'query.pod.tolerations') ?? []).length > 0,
  'query.pod.extraVolumes': (v) => (at(v, 'query.pod.extraVolumes') ?? []).length > 0,
  'query.pod.extraEnv': (v) => (at(v, 'query.pod.extraEnv') ?? []).length > 0,
  'podDisruptionBudget.enabled false': (v) => at(v, 'podDisruptionBudget.enabled') === false,
  'the Compactor with object storage': (v) => at(v, 'compactor.enabled') === true && at(v, 'thanos.objectStorageConfig') !== undefined,
  'the Store Gateway with object storage': (v) => at(v, 'storeGateway.enabled') === true && at(v, 'thanos.objectStorageConfig') !== undefined,
  'the Query Frontend': (v) => at(v, 'queryFrontend.enabled') === true,
  'memcached for the Query Frontend': (v) => at(v, 'queryFrontend.enabled') === true && (at(v, 'queryFrontend.cache.memcachedAddresses') ?? []).length > 0,
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
      // A config the function refuses (a query.replicaLabels without the replica label, say) Helm
      // must refuse too; two of the objects added given one name (a random name drawn twice), when
      // that is the only reason, in so many words (Helm stops at its first reason).
      const errors = f.stderr.split('\n').filter((l) => / error \[/.test(l));
      const nameClash = errors.length > 0 && errors.every((l) => /\[NAME_CONFLICT\].*two of the objects it adds/.test(l));
      if (f.code !== 0) {
        refused++;
        if (h.code === 0) failures.push(`#${i} the function refused it (${f.stderr.trim()}) but helm rendered it`);
        else if (nameClash && !/two of the objects the chart adds/.test(h.stderr)) failures.push(`#${i} the function refuses two objects of one name, helm says otherwise: ${h.stderr}`);
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
    assert.ok(refused > 0, 'no config refused: the path where Helm must refuse too went untested');
  });
}

test.run();

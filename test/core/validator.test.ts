/**
 * The generated validator (scripts/codegen.ts validatorJs) checks each top-level section (query,
 * compactor, ...) only when the config has it, and gives an absent one its defaults as they are.
 * Its answer must be ajv's for the whole schema compiled as one: the same verdict, the same data
 * (defaults, key order), the same errors in the same order (all that config.ts reads of them).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import validate from '../../functions/prometheus-ha/src/generated/validate-config.js';
import { wholeValidator } from '../../scripts/codegen.js';
import { arb, schema } from '../lib/schema-arb.js';

const whole = wholeValidator();
type Err = { instancePath: string; schemaPath: string; keyword: string; params: unknown; message?: string; propertyName?: string };
/** What config.ts reads of an error; schemaPath only where it names a rule of the root's allOf. */
const seen = (errors: Err[] | null | undefined) =>
  (errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message, propertyName: e.propertyName, rule: e.schemaPath.startsWith('#/allOf/') ? e.schemaPath : undefined }));

function same(data: unknown, what = JSON.stringify(data)): void {
  const mine = structuredClone(data);
  const theirs = structuredClone(data);
  const ok = validate(mine);
  assert.is(ok, whole(theirs), `verdict on ${what}`);
  assert.is(JSON.stringify(mine), JSON.stringify(theirs), `data after validation (defaults, key order) of ${what}`);
  assert.equal(seen(validate.errors as Err[]), seen(whole.errors as Err[]), `errors on ${what}`);
}

const sections = Object.keys(schema.properties).filter((p) => schema.properties[p].type === 'object' && JSON.stringify(schema.properties[p].default) === '{}');
const junk: unknown[] = [null, 3, -1, 1.5, 'x', '', true, [], [1, 'a'], {}, { bogus: 1 }, { 'no/such': { deep: [] } }];

test('the sections are the top-level objects that default to {}', () => {
  assert.ok(sections.length >= 10, sections.join(', '));
  for (const p of ['query', 'compactor', 'storeGateway', 'queryFrontend', 'thanos']) assert.ok(sections.includes(p), p);
});

test('empty, not a map, and each section alone, empty or of the wrong type', () => {
  for (const d of [{}, null, 3, 'x', [], [{}], true]) same(d);
  for (const p of sections) for (const v of [{}, ...junk]) same({ [p]: v });
});

test('errors in several sections, the root and the rules come in ajv order', () => {
  same({ zzz: 1, replicas: 'two', query: { replicas: -1, bogus: true }, clusterDomain: 'Not A Domain', compactor: { enabled: true }, thanos: { version: 'latest' }, externalLabels: { 'bad-key': 'v', ok: 3 } });
  same({ queryFrontend: { enabled: true }, query: { enabled: false }, storeGateway: { enabled: true, replicas: 0 }, aaa: [] });
  same({ kind: 'PrometheusHA', apiVersion: 3, metadata: { name: 'x', extra: 1 }, target: { name: 3 }, networkPolicy: { queryHttpFrom: [{}] }, topologySpread: { maxSkew: 0 } });
  // propertyNames inside pod settings (a definition of its own) and the root's rules together.
  same({ compactor: { enabled: true, pod: { podLabels: { 'app.kubernetes.io/name': 'x', 'bad key': 'v' }, nodeSelector: { '-x': 'y' } } }, query: { pod: { tolerations: [{ operator: 'Sometimes' }] } } });
});

test('drawn configs, as drawn and with one value made wrong', () => {
  const configs = fc.sample(arb(schema) as fc.Arbitrary<Record<string, unknown>>, { seed: 14, numRuns: 300 });
  let n = 0;
  configs.forEach((c, i) => {
    same(c, `drawn config ${i}`);
    // One value somewhere in the config replaced by junk, at a place picked from the draw's index.
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (path.length) paths.push(path);
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(c, []);
    if (!paths.length) return;
    const path = paths[(i * 7919) % paths.length]!;
    const broken = structuredClone(c) as Record<string, any>;
    let at: Record<string, any> = broken;
    for (const k of path.slice(0, -1)) at = at[k];
    at[path.at(-1)!] = junk[i % junk.length];
    same(broken, `drawn config ${i} with ${path.join('.')} = ${JSON.stringify(junk[i % junk.length])}`);
    n++;
  });
  assert.ok(n > 250, `${n} broken configs compared`);
});

test.run();

/**
 * Property (issue 14 §5, "one truth"): when the function exits 0, `prometheus-ha check` on its
 * output reports no error about what the function made: the target Prometheus and the objects it
 * added. Over configs drawn from the schema (fixed seed, bounded; PROPERTY_QUICK runs a tenth) on
 * the tutorial base, and over the real setups of test/fixtures/brownfield/ (each Prometheus as the
 * target, with the default config and drawn ones). Every finding of `check` is computed by the
 * same code as the function's (core/checks.ts), so a disagreement is a bug in one of them.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stringify } from 'yaml';
import { check } from '../../functions/prometheus-ha/src/commands/check.js';
import { run } from '../../functions/prometheus-ha/src/commands/run.js';
import { TARGET_MARK } from '../../functions/prometheus-ha/src/core/model.js';
import { formatResult, type Result } from '../../functions/prometheus-ha/src/core/results.js';
import { isPrometheus } from '../../functions/prometheus-ha/src/core/transform.js';
import { readStream } from '../../functions/prometheus-ha/src/yaml/source.js';
import { docs, propertyCount as count, ROOT, SEED_BASE } from '../lib/helpers.js';
import { validConfigs } from '../lib/schema-arb.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);

const dir = mkdtempSync(join(tmpdir(), 'prometheus-ha-agree-'));
let n = 0;

/** The function as the kustomize legacy plugin (in-process), with this config. */
async function fnWith(values: Record<string, unknown>, base: string) {
  const cfg = join(dir, `config-${n++}.yaml`);
  writeFileSync(cfg, stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', metadata: { name: 'agree' }, ...values }));
  return run([cfg], { stdin: Buffer.from(base), env: {} });
}

/**
 * `check`'s errors on the function's output about the target and the objects the function added.
 * Left out, by design: a Service named by one of the user's query.endpoints (or by a --store or
 * --endpoint of query.extraArgs) that is not in the package: they name stores elsewhere, which
 * neither the function nor `check` can see.
 */
function disagreements(out: string, values: Record<string, unknown>, target: { name: string; namespace: string }): string[] {
  const objs = docs(out);
  const ours = new Set(objs.filter((o) => o?.metadata?.annotations?.[TARGET_MARK] === `${target.namespace}/${target.name}`).map((o) => `${o.kind}/${o.metadata.name}`));
  ours.add(`Prometheus/${target.name}`);
  const extraArgs = ((values.query as any)?.extraArgs ?? []) as string[];
  const extra = [...((values.query as any)?.endpoints ?? []), ...extraArgs.flatMap((a) => /^--(?:store|endpoint)=(.+)$/.exec(a)?.[1] ?? [])] as string[];
  const mine = (r: Result) => !r.resourceRef || ((r.resourceRef.namespace ?? 'default') === target.namespace && ours.has(`${r.resourceRef.kind}/${r.resourceRef.name}`));
  const outside = (r: Result) => /which is not in the input$/.test(r.message) && extra.some((e) => r.message.startsWith(`endpoint ${e} `));
  return check(readStream(out).items)
    .filter((r) => r.severity === 'error' && mine(r) && !outside(r))
    .map(formatResult);
}

/**
 * Rows that must be in every run (PROPERTY_QUICK too), besides the drawn ones: Query's extra flags
 * that its release lacks (refused) and has (run; `check` then finds none missing), at every
 * component's oldest known release.
 */
const ROWS: Record<string, unknown>[] = [
  { query: { extraArgs: ['--query.timeout=2m', '--store=thanos-store.example.com:10901'] } },
  { query: { version: 'v0.37.2', extraArgs: ['--store=thanos-store.example.com:10901'] } },
  { query: { version: 'v0.39.0', extraArgs: ['--enable-feature=promql-experimental-functions', '--query.no-such-flag'] } },
  { query: { version: 'v0.39.0', extraArgs: ['--enable-feature=promql-experimental-functions'] } },
  {
    thanos: { objectStorageConfig: { name: 'thanos-objstore', key: 'objstore.yml' } },
    compactor: { enabled: true, version: 'v0.32.5', downsampling: false },
    storeGateway: { enabled: true, version: 'v0.32.5' },
    queryFrontend: { enabled: true, version: 'v0.32.5', cache: { memcachedAddresses: ['memcached:11211'] } },
    query: { version: 'v0.32.5', extraArgs: ['--log.request.decision=LogFinishCall'] },
  },
];

const configs = [...ROWS, ...validConfigs(SEED, count(60))];

test(`${configs.length} drawn configs on the tutorial base: function exit 0 => check finds no error in its output`, async () => {
  let passed = 0;
  let flagRefused = 0;
  let flagsKept = 0;
  const failures: string[] = [];
  for (const [i, v] of configs.entries()) {
    const r = await fnWith(v, SEED_BASE);
    if (r.code !== 0) {
      if (r.stderr.includes('[THANOS_FLAG_UNKNOWN] query.extraArgs[')) flagRefused++;
      continue;
    }
    passed++;
    if (((v.query as any)?.extraArgs ?? []).length) flagsKept++;
    const d = disagreements(r.stdout, v, { name: 'prometheus', namespace: 'prometheus' });
    if (d.length) failures.push(`#${i} ${JSON.stringify(v)}\n    ${d.join('\n    ')}`);
  }
  assert.equal(failures.slice(0, 3), [], `${failures.length} disagreements`);
  // Most draws must run, or the property says little.
  assert.ok(passed >= configs.length / 2, `only ${passed} of ${configs.length} configs ran`);
  // query.extraArgs drawn both ways (test/lib/schema-arb.ts): flags the release has, and flags it lacks.
  assert.ok(flagRefused > 0 && flagsKept > 0, `query.extraArgs: ${flagRefused} configs refused for a flag, ${flagsKept} run with extra flags`);
  console.log(`  ${passed} of ${configs.length} ran (${flagsKept} with query.extraArgs), ${flagRefused} refused for a flag of query.extraArgs`);
});

/** The tutorial base with an extra sidecar flag that Thanos has from v0.37.2 on (thanos sidecar --help). */
const SIDECAR_BASE = SEED_BASE.replace(/^spec:\n/m, 'spec:\n  thanos:\n    additionalArgs:\n    - name: grpc-server-tls-min-version\n      value: "1.3"\n');

test(`a sidecar with an extra flag: the release thanos.version picks judged as check judges it`, async () => {
  assert.ok(SIDECAR_BASE.includes('additionalArgs'));
  const rows = ['v0.36.1', 'v0.37.2', '0.36.1-debian-12-r0', 'v0.99.0'].map((version) => ({ thanos: { version } }));
  const failures: string[] = [];
  let [ran, refused] = [0, 0];
  for (const [i, v] of [{}, ...rows, ...configs].entries()) {
    const r = await fnWith(v, SIDECAR_BASE);
    if (r.code !== 0) {
      if (r.stderr.includes('[THANOS_FLAG_UNKNOWN] Prometheus/prometheus/prometheus spec.thanos.additionalArgs[0]')) refused++;
      continue;
    }
    ran++;
    const d = disagreements(r.stdout, v, { name: 'prometheus', namespace: 'prometheus' });
    if (d.length) failures.push(`#${i} ${JSON.stringify(v)}\n    ${d.join('\n    ')}`);
  }
  assert.equal(failures.slice(0, 3), [], `${failures.length} disagreements`);
  assert.ok(ran > 0 && refused >= 2, `${ran} ran, ${refused} refused for the sidecar's flag`);
});

const FIXTURES = readdirSync(`${ROOT}test/fixtures/brownfield`).filter((f) => f.endsWith('.yaml') && !f.endsWith('.values.yaml'));

test(`the real setups (${FIXTURES.length} fixtures, each Prometheus the target): function exit 0 => check finds no error`, async () => {
  const failures: string[] = [];
  let ran = 0;
  for (const f of FIXTURES) {
    const text = readFileSync(`${ROOT}test/fixtures/brownfield/${f}`, 'utf8');
    const targets = readStream(text).items.filter(isPrometheus).map((p) => ({ name: p.meta.name!, namespace: p.meta.namespace ?? 'default' }));
    for (const target of targets) {
      for (const v of [{}, ...configs.slice(0, count(6))]) {
        const values = { ...v, target };
        const r = await fnWith(values, text);
        if (r.code !== 0) continue;
        ran++;
        const d = disagreements(r.stdout, values, target);
        if (d.length) failures.push(`${f} ${target.namespace}/${target.name} ${JSON.stringify(v)}\n    ${d.join('\n    ')}`);
      }
    }
  }
  assert.equal(failures.slice(0, 3), [], `${failures.length} disagreements`);
  assert.ok(ran > 0, 'no fixture ran');
});

test.run();

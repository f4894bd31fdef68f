/**
 * Every flag on every Thanos container the function emits exists in that Thanos release's --help
 * (test/fixtures/thanos-flags/): every golden output, and configs switching every component on at
 * the default release and at an older one users run. The chart renders the same (equivalence
 * tests); test/tools/validity.test.ts holds its renders to the same proof. And the table `check`
 * judges flags by (generated/thanos-flags.ts) against hand-picked facts of the Thanos CHANGELOG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { missingFlags } from '../../functions/prometheus-ha/src/core/checks.js';
import { injected } from '../../functions/prometheus-ha/src/core/model.js';
import { THANOS_FLAG_RELEASES } from '../../functions/prometheus-ha/src/generated/thanos-flags.js';
import { helpFlags, parseHelp } from '../../scripts/thanos-flags.js';
import { fn, goldenCases, resourceList, ROOT, SEED_ITEMS } from '../lib/helpers.js';
import { thanosContainers, unprovenFlags } from '../lib/thanos-flags.js';

for (const name of goldenCases()) {
  const file = `${ROOT}test/golden/${name}/expected.yaml`;
  if (!existsSync(file)) continue;
  test(`golden ${name}: every Thanos flag exists in its release`, () => {
    assert.equal(unprovenFlags(parse(readFileSync(file, 'utf8')).items), []);
  });
}

/** The Thanos components the function can emit (besides the operator's sidecar). */
const EVERY_COMPONENT = ['compact', 'query', 'query-frontend', 'store'];

/** Every component on, with the options that add flags. */
const everyComponent = (version: string): Record<string, unknown> => ({
  thanos: { objectStorageConfig: { name: 'thanos-objstore', key: 'objstore.yml' }, grpcServerTls: { secretName: 'grpc-server' }, serviceMonitor: { enabled: true } },
  compactor: { enabled: true, version, retention: { raw: '30d', fiveMinutes: '180d', oneHour: '1y' }, downsampling: false },
  storeGateway: { enabled: true, version },
  queryFrontend: { enabled: true, version, cache: { memcachedAddresses: ['memcached:11211'] } },
  query: { version, grpcClientTls: { secretName: 'grpc-client', serverName: 'thanos.example' }, replicaLabels: ['prometheus_replica', 'replica'], endpoints: ['thanos-sidecar.eu2.example.com:10901'], extraArgs: ['--query.timeout=2m'] },
});

for (const version of ['v0.42.4', 'v0.37.2']) {
  test(`every component on, Thanos ${version}: every flag exists in ${version}`, async () => {
    const config = stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', metadata: { name: 'ha' }, ...everyComponent(version) });
    const r = await fn(resourceList(SEED_ITEMS, config));
    assert.is(r.code, 0, r.stdout);
    const items = parse(r.stdout).items;
    const containers = thanosContainers(items);
    assert.equal([...new Set(containers.map((c) => c.component))].sort(), EVERY_COMPONENT, 'every component emitted');
    assert.ok(containers.every((c) => c.version === version), 'at the release asked for');
    assert.equal(unprovenFlags(items), []);
  });
}

/**
 * The flags the model itself writes (model.ts, every container's args, every option's), per
 * component: each is in every known release's help, so `check` (missingFlags) can find none of
 * them missing at whatever compactor.version, storeGateway.version, queryFrontend.version or
 * query.version a config picks: between two known releases both have it, beyond the newest it was
 * not dropped, older than the oldest there is no verdict. The function therefore judges only
 * query.extraArgs. A new model flag that an older release lacks fails here: emit it only from the
 * release that has it, or refuse the older versions by name.
 */
function modelFlags(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const strings = (e: unknown): string[] => (typeof e === 'string' ? [e] : e && typeof e === 'object' ? Object.values(e).flatMap(strings) : []);
  const walk = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    for (const [k, v] of Object.entries(e)) {
      if (k !== 'args') {
        walk(v);
        continue;
      }
      const s = strings(v);
      const component = s.find((x) => !x.startsWith('-'))!;
      out[component] = [...(out[component] ?? []), ...s.flatMap((x) => /^--[a-z0-9][a-z0-9._-]*/.exec(x)?.[0] ?? [])];
    }
  };
  for (const inj of injected) walk(inj.object());
  return out;
}

test("every flag the model writes is in every known release of its component: check can find none missing", () => {
  const flags = modelFlags();
  assert.equal(Object.keys(flags).sort(), EVERY_COMPONENT);
  const some: [string, string][] = [['query', '--endpoint'], ['query', '--grpc-client-tls-secure'], ['compact', '--deduplication.func'], ['compact', '--downsampling.disable'], ['store', '--grpc-server-tls-cert'], ['query-frontend', '--query-range.response-cache-config']];
  for (const [component, want] of some) {
    assert.ok(flags[component]!.includes(want), `${component} ${want} read from the model`);
  }
  for (const [component, argv] of Object.entries(flags)) {
    for (const version of [...THANOS_FLAG_RELEASES, 'v0.33.0', 'v0.39.0', '0.37.2-debian-12-r0', 'v0.50.0']) {
      assert.equal(missingFlags(component, version, argv), [], `${component} ${version}`);
    }
  }
});

test('the help parser reads what the Thanos CHANGELOG says', () => {
  const query = (v: string) => helpFlags(ROOT, v, 'query').map((f) => f.name);
  assert.ok(query('v0.37.2').includes('store'), '--store up to v0.37');
  assert.not.ok(query('v0.38.0').includes('store'), '--store removed in v0.38.0');
  assert.ok(query('v0.32.5').includes('endpoint') && query('v0.42.4').includes('endpoint'));
  const wait = helpFlags(ROOT, 'v0.42.4', 'compact').find((f) => f.name === 'wait');
  assert.equal(wait, { name: 'wait', bool: true }, '-w, --[no-]wait');
  assert.equal(helpFlags(ROOT, 'v0.37.2', 'compact').find((f) => f.name === 'wait'), { name: 'wait', bool: true }, '-w, --wait');
  assert.equal(parseHelp('      --objstore.config=<content>\n                                --wait flag specified.\n'), [{ name: 'objstore.config', bool: false }], 'wrapped descriptions are not flags');
});

const cases: [string, string, string, string[], string[]][] = [
  ['a known release with its flags', 'compact', 'v0.42.4', ['--wait', '--deduplication.func=penalty', '--retention.resolution-raw=30d'], []],
  ['a boolean negated', 'compact', 'v0.37.2', ['--no-wait', '--no-downsampling.disable'], []],
  ['a flag no release has', 'query', 'v0.42.4', ['--query.no-such-flag=1'], ['--query.no-such-flag']],
  ['a non-boolean negated', 'query', 'v0.42.4', ['--no-endpoint'], ['--no-endpoint']],
  ['--store after its removal', 'query', 'v0.38.0', ['--store=x:1'], ['--store']],
  ['--store before it', 'query', 'v0.37.2', ['--store=x:1'], []],
  ['a flag newer than the release', 'query', 'v0.37.2', ['--grpc-client-tls-min-version=1.3'], ['--grpc-client-tls-min-version']],
  ['bitnami tag of a known release', 'query', '0.37.2-debian-12-r0', ['--grpc-client-tls-min-version=1.3'], ['--grpc-client-tls-min-version']],
  // between v0.38.0 (without) and v0.39.2 (with): perhaps added in between, so no verdict
  ['between two releases that disagree', 'query', 'v0.39.0', ['--enable-feature=x'], []],
  ['between two releases that agree', 'query', 'v0.39.0', ['--store=x:1'], ['--store']],
  ['newer than every known release: a removed flag stays removed', 'query', 'v0.50.0', ['--store=x:1'], ['--store']],
  ['newer than every known release: a new flag may exist', 'query', 'v0.50.0', ['--query.brand-new'], []],
  ['older than every known release: no verdict', 'query', 'v0.29.0', ['--query.no-such-flag'], []],
  ['not a version', 'query', 'latest', ['--query.no-such-flag'], []],
  ['a component without help texts', 'receive', 'v0.42.4', ['--anything'], []],
  ['Query by its old name', 'querier', 'v0.42.4', ['--store=x:1'], []],
  ['a name Object.prototype has', 'query', 'v0.42.4', ['--constructor', '--no-constructor', '--tostring'], ['--constructor', '--no-constructor', '--tostring']],
];
for (const [name, component, version, argv, want] of cases) {
  test(`check's flag table: ${name}`, () => assert.equal(missingFlags(component, version, argv).map((m) => m.flag), want));
}

/**
 * The function refuses Query's extra flags that its release (query.version) lacks, as `check`
 * would of its output (core/checks.ts extraArgsRefusals, the same table): exit 1, the field, the
 * flag, the release, and what to write instead where the table knows it.
 */
const refusals: [string, Record<string, unknown>, { field: string; message: RegExp }[]][] = [
  ['--store at the default release', { extraArgs: ['--query.timeout=2m', '--store=thanos-store.eu2:10901'] }, [{ field: 'query.extraArgs[1]', message: /^Thanos v0\.42\.4 \(query\.version\) has no --store flag for query \(thanos query --help of v0\.42\.4\): Query would exit at start-up; use --endpoint=thanos-store\.eu2:10901 instead$/ }]],
  ['a flag no release has, twice', { extraArgs: ['--query.no-such-flag=1', '--query.timeout=2m', '--query.no-such-flag=2'] }, [0, 2].map((i) => ({ field: `query.extraArgs[${i}]`, message: /has no --query\.no-such-flag flag for query .*; remove it, or set query\.version to a release that has it$/ }))],
  ['a flag newer than a bitnami tag', { version: '0.37.2-debian-12-r0', extraArgs: ['--grpc-client-tls-min-version=1.3'] }, [{ field: 'query.extraArgs[0]', message: /^Thanos 0\.37\.2-debian-12-r0 \(query\.version\) has no --grpc-client-tls-min-version flag for query \(thanos query --help of v0\.37\.2\)/ }]],
  ['between two releases that agree', { version: 'v0.39.0', extraArgs: ['--store=a.example:10901'] }, [{ field: 'query.extraArgs[0]', message: /--help of v0\.38\.0 and v0\.39\.2\)/ }]],
  ['--store before its removal', { version: 'v0.37.2', extraArgs: ['--store=a.example:10901'] }, []],
  ['between two releases that disagree', { version: 'v0.39.0', extraArgs: ['--enable-feature=promql-experimental-functions'] }, []],
  ['older than every known release', { version: 'v0.29.0', extraArgs: ['--query.no-such-flag'] }, []],
  ['a boolean negated', { extraArgs: ['--no-query.partial-response'] }, []],
  ['no Query of ours', { enabled: false, extraArgs: ['--query.no-such-flag'] }, []],
];
for (const [name, query, want] of refusals) {
  test(`the function judges query.extraArgs as check does: ${name}`, async () => {
    const config = stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', metadata: { name: 'ha' }, query });
    const r = await fn(resourceList(SEED_ITEMS, config));
    const results = (parse(r.stdout).results ?? []).filter((x: any) => x.tags?.code === 'THANOS_FLAG_UNKNOWN');
    assert.is(r.code, want.length ? 1 : 0, r.stderr);
    assert.is(results.length, want.length, r.stderr);
    want.forEach((w, i) => {
      assert.equal([results[i].severity, results[i].field?.path], ['error', w.field]);
      assert.match(results[i].message, w.message);
    });
    // Refused: the input comes back as it was.
    if (want.length) assert.not.ok(r.stdout.includes('thanos-query'), 'nothing added');
  });
}

/** The base's extra sidecar flags at the release the config picks (core/checks.ts sidecarFlagFindings, as `check`). */
const SIDECAR_ITEMS = SEED_ITEMS.map((d) => d.replace(/^spec:\n/m, 'spec:\n  thanos:\n    additionalArgs:\n    - name: log.level\n      value: debug\n    - name: grpc-server-tls-min-version\n      value: "1.3"\n'));
const sidecarRows: [string, Record<string, unknown>, boolean][] = [
  ['the default release', {}, false],
  ['a release without the flag', { version: 'v0.36.1' }, true],
  ['the release that added it', { version: 'v0.37.2' }, false],
];
for (const [name, thanos, refused] of sidecarRows) {
  test(`the function judges the base's spec.thanos.additionalArgs as check does: ${name}`, async () => {
    assert.ok(SIDECAR_ITEMS.some((d) => d.includes('grpc-server-tls-min-version')));
    const config = stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', metadata: { name: 'ha' }, thanos });
    const r = await fn(resourceList(SIDECAR_ITEMS, config));
    assert.is(r.code, refused ? 1 : 0, r.stderr);
    const results = (parse(r.stdout).results ?? []).filter((x: any) => x.tags?.code === 'THANOS_FLAG_UNKNOWN');
    if (!refused) return assert.is(results.length, 0);
    assert.equal(results.map((x: any) => [x.resourceRef?.kind, x.field?.path]), [['Prometheus', 'spec.thanos.additionalArgs[1]']]);
    assert.is(results[0].message, 'Thanos v0.36.1 has no --grpc-server-tls-min-version flag for sidecar (thanos sidecar --help of v0.36.1): the sidecar exits at start-up; remove it from spec.thanos.additionalArgs, or set thanos.version to a release that has it');
  });
}

test('the proof itself fails on a flag the release lacks, and on a release without help', () => {
  const dep = (image: string, args: string[]) => ({ kind: 'Deployment', metadata: { name: 'q' }, spec: { template: { spec: { containers: [{ name: 'q', image, args }] } } } });
  assert.equal(unprovenFlags([dep('quay.io/thanos/thanos:v0.42.4', ['query', '--endpoint=a:1'])]), []);
  assert.match(unprovenFlags([dep('quay.io/thanos/thanos:v0.42.4', ['query', '--store=a:1'])]).join(), /has no --store/);
  assert.match(unprovenFlags([dep('quay.io/thanos/thanos:v0.30.0', ['query'])]).join(), /no vendored help/);
  assert.equal(thanosContainers([dep('nginx:1', ['nginx'])]), []);
});

test.run();

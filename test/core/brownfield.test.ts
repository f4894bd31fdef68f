/**
 * Every real setup in test/fixtures/brownfield/ (other people's manifests, SOURCES.md) with the
 * default config: exit 0 and `check` finds no error on the output, except the documented refusals
 * (a TLS sidecar without query.grpcClientTls), which then work with the config that message names.
 * A Query of the fixture's own under ours's name is kept in its place (query-adoption.test.ts). What the base chose stays (issue 14, 1-3).
 */
import { readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, DEFAULT_CONFIG, docs, find, read } from '../lib/helpers.js';

const DIR = 'test/fixtures/brownfield/';
const fixtures = readdirSync(DIR.replace(/^/, new URL('../..', import.meta.url).pathname)).filter((f) => f.endsWith('.yaml') && !f.endsWith('.values.yaml'));
const tmp = mkdtempSync(join(tmpdir(), 'prometheus-ha-brownfield-'));

const TLS = 'query:\n  grpcClientTls:\n    secretName: thanos-query-grpc-tls\n';
/** The refusals a fixture gets with the default config, and the config that the message names. */
const REFUSED: Record<string, { code: string; config: string; names: RegExp; checkErrors?: RegExp }> = {
  'openshift-cluster-monitoring-operator.yaml': { code: 'GRPC_TLS_MISMATCH', config: TLS, names: /query\.grpcClientTls/ },
  'openshift-user-workload-monitoring.yaml': { code: 'GRPC_TLS_MISMATCH', config: TLS, names: /query\.grpcClientTls/ },
};

function render(fixture: string, extra = '') {
  const cfg = join(tmp, `${fixture}-${extra ? 'extra' : 'default'}.yaml`);
  writeFileSync(cfg, DEFAULT_CONFIG + extra);
  return bin([cfg], read(DIR + fixture), { env: { PROMETHEUS_HA_VERBOSE: '1' } });
}

const prom = (text: string) => find(docs(text), 'Prometheus')[0];

test('the fixtures are there', () => assert.ok(fixtures.length >= 15, fixtures.join(', ')));

for (const fixture of fixtures) {
  test(`brownfield ${fixture}: the default config works (or the documented refusal), check finds no error`, () => {
    let r = render(fixture);
    const refused = REFUSED[fixture];
    if (refused) {
      assert.is(r.code, 1, `expected the ${refused.code} refusal: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`\\[${refused.code}\\]`));
      assert.match(r.stderr, refused.names, 'the refusal names the config that works');
      r = render(fixture, refused.config);
    }
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /AFFINITY_CONFLICT/);
    const c = bin(['check'], r.stdout);
    const errors = c.stdout.split('\n').filter((l) => l.startsWith('error'));
    if (refused?.checkErrors) assert.equal(errors.filter((l) => !refused.checkErrors!.test(l)), [], c.stdout);
    else assert.is(c.code, 0, c.stdout);
    // Idempotent: the output, run again, is the output.
    const cfg = join(tmp, `${fixture}-again.yaml`);
    writeFileSync(cfg, DEFAULT_CONFIG + (refused?.config ?? ''));
    assert.is(bin([cfg], r.stdout, { env: { PROMETHEUS_HA_VERBOSE: '1' } }).stdout, r.stdout);
    // The base's own podAntiAffinity is kept as written.
    const before = prom(read(DIR + fixture));
    if (before.spec?.affinity?.podAntiAffinity) assert.equal(prom(r.stdout).spec.affinity.podAntiAffinity, before.spec.affinity.podAntiAffinity);
    if (typeof before.spec?.replicas === 'number' && before.spec.replicas >= 2) assert.is(prom(r.stdout).spec.replicas, before.spec.replicas);
    if (before.spec?.thanos?.resources) assert.equal(prom(r.stdout).spec.thanos.resources, before.spec.thanos.resources);
    if (before.spec?.thanos?.version) assert.equal(prom(r.stdout).spec.thanos.version, before.spec.thanos.version);
  });
}

test('OpenShift: with query.grpcClientTls, Query speaks TLS to the sidecars, from the Secret mounted read-only', () => {
  const r = render('openshift-cluster-monitoring-operator.yaml', `${TLS}    serverName: prometheus-k8s-thanos-sidecar\n`);
  assert.is(r.code, 0, r.stderr);
  const q = find(docs(r.stdout), 'Deployment', 'thanos-query')[0];
  const pod = q.spec.template.spec;
  const args: string[] = pod.containers[0].args;
  for (const a of ['--grpc-client-tls-secure', '--grpc-client-tls-cert=/etc/thanos/grpc-client-tls/tls.crt', '--grpc-client-tls-key=/etc/thanos/grpc-client-tls/tls.key', '--grpc-client-tls-ca=/etc/thanos/grpc-client-tls/ca.crt', '--grpc-client-server-name=prometheus-k8s-thanos-sidecar']) {
    assert.ok(args.includes(a), `${a} not in ${args.join(' ')}`);
  }
  assert.equal(pod.volumes, [{ name: 'grpc-client-tls', secret: { secretName: 'thanos-query-grpc-tls' } }]);
  assert.equal(pod.containers[0].volumeMounts, [{ name: 'grpc-client-tls', mountPath: '/etc/thanos/grpc-client-tls', readOnly: true }]);
  // Its required hostname rule is adopted; its sidecar (image "", version 0.42.4, 1m/25Mi) stays.
  assert.match(r.stderr + r.stdout, /AFFINITY_KEPT|kept the Prometheus's own podAntiAffinity/);
  const p = prom(r.stdout);
  assert.is(p.spec.thanos.image, '');
  assert.is(p.spec.thanos.version, '0.42.4');
  assert.equal(p.spec.thanos.resources, { requests: { cpu: '1m', memory: '25Mi' } });
});

test('kube-prometheus-stack -ha: replicas 3, its pinned v0.39.2 sidecar and resources stay', () => {
  const r = render('kube-prometheus-stack-88.5.3-ha.yaml');
  assert.is(r.code, 0, r.stderr);
  const p = prom(r.stdout);
  assert.is(p.spec.replicas, 3);
  assert.is(p.spec.thanos.image, 'quay.io/thanos/thanos:v0.39.2');
  assert.is(p.spec.thanos.version, 'v0.39.2');
  // An explicit config value does overwrite, with old -> new.
  const r2 = render('kube-prometheus-stack-88.5.3-ha.yaml', 'replicas: 4\nthanos:\n  version: v0.42.4\n');
  assert.is(r2.code, 0, r2.stderr);
  assert.is(prom(r2.stdout).spec.replicas, 4);
  assert.is(prom(r2.stdout).spec.thanos.image, 'quay.io/thanos/thanos:v0.42.4');
});

const GROWN = 'thanos:\n  objectStorageConfig: {name: thanos-objstore, key: objstore.yml}\ncompactor:\n  enabled: true\nstoreGateway:\n  enabled: true\nqueryFrontend:\n  enabled: true\n';

test('the operator\'s sharded example (shards: 2), hard: one shard\'s replicas kept apart, not every pod', () => {
  const r = render('prometheus-operator-shards.yaml', `antiAffinity:\n  mode: hard\n${GROWN}`);
  assert.is(r.code, 0, r.stderr);
  const term = prom(r.stdout).spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
  assert.equal(term.matchLabelKeys, ['operator.prometheus.io/shard']);
  const c = bin(['check'], r.stdout);
  assert.is(c.code, 0, c.stdout);
  // Nothing deduplicates by the shard label: Query and the Compactor by the replica label only.
  assert.not.match(r.stdout, /replica-label=operator\.prometheus\.io\/shard|replica-label=prometheus_shard/);
  assert.match(r.stdout, /--deduplication\.replica-label=prometheus_replica/);
});

test('kube-prometheus-stack -ha with every component: the Compactor deduplicates by its replica label "replica", check is clean', () => {
  const r = render('kube-prometheus-stack-88.5.3-ha.yaml', GROWN);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /--deduplication\.replica-label=replica\n/);
  const c = bin(['check'], r.stdout);
  assert.is(c.code, 0, c.stdout);
  assert.not.match(c.stdout, /COMPACTOR|STORE_GATEWAY/);
});

test('externalLabels naming the operator\'s replica or prometheus label: an error', () => {
  for (const label of ['prometheus_replica', 'prometheus']) {
    const r = render('kube-prometheus-v0.18.0.yaml', `externalLabels:\n  ${label}: x\n`);
    assert.is(r.code, 1, label);
    assert.match(r.stderr, /EXTERNAL_LABEL_RESERVED/);
  }
  // kube-prometheus-stack -ha names its replica label "replica".
  const r = render('kube-prometheus-stack-88.5.3-ha.yaml', 'externalLabels:\n  replica: x\n');
  assert.is(r.code, 1);
  assert.match(r.stderr, /externalLabels\.replica names the label the operator sets itself \(spec\.replicaExternalLabelName\)/);
});

test.run();

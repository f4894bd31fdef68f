/**
 * A Thanos Query the input already has (issue 14: every real setup runs with the default config).
 * The Prometheus Operator's own example/thanos (test/fixtures/brownfield/prometheus-operator-thanos.yaml,
 * prometheus-operator v0.93.0) ships a Query Deployment and Service named thanos-query, ours's
 * default names. One that already reads the Prometheus as ours would is kept in place of ours
 * (QUERY_KEPT); one that does not is refused, and the refusal says why (NAME_CONFLICT). Each row
 * changes one thing of the operator's manifests; every run goes through both readers (fn).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { bin, DEFAULT_CONFIG, find, fn, read, resourceList, withoutResults } from '../lib/helpers.js';

const FIXTURE = read('test/fixtures/brownfield/prometheus-operator-thanos.yaml');
const ITEMS = FIXTURE.split(/^---\n/m).filter((d) => d.includes('kind:'));
const QUERY = ITEMS.find((d) => /kind: Deployment/.test(d))!;

/** The fixture with one text replaced (it must occur), as a ResourceList with the config. */
function input(from: string, to: string, config = '', items = ITEMS): string {
  const changed = items.map((d) => d.replace(from, to));
  assert.ok(changed.join('') !== items.join('') || from === to, `"${from}" is not in the fixture`);
  return resourceList(changed, DEFAULT_CONFIG + config);
}

const codes = (out: string): string[] => (parse(out).results ?? []).map((r: any) => r.tags?.code);
const queryDeployments = (out: string) => find(parse(out).items, 'Deployment');

test('the operator\'s example: its Query reads the Prometheus as ours would, so it is kept and ours is not added', async () => {
  const r = await fn(input('', ''));
  assert.is(r.code, 0, r.stderr);
  const out = parse(r.stdout);
  const kept = out.results.find((x: any) => x.tags?.code === 'QUERY_KEPT');
  assert.ok(kept, r.stdout);
  assert.equal(kept.resourceRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'thanos-query', namespace: 'default' });
  assert.match(kept.message, /through Service default\/thanos-sidecar; it deduplicates by "prometheus_replica", "thanos_ruler_replica"/);
  assert.match(kept.message, /it runs 1 replica/);
  // The user's Query and its Service are passed through as written; none of ours with Query's names.
  assert.is(queryDeployments(r.stdout).length, 1);
  assert.equal(queryDeployments(r.stdout)[0].spec, parse(QUERY).spec, 'the Query Deployment as written');
  assert.equal(find(out.items, 'Service', 'thanos-query')[0].metadata.labels, { 'app.kubernetes.io/name': 'thanos-query' });
  assert.not.ok(out.items.some((o: any) => o.metadata?.labels?.['app.kubernetes.io/component'] === 'query'), 'no Query object of ours');
  // The rest of the product is there: the Prometheus made HA, the store-API Service, its budget.
  assert.ok(find(out.items, 'Service', 'thanos-store-api').length);
  assert.ok(find(out.items, 'PodDisruptionBudget', 'prometheus-self').length);
  // Idempotent, and check finds no error on it.
  const again = await fn(r.stdout);
  assert.is(withoutResults(again.stdout), withoutResults(r.stdout));
  const c = bin(['check'], r.stdout);
  assert.is(c.code, 0, c.stdout);
});

/** Rows: one change to the operator's example; the reason it is refused (a message fragment). */
const REFUSED: [string, string, string, RegExp][] = [
  ['no replica label of the Prometheus', '        - --query.replica-label=prometheus_replica\n', '', /it runs thanos query, but cannot stand in for ours: Query deduplicates by "thanos_ruler_replica" but Prometheus default\/self marks its replicas with "prometheus_replica".*add --query\.replica-label=prometheus_replica/],
  ['an endpoint to another Service', '_grpc._tcp.thanos-sidecar.default', '_grpc._tcp.elsewhere.default', /none of its endpoints \(--endpoint=dnssrv\+_grpc\._tcp\.elsewhere\.default\.svc\.cluster\.local, --endpoint=dnssrv\+_grpc\._tcp\.thanos-ruler\.default\.svc\.cluster\.local\) names a Service of the input, in default, that selects this Prometheus's pods/],
  ['an endpoint in another namespace', '_grpc._tcp.thanos-sidecar.default', '_grpc._tcp.thanos-sidecar.monitoring', /none of its endpoints/],
  ['the sidecar Service not headless', '  clusterIP: None\n', '', /Service default\/thanos-sidecar is not headless/],
  ['the SRV port name not on the Service', '_grpc._tcp.thanos-sidecar', '_grpcs._tcp.thanos-sidecar', /Service default\/thanos-sidecar has no port named "grpcs"/],
  ['a sidecar that serves TLS', '  thanos:\n    version: v0.42.2\n', '  thanos:\n    version: v0.42.2\n    grpcServerTlsConfig:\n      certFile: /etc/tls/tls.crt\n      keyFile: /etc/tls/tls.key\n', /has no --grpc-client-tls-secure: it speaks plain gRPC and cannot connect/],
];

for (const [what, from, to, why] of REFUSED) {
  test(`a Query of the input named thanos-query, refused with the reason: ${what}`, async () => {
    // The TLS row also gets the Query TLS config, so that only the Query's own refusal remains.
    const r = await fn(input(from, to, /TLS/.test(what) ? 'query:\n  grpcClientTls:\n    secretName: tls\n' : ''));
    assert.is(r.code, 1, r.stdout);
    assert.ok(codes(r.stdout).includes('NAME_CONFLICT'), r.stdout);
    const msg = parse(r.stdout).results.find((x: any) => x.tags?.code === 'NAME_CONFLICT' && x.resourceRef.kind === 'Deployment').message;
    assert.match(msg, why);
    assert.match(msg, /rename ours \(query\.name\)/);
    // Renaming ours adds ours beside it; switching ours off keeps theirs.
    for (const fix of ['query:\n  name: prom-query\n  service:\n    name: prom-query\n', 'query:\n  enabled: false\n']) {
      const tls = /TLS/.test(what) && fix.includes('name:') ? '  grpcClientTls:\n    secretName: tls\n' : '';
      const ok = await fn(input(from, to, fix + tls));
      assert.is(ok.code, 0, `${fix}: ${ok.stderr}`);
    }
  });
}

test('a Query of the input under a name that says no namespace reaches the Prometheus from any namespace', async () => {
  const r = await fn(input('dnssrv+_grpc._tcp.thanos-sidecar.default.svc.cluster.local', 'dnssrv+_grpc._tcp.thanos-sidecar'));
  assert.is(r.code, 0, r.stderr);
  assert.ok(codes(r.stdout).includes('QUERY_KEPT'));
  // host:port names (by port number) count as well.
  const p = await fn(input('dnssrv+_grpc._tcp.thanos-sidecar.default.svc.cluster.local', 'thanos-sidecar.default.svc:10901'));
  assert.is(p.code, 0, p.stderr);
  assert.ok(codes(p.stdout).includes('QUERY_KEPT'));
});

test('a Query of the input under another name: ours is added beside it, and the result says how to keep only theirs', async () => {
  // Their Deployment and Service both renamed my-query.
  const renamed = ITEMS.map((d) => d.replace(/name: thanos-query\n  namespace/, 'name: my-query\n  namespace'));
  const r = await fn(input('', '', '', renamed));
  assert.is(r.code, 0, r.stderr);
  assert.equal(queryDeployments(r.stdout).map((d: any) => d.metadata.name).sort(), ['my-query', 'thanos-query'].sort());
  const other = parse(r.stdout).results.find((x: any) => x.tags?.code === 'QUERY_OTHER');
  assert.ok(other, r.stdout);
  assert.match(other.message, /set query\.name: my-query to keep yours in place of ours/);
  const kept = await fn(input('', '', 'query:\n  name: my-query\n', renamed));
  assert.is(kept.code, 0, kept.stderr);
  assert.ok(codes(kept.stdout).includes('QUERY_KEPT'));
  assert.is(queryDeployments(kept.stdout).length, 1);
});

test('a kept Query and a sidecar the config makes serve TLS: refused, the Query would not connect', async () => {
  const r = await fn(input('', '', 'thanos:\n  grpcServerTls:\n    secretName: sidecar-tls\nquery:\n  grpcClientTls:\n    secretName: tls\n'));
  assert.is(r.code, 1, r.stdout);
  const msg = parse(r.stdout).results.find((x: any) => x.tags?.code === 'GRPC_TLS_MISMATCH').message;
  assert.match(msg, /thanos-query of the input, kept in place of ours, has no --grpc-client-tls-secure/);
  // With TLS flags on the user's Query, it is kept.
  const ok = await fn(input('        - --log.level=debug\n', '        - --log.level=debug\n        - --grpc-client-tls-secure\n', 'thanos:\n  grpcServerTls:\n    secretName: sidecar-tls\nquery:\n  grpcClientTls:\n    secretName: tls\n'));
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(codes(ok.stdout).includes('QUERY_KEPT'));
});

const GROWN = 'thanos:\n  objectStorageConfig: {name: thanos-objstore, key: objstore.yml}\ncompactor:\n  enabled: true\nstoreGateway:\n  enabled: true\nqueryFrontend:\n  enabled: true\n';

test('a kept Query and the components that expect ours: warned where it falls short, with the fix', async () => {
  const r = await fn(input('', '', GROWN));
  assert.is(r.code, 0, r.stderr);
  const results = parse(r.stdout).results;
  const sg = results.find((x: any) => x.tags?.code === 'STORE_GATEWAY_UNREACHED');
  assert.ok(sg, r.stdout);
  assert.is(sg.severity, 'warning');
  assert.match(sg.message, /add --endpoint=dnssrv\+_grpc\._tcp\.thanos-store\.default\.svc\.cluster\.local to it/);
  // The operator's Service thanos-query serves Query's HTTP port 10902: the Query Frontend reaches it.
  assert.not.ok(results.some((x: any) => x.tags?.code === 'FRONTEND_DOWNSTREAM'), r.stdout);
  // With that endpoint added, no warning; check agrees.
  const fixed = await fn(input('        - --log.level=debug\n', '        - --log.level=debug\n        - --endpoint=dnssrv+_grpc._tcp.thanos-store.default.svc.cluster.local\n', GROWN));
  assert.is(fixed.code, 0, fixed.stderr);
  assert.not.ok(codes(fixed.stdout).includes('STORE_GATEWAY_UNREACHED'), fixed.stdout);
  const c = bin(['check'], fixed.stdout);
  assert.not.match(c.stdout, /STORE_GATEWAY_UNREACHED/);
  // A Query Service on another port, or of another name: the Query Frontend would not reach the kept Query.
  for (const [from, to, why] of [['    port: 10902\n    targetPort: http\n  selector:\n    app.kubernetes.io/name: thanos-query', '    port: 9090\n    targetPort: http\n  selector:\n    app.kubernetes.io/name: thanos-query', /has no port 10902/], ['', '', /is not in the input/]] as const) {
    const cfg = why.source.includes('not in') ? `${GROWN}query:\n  service:\n    name: other\n` : GROWN;
    const w = await fn(input(from, to, cfg));
    assert.is(w.code, 0, w.stderr);
    const fd = parse(w.stdout).results.find((x: any) => x.tags?.code === 'FRONTEND_DOWNSTREAM');
    assert.ok(fd, w.stdout);
    assert.match(fd.message, why);
    assert.match(fd.message, /set query\.service\.name to the Service of the Query default\/thanos-query/);
  }
});

test('a Deployment named thanos-query that runs no Thanos Query is still a plain name conflict', async () => {
  const r = await fn(input('        - query\n', '        - store\n'));
  assert.is(r.code, 1);
  const msg = parse(r.stdout).results.find((x: any) => x.tags?.code === 'NAME_CONFLICT' && x.resourceRef.kind === 'Deployment').message;
  assert.not.match(msg, /thanos query/);
});

test.run();

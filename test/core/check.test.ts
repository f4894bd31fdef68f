/** `prometheus-ha check` on hand-made broken setups: each finding named, nothing changed. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { bin, DEFAULT_CONFIG, fn, read, resourceList, ROOT, SEED_BASE } from '../lib/helpers.js';

const codes = (out: string) => [...out.matchAll(/^(error|warning) \[([A-Z_]+)\]/gm)].map((m) => `${m[1]} ${m[2]}`);

async function check(yaml: string) {
  return fn(yaml, ['check']);
}

const ours = bin(['kustomize/seed/prometheus-ha.yaml'], SEED_BASE).stdout;
const tutorial = read('test/fixtures/check/tutorial-final.yaml');

test('what prometheus-ha emits passes the check', async () => {
  const r = await check(ours);
  assert.is(r.code, 0, r.stdout);
  assert.equal(codes(r.stdout), []);
});

test('what prometheus-ha emits with every component on passes the check', async () => {
  const config = `${DEFAULT_CONFIG}thanos:\n  objectStorageConfig: {name: objstore, key: objstore.yml}\ncompactor:\n  enabled: true\nstoreGateway:\n  enabled: true\nqueryFrontend:\n  enabled: true\n`;
  const out = await fn(resourceList(SEED_BASE.split(/^---\n/m).filter((d) => d.trim()), config));
  assert.is(out.code, 0, out.stdout);
  // As plain documents, so that check prints one line per finding.
  const stream = (parse(out.stdout).items as unknown[]).map((o) => stringify(o)).join('---\n');
  assert.match(stream, /kind: StatefulSet/);
  const r = await check(stream);
  assert.equal(codes(r.stdout), []);
  assert.is(r.code, 0);
  // Query no longer pointed at the Store Gateway: its blocks are not queried.
  const cut = await check(stream.replace(/^ *- --endpoint=dnssrv\+_grpc\._tcp\.thanos-store\..*\n/m, ''));
  assert.equal(codes(cut.stdout), ['warning STORE_GATEWAY_UNREACHED']);
  assert.match(cut.stdout, /StatefulSet\/prometheus\/thanos-store metadata.name: no Thanos Query in the input reaches this Store Gateway/);
});

/** What the function emits with every component on, as plain documents (check then prints one line per finding). */
let everyComponent: Promise<string[]> | undefined;
const everyComponentDocs = (): Promise<string[]> =>
  (everyComponent ??= (async () => {
    const config = `${DEFAULT_CONFIG}thanos:\n  objectStorageConfig: {name: objstore, key: objstore.yml}\ncompactor:\n  enabled: true\nstoreGateway:\n  enabled: true\nqueryFrontend:\n  enabled: true\n`;
    const out = await fn(resourceList(SEED_BASE.split(/^---\n/m).filter((d) => d.trim()), config));
    assert.is(out.code, 0, out.stdout);
    return (parse(out.stdout).items as unknown[]).map((o) => stringify(o));
  })());
const isDoc = (kind: string, name: string) => (d: string) => new RegExp(`^kind: ${kind}\n`, 'm').test(d) && new RegExp(`^  name: ${name}\n`, 'm').test(d);

const bucketCases: [string, (docs: string[]) => string[], string[]][] = [
  ['a second Compactor on the same bucket', (d) => [...d, d.find(isDoc('StatefulSet', 'thanos-compact'))!.replace(/^  name: thanos-compact$/m, '  name: thanos-compact-2')], ['error COMPACTOR_DUPLICATE', 'error COMPACTOR_DUPLICATE']],
  ['a Compactor with two replicas', (d) => d.map((x) => (isDoc('StatefulSet', 'thanos-compact')(x) ? x.replace(/^  replicas: 1$/m, '  replicas: 2') : x)), ['error COMPACTOR_DUPLICATE']],
  ['a Compactor deduplicating by another label', (d) => d.map((x) => x.replace('--deduplication.replica-label=prometheus_replica', '--deduplication.replica-label=replica')), ['warning COMPACTOR_DEDUP']],
  ['a Compactor deduplicating 1:1, not by penalty', (d) => d.map((x) => x.replace(/^ *- --deduplication.func=penalty\n/m, '')), ['warning COMPACTOR_DEDUP']],
  ['object storage without a Compactor', (d) => d.filter((x) => !isDoc('StatefulSet', 'thanos-compact')(x)), ['warning COMPACTOR_MISSING']],
  [
    'object storage without a Store Gateway',
    (d) => d.filter((x) => !isDoc('StatefulSet', 'thanos-store')(x) && !isDoc('Service', 'thanos-store')(x)).map((x) => x.replace(/^ *- --endpoint=dnssrv\+_grpc\._tcp\.thanos-store\..*\n/m, '')),
    ['warning STORE_GATEWAY_MISSING'],
  ],
];
for (const [name, mutate, want] of bucketCases) {
  test(`object storage: finds ${name}`, async () => {
    const docs = await everyComponentDocs();
    const changed = mutate(docs);
    assert.is.not(changed.join('---\n'), docs.join('---\n'), 'the edit applied');
    const r = await check(changed.join('---\n'));
    assert.equal(codes(r.stdout).sort(), want, r.stdout);
    assert.is(r.code, want.some((c) => c.startsWith('error')) ? 1 : 0);
  });
}

test('the tutorial as written: old sidecar, one Query replica, but it deduplicates', async () => {
  const r = await check(tutorial);
  assert.equal(codes(r.stdout).sort(), ['warning REPLICAS_TOO_FEW', 'warning SIDECAR_VERSION']);
  assert.is(r.code, 0);
});

test('the tutorial with today\'s Thanos image but the old --store flag: Query will not start', async () => {
  const r = await check(tutorial.replace('thanos:v0.29.0', 'thanos:v0.42.4'));
  assert.ok(codes(r.stdout).includes('error THANOS_FLAG_UNKNOWN'), r.stdout);
  assert.match(r.stdout, /use --endpoint=dnssrv\+_grpc/);
  assert.is(r.code, 1);
});

test('a flag newer than the image\'s release, on any Thanos container: it exits at start-up', async () => {
  const compactor = `---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: thanos-compact
  namespace: prometheus
spec:
  template:
    spec:
      containers:
      - name: thanos-compact
        image: bitnami/thanos:0.37.2-debian-12-r0
        command: [thanos, compact, --no-wait, --objstore.config-file=/etc/objstore.yml]
        args: [--auto-gomemlimit.ratio=0.8, --downsampling.no-such-flag]
`;
  const r = await check(tutorial.replace('thanos:v0.29.0', 'thanos:v0.37.2').replace('"--store.sd-dns-resolver=miekgdns"', '"--grpc-client-tls-min-version=1.3"') + compactor);
  const found = r.stdout.split('\n').filter((l) => l.includes('[THANOS_FLAG_UNKNOWN]'));
  assert.is(found.length, 2, r.stdout);
  assert.match(found[0]!, /Deployment\/prometheus\/thanos-query spec.template.spec.containers\[0\].args: Thanos v0.37.2 has no --grpc-client-tls-min-version flag for query \(thanos query --help of v0.37.2\)/);
  assert.match(found[1]!, /StatefulSet\/prometheus\/thanos-compact spec.template.spec.containers\[0\].args: Thanos 0.37.2-debian-12-r0 has no --downsampling.no-such-flag flag for compact/);
  assert.is(r.code, 1);
});

test('the sidecar\'s additionalArgs against spec.thanos.version', async () => {
  const withArgs = (v: string) => tutorial.replace('    version: v0.4.0\n', `    version: ${v}\n    additionalArgs:\n    - name: shipper.upload-compacted\n    - name: grpc-server-tls-min-version\n      value: "1.3"\n`);
  const old = await check(withArgs('v0.36.1'));
  assert.equal(codes(old.stdout).filter((c) => c.includes('FLAG')), ['error THANOS_FLAG_UNKNOWN']);
  assert.match(old.stdout, /spec.thanos.additionalArgs\[1\]: Thanos v0.36.1 has no --grpc-server-tls-min-version flag for sidecar/);
  const now = await check(withArgs('v0.42.4'));
  assert.equal(codes(now.stdout).filter((c) => c.includes('FLAG')), []);
});

test('bitnami\'s default replicaLabel "replica" against an operator Prometheus (bitnami/charts#14167)', async () => {
  const r = await check(read('test/fixtures/check/bitnami-replica-label.yaml'));
  assert.equal(codes(r.stdout), ['error QUERY_REPLICA_LABEL']);
  assert.match(r.stdout, /marks its replicas with "prometheus_replica"/);
  assert.match(r.stdout, /add --query.replica-label=prometheus_replica/);
  assert.is(r.code, 1);
});

const broken: [string, (s: string) => string, string][] = [
  // Tags as people write them: without v, bitnami's suffix, a registry with a port, a digest after the tag.
  ...['bitnami/thanos:0.39.2', 'docker.io/bitnami/thanos:0.39.2-debian-12-r0', 'registry:5000/thanos/thanos:v0.39.2', 'quay.io/thanos/thanos:v0.38.0@sha256:' + 'a'.repeat(64)].map(
    (image): [string, (s: string) => string, string] => [`--store on ${image} (removed in v0.38)`, (s) => s.replace('quay.io/thanos/thanos:v0.29.0', image), 'error THANOS_FLAG_UNKNOWN'],
  ),
  [
    'a sidecar serving gRPC over TLS with a Query speaking plain gRPC',
    (s) => s.replace('  thanos:\n    version: v0.4.0\n', '  thanos:\n    version: v0.4.0\n    grpcServerTlsConfig:\n      caFile: /etc/tls/grpc/ca.crt\n      certFile: /etc/tls/grpc/server.crt\n      keyFile: /etc/tls/grpc/server.key\n'),
    'error GRPC_TLS_MISMATCH',
  ],
  ['a store Service that is not headless', (s) => s.replace('  clusterIP: None\n', ''), 'error SERVICE_MISMATCH'],
  ['a store Service whose port is not named grpc', (s) => s.replace('  - name: grpc\n    port: 10901\n    targetPort: grpc', '  - name: store\n    port: 10901\n    targetPort: grpc'), 'error SERVICE_MISMATCH'],
  ['an SRV name for a Service that does not exist', (s) => s.replace('_tcp.thanos-store-api.prometheus', '_tcp.thanos-sidecar.prometheus'), 'error SERVICE_MISMATCH'],
  ['a store label the pods do not have', (s) => s.replace('      thanos-store-api: "true"\n', ''), 'error SERVICE_MISMATCH'],
  ['a replica label Query does not know', (s) => s.replace('  version: v2.44.0\n', '  version: v2.44.0\n  replicaExternalLabelName: replica\n'), 'error QUERY_REPLICA_LABEL'],
  ['replicaExternalLabelName ""', (s) => s.replace('  version: v2.44.0\n', '  version: v2.44.0\n  replicaExternalLabelName: ""\n'), 'error REPLICA_LABEL_EMPTY'],
  ['one Prometheus replica', (s) => s.replace('  replicas: 2\n  resources', '  replicas: 1\n  resources'), 'error REPLICAS_TOO_FEW'],
  ['two replicas that may share a node', (s) => s.replace(/  affinity:\n(    .*\n|      .*\n)+?  baseImage/, '  baseImage'), 'warning SPREAD_MISSING'],
  ['no sidecar', (s) => s.replace(/  thanos:\n    version: v0.4.0\n(    .*\n)+/, ''), 'error SIDECAR_MISSING'],
  ['sidecar image tag and version disagree', (s) => s.replace('    version: v0.4.0\n', '    version: v0.4.0\n    image: quay.io/thanos/thanos:v0.42.4\n'), 'warning SIDECAR_IMAGE_VERSION'],
];
for (const [name, mutate, code] of broken) {
  test(`finds: ${name}`, async () => {
    const changed = mutate(tutorial);
    assert.is.not(changed, tutorial, 'the fixture edit applied');
    const r = await check(changed);
    assert.ok(codes(r.stdout).includes(code), `${code} not in:\n${r.stdout}`);
    assert.is(r.code, code.startsWith('error') ? 1 : 0);
  });
}

test('a TLS sidecar with a Query that speaks TLS: no GRPC_TLS_MISMATCH', async () => {
  const tls = tutorial
    .replace('  thanos:\n    version: v0.4.0\n', '  thanos:\n    version: v0.4.0\n    grpcServerTlsConfig:\n      caFile: /etc/tls/grpc/ca.crt\n')
    .replace(/( *)- "--query\.replica-label/, '$1- --grpc-client-tls-secure\n$1- "--query.replica-label');
  assert.ok(tls.includes('--grpc-client-tls-secure'), 'the fixture edit applied');
  const r = await check(tls);
  assert.not.ok(codes(r.stdout).includes('error GRPC_TLS_MISMATCH'), r.stdout);
});

test('--store on a Thanos before v0.38 (tag without v) is fine', async () => {
  const r = await check(tutorial.replace('quay.io/thanos/thanos:v0.29.0', 'bitnami/thanos:0.37.2-debian-12-r0'));
  assert.not.match(r.stdout, /has no --store flag/);
});

test('as a KRM validator: the ResourceList comes back unchanged, with the results', async () => {
  const items = tutorial.replace(/^#.*\n/, '').split(/^---\n/m).filter((d) => d.trim());
  const list = resourceList(items, DEFAULT_CONFIG);
  const r = await check(list.replace('thanos:v0.29.0', 'thanos:v0.42.4'));
  assert.is(r.code, 1);
  const body = r.stdout.replace(/^results:[\s\S]*$/m, '');
  assert.is(body, list.replace('thanos:v0.29.0', 'thanos:v0.42.4'));
  assert.match(r.stdout, /code: THANOS_FLAG_UNKNOWN/);
});

test('the built binary: exit status follows the findings', () => {
  assert.is(bin(['check'], readFileSync(`${ROOT}test/fixtures/check/bitnami-replica-label.yaml`)).code, 1);
  assert.is(bin(['check'], ours).code, 0);
});

test('check reads stdin as the other modes do: over the size limit, or not UTF-8, it says so', () => {
  const big = bin(['check'], ours, { env: { PROMETHEUS_HA_MAX_INPUT_BYTES: '100' } });
  assert.is(big.code, 1);
  assert.match(big.stderr, /^prometheus-ha check: error \[INPUT_TOO_LARGE\]: input is larger than 100 bytes/);
  const bad = bin(['check'], Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: '), Buffer.from([0xff]), Buffer.from('\n')]));
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /\[INPUT_YAML\]: input is not valid UTF-8 \(line 4\)/);
});

// ---- issue 14 §5: other store APIs, files, other apiVersions ----

const thanosExample = read('test/fixtures/brownfield/prometheus-operator-thanos.yaml');

test("the operator's example/thanos: a ThanosRuler Service is a valid store (no false errors)", async () => {
  const r = await check(thanosExample);
  assert.equal(codes(r.stdout).filter((c) => c.startsWith('error')), [], r.stdout);
  assert.not.match(r.stdout, /Service\/default\/thanos-ruler/);
  // The same Service selecting no pod at all is still an error.
  const astray = thanosExample.replace(/(kind: Service\n(?:.*\n)*?  selector:\n    app\.kubernetes\.io\/name: )thanos-ruler/, '$1thanos-rulers');
  assert.is.not(astray, thanosExample, 'the fixture edit applied');
  const bad = await check(astray);
  assert.match(bad.stdout, /error \[SERVICE_MISMATCH\] Service\/default\/thanos-ruler spec\.selector: .*selects no Prometheus pods and no other store API/);
});

const storeGateway = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: thanos-storegateway
  namespace: prometheus
spec:
  selector:
    matchLabels:
      app.kubernetes.io/component: storegateway
  template:
    metadata:
      labels:
        app.kubernetes.io/component: storegateway
    spec:
      containers:
      - name: storegateway
        image: docker.io/bitnami/thanos:0.39.2
        args:
        - store
        - --data-dir=/data
        - --grpc-address=0.0.0.0:10901
---
apiVersion: v1
kind: Service
metadata:
  name: thanos-storegateway
  namespace: prometheus
spec:
  ports:
  - name: grpc
    port: 10901
    targetPort: grpc
  selector:
    app.kubernetes.io/component: storegateway
`;

for (const [what, sub] of [['Store Gateway', 'store'], ['Receive', 'receive'], ['Ruler', 'rule']] as const) {
  test(`a ${what} endpoint (thanos ${sub}, bitnami's layout) is a valid store`, async () => {
    const withStore = (s: string) => ours.replace(/(- --endpoint=dnssrv\+_grpc\._tcp\.thanos-store-api\.prometheus\.svc\.cluster\.local\n)/, '$1        - --endpoint=thanos-storegateway.prometheus.svc.cluster.local:10901\n') + `---\n${s}`;
    const r = await check(withStore(storeGateway.replace('        - store\n', `        - ${sub}\n`)));
    assert.match(r.stdout, /^no findings/, r.stdout);
    assert.is(r.code, 0);
    // Not a store API (a web server): the endpoint is an error.
    const web = await check(withStore(storeGateway.replace('        - store\n', '        - tools\n')));
    assert.match(web.stdout, /error \[SERVICE_MISMATCH\] Service\/prometheus\/thanos-storegateway spec\.selector/);
  });
}

test('check FILE...: the files are read as one input, each finding names its file', () => {
  const a = `${ROOT}test/fixtures/brownfield/prometheus-operator-thanos.yaml`;
  const b = `${ROOT}test/fixtures/check/bitnami-replica-label.yaml`;
  const r = bin(['check', a, b], 'this stdin is not read');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /^warning \[SPREAD_MISSING\] Prometheus\/default\/self .*\(\S*prometheus-operator-thanos\.yaml\)/m);
  assert.match(r.stdout, /^error \[QUERY_REPLICA_LABEL\] .*\(\S*bitnami-replica-label\.yaml\)/m);
  const one = bin(['check', a], '');
  assert.is(one.code, 0, one.stdout);
  const missing = bin(['check', a, `${ROOT}no-such-file.yaml`], '');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /^prometheus-ha check: error \[INPUT_FILE\] \(\S*no-such-file\.yaml\): file \S*no-such-file\.yaml does not exist/);
  // A directory is refused by name too (commands/files.ts), not read.
  const directory = bin(['check', `${ROOT}test`], '');
  assert.is(directory.code, 1);
  assert.match(directory.stderr, /\[INPUT_FILE\] .*is a directory, not a file/);
});

test('a Prometheus of another apiVersion is an error; a lone PrometheusAgent is named', async () => {
  const alpha = ours.replace('apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n', 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: Prometheus\n');
  assert.is.not(alpha, ours);
  const r = await check(alpha);
  assert.ok(codes(r.stdout).includes('error TARGET_UNSUPPORTED'), r.stdout);
  assert.match(r.stdout, /monitoring\.coreos\.com\/v1alpha1/);
  const agent = await check('apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: monitoring\nspec: {}\n');
  assert.match(agent.stdout, /error \[TARGET_UNSUPPORTED\] PrometheusAgent\/monitoring\/agent kind: PrometheusAgent monitoring\/agent has no Thanos sidecar/);
  assert.is(agent.code, 1);
});

test.run();

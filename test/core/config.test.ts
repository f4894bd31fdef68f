import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig, schemaAt } from '../../functions/prometheus-ha/src/core/config.js';
import schema from '../../schema/prometheus-ha.schema.json' with { type: 'json' };

const base = { apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA' };

test('defaults come from the schema; values the base may already have are left unset (the model yields to the base)', () => {
  const c = readConfig(base).config!;
  assert.is(c.antiAffinity?.mode, (schema.properties.antiAffinity.properties.mode as { default: string }).default);
  assert.is(c.query?.version, 'v0.42.4');
  // A default here would overwrite the Prometheus's own (issue 14, "respect the base"): core/base.ts.
  assert.is(c.replicas, undefined);
  assert.is(c.thanos?.version, undefined);
  assert.is(c.thanos?.image, undefined);
  assert.is(c.thanos?.resources, undefined);
  assert.is(c.storeApi?.label?.key, 'thanos-store-api');
  assert.is(c.clusterDomain, 'cluster.local');
});

test('no config at all means defaults', () => {
  assert.is(readConfig(undefined).config?.query?.replicas, 2);
});

test('images with a registry port or a digest; not with a tag (the tag is version)', () => {
  for (const image of ['registry:5000/thanos/thanos', `quay.io/thanos/thanos@sha256:${'0'.repeat(64)}`]) assert.equal(readConfig({ ...base, thanos: { image }, query: { image } }).results, [], image);
  for (const image of ['quay.io/thanos/thanos:v0.42.4', 'quay.io/thanos/thanos@sha256:short']) assert.ok(readConfig({ ...base, thanos: { image } }).results.length, image);
});

test('versions as images are tagged: v or not, with a suffix', () => {
  for (const version of ['v0.42.4', '0.39.2', '0.39.2-debian-12-r0', 'v0.40.0-rc.1']) {
    const c = readConfig({ ...base, thanos: { version }, query: { version } });
    assert.equal(c.results, [], version);
  }
  for (const version of ['latest', 'v0.42', '0.39.2_x']) assert.match(readConfig({ ...base, thanos: { version } }).results[0]?.message ?? '', /such as v0\.42\.4 or 0\.39\.2-debian-12-r0/, version);
});

test('ConfigMap: dotted keys, typed by the schema', () => {
  const c = readConfig({ apiVersion: 'v1', kind: 'ConfigMap', data: { replicas: '3', 'externalLabels.cluster': 'eu1', 'query.enabled': 'false', 'query.replicaLabels': 'a,b', 'antiAffinity.labelSelector': '{"matchLabels":{"app":"x"}}' } });
  assert.equal(c.results, []);
  assert.is(c.config!.replicas, 3);
  assert.equal(c.config!.externalLabels, { cluster: 'eu1' });
  assert.is(c.config!.query!.enabled, false);
  assert.equal(c.config!.query!.replicaLabels, ['a', 'b']);
  assert.equal(c.config!.antiAffinity!.labelSelector, { matchLabels: { app: 'x' } });
});

test('ConfigMap: an unknown key is named', () => {
  const c = readConfig({ kind: 'ConfigMap', data: { replicaz: '3' } });
  assert.match(c.results[0]!.message, /unknown config key "replicaz"/);
  assert.is(c.results[0]!.field?.path, 'data.replicaz');
});

test('ConfigMap: a bad value is reported at its path', () => {
  const c = readConfig({ kind: 'ConfigMap', data: { replicas: 'three' } });
  assert.is(c.results[0]!.field?.path, 'replicas');
});

const bad: [string, object, string, RegExp][] = [
  ['wrong kind', { apiVersion: 'v1', kind: 'Secret' }, 'kind', /accepted kinds are PrometheusHA .* and ConfigMap/],
  ['replicas 1', { ...base, replicas: 1 }, 'replicas', /must be >= 2/],
  ['huge replicas', { ...base, replicas: 1e9 }, 'replicas', /must be <= 100/],
  ['replicas not integer', { ...base, replicas: '2' }, 'replicas', /must be integer/],
  ['unknown field', { ...base, replica: 2 }, 'replica', /unknown field "replica"/],
  ['unknown nested field', { ...base, query: { replica: 2 } }, 'query.replica', /unknown field/],
  ['bad label key', { ...base, storeApi: { label: { key: 'a b' } } }, 'storeApi.label.key', /pattern/],
  ['bad version', { ...base, query: { version: '0.42' } }, 'query.version', /Thanos release as the image is tagged/],
  ['bad quantity', { ...base, query: { resources: { limits: { cpu: 'lots' } } } }, 'query.resources.limits.cpu', /./],
  ['bad external label name', { ...base, externalLabels: { 'a-b': 'x' } }, 'externalLabels', /invalid key/],
  ['wrong apiVersion', { ...base, apiVersion: 'v1' }, 'apiVersion', /apiVersion must be/],
  ['podLabels naming a selector label', { ...base, query: { pod: { podLabels: { team: 'a', 'app.kubernetes.io/instance': 'x' } } } }, 'query.pod.podLabels', /invalid key "app\.kubernetes\.io\/instance": prometheus-ha sets this label itself/],
  ['podLabels naming managed-by', { ...base, query: { pod: { podLabels: { 'app.kubernetes.io/managed-by': 'me' } } } }, 'query.pod.podLabels', /sets this label itself/],
  ['a mount of a volume that is not there', { ...base, query: { pod: { extraVolumes: [{ name: 'a', emptyDir: {} }], extraVolumeMounts: [{ name: 'b', mountPath: '/b' }] } } }, 'query.pod.extraVolumeMounts[0].name', /mounts "b", which is not one of query\.pod\.extraVolumes/],
  ["an extra volume with the name of Query's own", { ...base, query: { pod: { extraVolumes: [{ name: 'grpc-client-tls', emptyDir: {} }] } } }, 'query.pod.extraVolumes[0].name', /"grpc-client-tls" is the name of a volume prometheus-ha adds itself/],
  ['two volumes of one name', { ...base, query: { pod: { extraVolumes: [{ name: 'a', emptyDir: {} }, { name: 'a', secret: { secretName: 's' } }] } } }, 'query.pod.extraVolumes[1].name', /a second volume named "a"/],
  ['a toleration with an unknown operator', { ...base, query: { pod: { tolerations: [{ key: 'k', operator: 'Maybe' }] } } }, 'query.pod.tolerations[0].operator', /must be one of/],
  ['__proto__ key', JSON.parse('{"apiVersion":"fn.prometheus-ha.dev/v1alpha1","kind":"PrometheusHA","__proto__":{"replicas":3}}'), '__proto__', /unknown field "__proto__"/],
];
for (const [name, cfg, field, msg] of bad) {
  test(`invalid: ${name}`, () => {
    const c = readConfig(cfg);
    assert.is(c.config, undefined);
    const r = c.results.find((x) => x.field?.path === field);
    assert.ok(r, `no result at ${field}: ${JSON.stringify(c.results)}`);
    assert.match(r!.message, msg);
    assert.is(r!.severity, 'error');
  });
}

test('pod settings: the labels of others and mounts of their volumes are fine', () => {
  const c = readConfig({ ...base, query: { pod: { podLabels: { 'app.kubernetes.io/version': '1', team: 'a' }, extraVolumes: [{ name: 'a', emptyDir: {} }], extraVolumeMounts: [{ name: 'a', mountPath: '/a' }, { name: 'a', mountPath: '/b', subPath: 'x' }] } } });
  assert.equal(c.results, []);
});

test('no prototype pollution from config', () => {
  readConfig(JSON.parse('{"kind":"ConfigMap","data":{"__proto__.polluted":"yes","constructor.prototype.polluted":"yes"}}'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test('schemaAt follows properties, $ref and additionalProperties', () => {
  assert.is(schemaAt(['query', 'replicas'])?.type, 'integer');
  assert.is(schemaAt(['externalLabels', 'anything'])?.type, 'string');
  assert.is(schemaAt(['nope']), undefined);
});

test.run();

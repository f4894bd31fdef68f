/** Table tests of the Prometheus mutators: one PatchOp of model.ts at a time, on inline YAML. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from 'yaml';
import { readConfig } from '../../functions/prometheus-ha/src/core/config.js';
import { prometheusPatch } from '../../functions/prometheus-ha/src/core/model.js';
import { applyPatch, PatchError } from '../../functions/prometheus-ha/src/core/patch.js';
import { baseFact } from '../../functions/prometheus-ha/src/core/base.js';
import { YamlDoc } from '../../functions/prometheus-ha/src/yaml/yamldoc.js';
import { changeMessage } from '../../functions/prometheus-ha/src/core/transform.js';

const op = (field: string) => prometheusPatch.filter((o) => o.path.map((p) => (typeof p === 'string' ? p : '*')).join('.') === field);

function applied(field: string, yaml: string, config: object = {}) {
  const doc = parseDocument(yaml);
  const c = readConfig({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', ...config });
  assert.ok(c.config, JSON.stringify(c.results));
  const base = doc.toJS();
  const edit = new YamlDoc(doc);
  const changes = applyPatch(edit, op(field), { values: c.config, target: { name: 'p', namespace: 'ns' }, base, fact: (f) => baseFact(base, 'p', f) });
  return { text: edit.toString(false), changes };
}
const apply = (field: string, yaml: string, config: object = {}): string => applied(field, yaml, config).text;

const cases: { name: string; field: string; config?: object; input: string; want: string }[] = [
  { name: 'replicas: set', field: 'spec.replicas', input: 'spec:\n  replicas: 1\n', want: 'spec:\n  replicas: 2\n' },
  { name: 'replicas: from config', field: 'spec.replicas', config: { replicas: 5 }, input: 'spec: {}\n', want: 'spec:\n  replicas: 5\n' },
  { name: 'replicas: missing spec is created', field: 'spec.replicas', input: 'kind: Prometheus\n', want: 'kind: Prometheus\nspec:\n  replicas: 2\n' },
  {
    name: 'anti-affinity soft, default selector = operator pod labels, nodeAffinity kept',
    field: 'spec.affinity.podAntiAffinity',
    input: 'spec:\n  affinity:\n    nodeAffinity: {x: 1}\n',
    want:
      'spec:\n  affinity:\n    nodeAffinity: { x: 1 }\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 100\n        podAffinityTerm:\n          labelSelector:\n            matchLabels:\n              app.kubernetes.io/name: prometheus\n              app.kubernetes.io/instance: p\n          topologyKey: kubernetes.io/hostname\n',
  },
  {
    name: 'anti-affinity hard with zone',
    field: 'spec.affinity.podAntiAffinity',
    config: { antiAffinity: { mode: 'hard', topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'x' } } } },
    input: 'spec: {}\n',
    want: 'spec:\n  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels:\n            app: x\n        topologyKey: topology.kubernetes.io/zone\n',
  },
  { name: 'anti-affinity none: nothing', field: 'spec.affinity.podAntiAffinity', config: { antiAffinity: { mode: 'none' } }, input: 'spec: {}\n', want: 'spec: {}\n' },
  { name: 'store label added to existing labels, comment kept', field: 'spec.podMetadata.labels', input: 'spec:\n  podMetadata:\n    labels:\n      app: x # mine\n', want: 'spec:\n  podMetadata:\n    labels:\n      app: x # mine\n      thanos-store-api: "true"\n' },
  { name: 'store label: flow map becomes block', field: 'spec.podMetadata.labels', input: 'spec:\n  podMetadata:\n    labels: {app: x}\n', want: 'spec:\n  podMetadata:\n    labels:\n      app: x\n      thanos-store-api: "true"\n' },
  { name: 'sidecar image and version together', field: 'spec.thanos.image', config: { thanos: { image: 'r.example/thanos', version: 'v0.40.0' } }, input: 'spec:\n  thanos:\n    baseImage: old\n', want: 'spec:\n  thanos:\n    baseImage: old\n    image: r.example/thanos:v0.40.0\n' },
  { name: 'sidecar version below the operator floor: replaced', field: 'spec.thanos.version', input: 'spec:\n  thanos:\n    version: v0.4.0\n', want: 'spec:\n  thanos:\n    version: v0.42.4\n' },
  { name: 'external labels merged, config wins', field: 'spec.externalLabels', config: { externalLabels: { a: '1', c: '3' } }, input: 'spec:\n  externalLabels:\n    a: "0"\n    b: "2"\n', want: 'spec:\n  externalLabels:\n    a: "1"\n    b: "2"\n    c: "3"\n' },
  // A default never overwrites the base; the config does (issue 14, "respect the base").
  { name: 'replicas: 3 in the base stay (the default is 2)', field: 'spec.replicas', input: 'spec:\n  replicas: 3\n', want: 'spec:\n  replicas: 3\n' },
  { name: 'replicas: the config lowers them', field: 'spec.replicas', config: { replicas: 2 }, input: 'spec:\n  replicas: 3\n', want: 'spec:\n  replicas: 2\n' },
  { name: 'sidecar resources of the base stay', field: 'spec.thanos.resources', input: 'spec:\n  thanos:\n    resources:\n      requests: {cpu: 1m}\n', want: 'spec:\n  thanos:\n    resources:\n      requests: { cpu: 1m }\n' },
  { name: 'sidecar resources: the default where the base has none', field: 'spec.thanos.resources', input: 'spec: {}\n', want: 'spec:\n  thanos:\n    resources:\n      limits:\n        cpu: 500m\n        memory: 500Mi\n      requests:\n        cpu: 100m\n        memory: 500Mi\n' },
  { name: 'sidecar resources: the config replaces the base', field: 'spec.thanos.resources', config: { thanos: { resources: { limits: { memory: '1Gi' } } } }, input: 'spec:\n  thanos:\n    resources:\n      requests: {cpu: 1m}\n', want: 'spec:\n  thanos:\n    resources:\n      limits:\n        memory: 1Gi\n' },
  { name: 'a pinned supported sidecar stays (image)', field: 'spec.thanos.image', input: 'spec:\n  thanos:\n    image: quay.io/thanos/thanos:v0.42.2\n    version: v0.42.2\n', want: 'spec:\n  thanos:\n    image: quay.io/thanos/thanos:v0.42.2\n    version: v0.42.2\n' },
  { name: 'a pinned supported sidecar stays (version)', field: 'spec.thanos.version', input: 'spec:\n  thanos:\n    image: quay.io/thanos/thanos:v0.42.2\n    version: v0.42.2\n', want: 'spec:\n  thanos:\n    image: quay.io/thanos/thanos:v0.42.2\n    version: v0.42.2\n' },
  { name: 'version follows the image tag that runs', field: 'spec.thanos.version', input: 'spec:\n  thanos:\n    image: bitnami/thanos:0.39.2-debian-12-r0\n    version: v0.42.4\n', want: 'spec:\n  thanos:\n    image: bitnami/thanos:0.39.2-debian-12-r0\n    version: v0.39.2\n' },
  { name: 'config version only: the base repository, tagged with it', field: 'spec.thanos.image', config: { thanos: { version: '0.40.1' } }, input: 'spec:\n  thanos:\n    image: registry:5000/thanos/thanos:v0.39.2\n', want: 'spec:\n  thanos:\n    image: registry:5000/thanos/thanos:0.40.1\n' },
  { name: 'config image pinned by digest: the tag goes before the digest', field: 'spec.thanos.image', config: { thanos: { image: `registry:5000/thanos/thanos@sha256:${'ab'.repeat(32)}`, version: 'v0.42.4' } }, input: 'spec: {}\n', want: `spec:\n  thanos:\n    image: registry:5000/thanos/thanos:v0.42.4@sha256:${'ab'.repeat(32)}\n` },
  { name: 'unchanged value: text kept', field: 'spec.replicas', input: 'spec:\n  replicas: 2 # two\n', want: 'spec:\n  replicas: 2 # two\n' },
];

for (const c of cases) test(c.name, () => assert.fixture(apply(c.field, c.input, c.config), c.want));

// A merge is one change: of the key's field when it set one key, of the map when it set several
// (issue 17: 30,000 externalLabels were 30,000 results), naming the keys, old and new values.
const WHY = 'external labels that Thanos tells this Prometheus apart by';
const merges: { name: string; config: object; input: string; want: { field: string; message: string }[] }[] = [
  { name: 'one key added', config: { externalLabels: { a: '1' } }, input: 'spec: {}\n', want: [{ field: 'spec.externalLabels.a', message: `set spec.externalLabels.a: ${WHY}` }] },
  { name: 'one key changed, one the same', config: { externalLabels: { a: '1', b: '2' } }, input: 'spec:\n  externalLabels:\n    a: "0"\n    b: "2"\n', want: [{ field: 'spec.externalLabels.a', message: `set spec.externalLabels.a: "0" -> "1" (${WHY})` }] },
  { name: 'all the same: no change', config: { externalLabels: { a: '1', b: '2' } }, input: 'spec:\n  externalLabels:\n    a: "1"\n    b: "2"\n', want: [] },
  { name: 'two keys into a new map', config: { externalLabels: { a: '1', b_2: '2' } }, input: 'spec: {}\n', want: [{ field: 'spec.externalLabels', message: `set 2 keys of spec.externalLabels (added a, b_2): ${WHY}` }] },
  {
    name: 'added and changed in an existing map',
    config: { externalLabels: { a: '1', b: '2', c: '3' } },
    input: 'spec:\n  externalLabels:\n    a: "0"\n    b: "2"\n',
    want: [{ field: 'spec.externalLabels', message: `set 2 keys of spec.externalLabels (added c; changed a "0" -> "1"): ${WHY}` }],
  },
  {
    name: 'many keys: the first five named',
    config: { externalLabels: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, 'v'])) },
    input: 'spec:\n  externalLabels: {}\n',
    want: [{ field: 'spec.externalLabels', message: `set 8 keys of spec.externalLabels (added l0, l1, l2, l3, l4 and 3 more): ${WHY}` }],
  },
];
for (const m of merges) {
  test(`merge: ${m.name}`, () => {
    const { changes } = applied('spec.externalLabels', m.input, m.config);
    assert.equal(changes.map((c) => ({ field: c.field, message: changeMessage(c) })), m.want);
  });
}

test('a merge into a new map writes what key-by-key sets write', () => {
  const labels = { b: '1', a: 'x y', c: 'true' };
  const whole = apply('spec.externalLabels', 'spec:\n  replicas: 1\n', { externalLabels: labels });
  const doc = parseDocument('spec:\n  replicas: 1\n');
  for (const [k, v] of Object.entries(labels)) doc.setIn(['spec', 'externalLabels', k], v);
  assert.fixture(whole, doc.toString({ lineWidth: 0 }));
});

test('a scalar where a map is needed is a PatchError with the field', () => {
  try {
    apply('spec.affinity.podAntiAffinity', 'spec:\n  affinity: none\n');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, PatchError);
    assert.is((e as PatchError).field, 'spec.affinity');
  }
});

test.run();

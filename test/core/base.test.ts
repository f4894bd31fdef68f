/** Table tests of core/base.ts (what the base Prometheus decides) and the image/version parser in core/checks.ts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { baseFacts, operatorPodLabels, selectorMatches } from '../../functions/prometheus-ha/src/core/base.js';
import { parseImage, parseVersion, sameVersion, versionLess } from '../../functions/prometheus-ha/src/core/checks.js';

const sha = `sha256:${'0123456789abcdef'.repeat(4)}`;
const images: [string, ReturnType<typeof parseImage>][] = [
  ['quay.io/thanos/thanos:v0.42.4', { registry: 'quay.io', repository: 'quay.io/thanos/thanos', tag: 'v0.42.4' }],
  ['bitnami/thanos:0.39.2-debian-12-r0', { repository: 'bitnami/thanos', tag: '0.39.2-debian-12-r0' }],
  ['registry:5000/thanos/thanos:v0.39.2', { registry: 'registry:5000', repository: 'registry:5000/thanos/thanos', tag: 'v0.39.2' }],
  ['registry:5000/thanos/thanos', { registry: 'registry:5000', repository: 'registry:5000/thanos/thanos' }],
  [`thanos/thanos@${sha}`, { repository: 'thanos/thanos', digest: sha }],
  [`quay.io/thanos/thanos:v0.42.4@${sha}`, { registry: 'quay.io', repository: 'quay.io/thanos/thanos', tag: 'v0.42.4', digest: sha }],
  ['localhost/thanos:latest', { registry: 'localhost', repository: 'localhost/thanos', tag: 'latest' }],
  ['thanos', { repository: 'thanos' }],
  ['', undefined],
  ['  ', undefined],
];
for (const [image, want] of images) test(`parseImage ${JSON.stringify(image)}`, () => assert.equal(parseImage(image), want));

const versions: [unknown, ReturnType<typeof parseVersion>][] = [
  ['v0.42.4', [0, 42, 4]],
  ['0.42.4', [0, 42, 4]],
  ['0.39.2-debian-12-r0', [0, 39, 2]],
  ['v0.40.0-rc.1', [0, 40, 0]],
  ['v0.40', [0, 40, 0]],
  ['latest', undefined],
  ['v0.4x', undefined],
  [42, undefined],
];
for (const [v, want] of versions) test(`parseVersion ${JSON.stringify(v)}`, () => assert.equal(parseVersion(v), want));

test('versionLess and sameVersion compare the numbers', () => {
  assert.ok(versionLess('0.4.0', 'v0.10.0'));
  assert.not.ok(versionLess('0.39.2-debian-12-r0', 'v0.38.0'));
  assert.ok(sameVersion('0.42.4-debian-12-r0', 'v0.42.4'));
  assert.not.ok(sameVersion('v0.42.2', 'v0.42.4'));
  assert.not.ok(versionLess('latest', 'v0.10.0'));
});

const pod = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'k8s', prometheus: 'k8s', team: 'a' };
const selectors: [string, unknown, boolean][] = [
  ['matchLabels, all present', { matchLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' } }, true],
  ['matchLabels, one differs', { matchLabels: { prometheus: 'other' } }, false],
  ['In', { matchExpressions: [{ key: 'prometheus', operator: 'In', values: ['k8s', 'x'] }] }, true],
  ['In, absent key', { matchExpressions: [{ key: 'zzz', operator: 'In', values: ['k8s'] }] }, false],
  ['NotIn, other value', { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['b'] }] }, true],
  ['NotIn, same value', { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['a'] }] }, false],
  ['NotIn, absent key', { matchExpressions: [{ key: 'zzz', operator: 'NotIn', values: ['a'] }] }, true],
  ['Exists', { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
  ['DoesNotExist', { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
  ['matchLabels AND matchExpressions', { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'prometheus', operator: 'In', values: ['x'] }] }, false],
  ['empty selector: every pod', {}, true],
  ['null selector: no pod', null, false],
  ['unknown operator: no pod', { matchExpressions: [{ key: 'team', operator: 'Gt', values: ['1'] }] }, false],
];
for (const [name, sel, want] of selectors) test(`selectorMatches: ${name}`, () => assert.is(selectorMatches(sel, pod), want));

test('operatorPodLabels: podMetadata labels first, the selector labels win (NOTES.md (a))', () => {
  const cr = { spec: { podMetadata: { labels: { prometheus: 'mine', team: 'a', 'app.kubernetes.io/version': '3.0.0' } } } };
  assert.equal(operatorPodLabels(cr, 'k8s'), {
    prometheus: 'k8s',
    team: 'a',
    'app.kubernetes.io/version': '3.0.0',
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': 'k8s',
    'operator.prometheus.io/name': 'k8s',
    'operator.prometheus.io/shard': '0',
  });
});

const facts = (spec: string, name = 'k8s') => baseFacts(parse(`spec:\n${spec.replace(/^/gm, '  ')}`), name);
const affinity = (body: string) => `affinity:\n  podAntiAffinity:\n${body.replace(/^/gm, '    ')}`;
const adoptable: [string, string, string[]][] = [
  ['none', 'replicas: 2', []],
  [
    "kube-prometheus-stack's soft rule (matchExpressions on name and instance)",
    affinity(`preferredDuringSchedulingIgnoredDuringExecution:
- weight: 100
  podAffinityTerm:
    topologyKey: kubernetes.io/hostname
    labelSelector:
      matchExpressions:
      - {key: app.kubernetes.io/name, operator: In, values: [prometheus]}
      - {key: app.kubernetes.io/instance, operator: In, values: [k8s]}`),
    ['soft kubernetes.io/hostname'],
  ],
  [
    "OpenShift's required rule, restricted to its namespace, on podMetadata labels",
    `${affinity(`requiredDuringSchedulingIgnoredDuringExecution:
- topologyKey: kubernetes.io/hostname
  namespaces: [openshift-monitoring]
  labelSelector:
    matchLabels: {app.kubernetes.io/component: prometheus, app.kubernetes.io/name: prometheus}`)}
podMetadata:
  labels: {app.kubernetes.io/component: prometheus}`,
    ['hard kubernetes.io/hostname@openshift-monitoring', 'soft kubernetes.io/hostname@openshift-monitoring'],
  ],
  [
    'a rule on a label the pods do not have (selects other pods)',
    affinity(`requiredDuringSchedulingIgnoredDuringExecution:
- topologyKey: kubernetes.io/hostname
  labelSelector: {matchLabels: {app: prometheus}}`),
    [],
  ],
  [
    'a zone rule: satisfies the zone, not the hostname',
    affinity(`preferredDuringSchedulingIgnoredDuringExecution:
- weight: 10
  podAffinityTerm:
    topologyKey: topology.kubernetes.io/zone
    labelSelector: {matchLabels: {prometheus: k8s}}`),
    ['soft topology.kubernetes.io/zone'],
  ],
  [
    'namespaceSelector {} is every namespace; one on metadata.name names them',
    affinity(`requiredDuringSchedulingIgnoredDuringExecution:
- topologyKey: a
  namespaceSelector: {}
  labelSelector: {matchLabels: {prometheus: k8s}}
- topologyKey: b
  namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: mon}}
  labelSelector: {matchLabels: {prometheus: k8s}}
- topologyKey: c
  namespaceSelector: {matchLabels: {team: x}}
  labelSelector: {matchLabels: {prometheus: k8s}}`),
    ['hard a', 'hard b@mon', 'soft a', 'soft b@mon'],
  ],
  [
    'a rule on one shard does not spread the other shard',
    `shards: 2\n${affinity(`requiredDuringSchedulingIgnoredDuringExecution:
- topologyKey: kubernetes.io/hostname
  labelSelector: {matchLabels: {prometheus: k8s, operator.prometheus.io/shard: "0"}}`)}`,
    [],
  ],
];
for (const [name, spec, want] of adoptable) test(`adoptable anti-affinity: ${name}`, () => assert.equal(facts(spec)['antiAffinity.adoptable'], want));

test('a rule the function wrote (marked) is never adopted: it is updated', () => {
  const cr = parse(`metadata:\n  annotations: {fn.prometheus-ha.dev/pod-anti-affinity: prometheus-ha}\nspec:\n  ${affinity('requiredDuringSchedulingIgnoredDuringExecution:\n- topologyKey: h\n  labelSelector: {}').replace(/\n/g, '\n  ')}`);
  assert.equal(baseFacts(cr, 'k8s')['antiAffinity.adoptable'], []);
});

type Row = [string, string, Partial<Record<string, unknown>>, RegExp[]];
const sidecar: Row[] = [
  ['no sidecar: the defaults', 'replicas: 1', { replicas: 2, 'thanos.imageField': 'quay.io/thanos/thanos:v0.42.4', 'thanos.versionField': 'v0.42.4', 'thanos.version': 'v0.42.4' }, [/spec.replicas 1 is below 2/]],
  ['replicas 3 and a pinned supported sidecar stay', 'replicas: 3\nthanos: {image: "quay.io/thanos/thanos:v0.39.2", version: v0.39.2, resources: {requests: {cpu: 50m}}}', { replicas: 3, 'thanos.imageField': null, 'thanos.versionField': 'v0.39.2', 'thanos.version': 'v0.39.2', 'thanos.resources': { requests: { cpu: '50m' } } }, []],
  ["OpenShift's image \"\" and version 0.42.4 stay", 'thanos: {image: "", version: 0.42.4}', { 'thanos.imageField': null, 'thanos.versionField': '0.42.4', 'thanos.repository': 'quay.io/thanos/thanos' }, []],
  ["the operator example's version without image stays", 'thanos: {version: v0.42.2}', { 'thanos.imageField': null, 'thanos.versionField': 'v0.42.2' }, []],
  ['a tag that disagrees with version: version set from the image that runs', 'thanos: {image: "bitnami/thanos:0.39.2-debian-12-r0", version: v0.42.4}', { 'thanos.imageField': null, 'thanos.versionField': 'v0.39.2', 'thanos.version': 'v0.39.2', 'thanos.repository': 'bitnami/thanos' }, [/tag 0.39.2-debian-12-r0 disagrees with spec.thanos.version v0.42.4/]],
  ['an image without version: the operator assumes v0.42.2', 'thanos: {image: "registry:5000/thanos/thanos:v0.40.1"}', { 'thanos.versionField': 'v0.40.1', 'thanos.repository': 'registry:5000/thanos/thanos' }, [/assumes v0.42.2/]],
  ['a digest: kept, cannot be judged', `thanos: {image: "quay.io/thanos/thanos@${sha}", version: v0.41.0}`, { 'thanos.imageField': null, 'thanos.versionField': 'v0.41.0' }, []],
  ['below the operator floor: replaced', 'thanos: {image: "quay.io/thanos/thanos:v0.4.0", version: v0.4.0}', { 'thanos.imageField': 'quay.io/thanos/thanos:v0.42.4', 'thanos.versionField': 'v0.42.4' }, [/v0.4.0 is below v0.10.0/]],
  ['an image without tag runs :latest: tagged with its version', 'thanos: {image: "quay.io/thanos/thanos", version: v0.39.2}', { 'thanos.imageField': 'quay.io/thanos/thanos:v0.39.2', 'thanos.versionField': 'v0.39.2' }, [/has no tag/]],
  ['replicas 0 is replaced', 'replicas: 0', { replicas: 2 }, [/spec.replicas 0 is below 2/]],
];
for (const [name, spec, want, warnings] of sidecar) {
  test(`base facts: ${name}`, () => {
    const f = facts(spec) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(want)) assert.equal(f[k], v, k);
    const got = (f.replaced as { message: string }[]).map((r) => r.message);
    assert.is(got.length, warnings.length, got.join('\n'));
    warnings.forEach((w, i) => assert.match(got[i]!, w));
  });
}

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { DEFAULT_CONFIG, docs, find, fn, read, resourceList, SEED_ITEMS } from '../lib/helpers.js';

const withFc = (out: string, config: string) => out.replace(/^functionConfig:[\s\S]*$/m, '') + `functionConfig:\n${config.replace(/^(?=.)/gm, '  ')}`;

test('switching Query off removes the Query objects an earlier run added, and only those', async () => {
  const first = await fn(resourceList(SEED_ITEMS, DEFAULT_CONFIG));
  assert.is(first.code, 0, first.stderr);
  const second = await fn(withFc(first.stdout, `${DEFAULT_CONFIG}query:\n  enabled: false\n`));
  assert.is(second.code, 0, second.stderr);
  const items = parse(second.stdout).items;
  assert.is(find(items, 'Deployment').length, 0);
  // The Prometheus's own budget stays: it does not depend on Query.
  assert.equal(find(items, 'PodDisruptionBudget').map((p: any) => p.metadata.name), ['prometheus-prometheus']);
  assert.equal(find(items, 'Service').map((s: any) => s.metadata.name), ['thanos-store-api']);
  assert.is(items.length, 6);
  const removed = parse(second.stdout).results.filter((r: any) => /^removed/.test(r.message));
  assert.is(removed.length, 3);
});

test('switched off, the objects of an older version (no target annotation) that have our names are removed too', async () => {
  const first = await fn(resourceList(SEED_ITEMS, DEFAULT_CONFIG));
  assert.is(first.code, 0, first.stderr);
  const older = first.stdout.replace(/^( *)annotations:\n\1  fn\.prometheus-ha\.dev\/target: .*\n/gm, '');
  assert.not.match(older, /fn\.prometheus-ha\.dev\/target/);
  const second = await fn(withFc(older, `${DEFAULT_CONFIG}query:\n  enabled: false\n`));
  assert.is(second.code, 0, second.stderr);
  assert.is(find(parse(second.stdout).items, 'Deployment').length, 0);
  const removed = parse(second.stdout).results.filter((r: any) => /^removed .*: switched off in the config$/.test(r.message));
  assert.is(removed.length, 3);
});

test('a podAntiAffinity the function wrote is updated when antiAffinity changes; one the user wrote is refused', async () => {
  const first = await fn(resourceList(SEED_ITEMS, DEFAULT_CONFIG));
  assert.is(first.code, 0, first.stderr);
  const prom = (out: string) => find(parse(out).items, 'Prometheus')[0];
  assert.is(prom(first.stdout).metadata.annotations['fn.prometheus-ha.dev/pod-anti-affinity'], 'prometheus-ha');
  // A later render of the same package (kpt writes the output back) with another antiAffinity.
  for (const change of ['antiAffinity:\n  topologyKey: topology.kubernetes.io/zone\n', 'antiAffinity:\n  weight: 50\n', 'antiAffinity:\n  mode: hard\n']) {
    const next = await fn(withFc(first.stdout, DEFAULT_CONFIG + change));
    assert.is(next.code, 0, `${change}: ${next.stderr}`);
    const got = prom(next.stdout).spec.affinity.podAntiAffinity;
    const want = prom((await fn(resourceList(SEED_ITEMS, DEFAULT_CONFIG + change))).stdout).spec.affinity.podAntiAffinity;
    assert.equal(got, want, change);
  }
  // The same podAntiAffinity without the mark is the user's: kept when it already spreads the
  // replicas as asked (another weight changes nothing), refused when it is weaker than asked.
  const unmarked = first.stdout.replace(/^ *fn\.prometheus-ha\.dev\/pod-anti-affinity: .*\n/m, '');
  const kept = await fn(withFc(unmarked, `${DEFAULT_CONFIG}antiAffinity:\n  weight: 50\n`));
  assert.is(kept.code, 0, kept.stderr);
  assert.match(kept.stdout, /AFFINITY_KEPT/);
  assert.equal(prom(kept.stdout).spec.affinity, prom(unmarked).spec.affinity);
  assert.is(prom(kept.stdout).metadata.annotations?.['fn.prometheus-ha.dev/pod-anti-affinity'], undefined);
  const refused = await fn(withFc(unmarked, `${DEFAULT_CONFIG}antiAffinity:\n  mode: hard\n`));
  assert.is(refused.code, 1);
  assert.match(refused.stdout, /AFFINITY_CONFLICT/);
  assert.match(refused.stdout, /preferred only, weaker than mode hard/);
  assert.match(refused.stdout, /antiAffinity: \{mode: soft, topologyKey: kubernetes\.io\/hostname\}/);
});

test('a Query Deployment of someone else is never removed or replaced', async () => {
  const theirs = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: thanos-query\n  namespace: prometheus\nspec: {}\n';
  const r = await fn(resourceList([...SEED_ITEMS, theirs], `${DEFAULT_CONFIG}query:\n  enabled: false\n`));
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('  name: thanos-query\n    namespace: prometheus\n  spec: {}\n'));
});

test('exit 1 iff an error result; warnings alone exit 0', async () => {
  const warn = await fn(resourceList(SEED_ITEMS, `${DEFAULT_CONFIG}antiAffinity:\n  mode: none\n`));
  assert.is(warn.code, 0);
  assert.ok(parse(warn.stdout).results.some((r: any) => r.severity === 'warning'));
  const err = await fn(resourceList(SEED_ITEMS.slice(1), DEFAULT_CONFIG));
  assert.is(err.code, 1);
  assert.ok(parse(err.stdout).results.every((r: any) => r.severity !== 'info'));
});

test('legacy plugin mode and ResourceList mode give the same objects', async () => {
  const { bin, docs } = await import('../lib/helpers.js');
  const a = bin(['kustomize/seed/prometheus-ha.yaml'], SEED_ITEMS.join('---\n'));
  const { SEED_CONFIG } = await import('../lib/helpers.js');
  const b = await fn(resourceList(SEED_ITEMS, SEED_CONFIG));
  assert.is(a.code, 0, a.stderr);
  assert.equal(docs(a.stdout), parse(b.stdout).items);
});

// ---- issue 14 §5: look-alike targets are refused by name ----
const PROM = SEED_ITEMS[0]!;
const lookAlikes: [string, string[], RegExp][] = [
  ['a Prometheus of apiVersion v1alpha1', [PROM.replace('apiVersion: monitoring.coreos.com/v1\n', 'apiVersion: monitoring.coreos.com/v1alpha1\n'), ...SEED_ITEMS.slice(1)], /\[TARGET_UNSUPPORTED\] Prometheus\/prometheus\/prometheus apiVersion: .*monitoring\.coreos\.com\/v1alpha1/],
  ['a PrometheusAgent', [PROM.replace('apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\n', 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\n'), ...SEED_ITEMS.slice(1)], /\[TARGET_UNSUPPORTED\] PrometheusAgent\/prometheus\/prometheus kind: PrometheusAgent prometheus\/prometheus has no Thanos sidecar/],
];
for (const [what, items, message] of lookAlikes) {
  test(`${what} is refused, named, and left as it was`, async () => {
    assert.is.not(items[0], PROM, 'the fixture edit applied');
    const r = await fn(resourceList(items, DEFAULT_CONFIG));
    assert.is(r.code, 1);
    assert.match(r.stdout, /code: TARGET_UNSUPPORTED/);
    assert.equal(parse(r.stdout).items.length, items.length);
    const legacy = await fn(items.join('---\n'), ['kustomize/seed/prometheus-ha.yaml']);
    assert.is(legacy.code, 1);
    assert.match(legacy.stderr, message);
  });
}

test('a PrometheusAgent next to a v1 Prometheus: the Prometheus is made HA, the agent left alone', async () => {
  const agent = 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: PrometheusAgent\nmetadata:\n  name: agent\n  namespace: prometheus\nspec:\n  replicas: 1\n';
  const r = await fn(resourceList([...SEED_ITEMS, agent], DEFAULT_CONFIG));
  assert.is(r.code, 0, r.stderr);
  assert.equal(find(parse(r.stdout).items, 'PrometheusAgent')[0].spec, { replicas: 1 });
});

test("kube-prometheus's own PodDisruptionBudget (the real manifests) is kept, and no second one added", async () => {
  const kp = read('test/fixtures/brownfield/kube-prometheus-v0.18.0.yaml');
  const r = await fn(kp, ['kustomize/seed/prometheus-ha.yaml'], { PROMETHEUS_HA_VERBOSE: '1' });
  assert.is(r.code, 0, r.stderr);
  const pdbs = find(docs(r.stdout), 'PodDisruptionBudget').map((p: any) => p.metadata.name);
  assert.equal(pdbs.sort(), ['prometheus-k8s', 'thanos-query']);
  assert.match(r.stderr, /info \[UNCHANGED\] PodDisruptionBudget\/monitoring\/prometheus-k8s: kept PodDisruptionBudget/);
  // Without it, ours selects the pods by the labels the operator guarantees.
  const without = kp.replace(/^apiVersion: policy\/v1\nkind: PodDisruptionBudget\n[\s\S]*?^---\n/m, '');
  assert.is.not(without, kp, 'the fixture edit applied');
  const ours = find(docs((await fn(without, ['kustomize/seed/prometheus-ha.yaml'])).stdout), 'PodDisruptionBudget', 'prometheus-k8s')[0];
  assert.equal(ours.spec, { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'operator.prometheus.io/name': 'k8s' } } });
  assert.is(ours.metadata.labels['app.kubernetes.io/managed-by'], 'prometheus-ha');
});

test.run();

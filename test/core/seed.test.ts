/**
 * The seed, reproduced: the function's output on the tutorial's base with the tutorial's config has
 * every field of the tutorial's final state, except the dated ones, which are replaced by today's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { bin, docs, find, read, SEED_BASE } from '../lib/helpers.js';

const step1 = docs(read('test/fixtures/tutorial/tutorial-step1-two-replicas.yaml'));
const additions = parse(read('test/fixtures/tutorial/tutorial-step2-thanos-spec-additions.yaml'));
const step2 = docs(read('test/fixtures/tutorial/tutorial-step2-query-and-store-api-service.yaml'));

const out = bin(['kustomize/seed/prometheus-ha.yaml'], SEED_BASE);
const objs = docs(out.stdout);

/** Every leaf of an object as [path, value]; list items by index. */
function leaves(v: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, Array.isArray(v) ? Number(k) : k]));
  return [[path, v]];
}
const at = (o: any, path: (string | number)[]) => path.reduce((x, k) => (x == null ? undefined : x[k]), o);

/** The tutorial's dated choices and what replaces them (shared/seed/README.md). */
const DATED: Record<string, (ours: unknown) => boolean> = {
  // Sidecar v0.4.0 is below the operator's floor: the function pins today's Thanos, image and version together.
  'spec.thanos.version': (v) => v === 'v0.42.4',
};

test('the function runs on the seed', () => {
  assert.is(out.code, 0, out.stderr);
});

test('Prometheus: every field of tutorial step 1 and step 2 is in the output', () => {
  const ours = find(objs, 'Prometheus', 'prometheus')[0];
  const tutorial = structuredClone(step1[0]);
  // Step 2 adds to the spec (deep merge of additions).
  const merge = (a: any, b: any): any => (b && typeof b === 'object' && !Array.isArray(b) ? Object.fromEntries([...new Set([...Object.keys(a ?? {}), ...Object.keys(b)])].map((k) => [k, k in b ? merge(a?.[k], b[k]) : a[k]])) : b);
  const final = merge(tutorial, additions);
  for (const [path, value] of leaves(final)) {
    const key = path.join('.');
    const got = at(ours, path);
    if (DATED[key]) assert.ok(DATED[key]!(got), `${key}: ${JSON.stringify(got)}`);
    else assert.equal(got, value, `${key}: tutorial has ${JSON.stringify(value)}, output has ${JSON.stringify(got)}`);
  }
  assert.is(ours.spec.thanos.image, 'quay.io/thanos/thanos:v0.42.4', 'image and version set together');
});

test('Service: the tutorial store-API Service, as the tutorial wrote it', () => {
  const tutorial = find(step2, 'Service', 'thanos-store-api')[0];
  const ours = find(objs, 'Service', 'thanos-store-api')[0];
  for (const [path, value] of leaves(tutorial)) assert.equal(at(ours, path), value, path.join('.'));
});

test('Query: the tutorial Deployment with today\'s Thanos, --endpoint and no gossip port', () => {
  const tutorial = find(step2, 'Deployment', 'thanos-query')[0];
  const ours = find(objs, 'Deployment', 'thanos-query')[0];
  assert.is(ours.metadata.namespace, tutorial.metadata.namespace);
  const c = ours.spec.template.spec.containers[0];
  const tc = tutorial.spec.template.spec.containers[0];
  assert.is(c.name, tc.name);
  assert.is(c.image, 'quay.io/thanos/thanos:v0.42.4');
  assert.is(c.args[0], 'query');
  assert.ok(c.args.includes('--query.replica-label=prometheus_replica'));
  const store = tc.args.find((a: string) => a.startsWith('--store='));
  assert.ok(c.args.includes(store.replace('--store=', '--endpoint=')), 'same SRV target, by --endpoint');
  assert.not.ok(c.args.some((a: string) => a.startsWith('--store=')), '--store was removed in Thanos v0.38');
  const ports = Object.fromEntries(c.ports.map((p: any) => [p.name, p.containerPort]));
  assert.equal(ports, { http: 10902, grpc: 10901 }, 'no gossip "cluster" port');
  assert.equal(c.resources, tc.resources);
  assert.ok(ours.spec.replicas >= tutorial.spec.replicas);
});

test('unrelated resources come out byte for byte', () => {
  for (const name of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) {
    const src = SEED_BASE.split(/^---\n/m).find((d) => d.includes(`kind: ${name}\n`))!;
    assert.ok(out.stdout.includes(src.trimEnd()), name);
  }
});

test.run();

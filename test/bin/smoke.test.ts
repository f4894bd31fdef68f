import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bin, docs, find, SEED_BASE } from '../lib/helpers.js';

test('demo: the seed through the legacy plugin mode gives Query and the store Service', () => {
  const r = bin(['kustomize/seed/prometheus-ha.yaml'], SEED_BASE);
  assert.is(r.code, 0, r.stderr);
  const out = docs(r.stdout);
  assert.is(find(out, 'Deployment', 'thanos-query').length, 1);
  assert.is(find(out, 'Service', 'thanos-store-api').length, 1);
});

test('--help prints usage', () => {
  const r = bin(['--help'], '');
  assert.is(r.code, 0);
  assert.match(r.stdout, /Usage:/);
});

test.run();

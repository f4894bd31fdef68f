import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readsStdin } from '../../functions/prometheus-ha/src/commands/names.js';
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

test('every command answers --help (and -h) with its own usage, without reading stdin', () => {
  for (const [cmd, usage] of [['check', /^Usage: prometheus-ha check \[FILE\.\.\.\]/], ['chart', /^Usage: prometheus-ha chart --out DIR/], ['install-kustomize-plugin', /^Usage: prometheus-ha install-kustomize-plugin \[DIR\]/], ['install-helm-plugin', /^Usage: prometheus-ha install-helm-plugin \[DIR\]/]] as const) {
    for (const flag of ['--help', '-h']) {
      const r = bin([cmd, flag], '');
      assert.is(r.code, 0, `${cmd} ${flag}: ${r.stderr}`);
      assert.match(r.stdout, usage, `${cmd} ${flag}`);
      assert.is(readsStdin([cmd, flag]), false, `${cmd} ${flag} reads stdin`);
    }
  }
  assert.is(readsStdin(['check']), true);
  assert.is(readsStdin(['check', 'a.yaml']), false);
  assert.is(readsStdin([]), true);
});

test.run();

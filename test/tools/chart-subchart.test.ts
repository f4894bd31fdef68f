/**
 * The chart as a subchart (issue 14 §7): a parent chart with chart/ in its charts/ folder and
 * `global:` values renders with Helm 3 and Helm 4 exactly what the chart renders alone with the
 * same values. Helm hands every subchart its parent's `global` (even when the parent sets none)
 * and checks it against the subchart's values.schema.json, which therefore accepts it; the
 * function's config still refuses it, as any field it does not know.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CHART, HELMS, sh, tmp } from '../lib/chart-helpers.js';
import { differences } from '../lib/equivalence.js';
import { fn } from '../lib/helpers.js';

const NS = 'monitoring';
const dir = tmp('prometheus-ha-subchart-');
const parent = join(dir, 'parent');
mkdirSync(join(parent, 'charts'), { recursive: true });
cpSync(CHART, join(parent, 'charts/prometheus-ha'), { recursive: true });
writeFileSync(join(parent, 'Chart.yaml'), 'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n- name: prometheus-ha\n  version: 0.1.0\n');
const SUB_VALUES = 'replicas: 3\nexternalLabels:\n  cluster: eu1\n';
const indent = (s: string) => s.replace(/^(?=.)/gm, '  ');
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const alone = write('alone.yaml', SUB_VALUES);
const withGlobal = write('with-global.yaml', `global:\n  imageRegistry: registry.example.org\n  labels:\n    team: observability\nprometheus-ha:\n${indent(SUB_VALUES)}`);
const withoutGlobal = write('without-global.yaml', `prometheus-ha:\n${indent(SUB_VALUES)}`);
const typo = write('typo.yaml', 'prometheus-ha:\n  replicaz: 3\n');

for (const [name, helm] of HELMS) {
  test(`${name}: as a subchart, with and without the parent's global values, the same manifests as alone`, async () => {
    const ref = await sh(helm, ['template', 'rel', CHART, '-n', NS, '-f', alone]);
    assert.is(ref.code, 0, ref.stderr);
    for (const values of [withGlobal, withoutGlobal]) {
      const r = await sh(helm, ['template', 'rel', parent, '-n', NS, '-f', values]);
      assert.is(r.code, 0, r.stderr);
      assert.equal(differences(ref.stdout, r.stdout), []);
      assert.match(r.stdout, /replicas: 3/);
    }
  });

  test(`${name}: as a subchart, a misspelt value is still refused by the chart's schema`, async () => {
    const r = await sh(helm, ['template', 'rel', parent, '-n', NS, '-f', typo]);
    assert.is(r.code, 1);
    assert.match(r.stderr, /replicaz/);
  });
}

test('the function config refuses `global` (only the chart takes it)', async () => {
  const cfg = write('config-global.yaml', 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\nglobal: {}\n');
  const r = await fn('apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: p\n  namespace: m\nspec: {}\n', [cfg]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /unknown field "global"/);
});

test.run();

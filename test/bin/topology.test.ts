/** The README's "Growing" picture is the one the model draws now (npm run generate redraws it). */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { README, readmeWithTopology, topologyMermaid } from '../../scripts/topology.js';
import { ROOT } from '../lib/helpers.js';

test('README.md: the topology block is up to date (npm run generate)', () => {
  assert.ok(readFileSync(ROOT + README, 'utf8') === readmeWithTopology(ROOT), 'stale: run npm run generate and commit');
});

test('the picture has every component and the edges the model wires', () => {
  const m = topologyMermaid(ROOT);
  for (const edge of [
    /user --> Deployment_thanos_query_frontend/,
    /Deployment_thanos_query_frontend -->\|"HTTP \(Service thanos-query\)"\| Deployment_thanos_query\n/,
    /Deployment_thanos_query -->\|"store API \(Service thanos-store-api\)"\| Prometheus_prometheus/,
    /Deployment_thanos_query -->\|"store API \(Service thanos-store\)"\| StatefulSet_thanos_store/,
    /StatefulSet_thanos_compact -->\|compacts, deduplicates\| bucket/,
    /StatefulSet_thanos_store -.->\|reads\| bucket/,
    /Prometheus_prometheus -->\|uploads blocks\| bucket/,
  ]) assert.match(m, edge);
  assert.match(m, /Compactor ×1/);
});

test.run();

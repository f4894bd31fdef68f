/** The small YAML writer: whatever it writes, YAML reads back as the same data. */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { toYaml } from '../../functions/prometheus-ha/src/core/emit.js';

const runs = { seed: 20261126, numRuns: Number(process.env.PROPERTY_RUNS) || 5000 };

test('round trip of any JSON value', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => assert.equal(parse(toYaml(v)), JSON.parse(JSON.stringify(v)))), runs);
});

test('strings that look like numbers, booleans, dates or nulls stay strings', () => {
  const tricky = fc.oneof(fc.stringMatching(/^[0-9a-zA-Z.:_+~-]{1,8}$/), fc.constantFrom('yes', 'No', 'ON', 'off', 'y', 'N', '~', 'null', 'True', '.inf', '-.Inf', '.NaN', '0o17', '0b101', '1_000', '1:20:30', '2001-12-14t21:59:43.10-05:00'));
  fc.assert(fc.property(tricky, (s) => assert.is(parse(toYaml([s]))[0], s)), runs);
});

test('quantities and image references stay plain (readable)', () => {
  assert.is(toYaml({ cpu: '500m', memory: '2Gi', image: 'quay.io/thanos/thanos:v0.42.4', arg: '--endpoint=dnssrv+_grpc._tcp.a.b.svc' }), 'cpu: 500m\nmemory: 2Gi\nimage: quay.io/thanos/thanos:v0.42.4\narg: --endpoint=dnssrv+_grpc._tcp.a.b.svc\n');
});

test.run();

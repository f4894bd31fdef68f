/** The small YAML writer: whatever it writes, YAML reads back as the same data. */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { scalar, toYaml } from '../../functions/prometheus-ha/src/core/emit.js';

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

// scalar() decides plain or quoted by the characters, as these expressions say (what it ran before).
const SPECIAL = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;
const SAFE = /^(?:[A-Za-z0-9_/]|--?[A-Za-z])[A-Za-z0-9_./:=+@-]*$/;
const NUMERIC = /^(?:[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;
const byRegExps = (s: string): string => (SAFE.test(s) && !SPECIAL.test(s) && !NUMERIC.test(s) && !s.endsWith(':') && !s.includes('://') && !(/^[0-9]/.test(s) && s.includes(':')) ? s : JSON.stringify(s));

test('a string is plain exactly where the regular expressions say', () => {
  const words = ['~', 'null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n'].flatMap((w) => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1), w + 's', 'x' + w]);
  const chars = fc.constantFrom(...'aZy-_./:=+@0917#~ eEbox\u00e9\u212a\u017f'.split(''), '-', '--', '://', '0x', '1:', '2001-12-14');
  const drawn = fc.oneof(fc.array(chars, { maxLength: 8 }).map((xs) => xs.join('')), fc.string({ maxLength: 10 }), fc.constantFrom(...words));
  for (const w of [...words, '', '-', '--', '-a', '--a', '-1', '--1', '-a:', 'a://b', '1:2', '12', '1e3', '0x1F', '.5', '500m', '2Gi', 'v0.42.4']) assert.is(scalar(w), byRegExps(w), JSON.stringify(w));
  fc.assert(fc.property(drawn, (s) => assert.is(scalar(s), byRegExps(s), JSON.stringify(s))), { ...runs, numRuns: runs.numRuns * 4 });
});

test.run();

/**
 * Operator by operator: every Expr operator, compiled by chart/gotemplate.ts and run by the real
 * Helm 3 and Helm 4, gives what expr.ts `evaluate` gives, on edge values (empty and zero values,
 * numbers in strings, null, left-out items, non-lists where lists are expected). This is what
 * lets the lead add objects to model.ts with any operator: the chart follows by construction.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { GoTemplate } from '../../functions/prometheus-ha/src/chart/gotemplate.js';
import { evaluate, OMIT, type Expr } from '../../functions/prometheus-ha/src/core/expr.js';
import { baseFact } from '../../functions/prometheus-ha/src/core/base.js';
import { HELMS, sh, tmp } from '../lib/chart-helpers.js';

const values = {
  s: 'a',
  e: '',
  z: 0,
  n: null,
  t: true,
  f: false,
  num: 2,
  big: 1000000,
  frac: 0.5,
  tiny: 1e-7,
  l: [1, 'x'],
  sl: ['soft h', 'hard z'],
  img: 'r:5000/t/t@sha256:abc',
  dollar: 'v$1',
  el: [],
  m: { a: 1, b: 'two' },
  em: {},
  nested: { x: { y: 'deep' } },
  strnum: '2',
  quote: 'say "hi" {{ .Values }} \\ é',
};
const base = { spec: { replicas: 1, replicaExternalLabelName: 'replica', podMetadata: { labels: { app: 'p' } } } };
const target = { name: 'prom', namespace: 'expr-ns' };
const v = (path: string): Expr => ({ $v: path });
const omitted: Expr = { $if: v('f'), then: 'never' };

const CASES: Record<string, Expr> = {
  v: v('s'),
  vMissing: v('missing.path'),
  vNested: v('nested.x.y'),
  vList: v('l'),
  tName: { $t: 'name' },
  tNamespace: { $t: 'namespace' },
  base: { $base: 'spec.podMetadata.labels' },
  baseMissing: { $base: 'spec.nope' },
  concat: { $concat: ['x', v('num'), v('n'), v('t'), v('f'), v('big'), v('frac'), v('tiny'), v('e'), v('missing'), v('quote'), { $t: 'namespace' }] },
  concatStatic: { $concat: ['a', 1, null, true] },
  join: { $join: [v('l'), '","'] },
  joinEmpty: { $join: [v('el'), ','] },
  joinMissing: { $join: [v('missing'), ','] },
  joinStatic: { $join: [['a', 'b'], '+'] },
  defaultAllEmpty: { $default: [v('e'), v('z'), v('f'), v('el'), v('em'), v('n'), v('missing'), 'fallback'] },
  defaultLastEmpty: { $default: [v('e'), v('z')] },
  defaultOne: { $default: [v('missing')] },
  defaultMap: { $default: [v('m'), 'x'] },
  defaultBase: { $default: [{ $base: 'spec.replicaExternalLabelName' }, 'prometheus_replica'] },
  eqNum: { $eq: [v('num'), 2] },
  eqStrNum: { $eq: [v('strnum'), 2] },
  eqNull: { $eq: [v('n'), null] },
  eqMissingNull: { $eq: [v('missing'), null] },
  eqMaps: { $eq: [v('m'), v('m')] },
  eqLists: { $eq: [v('l'), v('l')] },
  eqStr: { $eq: [v('s'), 'a'] },
  eqBool: { $eq: [v('t'), true] },
  eqBoolStr: { $eq: [v('t'), 'true'] },
  gt: { $gt: [v('num'), 1] },
  gtNull: { $gt: [v('n'), -1] },
  gtStrNum: { $gt: [v('strnum'), 1] },
  gtEqual: { $gt: [v('frac'), 0.5] },
  notZero: { $not: v('z') },
  notEmptyList: { $not: v('el') },
  notString: { $not: v('s') },
  andNone: { $and: [] },
  andTrue: { $and: [v('s'), v('t'), v('num')] },
  andFalse: { $and: [v('s'), v('em')] },
  ifElse: { $if: v('t'), then: 'yes', else: 'no' },
  ifElseFalse: { $if: v('el'), then: 'yes', else: v('m') },
  ifOmitted: omitted,
  ifTaken: { $if: v('s'), then: v('l') },
  ifNested: { $if: v('t'), then: { $if: v('f'), then: 1 }, else: 2 },
  listWithOmitted: [1, omitted, v('s'), { $if: v('t'), then: 3 }],
  flat: { $flat: ['a', v('l'), omitted, [v('s')], v('m'), v('el'), v('n'), { $if: v('t'), then: ['p', 'q'] }, { $map: v('l'), as: 'i', to: { $var: 'i' } }] },
  map: { $map: v('l'), as: 'i', to: { $concat: ['<', { $var: 'i' }, '>'] } },
  mapNotList: { $map: v('m'), as: 'i', to: { $var: 'i' } },
  mapMissing: { $map: v('missing'), as: 'i', to: 1 },
  mapOmit: { $map: v('l'), as: 'i', to: { $if: { $eq: [{ $var: 'i' }, 1] }, then: { $var: 'i' } } },
  mapNested: { $map: v('l'), as: 'o', to: { $map: [1, 2], as: 'in', to: { $concat: [{ $var: 'o' }, '/', { $var: 'in' }] } } },
  entries: { $entries: [[v('s'), 1], [v('n'), 2], [v('num'), 3], [v('t'), 4], ['k', omitted], [v('s'), 'later wins'], ['static', v('m')]] },
  merge: { $merge: [v('m'), { x: 1 }, v('s'), v('missing'), omitted, { a: 'override' }, v('em')] },
  literalMap: { k: v('s'), o: omitted, deep: { list: [v('num'), omitted], n: v('n') }, keep: 'static' },
  staticMap: { a: 1, b: [true, null, 'x'], c: { $concat: ['s', 't'] }, 'key "quoted" }}': '{{ "}}" }}\n\t\u0001' },
  in: { $in: [[{ $concat: ['soft', ' ', 'h'] }], v('sl')] },
  inNone: { $in: [['x', v('s')], v('sl')] },
  inNotList: { $in: [v('s'), v('sl')] },
  inListNotList: { $in: [['soft h'], v('m')] },
  inNumbers: { $in: [[v('num')], [1, 2]] },
  inNamespace: { $in: [[{ $concat: ['hard z@', { $t: 'namespace' }] }], ['hard z@expr-ns']] },
  fact: { $fact: 'replicas' },
  factList: { $in: [['soft h'], { $fact: 'antiAffinity.adoptable' }] },
  image: { $image: [v('s'), v('num')] },
  imageDigest: { $image: [v('img'), 'v1'] },
  imageDollar: { $image: [v('img'), v('dollar')] },
  imageNull: { $image: [v('n'), v('missing')] },
  literalBraces: { $concat: ['}}', v('s'), '{{ "x" }}'] },
};

/** A chart whose one template prints every case's value as JSON (left-out cases absent). */
function exprChart(dir: string): string {
  const chart = join(dir, 'expr-chart');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: expr\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), JSON.stringify(values));
  const w = new GoTemplate({ name: target.name, base });
  w.stmt('$nil := index (dict) "nil"');
  w.stmt('$V := toJson .Values | fromJson');
  w.stmt('$out := dict');
  for (const [name, e] of Object.entries(CASES)) {
    const c = w.compile(e);
    if (c.never) continue;
    if (c.present) w.open(`if ${c.present}`);
    w.stmt(`$_ := set $out "${name}" ${c.ref}`);
    if (c.present) w.close();
  }
  writeFileSync(join(chart, 'templates', 'out.yaml'), `${w.text()}\nout: {{ toJson $out | quote }}\n`);
  return chart;
}

const expected = (): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(CASES)) {
    const x = evaluate(e, { values, target, base, fact: (f) => baseFact(base, target.name, f) });
    if (x !== OMIT) out[name] = x;
  }
  return JSON.parse(JSON.stringify(out));
};

const dir = tmp('prometheus-ha-expr-');
for (const [name, helm] of HELMS) {
  test(`${name}: every Expr operator compiled to Go templates gives what evaluate() gives`, async () => {
    const r = await sh(helm, ['template', 'r', exprChart(dir), '-n', target.namespace]);
    assert.is(r.code, 0, r.stderr);
    const got = JSON.parse(JSON.parse(/^out: (.*)$/m.exec(r.stdout)![1]!));
    const want = expected();
    for (const k of Object.keys(CASES)) assert.equal(got[k], want[k], `case ${k}: helm ${JSON.stringify(got[k])} vs evaluate ${JSON.stringify(want[k])}`);
  });
}

test('an $if without else where a value must be (a $concat part) is refused at generation', () => {
  const w = new GoTemplate({ name: 'p', base: {} });
  assert.throws(() => w.compile({ $concat: ['a', { $if: { $v: 'x' }, then: 'b' }] }), /\$if without else/);
});

test.run();

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evaluate, OMIT, type Env, type Expr } from '../../functions/prometheus-ha/src/core/expr.js';

const env: Env = {
  values: { a: { b: 'x' }, n: 2, empty: [], list: ['p', 'q'], flag: false, s: '' },
  target: { name: 'prom', namespace: 'mon' },
  base: { spec: { replicaExternalLabelName: 'replica' } },
};

const cases: [string, Expr, unknown][] = [
  ['literal', { k: [1, 'two', null] }, { k: [1, 'two', null] }],
  ['$v path', { $v: 'a.b' }, 'x'],
  ['$v missing is null', { $v: 'a.zz' }, null],
  ['$v does not walk the prototype', { $v: 'a.constructor' }, null],
  ['$t', { $concat: [{ $t: 'namespace' }, '/', { $t: 'name' }] }, 'mon/prom'],
  ['$base', { $base: 'spec.replicaExternalLabelName' }, 'replica'],
  ['$default skips empty list', { $default: [{ $v: 'empty' }, ['d']] }, ['d']],
  ['$default skips "" and false', { $default: [{ $v: 's' }, { $v: 'flag' }, 'z'] }, 'z'],
  ['$default keeps first non-empty', { $default: [{ $v: 'list' }, ['d']] }, ['p', 'q']],
  ['$eq', { $eq: [{ $v: 'n' }, 2] }, true],
  ['$gt', { $gt: [{ $v: 'n' }, 1] }, true],
  ['$not of empty', { $not: { $v: 'empty' } }, true],
  ['$and', { $and: [{ $v: 'n' }, { $v: 'flag' }] }, false],
  ['$if else', { $if: { $v: 'flag' }, then: 1, else: 2 }, 2],
  ['$if without else omits a key', { x: { $if: { $v: 'flag' }, then: 1 }, y: 1 }, { y: 1 }],
  ['$if without else omits a list item', [1, { $if: { $v: 'flag' }, then: 2 }, 3], [1, 3]],
  ['$flat splices lists', { $flat: ['a', { $v: 'list' }, { $v: 'empty' }, 'b'] }, ['a', 'p', 'q', 'b']],
  ['$map', { $map: { $v: 'list' }, as: 'x', to: { $concat: ['--l=', { $var: 'x' }] } }, ['--l=p', '--l=q']],
  ['$join', { $join: [{ $v: 'list' }, '","'] }, 'p","q'],
  ['$join of an empty list', { $join: [{ $v: 'empty' }, ','] }, ''],
  ['$join of no list', { $join: [{ $v: 'a.zz' }, ','] }, ''],
  ['$entries computed key', { $entries: [[{ $v: 'a.b' }, 'v']] }, { x: 'v' }],
];

for (const [name, e, want] of cases) test(name, () => assert.equal(evaluate(e, env), want));

test('top-level $if without else is OMIT', () => assert.is(evaluate({ $if: false, then: 1 }, env), OMIT));

test('$entries with a __proto__ key makes an own property, no pollution', () => {
  const out = evaluate({ $entries: [['__proto__', { polluted: 'yes' }]] }, env) as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(out, '__proto__'));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
});

test.run();

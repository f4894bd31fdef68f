/**
 * A tiny expression language over the config (the chart's values) and the target Prometheus.
 *
 * The function and the Helm chart are two interpreters of the same expressions (see model.ts):
 * `evaluate` below runs them in TypeScript; chart/gotemplate.ts compiles them to Go-template text.
 * Keep every operator here small and with the same meaning in both (Sprig semantics for `$default`).
 */
import { copyOf, setOwn } from './util.js';

export type Expr =
  | null
  | boolean
  | number
  | string
  | Expr[]
  | { [key: string]: Expr }
  /** A config value by dotted path; in the chart `.Values.<path>`. */
  | { $v: string }
  /**
   * A fact of the target Prometheus: its name, its namespace, or the name of a PodDisruptionBudget
   * of the input that already covers its pods ("" if none); in the chart the namespace is the
   * release's, the others literals found when it was generated.
   */
  | { $t: TargetFact }
  /** A field of the base Prometheus by dotted path; in the chart a literal taken from the base at generation time. */
  | { $base: string }
  /** A fact derived from the base Prometheus and the target's name (core/base.ts); in the chart a literal computed at generation time. */
  | { $fact: string }
  /** Whether any of the scalars of the first list is an element of the second list (Sprig: `has`). */
  | { $in: [Expr, Expr] }
  /** An image reference tagged: `REF:TAG`, the tag put before a `@digest` of REF (`repo:v1@sha256:...`). */
  | { $image: [Expr, Expr] }
  /** A variable bound by `$map`. */
  | { $var: string }
  /** String concatenation of scalars. */
  | { $concat: Expr[] }
  /** The items of a list of strings joined by a separator ("" for no list); in the chart Sprig's `join`. */
  | { $join: [Expr, string] }
  /** The first value that is not empty (null, "", [], {}, false), as Sprig's `default`; else the last. */
  | { $default: Expr[] }
  | { $eq: [Expr, Expr] }
  | { $gt: [Expr, Expr] }
  | { $not: Expr }
  | { $and: Expr[] }
  /** `then` when `$if` is truthy, else `else`; with no `else`, the key or list item is left out. */
  | { $if: Expr; then: Expr; else?: Expr }
  /** A list: items that evaluate to lists are spliced in, left-out items dropped. */
  | { $flat: Expr[] }
  /** Each element of a list, bound to `as`, mapped through `to`. */
  | { $map: Expr; as: string; to: Expr }
  /** A map whose keys are computed: `[key, value]` pairs; later pairs win. Pairs whose value is left out are dropped. */
  | { $entries: [Expr, Expr][] }
  /** Shallow merge of maps, later ones win (for flat maps such as labels; Sprig: mergeOverwrite onto a new dict). */
  | { $merge: Expr[] };

export type TargetFact = 'name' | 'namespace' | 'basePdb' | 'adoptableQueries';

export interface Env {
  values: unknown;
  /** adoptableQueries: the Thanos Query Deployments of the input that already read the target (transform.ts existingQueries). */
  target: { name: string; namespace: string; basePdb?: string; adoptableQueries?: string[] };
  base: unknown;
  /** The facts of the base (`$fact`): core/base.ts baseFact for this base and target. */
  fact?: (name: string) => unknown;
  vars?: Record<string, unknown>;
}

/** Marks a key or list item that an `$if` without `else` left out. */
export const OMIT: unique symbol = Symbol('omit');
export type Value = unknown;

export function getPath(root: unknown, dotted: string): unknown {
  let cur: unknown = root;
  const segs = dotted.split('.');
  for (let i = 0; i < segs.length; i++) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, segs[i]!)) return undefined;
    cur = (cur as Record<string, unknown>)[segs[i]!];
  }
  return cur;
}

/** Sprig's notion of empty, which `$default` and truthiness share. */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

const OPS = ['$v', '$t', '$base', '$fact', '$in', '$image', '$var', '$concat', '$join', '$default', '$eq', '$gt', '$not', '$and', '$if', '$flat', '$map', '$entries', '$merge'] as const;
export type Op = (typeof OPS)[number];

const OP_RANK = new Map<string, number>(OPS.map((op, i) => [op, i]));

/**
 * The operator of an expression node (the first of OPS it has), or undefined for a literal map.
 * Found among the node's own keys that start with `$`, not by asking for each of the 19 operators:
 * most nodes are literal maps, without one.
 */
export function opOf(e: object): Op | undefined {
  let best: number | undefined;
  const keys = Object.keys(e);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i]!.charCodeAt(0) !== 36) continue;
    const rank = OP_RANK.get(keys[i]!);
    if (rank !== undefined && (best === undefined || rank < best)) best = rank;
  }
  return best === undefined ? undefined : OPS[best];
}

/**
 * The items of a list evaluated, left-out ones dropped. Loops by index and operands by index, not
 * `for...of` or `[a, b] = ...`: those are iterator calls in bytecode, and the size of what runs
 * hundreds of times a run is what V8's baseline compiler spends on every cold start.
 */
function list(xs: Expr[], env: Env): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < xs.length; i++) {
    const v = evaluate(xs[i]!, env);
    if (v !== OMIT) out.push(v);
  }
  return out;
}

/** A map whose own entries are evaluated (left-out ones dropped); a literal map of the model. */
function entries(n: Record<string, any>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // Object.keys, not entries: a run evaluates hundreds of these nodes, and entries makes an array per key.
  const keys = Object.keys(n);
  for (let i = 0; i < keys.length; i++) {
    const val = evaluate(n[keys[i]!] as Expr, env);
    if (val !== OMIT) setOwn(out, keys[i]!, val);
  }
  return out;
}

type Node = Record<string, any>;

/**
 * Each operator, one small function: only those a run calls often are compiled by V8's baseline
 * compiler (one function with a case per operator was compiled whole).
 */
const EVAL: Record<Op, (n: Node, env: Env) => Value | typeof OMIT> = {
  $v: (n, env) => copyOf(getPath(env.values, n.$v)) ?? null,
  $t: (n, env) => env.target[n.$t as TargetFact] ?? '',
  $base: (n, env) => copyOf(getPath(env.base, n.$base)) ?? null,
  $fact: (n, env) => {
    if (!env.fact) throw new Error(`$fact ${n.$fact}: no base facts in this environment`);
    return env.fact(n.$fact as string);
  },
  $in: (n, env) => {
    const needles = evaluate(n.$in[0], env);
    const within = evaluate(n.$in[1], env);
    return Array.isArray(needles) && Array.isArray(within) && needles.some((x) => within.includes(x));
  },
  $image: (n, env) => {
    // String(x), as the chart's string(): null is "null" (the config always has both).
    const ref = String(evaluate(n.$image[0], env));
    const tag = String(evaluate(n.$image[1], env));
    const at = ref.indexOf('@');
    return at === -1 ? `${ref}:${tag}` : `${ref.slice(0, at)}:${tag}${ref.slice(at)}`;
  },
  $var: (n, env) => env.vars?.[n.$var] ?? null,
  $concat: (n, env) => (n.$concat as Expr[]).map((x) => String(evaluate(x, env) ?? '')).join(''),
  $join: (n, env) => {
    const xs = evaluate(n.$join[0], env);
    return Array.isArray(xs) ? xs.map((x) => String(x ?? '')).join(n.$join[1]) : '';
  },
  $default: (n, env) => {
    const xs = (n.$default as Expr[]).map((x) => evaluate(x, env));
    return xs.find((x) => !isEmpty(x)) ?? xs[xs.length - 1];
  },
  $eq: (n, env) => evaluate(n.$eq[0], env) === evaluate(n.$eq[1], env),
  $gt: (n, env) => Number(evaluate(n.$gt[0], env)) > Number(evaluate(n.$gt[1], env)),
  $not: (n, env) => isEmpty(evaluate(n.$not, env)),
  $and: (n, env) => (n.$and as Expr[]).every((x) => !isEmpty(evaluate(x, env))),
  $if: (n, env) => {
    if (!isEmpty(evaluate(n.$if, env))) return evaluate(n.then, env);
    return 'else' in n ? evaluate(n.else, env) : OMIT;
  },
  // Items that evaluate to lists spliced in (flat(1) leaves the others as they are).
  $flat: (n, env) => list(n.$flat, env).flat(1),
  $map: (n, env) => {
    const xs = evaluate(n.$map, env);
    if (!Array.isArray(xs)) return [];
    return xs.map((item) => evaluate(n.to, { ...env, vars: { ...env.vars, [n.as]: item } })).filter((x) => x !== OMIT);
  },
  $entries: (n, env) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n.$entries.length; i++) {
      const val = evaluate(n.$entries[i][1], env);
      if (val !== OMIT) setOwn(out, String(evaluate(n.$entries[i][0], env)), val);
    }
    return out;
  },
  $merge: (n, env) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n.$merge.length; i++) {
      const m = evaluate(n.$merge[i], env);
      if (m && typeof m === 'object' && !Array.isArray(m)) for (const k of Object.keys(m)) setOwn(out, k, (m as Record<string, unknown>)[k]);
    }
    return out;
  },
};

export function evaluate(e: Expr, env: Env): Value | typeof OMIT {
  if (e === null || typeof e !== 'object') return e;
  if (Array.isArray(e)) return list(e, env);
  const op = opOf(e);
  return op ? EVAL[op](e as Node, env) : entries(e as Node, env);
}

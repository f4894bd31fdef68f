/**
 * The second interpreter of model.ts: compiles Expr (expr.ts) and PatchOps (model.ts) to
 * Go-template text for Helm (Go text/template + Sprig), so that the chart computes what
 * `evaluate`/`applyPatch` compute.
 *
 * The compiled code builds values in template variables with statements
 * (`{{- $x1 := dict }}`, `{{- $_ := set $x1 "k" ... }}`, `{{- if ... }}`, `{{- range ... }}`)
 * instead of printing YAML text, so that quoting, indentation and left-out keys cannot differ:
 * each object is printed once with `toYaml`.
 *
 * Sub-expressions that depend on neither the values, the release namespace nor a `$map`
 * variable are folded at generation time by `evaluate` itself (so `$base` and `$t: name` are
 * literals). Everything else is translated operator by operator; the notes at each operator say
 * how the Go/Sprig form keeps the TypeScript meaning (Sprig `empty` is expr.ts `isEmpty`).
 *
 * Runtime names every compiled fragment relies on: `$V` (the values with the chart defaults
 * applied, a map[string]interface{}), `$nil` (a nil value: `nil` cannot be assigned in Go
 * templates) and `$` (the root context, for .Release.Namespace).
 */
import { evaluate, OMIT, opOf, type Expr } from '../core/expr.js';
import type { PatchOp } from '../core/model.js';
import { baseFact } from '../core/base.js';

export class ChartError extends Error {}

/**
 * Generation-time facts: the target's name and the base Prometheus (for `$t: name`, `$base`), a
 * budget of the base over its pods (`$t: basePdb`), the base's Thanos Queries that already read the
 * target (`$t: adoptableQueries`).
 */
export interface Facts {
  name: string;
  base: unknown;
  basePdb?: string;
  adoptableQueries?: string[];
}

type Kind = 'string' | 'bool' | 'number' | 'map' | 'list' | 'null' | 'unknown';

/** A compiled value: a template operand; `present` names a bool variable when it may be left out. */
export interface Compiled {
  ref: string;
  present?: string;
  /** Left out whatever the values (an `$if` without `else` folded to false). */
  never?: boolean;
}

/** A Go string literal (Go text/template parses string constants with strconv.Unquote). */
export function goString(s: string): string {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) {
    throw new ChartError(`a string with an unpaired surrogate cannot be written to the chart: ${JSON.stringify(s)}`);
  }
  // JSON.stringify escapes only ", \, and control characters, all with escapes Go accepts.
  return JSON.stringify(s);
}

/** A literal value as a template operand (maps and lists through fromJson: fresh on every evaluation). */
export function literal(x: unknown): string {
  if (x === null || x === undefined) return '$nil';
  if (typeof x === 'boolean') return String(x);
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new ChartError(`the number ${x} cannot be written to the chart`);
    return String(x);
  }
  if (typeof x === 'string') return goString(x);
  if (Array.isArray(x)) return x.length ? `(fromJsonArray ${goString(JSON.stringify(x))})` : '(list)';
  if (typeof x === 'object') return Object.keys(x).length ? `(fromJson ${goString(JSON.stringify(x))})` : '(dict)';
  throw new ChartError(`cannot write a ${typeof x} to the chart`);
}

const kindOfValue = (x: unknown): Kind =>
  x === null || x === undefined ? 'null' : Array.isArray(x) ? 'list' : typeof x === 'object' ? 'map' : typeof x === 'string' ? 'string' : typeof x === 'boolean' ? 'bool' : typeof x === 'number' ? 'number' : 'unknown';

const isVar = (ref: string): boolean => /^\$[A-Za-z0-9_]*$/.test(ref);
const isSimple = (ref: string): boolean => isVar(ref) || /^(true|false|-?[0-9][0-9.e+-]*|"([^"\\]|\\.)*"|\$\.Release\.Namespace)$/.test(ref);

export class GoTemplate {
  private lines: string[] = [];
  private depth = 0;
  private vars: Map<string, string> = new Map();

  constructor(
    private readonly facts: Facts,
    private readonly counter: { n: number } = { n: 0 },
  ) {}

  /** The statements written so far, one a line, indented by block depth. */
  text(): string {
    return this.lines.join('\n');
  }

  fresh(prefix = 'x'): string {
    return `$${prefix}${++this.counter.n}`;
  }

  /** One statement: `{{- s }}`. `{{-` trims the line break before it, so the statements print nothing. */
  stmt(s: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}{{- ${s} }}`);
  }

  /** Raw template text (for the printing of objects). */
  raw(s: string): void {
    this.lines.push(s);
  }

  open(s: string): void {
    this.stmt(s);
    this.depth++;
  }

  els(s = 'else'): void {
    this.depth--;
    this.stmt(s);
    this.depth++;
  }

  close(): void {
    this.depth--;
    this.stmt('end');
  }

  /** Binds an operand to a variable unless it is already one (or a constant). */
  bind(ref: string): string {
    if (isSimple(ref)) return ref;
    const v = this.fresh();
    this.stmt(`${v} := ${ref}`);
    return v;
  }

  // ---- expressions ----

  /** Whether an expression is the same whatever the values, namespace and variables. */
  isStatic(e: Expr): boolean {
    if (e === null || typeof e !== 'object') return true;
    if (Array.isArray(e)) return e.every((x) => this.isStatic(x));
    const n = e as Record<string, Expr>;
    const op = opOf(e);
    if (op === '$v' || op === '$var') return false;
    if (op === '$t') return n.$t !== 'namespace';
    return Object.entries(n).every(([k, v]) => (op === '$map' && k === 'as') || this.isStatic(v));
  }

  /** evaluate() itself, at generation time, for static expressions. */
  private fold(e: Expr): unknown {
    return evaluate(e, { values: {}, target: { name: this.facts.name, namespace: '\u0000no namespace at generation', basePdb: this.facts.basePdb ?? '', adoptableQueries: this.facts.adoptableQueries ?? [] }, base: this.facts.base, fact: (f) => baseFact(this.facts.base, this.facts.name, f) });
  }

  /** Whether an expression can be left out (an `$if` without `else`, possibly nested). */
  mayOmit(e: Expr): boolean {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
    if (this.isStatic(e)) return this.fold(e) === OMIT;
    const n = e as Record<string, Expr>;
    if (opOf(e) !== '$if') return false;
    return !('else' in n) || this.mayOmit(n.then!) || this.mayOmit(n.else!);
  }

  kindOf(e: Expr): Kind {
    if (this.isStatic(e)) return kindOfValue(this.fold(e));
    if (Array.isArray(e)) return 'list';
    switch (opOf(e as object)) {
      case '$concat':
      case '$image':
      case '$join':
        return 'string';
      case '$eq':
      case '$gt':
      case '$not':
      case '$and':
      case '$in':
        return 'bool';
      case '$flat':
      case '$map':
        return 'list';
      case '$entries':
      case '$merge':
      case undefined:
        return 'map';
      case '$t':
        return 'string';
      default:
        return 'unknown';
    }
  }

  /** A value that is never left out. */
  value(e: Expr): string {
    const c = this.compile(e);
    if (c.present !== undefined || c.never) {
      throw new ChartError(`an $if without else may only stand as a map value, list item, $flat or $map item, $entries value or patch value: ${JSON.stringify(e)}`);
    }
    return c.ref;
  }

  /** A value as a string, as JavaScript's String(x) (map keys, patch path segments). */
  string(e: Expr): string {
    if (this.isStatic(e)) {
      const x = this.fold(e);
      if (x === OMIT) throw new ChartError(`a left-out value cannot be a key: ${JSON.stringify(e)}`);
      return goString(String(x));
    }
    const ref = this.value(e);
    if (this.kindOf(e) === 'string') return ref;
    const s = this.fresh('s');
    this.stmt(`${s} := ${ref}`);
    // String(null) is "null", String(2) is "2", String(true) is "true": Go's toJson of each.
    this.open(`if not (kindIs "string" ${s})`);
    this.stmt(`${s} = toJson ${s}`);
    this.close();
    return s;
  }

  compile(e: Expr): Compiled {
    if (this.isStatic(e)) {
      const x = this.fold(e);
      return x === OMIT ? { ref: '$nil', never: true } : { ref: literal(x) };
    }
    if (Array.isArray(e)) {
      const l = this.fresh('l');
      this.stmt(`${l} := list`);
      for (const item of e) this.append(l, this.compile(item));
      return { ref: l };
    }
    const n = e as Record<string, any>;
    const op = opOf(e as object);
    switch (op) {
      case '$v': {
        // getPath: undefined (then null) when a step is missing. dig: the default ($nil) then.
        const segs = (n.$v as string).split('.').map(goString).join(' ');
        return { ref: `(dig ${segs} $nil $V)` };
      }
      case '$t':
        // Only the namespace is dynamic: the release's.
        return { ref: '$.Release.Namespace' };
      case '$base':
      case '$fact':
        // Always static (folded above); here for completeness.
        return { ref: literal(this.fold(e)) };
      case '$in': {
        // Some needle is in the list: Sprig's `has` (reflect.DeepEqual on each element) per needle;
        // what is not a list is never "in" and has none. An empty list known at generation (the
        // base's adoptable Queries, mostly) has nothing in it whatever the values: false, no code.
        const list = (n.$in as Expr[])[1]!;
        if (this.isStatic(list)) {
          const folded = this.fold(list);
          if (!Array.isArray(folded) || folded.length === 0) return { ref: 'false' };
        }
        const [a, b] = (n.$in as Expr[]).map((x) => this.bind(this.value(x))) as [string, string];
        const r = this.fresh('in');
        this.stmt(`${r} := false`);
        const it = this.fresh('i');
        this.open(`if and (kindIs "slice" ${a}) (kindIs "slice" ${b})`);
        this.open(`range ${it} := ${a}`);
        this.open(`if has ${it} ${b}`);
        this.stmt(`${r} = true`);
        this.close();
        this.close();
        this.close();
        return { ref: r };
      }
      case '$image': {
        // The tag after what precedes any "@" (Go's regexp: $1 in the replacement, so a "$" of the tag is doubled).
        const [ref, tag] = (n.$image as Expr[]).map((x) => this.string(x)) as [string, string];
        return { ref: `(regexReplaceAll "^([^@]*)" ${ref} (printf "\${1}:%s" (replace "$" "$$" ${tag})))` };
      }
      case '$var': {
        const v = this.vars.get(n.$var as string);
        if (!v) throw new ChartError(`$var ${n.$var} is not bound by an enclosing $map`);
        return { ref: v };
      }
      case '$concat': {
        // String(x ?? ''): strings as they are, null as "", numbers and booleans as JavaScript
        // writes them, which is Go's toJson (fmt's %v would write 1e+06 for 1000000).
        const s = this.fresh('s');
        this.stmt(`${s} := ""`);
        let pending = '';
        const flush = () => {
          if (pending) this.stmt(`${s} = print ${s} ${goString(pending)}`);
          pending = '';
        };
        for (const part of n.$concat as Expr[]) {
          if (this.isStatic(part)) {
            pending += String(this.fold(part) ?? '');
            continue;
          }
          flush();
          const p = this.bind(this.value(part));
          if (this.kindOf(part) === 'string') {
            this.stmt(`${s} = print ${s} ${p}`);
            continue;
          }
          this.open(`if kindIs "string" ${p}`);
          this.stmt(`${s} = print ${s} ${p}`);
          this.els(`else if not (kindIs "invalid" ${p})`);
          this.stmt(`${s} = print ${s} (toJson ${p})`);
          this.close();
        }
        flush();
        return { ref: s };
      }
      case '$join': {
        // Sprig's join of a list of strings (our lists to join hold strings only: the schema says so).
        const [list, sep] = n.$join as [Expr, string];
        const l = this.bind(this.value(list));
        const s = this.fresh('s');
        this.stmt(`${s} := ""`);
        this.open(`if kindIs "slice" ${l}`);
        this.stmt(`${s} = join ${goString(sep)} ${l}`);
        this.close();
        return { ref: s };
      }
      case '$default': {
        // The first non-empty, else the last: Sprig's `default D X` is X unless X is empty.
        const refs = (n.$default as Expr[]).map((x) => this.value(x));
        if (!refs.length) return { ref: '$nil' };
        let ref = refs[refs.length - 1]!;
        for (let i = refs.length - 2; i >= 0; i--) ref = `(default ${ref} ${refs[i]})`;
        return { ref };
      }
      case '$eq': {
        // ===: equal scalars; two maps or lists are never === (evaluate builds fresh ones).
        const [a, b] = (n.$eq as Expr[]).map((x) => this.bind(this.value(x))) as [string, string];
        const scalar = (x: Expr) => ['string', 'bool', 'number', 'null'].includes(this.kindOf(x));
        const [ea, eb] = n.$eq as [Expr, Expr];
        const same = `(eq (toJson ${a}) (toJson ${b}))`;
        return { ref: scalar(ea) || scalar(eb) ? same : `(and ${same} (not (or (kindIs "map" ${a}) (kindIs "slice" ${a}))))` };
      }
      case '$gt': {
        // Number(a) > Number(b): Sprig's float64 (nil, "" and false are 0, true is 1).
        const [a, b] = (n.$gt as Expr[]).map((x) => this.value(x));
        return { ref: `(gt (float64 ${a}) (float64 ${b}))` };
      }
      case '$not': {
        const x = this.value(n.$not as Expr);
        return { ref: this.kindOf(n.$not as Expr) === 'bool' ? `(not ${x})` : `(empty ${x})` };
      }
      case '$and': {
        const xs = (n.$and as Expr[]).map((x) => `(not (empty ${this.value(x)}))`);
        return { ref: xs.length ? `(and ${xs.join(' ')})` : 'true' };
      }
      case '$if': {
        const cond = this.value(n.$if as Expr);
        const r = this.fresh('r');
        this.stmt(`${r} := $nil`);
        const omits = this.mayOmit(e);
        const p = omits ? this.fresh('p') : undefined;
        if (p) this.stmt(`${p} := false`);
        const branch = (x: Expr) => {
          const c = this.compile(x);
          if (c.never) return;
          this.stmt(`${r} = ${c.ref}`);
          if (p) this.stmt(`${p} = ${c.present ?? 'true'}`);
        };
        // Go's `if` is false exactly for Sprig's empty values (false, 0, nil, "", empty list or map).
        this.open(`if ${cond}`);
        branch(n.then as Expr);
        if ('else' in n) {
          this.els();
          branch(n.else as Expr);
        }
        this.close();
        return p ? { ref: r, present: p } : { ref: r };
      }
      case '$flat': {
        const l = this.fresh('l');
        this.stmt(`${l} := list`);
        for (const item of n.$flat as Expr[]) {
          if (this.isStatic(item)) {
            const x = this.fold(item);
            if (x === OMIT) continue;
            for (const y of Array.isArray(x) ? x : [x]) this.stmt(`${l} = append ${l} ${literal(y)}`);
            continue;
          }
          const c = this.compile(item);
          if (c.never) continue;
          if (c.present) this.open(`if ${c.present}`);
          const kind = this.kindOf(item);
          if (kind === 'list') this.stmt(`${l} = concat ${l} ${c.ref}`);
          else if (kind !== 'unknown') this.stmt(`${l} = append ${l} ${c.ref}`);
          else {
            const x = this.bind(c.ref);
            this.open(`if kindIs "slice" ${x}`);
            this.stmt(`${l} = concat ${l} ${x}`);
            this.els();
            this.stmt(`${l} = append ${l} ${x}`);
            this.close();
          }
          if (c.present) this.close();
        }
        return { ref: l };
      }
      case '$map': {
        // Not a list: [] (evaluate's Array.isArray check).
        const src = this.bind(this.value(n.$map as Expr));
        const l = this.fresh('l');
        this.stmt(`${l} := list`);
        const it = this.fresh('i');
        this.open(`if kindIs "slice" ${src}`);
        this.open(`range ${it} := ${src}`);
        const saved = this.vars;
        this.vars = new Map(saved).set(n.as as string, it);
        this.append(l, this.compile(n.to as Expr));
        this.vars = saved;
        this.close();
        this.close();
        return { ref: l };
      }
      case '$entries': {
        const m = this.fresh('m');
        this.stmt(`${m} := dict`);
        for (const [k, v] of n.$entries as [Expr, Expr][]) {
          const c = this.compile(v);
          if (c.never) continue;
          const key = this.string(k);
          this.put(m, key, c);
        }
        return { ref: m };
      }
      case '$merge': {
        // Shallow, later maps win; what is not a map is skipped.
        const m = this.fresh('m');
        this.stmt(`${m} := dict`);
        for (const x of n.$merge as Expr[]) {
          const c = this.compile(x);
          if (c.never) continue;
          if (c.present) this.open(`if ${c.present}`);
          const src = this.bind(c.ref);
          const [k, val] = [this.fresh('k'), this.fresh('v')];
          this.open(`if kindIs "map" ${src}`);
          this.open(`range ${k}, ${val} := ${src}`);
          this.stmt(`$_ := set ${m} ${k} ${val}`);
          this.close();
          this.close();
          if (c.present) this.close();
        }
        return { ref: m };
      }
      case undefined: {
        const m = this.fresh('m');
        this.stmt(`${m} := dict`);
        for (const [k, v] of Object.entries(n)) this.put(m, goString(k), this.compile(v as Expr));
        return { ref: m };
      }
      default: {
        // An operator added to expr.ts must be added here too (tsc says so: `op` is then not never).
        const unknown: never = op;
        throw new ChartError(`the chart compiler does not know the operator ${String(unknown)} yet (chart/gotemplate.ts)`);
      }
    }
  }

  private append(list: string, c: Compiled): void {
    if (c.never) return;
    if (c.present) this.open(`if ${c.present}`);
    this.stmt(`${list} = append ${list} ${c.ref}`);
    if (c.present) this.close();
  }

  private put(map: string, key: string, c: Compiled): void {
    if (c.never) return;
    if (c.present) this.open(`if ${c.present}`);
    this.stmt(`$_ := set ${map} ${key} ${c.ref}`);
    if (c.present) this.close();
  }

  // ---- patches ----

  /** patch.ts applyPatch on the map in variable `target`. */
  patch(target: string, ops: PatchOp[]): void {
    for (const op of ops) {
      this.raw(`{{- /* ${op.op} ${op.path.map((s) => (typeof s === 'string' ? s : '(computed)')).join('.')}: ${op.why.replace(/\*\//g, '* /')} */}}`);
      if (op.when !== undefined) this.open(`if ${this.value(op.when)}`);
      const segs = op.path.map((s) => this.string(s as Expr));
      const c = this.compile(op.value);
      if (!c.never) {
        if (c.present) this.open(`if ${c.present}`);
        if (op.op === 'set') this.setIn(target, segs, c.ref);
        else {
          // Each entry of the value map, set under the path (Object.entries(value ?? {})).
          const src = this.bind(c.ref);
          const [k, val] = [this.fresh('k'), this.fresh('v')];
          this.open(`if kindIs "map" ${src}`);
          this.open(`range ${k}, ${val} := ${src}`);
          this.setIn(target, [...segs, k], val);
          this.close();
          this.close();
        }
        if (c.present) this.close();
      }
      if (op.when !== undefined) this.close();
    }
  }

  /** Document.setIn: missing maps on the way are created; a step that is there and not a map is an error. */
  private setIn(root: string, segs: string[], value: string): void {
    const p = this.fresh('p');
    this.stmt(`${p} := ${root}`);
    segs.slice(0, -1).forEach((seg, i) => {
      this.open(`if not (hasKey ${p} ${seg})`);
      this.stmt(`$_ := set ${p} ${seg} (dict)`);
      this.els(`else if not (kindIs "map" (index ${p} ${seg}))`);
      const where = segs.slice(0, i + 1);
      this.stmt(`fail (printf "prometheus-ha: the Prometheus's ${where.map(() => '%s').join('.')} is not a map; cannot set ${segs.map(() => '%s').join('.')}" ${[...where, ...segs].join(' ')})`);
      this.close();
      this.stmt(`${p} = index ${p} ${seg}`);
    });
    // A copy, as the YAML node createNode makes: later sets below it must not change the values.
    const v = this.bind(value);
    const copy = isVar(v) && v !== '$nil';
    if (copy) {
      this.open(`if or (kindIs "map" ${v}) (kindIs "slice" ${v})`);
      this.stmt(`$_ := set ${p} ${segs[segs.length - 1]} (deepCopy ${v})`);
      this.els();
    }
    this.stmt(`$_ := set ${p} ${segs[segs.length - 1]} ${v}`);
    if (copy) this.close();
  }
}

/** Applies the model's PatchOps to a document (edit.ts: yaml's, or the light reader's), keeping comments and key order. */
import type { EditDoc } from './edit.js';
import { evaluate, isEmpty, OMIT, type Env, type Expr } from './expr.js';
import type { PatchOp } from './model.js';
import { deepEqual } from './util.js';

export interface Change {
  field: string;
  why: string;
  /** The value the base had there (undefined: none), and the one set. */
  old?: unknown;
  value?: unknown;
  /**
   * A merge that set several keys of the map at `field`, as ONE change (issue 17: 30,000
   * externalLabels were 30,000 results, most of the run): the keys it added, and those whose value
   * it replaced, with the old and the new value.
   */
  keys?: { added: string[]; changed: { key: string; old: unknown; value: unknown }[] };
}

export class PatchError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const fieldPath = (path: (string | number)[]): string => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_]+$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`)).join('');

/** The deepest existing node on `path` must be a map for a set below it to make sense. */
function checkParents(doc: EditDoc, path: string[]): void {
  for (let i = 0; i < path.length - 1; i++) {
    const node = doc.info(path.slice(0, i + 1));
    if (node === undefined) return;
    if (node.kind !== 'map') {
      const what = node.kind === 'seq' ? 'a list' : node.kind === 'scalar' ? `the value ${JSON.stringify(node.value)}` : 'not a map';
      throw new PatchError(fieldPath(path.slice(0, i + 1)), `${fieldPath(path.slice(0, i + 1))} is ${what}, expected a map`);
    }
  }
}

/** Sets path to value unless it holds it already: undefined when unchanged, else the old value (or none). */
function set(doc: EditDoc, path: string[], value: unknown, checked = false): { old?: unknown } | undefined {
  const old = doc.plain(path);
  if (deepEqual(old, value)) return undefined;
  if (!checked) checkParents(doc, path);
  doc.set(path, value);
  return old === undefined ? {} : { old };
}

/**
 * Sets each entry of `value` under `path`. One key changed is one change of that key's field, as
 * a set; several are one change of the map, which names them. The maps above the keys are checked
 * once, at the first key that changes (they are the same for every key).
 */
function merge(doc: EditDoc, path: string[], value: Record<string, unknown>, why: string, changes: Change[]): void {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length > 1 && doc.info(path) === undefined) {
    // No map there yet: every key is new, and setting them one by one ends in this map (setIn
    // creates it, then appends each key in order, as createNode does): one set, not one per key.
    checkParents(doc, [...path, entries[0]![0]]);
    doc.set(path, Object.fromEntries(entries));
    changes.push({ field: fieldPath(path), why, keys: { added: entries.map(([k]) => k), changed: [] } });
    return;
  }
  const added: string[] = [];
  const changed: { key: string; old: unknown; value: unknown }[] = [];
  let one: Change | undefined;
  for (const [k, v] of entries) {
    const at = [...path, k];
    const c = set(doc, at, v, added.length + changed.length > 0);
    if (!c) continue;
    if ('old' in c) changed.push({ key: k, old: c.old, value: v });
    else added.push(k);
    one ??= { field: fieldPath(at), why, ...('old' in c ? { old: c.old, value: v } : {}) };
  }
  if (added.length + changed.length === 1) changes.push(one!);
  else if (one) changes.push({ field: fieldPath(path), why, keys: { added, changed } });
}

export function applyPatch(doc: EditDoc, ops: PatchOp[], env: Env): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.when !== undefined && isEmpty(evaluate(op.when, env))) continue;
    const path = op.path.map((seg) => String(evaluate(seg as Expr, env)));
    const value = evaluate(op.value, env);
    if (value === OMIT) continue;
    if (op.op === 'merge') merge(doc, path, (value ?? {}) as Record<string, unknown>, op.why, changes);
    else {
      const c = set(doc, path, value);
      if (c) changes.push({ field: fieldPath(path), why: op.why, ...('old' in c ? { old: c.old, value } : {}) });
    }
  }
  return changes;
}

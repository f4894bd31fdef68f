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

function set(doc: EditDoc, path: string[], value: unknown, why: string, changes: Change[]): void {
  const old = doc.plain(path);
  if (deepEqual(old, value)) return;
  checkParents(doc, path);
  doc.set(path, value);
  changes.push({ field: fieldPath(path), why, ...(old === undefined ? {} : { old, value }) });
}

export function applyPatch(doc: EditDoc, ops: PatchOp[], env: Env): Change[] {
  const changes: Change[] = [];
  for (const op of ops) {
    if (op.when !== undefined && isEmpty(evaluate(op.when, env))) continue;
    const path = op.path.map((seg) => String(evaluate(seg as Expr, env)));
    const value = evaluate(op.value, env);
    if (value === OMIT) continue;
    if (op.op === 'set') set(doc, path, value, op.why, changes);
    else for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) set(doc, [...path, k], v, op.why, changes);
  }
  return changes;
}

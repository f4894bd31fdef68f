/** Applies the model's PatchOps to a yaml Document, keeping comments and key order. */
import { isCollection, isMap as isYamlMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import { evaluate, isEmpty, OMIT, type Env, type Expr } from './expr.js';
import type { PatchOp } from './model.js';
import { deepEqual } from './util.js';

export interface Change {
  field: string;
  why: string;
}

export class PatchError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const fieldPath = (path: (string | number)[]): string => path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_]+$/.test(s) ? (i ? `.${s}` : s) : `[${JSON.stringify(s)}]`)).join('');

function plainAt(doc: Document, path: string[]): unknown {
  const node = doc.getIn(path, true) as Node | undefined;
  if (node === undefined) return undefined;
  return isCollection(node) || isScalar(node) ? node.toJSON() : node;
}

/** The deepest existing node on `path` must be a map for a set below it to make sense. */
function checkParents(doc: Document, path: string[]): void {
  for (let i = 0; i < path.length - 1; i++) {
    const node = doc.getIn(path.slice(0, i + 1), true) as Node | undefined;
    if (node === undefined) return;
    if (!isYamlMap(node)) {
      const what = isSeq(node) ? 'a list' : isScalar(node) ? `the value ${JSON.stringify(node.value)}` : 'not a map';
      throw new PatchError(fieldPath(path.slice(0, i + 1)), `${fieldPath(path.slice(0, i + 1))} is ${what}, expected a map`);
    }
  }
}

function set(doc: Document, path: string[], value: unknown, why: string, changes: Change[]): void {
  if (deepEqual(plainAt(doc, path), value)) return;
  checkParents(doc, path);
  doc.setIn(path, doc.createNode(value));
  // A key added to a flow map would keep flow style; the new parts are written in block style.
  for (let i = 1; i < path.length; i++) {
    const parent = doc.getIn(path.slice(0, i), true);
    if (isYamlMap(parent) && parent.flow) parent.flow = false;
  }
  changes.push({ field: fieldPath(path), why });
}

export function applyPatch(doc: Document, ops: PatchOp[], env: Env): Change[] {
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

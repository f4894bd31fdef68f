/**
 * What a text edit of a YAML document touched (issue 14, section 6): a line diff of two texts and
 * the key path of each line, to check that a diff of the Prometheus before and after the function
 * shows only the fields it changed. Tests only: the paths are found by indentation, which is right
 * for the block YAML the tests and the brownfield fixtures use.
 */
import { readResourceList, readStream } from '../../functions/prometheus-ha/src/yaml/source.js';

/** Lines of a not in b (removed) and of b not in a (added), by a longest common subsequence. */
export function lineDiff(a: string, b: string): { removed: number[]; added: number[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: number[] = [];
  const added: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(j++);
    else removed.push(i++);
  }
  return { removed, added };
}

export type LineInfo = { kind: 'blank' | 'comment' | 'key' | 'other'; path: string[]; flow: boolean };

const KEYLINE = /^((?:- +)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?:[ \t]+(.*))?$/;

/** Each line's key path: its own key's for a `key:` line, else the path of the key it sits under. */
export function linePaths(text: string): LineInfo[] {
  const stack: { col: number; key: string }[] = [];
  return text.split('\n').map((line): LineInfo => {
    const ind = /^ */.exec(line)![0].length;
    const rest = line.slice(ind);
    const under = (col: number) => stack.filter((s) => s.col < col).map((s) => s.key);
    if (rest.trim() === '') return { kind: 'blank', path: [], flow: false };
    if (rest.startsWith('#')) return { kind: 'comment', path: under(ind), flow: false };
    const m = KEYLINE.exec(rest);
    if (!m) {
      const col = ind + (/^(?:- +)*/.exec(rest)![0].length);
      return { kind: 'other', path: under(col), flow: false };
    }
    const col = ind + m[1]!.length;
    const raw = m[2]!;
    const key = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
    while (stack.length && stack[stack.length - 1]!.col >= col) stack.pop();
    stack.push({ col, key });
    return { kind: 'key', path: stack.map((s) => s.key), flow: /^[[{]/.test(m[3] ?? '') };
  });
}

/** A result's field path (core/patch.ts fieldPath: `spec.podMetadata.labels["thanos-store-api"]`) as segments. */
export function fieldSegments(field: string): string[] {
  return [...field.matchAll(/\.?([A-Za-z0-9_]+)|\[("(?:[^"\\]|\\.)*")\]|\[(\d+)\]/g)].map((m) => m[1] ?? (m[2] ? (JSON.parse(m[2]) as string) : m[3]!));
}

const startsWith = (p: string[], f: string[]) => f.length <= p.length && f.every((s, i) => s === p[i]);

/**
 * The lines of `before` and `after` that differ, each with why it may: under a changed field, the
 * key line of a map made to hold one, the key line of a flow collection holding one (rewritten in
 * block style), or an added blank line.
 * Returns the lines that may not have changed (empty when the edit was surprise-free).
 */
export function unexpectedChanges(before: string, after: string, changed: string[][]): string[] {
  const { removed, added } = lineDiff(before, after);
  const b = linePaths(before);
  const a = linePaths(after);
  // A flow collection that holds a changed field is rewritten whole.
  const fields = [...changed, ...removed.map((i) => b[i]!).filter((l) => l.kind === 'key' && l.flow && changed.some((f) => startsWith(f, l.path))).map((l) => l.path)];
  const ok = (l: LineInfo, isAdded: boolean) =>
    (l.kind === 'blank' && isAdded) || fields.some((f) => startsWith(l.path, f) || (l.kind === 'key' && (l.flow || isAdded) && startsWith(f, l.path)));
  const bl = before.split('\n');
  const al = after.split('\n');
  return [...removed.filter((i) => !ok(b[i]!, false)).map((i) => `- ${bl[i]}`), ...added.filter((i) => !ok(a[i]!, true)).map((i) => `+ ${al[i]}`)];
}

/** The Prometheus changes the results report (CHANGED on the Prometheus), as field segments. */
export function changedFields(results: { message?: string; resourceRef?: { kind?: string }; field?: { path?: string }; tags?: { code?: string } }[]): string[][] {
  return results.filter((r) => r.tags?.code === 'CHANGED' && r.resourceRef?.kind === 'Prometheus' && r.field?.path).map((r) => fieldSegments(r.field!.path!));
}

/** Each item's own text (column 0) of a ResourceList or a stream, in order. */
export function itemTexts(text: string, mode: 'resourceList' | 'stream'): { kind?: string; text: string }[] {
  const input = mode === 'stream' ? readStream(text) : readResourceList(text);
  return input.items.map((it) => ({ kind: it.meta.kind, text: it.source!.text.replace(new RegExp(`\\n {0,${it.source!.indent}}`, 'g'), '\n') }));
}

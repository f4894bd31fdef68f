/**
 * Surprise-free edits (issue 14, section 6): the text of an edited document is its source text with
 * only the changed fields rewritten; every other line stays byte for byte (double spaces after a
 * colon, trailing spaces, sequence indentation, flow collections, block scalars, comments), so a
 * GitOps diff shows what the function changed and nothing else.
 *
 * The readers (yamldoc.ts with the yaml package, light/light.ts without it) record, before each
 * EditDoc.set, where the set lands in the source (an Anchor); this module turns the anchors, the
 * final values and a writer of new fragments into the new text. No yaml import: the light bundle
 * uses it too, and both paths must give the same text.
 */

/**
 * Where a set lands in the source text (offsets into the text the reader parsed). `path` is the
 * path of the source key whose value is replaced, or of the new key added to a source block map.
 */
export type Anchor =
  /**
   * The value of an existing key of a block map: the key's column, the offset just after its `:`,
   * and the old value's start and end (end of its text on its last line, before a trailing comment).
   */
  | { op: 'replace'; path: string[]; col: number; colon: number; start: number; end: number }
  /** A new key at the end of a source block map whose keys sit at column col; at: end of the map's last line. */
  | { op: 'add'; path: string[]; col: number; at: number };

/**
 * How a reader writes new text: a pair `key: value` as its printer writes a root-level pair (lines
 * at column 0, no final newline). The splice shifts it to the key's column.
 */
export type PairWriter = (key: string, value: unknown) => string;

/** The column of an offset. */
export const colAt = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);

/** The end offset of a node whose range ends with the newline of its last line: that newline left out. */
export const trimNewline = (text: string, end: number): number => (end > 0 && text.charCodeAt(end - 1) === 10 ? end - 1 : end);


/** Every line after the first shifted right by n spaces (empty lines stay empty). */
const shift = (s: string, n: number): string => (n ? s.replace(/\n(?=[^\n])/g, '\n' + ' '.repeat(n)) : s);

/**
 * The source text with the anchors' values rewritten. An anchor inside another one's value is
 * covered by it (the outer value is written whole, from the final document); the first anchor of
 * a path keeps its place, as setIn keeps a key where it was and appends new ones in order.
 * `value(path)` is the final value there.
 */
export function splice(text: string, anchors: Anchor[], value: (path: string[]) => unknown, pair: PairWriter): string {
  // By path, not by comparing every anchor with every other: a merge of 30,000 keys into a map the
  // source has records 30,000 anchors (issue 17: quadratic, ~6 s).
  const key = (path: string[]): string => JSON.stringify(path);
  const seen = new Set<string>();
  const kept = anchors.filter((a) => !seen.has(key(a.path)) && seen.add(key(a.path)));
  const replaced = new Set(kept.filter((k) => k.op === 'replace').map((k) => key(k.path)));
  const live = kept.filter((a) => !a.path.some((_, i) => i > 0 && replaced.has(key(a.path.slice(0, i)))));
  type Edit = { start: number; end: number; text: string; depth: number; order: number; blank?: boolean };
  const edits: Edit[] = live.map((a, order): Edit => {
    const key = a.path[a.path.length - 1]!;
    if (a.op === 'add') {
      const { at, blank } = afterComments(text, a.at, a.col);
      return { start: at, end: at, text: '\n' + ' '.repeat(a.col) + shift(pair(key, value(a.path)), a.col), depth: a.path.length, order, blank };
    }
    // The value as the printer writes it after `key:`: ` scalar` on the key's line, or `\n` and a block.
    const v = shift(pair('k', value(a.path)).slice(2), a.col);
    const inline = !text.slice(a.colon, a.start).includes('\n');
    const eol = ((i) => (i < 0 ? text.length : i))(text.indexOf('\n', a.end));
    if (v.startsWith(' ')) {
      // Kept: the spaces between `:` and an inline value, and a comment after it.
      if (inline && a.start > a.colon) return { start: a.start, end: a.end, text: v.slice(1), depth: 0, order };
      return { start: a.colon, end: a.end, text: v, depth: 0, order };
    }
    if (inline) {
      // A block where an inline value was: a comment after the value stays on the key's line.
      const rest = text.slice(a.end, eol).trim();
      return { start: a.colon, end: eol, text: (rest.startsWith('#') ? ' ' + rest : '') + v, depth: 0, order };
    }
    // A block for a block: from its first line (comment lines between the key and it stay).
    const first = text.lastIndexOf('\n', a.start - 1) + 1;
    return { start: first, end: a.end, text: v.slice(1), depth: 0, order };
  });
  // In text order; insertions at one place: the deeper map's keys first, then in the order of the sets.
  edits.sort((a, b) => a.start - b.start || b.depth - a.depth || a.order - b.order);
  let out = '';
  let pos = 0;
  let last: Edit | undefined;
  for (const e of edits) {
    if (e.start < pos) throw new Error('splice: overlapping edits');
    const blank = e.blank && !(last?.blank !== undefined && last.start === e.start);
    out += text.slice(pos, e.start) + (blank ? '\n' : '') + e.text;
    pos = e.end;
    last = e;
  }
  return out + text.slice(pos);
}

/**
 * Where new keys of a map whose keys sit at column col go, `at` being the end of its last content
 * line: after the comment lines that follow it at col or deeper (the map's last lines; a commented
 * out key, say), then after a blank line when there were some. kpt (kyaml, go-yaml v3) reads such
 * comments as the foot comment of the key above; right above a new key they would be the new key's
 * head comment, and kpt, finding the old key without its comment, would add it back (doubled).
 * A blank line keeps them a foot comment, as kpt itself writes one.
 */
function afterComments(text: string, at: number, col: number): { at: number; blank: boolean } {
  let end = at;
  let blank = false;
  for (let i = at; i < text.length && text.charCodeAt(i) === 10; ) {
    const nl = text.indexOf('\n', i + 1);
    const le = nl < 0 ? text.length : nl;
    let c = i + 1;
    while (text.charCodeAt(c) === 32) c++;
    const first = text.slice(c, c + 1).trim(); // after the line's spaces; '' for other blanks or none
    if (first === '#' && c - (i + 1) >= col) {
      end = le;
      blank = true;
    } else if (first) break;
    i = le;
  }
  return { at: end, blank };
}

/**
 * An item's text at column 0 from its text at its own indentation (the first line starts at
 * `indent`, the other lines carry it): what Item.text holds, the writers indent it back.
 */
export function dedent(text: string, indent: number): string {
  if (!indent) return text;
  const re = new RegExp(`\\n {0,${indent}}`, 'g');
  return text.slice(indent).replace(re, '\n');
}

/**
 * The yaml-free common path of issue 7: a tiny strict reader, editor and printer for plain block
 * YAML (what kpt and kubectl write for one Kubernetes object). For the texts it accepts it gives the
 * same answers (info, plain, toJS) and prints the same text as the yaml package does for
 * `parseDocument(text, PARSE_OPTIONS)` edited with `setIn`/`createNode` and written with
 * `toString({ lineWidth: 0, indentSeq })`. Anything else is refused: lightParse returns undefined,
 * set and toString throw Unsupported, and the caller falls back to the yaml package.
 * test/yaml/light.test.ts checks it against yaml, with yaml as the oracle.
 *
 * Accepted: LF-only printable ASCII; blank and full-line comment lines, printed where yaml puts them
 * (Deco, gap, pop, the prelude in lightParse) except a comment deeper than its collection right after
 * a value (afterValue: printable is false);
 * one block map as root (at any indent); block maps with plain keys matching KEY; block sequences
 * (compact `key:\n- a` or indented); `- key: v` maps in sequences; values: `[]`, `{}`, "double"
 * and 'single' quoted strings without escapes, decimal integers (INT), true/false, and plain
 * strings that yaml's core schema reads as strings (PLAIN, nonString). Refused besides: trailing
 * spaces or comments, more than one space after `:` or `-`, null values, sequences in sequences,
 * anything more indented than the line before allows (plain scalars continued on the next line).
 */
import { Unsupported, type EditDoc, type NodeInfo } from '../../core/edit.js';
import { colAt, dedent, splice, type Anchor } from '../splice.js';

export { Unsupported };

/**
 * What yaml keeps of blank and comment lines on a node (nodes/Node.js): sb spaceBefore, cb
 * commentBefore (comment text without the `#`, lines joined by newlines), c comment (only on
 * block collections here: comment lines at the end of the block). On a map value or a sequence item
 * sb and cb sit on the node; on a key in YMap.kp.
 */
type Deco = { sb?: boolean; cb?: string; c?: string };
/** q: 0 plain (or created by set), 1 "double quoted", 2 'single quoted' in the source. */
/**
 * Where a node of the source is (splice.ts): s, e its text's start and end offsets (e: end of its
 * last line); on a map, ko its keys' offsets and fl for `{}`. Nodes made by set have none.
 */
type Src = { s?: number; e?: number };
type Scalar = Deco & Src & { t: 0; v: string | number | boolean; q: 0 | 1 | 2 };
type YMap = Deco & Src & { t: 1; keys: string[]; vals: YNode[]; kp?: (Deco | undefined)[]; ko?: number[]; fl?: boolean };
type YSeq = Deco & Src & { t: 2; items: YNode[] };
type YNode = Scalar | YMap | YSeq;
/**
 * ind: a content line's indent; -1 a blank line, -2 - c a comment line with its # at column c.
 * The blank and comment lines before line i start at line g (none when g === i); ok: printable.
 */
type Lines = { lines: string[]; ind: number[]; i: number; g: number; ok: boolean; os: number[]; last: number };

const MAX_DEPTH = 60;
/** yaml writes a key over 1024 characters as an explicit `? key` (stringify/stringifyPair.js): even quoted with every char escaped, 500 stays below. */
const MAX_KEY = 500;
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const INT = /^-?(?:0|[1-9][0-9]{0,14})$/;
const PLAIN = /^(?:[A-Za-z0-9_/]|-[A-Za-z0-9_/.-])[^#'"{}[\],&*!|>%@`]*$/;
const PRINTABLE = /^[\x20-\x7e]*$/;
/** One line of printable ASCII; KEY-shaped strings (most keys and values) are, without a second regex. */
const printable = (s: string): boolean => KEY.test(s) || PRINTABLE.test(s);
/**
 * What the `test` of a non-string tag of yaml's core schema matches (yaml/dist/schema/common/null.js,
 * schema/core/bool.js, int.js, float.js): the words in a set, the numbers (decimal, exponent, octal
 * and hex) in one regex. The nine tests as one regex cost a start ~1 M instructions to compile.
 */
const NON_STRING_WORDS = new Set(['', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);
const NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
/** A plain scalar yaml's core schema does not read as a string. */
export const nonString = (s: string): boolean => NON_STRING_WORDS.has(s) || NUMBER.test(s);
/** yaml/dist/stringify/stringifyString.js plainString(): strings that cannot be written plain (copied as is). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

const scalar = (v: string | number | boolean, q: 0 | 1 | 2): Scalar => ({ t: 0, v, q });

function skip(p: Lines): void {
  p.g = p.i;
  while (p.i < p.lines.length && p.ind[p.i]! < 0) p.i++;
}

/**
 * What resolveProps (compose/resolve-props.js) makes of the gap lines [a, b) before a key, a
 * sequence item, a block value or the end of a block: sb when a blank line comes before the first
 * comment, cb the comment texts joined by a newline, plus a newline for each blank line after a comment.
 */
function gap(p: Lines, a: number, b: number): Deco | undefined {
  let sb = false;
  let cb = '';
  for (let i = a; i < b; i++) {
    const c = p.ind[i]!;
    if (c === -1) {
      if (cb) cb += '\n';
      else sb = true;
    } else {
      const t = p.lines[i]!.slice(-1 - c) || ' ';
      cb = cb ? cb + '\n' + t : t;
    }
  }
  return sb || cb ? (cb ? { sb, cb } : { sb }) : undefined;
}

/** The pending gap lines, consumed. */
function take(p: Lines): Deco | undefined {
  const d = p.g < p.i ? gap(p, p.g, p.i) : undefined;
  p.g = p.i;
  return d;
}

/**
 * After a value on its own line (scalar, [] or {}), yaml's parser (parse/parser.js atIndentedComment)
 * makes a first comment deeper than the collection (col) a trailing comment of that value, printed
 * `key: v # c`: not modelled.
 */
function afterValue(p: Lines, col: number): void {
  skip(p);
  for (let i = p.g; i < p.i; i++) {
    if (p.ind[i] === -1) continue;
    if (-2 - p.ind[i]! > col) p.ok = false;
    return;
  }
}

/**
 * A block collection at column col ends (parser.js pop): the pending gap lines stay in it as its
 * comment when one comment sits at col or deeper (unless col is 0), else they go up to the parent
 * (the next key or item there, or the document's end).
 */
function pop<T extends YMap | YSeq>(p: Lines, n: T, col: number): T {
  if (col > 0) {
    for (let i = p.g; i < p.i; i++) {
      if (p.ind[i]! < -1 && -2 - p.ind[i]! >= col) {
        n.c = gap(p, p.g, p.i)!.cb!;
        p.g = p.i;
        break;
      }
    }
  }
  return n;
}

const isDash = (line: string, c: number): boolean => line.charCodeAt(c) === 45 && line.charCodeAt(c + 1) === 32;

/** A value after `key: ` or `- `: [] {} "x" 'x' an integer, true/false or a plain string. */
function parseScalar(s: string): YNode | undefined {
  if (s === '[]') return { t: 2, items: [] };
  if (s === '{}') return { t: 1, keys: [], vals: [], fl: true };
  const c = s.charCodeAt(0);
  const last = s.length - 1;
  if (c === 34) return last > 0 && s.indexOf('"', 1) === last && !s.includes('\\') ? scalar(s.slice(1, last), 1) : undefined;
  if (c === 39) return last > 0 && s.indexOf("'", 1) === last ? scalar(s.slice(1, last), 2) : undefined;
  if (INT.test(s)) return scalar(parseInt(s, 10), 0); // '-0' is -0, as yaml's intResolve (schema/core/int.js) reads it
  if (s === 'true' || s === 'false') return scalar(s === 'true', 0);
  if (!PLAIN.test(s) || s.includes(': ') || s.endsWith(':') || nonString(s)) return undefined;
  return scalar(s, 0);
}

/** The block under `key:` (line p.i, key at column col): a deeper map or sequence, or a sequence at the key's column. */
function parseBlock(p: Lines, col: number, depth: number): YNode | undefined {
  p.last = p.i++;
  skip(p);
  if (p.i >= p.lines.length) return undefined;
  const d = take(p); // gap lines between `key:` and its block: the block's sb and cb
  const c = p.ind[p.i]!;
  const dash = isDash(p.lines[p.i]!, c);
  const first = p.i;
  const n = c > col ? (dash ? parseSeq(p, c, depth + 1) : parseMap(p, c, depth + 1)) : c === col && dash ? parseSeq(p, c, depth + 1) : undefined;
  if (n) at(p, n, first, c);
  return n && d ? Object.assign(n, d) : n;
}

/** A source node from column col of line first to the end of the last line read. */
function at<T extends YNode>(p: Lines, n: T, first: number, col: number): T {
  n.s = p.os[first]! + col;
  n.e = p.os[p.last]! + p.lines[p.last]!.length;
  return n;
}

/** A block map whose keys sit at column col, the first one on line p.i (after `- ` for a map in a sequence). */
function parseMap(p: Lines, col: number, depth: number): YMap | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const m: YMap = { t: 1, keys: [], vals: [] };
  // Duplicate keys are refused (yaml's uniqueKeys): found in a Set once the map is big, not by
  // scanning its keys (issue 17: a map of 30,000 keys).
  let seen: Set<string> | undefined;
  for (;;) {
    const line = p.lines[p.i]!;
    const colon = line.indexOf(':', col);
    const key = line.slice(col, colon);
    if (colon < 0 || key.length > MAX_KEY || !KEY.test(key) || key === '__proto__') return undefined;
    if (m.keys.length >= 16) {
      seen ??= new Set(m.keys);
      if (seen.has(key)) return undefined;
      seen.add(key);
    } else if (m.keys.includes(key)) return undefined;
    let val: YNode | undefined;
    const o = p.os[p.i]!;
    if (colon === line.length - 1) val = parseBlock(p, col, depth);
    else if (line.charCodeAt(colon + 1) === 32) {
      val = parseScalar(line.slice(colon + 2));
      if (val) {
        val.s = o + colon + 2;
        val.e = o + line.length;
      }
      p.last = p.i++;
      afterValue(p, col);
    }
    if (!val) return undefined;
    (m.ko ??= []).push(o + col);
    m.keys.push(key);
    m.vals.push(val);
    if (p.i >= p.lines.length || p.ind[p.i]! < col) return pop(p, m, col);
    if (p.ind[p.i] !== col) return undefined;
    const d = take(p);
    if (d) (m.kp ??= [])[m.keys.length] = d;
  }
}

/** A block sequence whose dashes sit at column col, the first on line p.i. */
function parseSeq(p: Lines, col: number, depth: number): YSeq | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const s: YSeq = { t: 2, items: [] };
  let d: Deco | undefined;
  for (;;) {
    const line = p.lines[p.i]!;
    const start = col + 2;
    if (line.charCodeAt(start) === 32) return undefined;
    const colon = line.indexOf(':', start);
    let item: YNode | undefined;
    if (colon > 0 && (colon === line.length - 1 || line.charCodeAt(colon + 1) === 32) && KEY.test(line.slice(start, colon))) item = parseMap(p, start, depth + 1);
    else {
      item = parseScalar(line.slice(start));
      p.last = p.i++;
      afterValue(p, col);
    }
    if (!item) return undefined;
    if (d) Object.assign(item, d);
    s.items.push(item);
    if (p.i >= p.lines.length) return pop(p, s, col);
    const c = p.ind[p.i]!;
    if (c > col) return undefined;
    if (c < col || !isDash(p.lines[p.i]!, c)) return pop(p, s, col);
    d = take(p);
  }
}

/** One plain block YAML document (a map at any indent), or undefined when it is outside the subset. */
export function lightParse(text: string): LightDoc | undefined {
  if (typeof text !== 'string' || /[^\n\x20-\x7e]/.test(text)) return undefined;
  const lines = text.split('\n');
  if (!lines[lines.length - 1]!.trim()) lines.pop(); // the final newline, or spaces after it (no newline token)
  const ind: number[] = new Array(lines.length);
  const os: number[] = new Array(lines.length);
  const p: Lines = { lines, ind, i: 0, g: 0, ok: true, os, last: 0 };
  for (let i = 0, o = 0; i < lines.length; i++) {
    const line = lines[i]!;
    os[i] = o;
    o += line.length + 1;
    let c = 0;
    while (line.charCodeAt(c) === 32) c++;
    if (c === line.length || line.charCodeAt(c) === 35) ind[i] = c === line.length ? -1 : -2 - c; // spaces kept in a comment's text
    else if (line.charCodeAt(line.length - 1) === 32) return undefined;
    else ind[i] = c;
  }
  skip(p);
  if (p.i >= lines.length || isDash(lines[p.i]!, ind[p.i]!)) return undefined;
  // The lines before the root go to the document (composer.js parsePrelude and decorate): the comments,
  // one blank line kept between runs, are the first key's commentBefore, or the document's when a blank line follows them.
  let cb = '';
  let blank = false;
  for (let i = 0; i < p.i; i++) {
    if (ind[i] === -1) blank = true;
    else {
      cb += (cb ? (blank ? '\n\n' : '\n') : '') + (lines[i]!.slice(-1 - ind[i]!) || ' ');
      blank = false;
    }
  }
  p.g = p.i;
  const first = p.i;
  const root = parseMap(p, ind[p.i]!, 0);
  if (!root || p.i < lines.length) return undefined;
  at(p, root, first, ind[first]!);
  if (cb && !blank) (root.kp ??= [])[0] = { cb };
  // What is left goes to the document's end (compose-doc.js resolveEnd): no blank lines before or after.
  const end = take(p)?.cb?.replace(/\n+$/, '');
  return new LightDoc(root, p.ok, cb && blank ? cb : undefined, end, text);
}

function find(root: YNode, path: readonly string[]): YNode | undefined {
  let n: YNode | undefined = root;
  for (let p = 0; p < path.length; p++) {
    const seg = path[p]!;
    if (n === undefined || n.t === 0) return undefined;
    if (n.t === 1) {
      const i = n.keys.indexOf(seg);
      n = i < 0 ? undefined : n.vals[i];
    } else {
      // yaml's asItemIndex (nodes/YAMLSeq.js): Number(segment) for a non-empty string, used when an integer >= 0
      const idx = seg === '' ? NaN : Number(seg);
      n = Number.isInteger(idx) && idx >= 0 ? n.items[idx] : undefined;
    }
  }
  return n;
}

/** Plain data. Keys are assigned: parseMap and checkKey refuse __proto__, the one key assignment would not make own. */
function toJS(n: YNode): unknown {
  if (n.t === 0) return n.v;
  if (n.t === 2) return n.items.map(toJS);
  const o: Record<string, unknown> = {};
  for (let i = 0; i < n.keys.length; i++) o[n.keys[i]!] = toJS(n.vals[i]!);
  return o;
}

/**
 * Keys set() can write. Not '': setIn puts a new last key into an existing map as a bare string,
 * and stringifyPair.js writes a falsy key as an explicit `? ""` (`!key`); below, createNode makes it a
 * Scalar, written `"":`. Not __proto__, to keep toJS simple.
 */
function checkKey(k: unknown): string {
  if (typeof k !== 'string' || k === '' || k.length > MAX_KEY || k === '__proto__' || !printable(k)) throw new Unsupported(`key ${JSON.stringify(k)}`);
  return k;
}

/**
 * doc.createNode(value) for plain data. Refused: what yaml would write with anchors/aliases (an
 * object met twice: createNode's aliasDuplicateObjects), nulls, undefined (skipped or null in
 * yaml), non-integers, strings outside one line of printable ASCII, arrays directly in arrays.
 */
function toNode(v: unknown, seen: Set<object>, depth: number, inSeq: boolean): YNode {
  if (typeof v === 'string' && printable(v)) return scalar(v, 0);
  if (typeof v === 'number' && Number.isSafeInteger(v)) return scalar(v, 0);
  if (typeof v === 'boolean') return scalar(v, 0);
  if (typeof v !== 'object' || v === null || depth > MAX_DEPTH || seen.has(v)) throw new Unsupported(`a value of type ${v === null ? 'null' : typeof v}`);
  seen.add(v);
  if (Array.isArray(v)) {
    if (inSeq) throw new Unsupported('a sequence in a sequence');
    const items: YNode[] = [];
    for (let i = 0; i < v.length; i++) items.push(toNode(v[i], seen, depth + 1, true));
    return { t: 2, items };
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new Unsupported('not a plain object');
  const keys = Object.keys(v).map(checkKey);
  return { t: 1, keys, vals: keys.map((k) => toNode((v as Record<string, unknown>)[k], seen, depth + 1, false)) };
}

/**
 * yaml's quotedString (stringifyString.js) for one line of printable ASCII with singleQuote unset:
 * single quotes when the text has " and no ', else double quotes; with lineWidth 0 nothing folds
 * and JSON.stringify is what doubleQuotedString writes for such text.
 */
const quoted = (s: string): string => (s.includes('"') && !s.includes("'") ? `'${s}'` : JSON.stringify(s));

/**
 * yaml's plainString (stringifyString.js) for one line of printable ASCII, not in a flow collection:
 * quoted when it cannot be plain (NOT_PLAIN), when a root-map key starts with a document marker
 * (implicitKey with indent === indentStep; a value never sits at indent '' here), or when it would
 * read back as another type (ctx.actualString: the schema's tag tests, nonString).
 */
function plainText(s: string, rootKey: boolean): string {
  // A KEY-shaped string (most keys and values) has none of the characters NOT_PLAIN and a
  // document marker (stringifyString.js containsDocumentMarker) start with or contain.
  const special = !KEY.test(s) && (NOT_PLAIN.test(s) || (rootKey && (s.startsWith('%') || s.startsWith('---') || s.startsWith('...'))));
  return special || nonString(s) ? quoted(s) : s;
}

/** Scalars as yaml writes them: numbers by stringifyNumber.js (JSON, '-0'), bools as source or true/false (schema/core/bool.js), strings in their source style. */
function scalarText(n: Scalar): string {
  if (typeof n.v === 'number') return Object.is(n.v, -0) ? '-0' : String(n.v);
  if (typeof n.v === 'boolean') return String(n.v);
  return n.q === 1 ? `"${n.v}"` : n.q === 2 ? `'${n.v}'` : plainText(n.v, false);
}

const isEmpty = (n: YNode): boolean => (n.t === 1 ? n.keys.length === 0 : n.t === 2 && n.items.length === 0);

/** stringify/stringifyComment.js stringifyComment and indentComment: `#` before each line (a lone ' ' is `#`), then the indent. */
const commentText = (c: string, indent: string): string => {
  const s = c.replace(/^(?!$)(?: $)?/gm, '#');
  return indent ? s.replace(/^(?! *$)/gm, indent) : s;
};

/**
 * stringifyPair.js: a non-empty collection goes on the next lines (with indentSeq false a sequence
 * keeps its key's indent), after a blank line (sb) and comment lines (cb) at the value's indent.
 * Scalars and empty collections never carry sb or cb here.
 */
function pairText(key: string, v: YNode, indent: string, indentSeq: boolean): string {
  const k = plainText(key, indent === '') + ':';
  if (v.t === 0 || isEmpty(v)) return `${k} ${nodeText(v, indent + '  ', indentSeq)}`;
  const vi = v.t === 2 && !indentSeq ? indent : indent + '  ';
  return `${k}${v.sb ? '\n' : ''}${v.cb ? '\n' + commentText(v.cb, vi) : ''}\n${vi}${nodeText(v, vi, indentSeq)}`;
}

/**
 * stringifyCollection.js (block): each item after an empty line (sb) and its comment lines (cb),
 * lines joined by newline + indent (an empty line without), then the collection's own comment (c);
 * empty collections as {} and [].
 */
function nodeText(n: YNode, indent: string, indentSeq: boolean): string {
  if (n.t === 0) return scalarText(n);
  if (isEmpty(n)) return n.t === 1 ? '{}' : '[]';
  const lines: string[] = [];
  const len = n.t === 1 ? n.keys.length : n.items.length;
  for (let i = 0; i < len; i++) {
    const d = n.t === 1 ? n.kp?.[i] : n.items[i]!;
    if (d?.sb) lines.push('');
    if (d?.cb) lines.push(commentText(d.cb, indent).trimStart());
    lines.push(n.t === 1 ? pairText(n.keys[i]!, n.vals[i]!, indent, indentSeq) : '- ' + nodeText(n.items[i]!, indent + '  ', indentSeq));
  }
  let out = lines[0]!;
  for (let i = 1; i < lines.length; i++) out += lines[i] ? '\n' + indent + lines[i] : '\n';
  return n.c ? out + '\n' + commentText(n.c, indent) : out;
}

export class LightDoc implements EditDoc {
  readonly #root: YMap;
  /** The document's commentBefore and comment (doc/Document.js). */
  readonly #cb: string | undefined;
  readonly #c: string | undefined;
  /** False when the source had blank lines or comments placed where we do not know what yaml prints. */
  readonly printable: boolean;
  /** The source text, and where each set landed in it (splice.ts). */
  readonly #text: string;
  readonly #anchors: Anchor[] = [];

  constructor(root: YMap, printable: boolean, cb: string | undefined, c: string | undefined, text: string) {
    this.#root = root;
    this.printable = printable;
    this.#cb = cb;
    this.#c = c;
    this.#text = text;
  }

  info(path: readonly string[]): NodeInfo | undefined {
    const n = find(this.#root, path);
    if (n === undefined) return undefined;
    return n.t === 1 ? { kind: 'map' } : n.t === 2 ? { kind: 'seq' } : { kind: 'scalar', value: n.v };
  }

  plain(path: readonly string[]): unknown {
    const n = find(this.#root, path);
    return n === undefined ? undefined : toJS(n);
  }

  /**
   * setIn(path, createNode(value)) (nodes/Collection.js): existing keys keep their place and text,
   * a new key goes last, missing maps are created (collectionFromPath). Maps on the path become
   * block style, which for us is every non-empty map. Checks everything before changing anything.
   */
  set(path: readonly string[], value: unknown): void {
    if (path.length === 0 || path.length > MAX_DEPTH) throw new Unsupported('path length');
    path.forEach(checkKey);
    let node = toNode(value, new Set(), path.length, false);
    let m = this.#root;
    let i = 0;
    for (; i < path.length - 1; i++) {
      const k = m.keys.indexOf(path[i]!);
      if (k < 0) break;
      const child = m.vals[k]!;
      if (child.t !== 1) throw new Unsupported(`${path[i]} is not a map`);
      m = child;
    }
    this.#anchor(path);
    for (let j = path.length - 1; j > i; j--) node = { t: 1, keys: [path[j]!], vals: [node] };
    const k = m.keys.indexOf(path[i]!);
    if (k < 0) {
      m.keys.push(path[i]!);
      m.vals.push(node);
    } else m.vals[k] = node;
  }

  /** As YamlDoc's #anchor: the source key whose value a set replaces, or the source block map it adds a key to. */
  #anchor(path: readonly string[]): void {
    let m = this.#root;
    const text = this.#text;
    for (let i = 0; i < path.length; i++) {
      const k = m.keys.indexOf(path[i]!);
      const at = path.slice(0, i + 1);
      if (k < 0 || m.ko?.[k] === undefined) {
        // A new key (or one an earlier set added: the same anchor again); m is a block map of the source.
        this.#anchors.push({ op: 'add', path: at, col: colAt(text, m.ko![0]!), at: m.e! });
        return;
      }
      const v = m.vals[k]!;
      if (v.s === undefined) return; // written by an earlier set, whose anchor is recorded
      if (i === path.length - 1 || v.t !== 1 || v.fl) {
        const ko = m.ko[k]!;
        this.#anchors.push({ op: 'replace', path: at, col: colAt(text, ko), colon: ko + path[i]!.length + 1, start: v.s, end: v.e! });
        return;
      }
      m = v;
    }
  }

  /**
   * The item's new text at column 0 (EditDoc.edit; the item's indent is its root map's): the source
   * with only the changed fields rewritten, new parts as toString() writes them. Not read back (a
   * second parse of the whole item, ~1 M instructions of the cold start): the yaml path does not
   * either (yamldoc.ts, unless anchors or tags are around, which this reader refuses), and
   * test/yaml/light.test.ts checks this text against the yaml path's for every edit it makes,
   * including those whose new keys or values this reader could not read back.
   */
  edit(indentSeq: boolean): string {
    // The values are printed from their nodes: set() made them with toNode (checked there, keys
    // too), so they carry no comments or source quoting; as plain data they would come back the same.
    const pair = (key: string, node: unknown) => pairText(key, node as YNode, '', indentSeq);
    const out = splice(this.#text, this.#anchors, (p) => find(this.#root, p), pair);
    return dedent(out, colAt(out, this.#root.s!));
  }

  toJS(): unknown {
    return toJS(this.#root);
  }

  toString(indentSeq: boolean): string {
    if (!this.printable) throw new Unsupported('blank lines or comments');
    // stringifyDocument.js: the document's comments before and after the root, an empty line between
    const body = nodeText(this.#root, '', indentSeq);
    return (this.#cb ? commentText(this.#cb, '') + '\n\n' : '') + body + (this.#c ? '\n\n' + commentText(this.#c, '') : '') + '\n';
  }
}

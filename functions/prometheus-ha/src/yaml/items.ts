/**
 * The function's input without the yaml package: items, their metadata read from their lines, the
 * ResourceList's layout, and the writers that copy untouched text. source.ts reads YAML with the
 * yaml package around these; light.ts does so for plain block YAML (issue 7: the common path
 * starts without loading the yaml package).
 */
import { Buffer, isUtf8 } from 'node:buffer';
import { describe, InputError, type Input, type Item, type Meta } from '../core/item.js';
import { result, type Result } from '../core/results.js';
import { isMap } from '../core/util.js';

// The input's types live in the core (transform.ts changes items); readers use them from here too.
export * from '../core/item.js';

/**
 * UTF-8 bytes as text; invalid UTF-8 is an input error with the line of the first bad byte. As
 * TextDecoder('utf-8', { fatal: true }) decodes, without one: isUtf8 accepts the same bytes (valid
 * UTF-8: no overlong forms, surrogates or code points over U+10FFFF), and a leading byte order mark
 * is dropped as the decoder drops it. Creating the decoder cost ~0.6 M instructions of a start.
 */
export function decode(bytes: Uint8Array, file?: string, what = 'file'): string {
  if (isUtf8(bytes)) {
    const buf = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const text = buf.toString(); // UTF-8
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  // One pass to the first invalid byte, one to count the lines before it (issue 17: decoding
  // ever longer prefixes was quadratic, ~150 s on 256 KB).
  const bad = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < bad; i++) if (bytes[i] === 10) line++;
  throw new InputError(result('INPUT_YAML', `${file ? `${what} ${file}` : 'input'} is not valid UTF-8`, { line, file: file ? { path: file } : undefined }));
}

/**
 * The offset of the first byte that the WHATWG UTF-8 decoder (TextDecoder, fatal) rejects: a byte
 * that cannot start a sequence, or a sequence cut short or out of range (overlong, surrogates,
 * above U+10FFFF; encoding.spec.whatwg.org, "UTF-8 decoder"); bytes.length when there is none.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = 0; i < n; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < lo || c > hi) return i;
      lo = 0x80;
      hi = 0xbf;
    }
    i += need + 1;
  }
  return n;
}

/**
 * stdin as text, for every mode that reads it: refused when it was over the size limit, and the
 * bytes released (emptied) once decoded, so a big input is held once, as text.
 */
export function readInputText(io: { stdin: Uint8Array; stdinTooLarge?: boolean; maxInput?: number }): string {
  if (io.stdinTooLarge) {
    throw new InputError(result('INPUT_TOO_LARGE', `input is larger than ${io.maxInput} bytes (PROMETHEUS_HA_MAX_INPUT_BYTES): refusing to read it`));
  }
  const bytes = io.stdin;
  io.stdin = new Uint8Array(0);
  return decode(bytes);
}

/** Newline offsets of the last text asked about (the input), for line numbers in O(log n). */
let lineIndex: { text: string; nl: number[] } | undefined;
export const lineOf = (text: string, offset: number): number => {
  if (lineIndex?.text !== text) {
    const nl: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) nl.push(i);
    lineIndex = { text, nl };
  }
  const nl = lineIndex.nl;
  let lo = 0;
  let hi = nl.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nl[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
};

export const colOf = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);

export function metaFromObject(obj: unknown): Meta {
  const meta: Meta = { annotations: {} };
  if (!isMap(obj)) return meta;
  if (typeof obj.apiVersion === 'string') meta.apiVersion = obj.apiVersion;
  if (typeof obj.kind === 'string') meta.kind = obj.kind;
  const md = obj.metadata;
  if (isMap(md)) {
    if (typeof md.name === 'string') meta.name = md.name;
    if (typeof md.namespace === 'string') meta.namespace = md.namespace;
    if (isMap(md.annotations)) for (const [k, v] of Object.entries(md.annotations)) if (typeof v === 'string' && ORCHESTRATOR_KEY.test(k)) meta.annotations[k] = v;
  }
  return meta;
}

export { isMap };

export const MAX_DEPTH = 64;
export const TOO_DEEP = 'nested too deeply to read';
export const tooDeep = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message);

/** Runs a reader, turning a stack overflow on absurdly nested input into a clear input error. */
export function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (tooDeep(e)) throw new InputError(result('INPUT_YAML', `input is ${TOO_DEEP} (thousands of nested collections)`));
    throw e;
  }
}

export function depth(v: unknown, d: number): number {
  if (d > MAX_DEPTH) return d;
  if (v === null || typeof v !== 'object') return d;
  let m = d;
  for (const x of Object.values(v as object)) m = Math.max(m, depth(x, d + 1));
  return m;
}

export function checkText(text: string): void {
  if (text.trim() === '') throw new InputError(result('INPUT_EMPTY', 'no input: expected a ResourceList (or, as a kustomize plugin, YAML documents) on stdin'));
  const bom = text.indexOf('\uFEFF', 1);
  if (bom !== -1) {
    // YAML 1.2 allows a byte order mark only at the start of the stream (or of a document).
    const line = lineOf(text, bom);
    const prev = text.lastIndexOf('\n', bom - 1);
    const atDocStart = /(^|\n)(---|\.\.\.)[ \t]*\n$/.test(text.slice(Math.max(0, prev - 5), bom));
    if (!atDocStart) throw new InputError(result('INPUT_YAML', 'input has a byte order mark (U+FEFF) inside a document', { line }));
  }
  if (text.includes('\uFFFD')) {
    const line = lineOf(text, text.indexOf('\uFFFD'));
    throw new InputError(result('INPUT_YAML', 'input is not valid UTF-8', { line }));
  }
}

/** A tab at the start of a line is indentation (invalid) unless inside a block scalar: let the composer judge. */
export const TAB_INDENT = /^ *\t/m;

/**
 * The fast reader for the layout kpt and kustomize write: a root block map at column 0 whose
 * `items:` is a block sequence of `- ` entries. Lines give the item boundaries (an item's content
 * is always indented deeper than its `-`); a plain block-style item's metadata is read from its
 * lines without parsing it at all, any other item is parsed on its own; everything outside
 * `items` is composed and validated in full. Returns undefined for any other layout: the general
 * reader handles it. What needs a YAML reader is the caller's (`read`): an item whose lines do not
 * give its metadata, and the root without its items (the skeleton), as plain data.
 */
/**
 * The one ResourceList apiVersion: the KRM functions spec's, what kustomize and kpt send
 * (kyaml kio/byteio_reader.go ResourceListAPIVersion; checked with kustomize and kpt 1.0.0-beta.56).
 */
export const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';

export interface ScanReader {
  item(text: string, start: number, end: number, indent: number, line: number, index: number): Item;
  root(skeleton: string): unknown;
}

const ITEM_RUN = 8192;

/**
 * A line indented with a tab, or a document marker after the first line: not this layout. Each
 * regex runs only on a text that has its characters at all (most have none; a regex run costs a
 * start its compilation).
 */
function otherLayout(text: string): boolean {
  if (text.includes('\t') && TAB_INDENT.test(text)) return true;
  return (text.includes('---') || text.includes('...')) && /^(?:---|\.\.\.)(?:[ \t]|$)/m.test(text.replace(/^---[ \t]*\n/, ''));
}

/** A key of the root map: where its line starts, its value starts and its lines end. */
type RootEntry = { key: string; start: number; valueStart: number; end: number; line: number };

export function scanResourceList(text: string, read: ScanReader): Input | undefined {
  if (otherLayout(text)) return undefined;
  const ROOT_KEY = /^(["']?)([A-Za-z_][\w.-]*)\1[ \t]*:(?=[ \t]|\r?\n|$)/;
  const entries: RootEntry[] = [];
  // A big input's items in runs of ITEM_RUN, joined once at the end: one array grown by push to
  // 500,000 items left its outgrown copies (~10 MB) in memory until a full GC, at the peak (issue
  // 17). Not below compactItems.minBytes: the 10,000-resource bench row took ~10% longer so.
  const big = text.length >= compactItems.minBytes;
  const runs: Item[][] = [];
  let items: Item[] = [];
  let count = 0;
  let seqIndent = -1;
  let insertAt = text.length;
  let cur: { start: number; contentEnd: number; line: number } | undefined;
  const finish = () => {
    if (!cur) return;
    const valueStart = cur.start + seqIndent + 2;
    if (items.length === ITEM_RUN && big) {
      runs.push(items);
      items = [];
    }
    items.push(read.item(text, valueStart, cur.contentEnd, seqIndent + 2, cur.line, count++));
    insertAt = cur.contentEnd;
    cur = undefined;
  };
  let pos = text.startsWith('---') ? text.indexOf('\n') + 1 : 0;
  let line = pos ? 2 : 1;
  let inItems = false;
  for (; pos < text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    let indent = 0;
    while (text.charCodeAt(pos + indent) === 32) indent++;
    const c = text.charCodeAt(pos + indent);
    const blank = c === 10 || c === 13 || Number.isNaN(c);
    const comment = c === 35;
    if (indent === 0 && !blank && !comment && c !== 45) {
      // Column 0, not a comment, blank or "-": a root key, or a layout for the general reader.
      const m = ROOT_KEY.exec(text.slice(pos, Math.min(end, pos + 200)));
      if (!m) return undefined;
      finish();
      entries.push({ key: m[2]!, start: pos, valueStart: pos + m[0].length, end: text.length, line });
      if (entries.length > 1) entries[entries.length - 2]!.end = pos;
      inItems = m[2] === 'items';
      if (inItems) {
        const rest = text.slice(pos + m[0].length, end).trim();
        if (rest !== '' && !rest.startsWith('#')) {
          if (!/^\[\s*\](\s+#.*)?$/.test(rest)) return undefined; // flow or scalar items: the general reader words it
          inItems = false;
        }
      }
    } else if (entries.length === 0) {
      if (!blank && !comment) return undefined; // content before the first root key
    } else if (inItems && !blank && !comment) {
      if (seqIndent === -1) {
        if (c !== 45 || text.charCodeAt(pos + indent + 1) !== 32) return undefined;
        seqIndent = indent;
      }
      if (indent === seqIndent && c === 45 && text.charCodeAt(pos + indent + 1) === 32) {
        finish();
        cur = { start: pos, contentEnd: end, line };
      } else if (indent > seqIndent && cur) {
        // A line between the dash and the item's column is refused by metaFromLines (then parsed).
        cur.contentEnd = end;
      } else {
        return undefined; // something at the sequence's indentation that is not an item
      }
    } else if (inItems && comment && cur && indent > seqIndent) {
      cur.contentEnd = end; // a comment line indented under an item is the item's (its last lines, say)
    } else if (!inItems && indent === 0 && c === 45 && entries[entries.length - 1]!.key === 'items') {
      return undefined;
    }
    pos = end;
  }
  finish();
  if (runs.length) items = ([] as Item[]).concat(...runs, items);
  return listOf(text, read, entries, items, seqIndent === -1 ? 0 : seqIndent, items.length === 0 ? text.length : insertAt);
}

/**
 * The scanned ResourceList: everything but the items composed and validated in full (small), and
 * the layout. Apart from the scan's loop, which V8 compiles (Sparkplug) with all of its function.
 */
function listOf(text: string, read: ScanReader, entries: RootEntry[], items: Item[], seqIndent: number, insertAt: number): Input | undefined {
  if (entries.filter((e) => e.key === 'items').length > 1) return undefined;
  const skeleton = entries.filter((e) => e.key !== 'items').map((e) => text.slice(e.start, e.end)).join('');
  const root = read.root(skeleton || '{}');
  if (!isMap(root) || root.kind !== 'ResourceList' || root.apiVersion !== RESOURCE_LIST_API_VERSION) return undefined; // the general reader words the error
  const fcEntry = entries.find((e) => e.key === 'functionConfig');
  // Its value is read from the skeleton, composed already.
  const functionConfig = fcEntry ? { text: text.slice(fcEntry.valueStart, fcEntry.end), indent: 0, line: fcEntry.line, value: root.functionConfig } : undefined;
  const removeRanges = entries.filter((e) => e.key === 'results').map((e): [number, number] => [e.start, e.end]);
  return { mode: 'resourceList', text, items, functionConfig, layout: { seqIndent, insertAt, removeRanges, docEnd: text.length } };
}


/** A plain or simply quoted one-line scalar, as a string; undefined for anything else. */
function simpleScalar(rest: string): string | undefined {
  const v = rest.trim();
  if (v === '') return undefined;
  const c = v.charCodeAt(0);
  // A quoted value alone, the common case, is read without the regexes (each cost a start ~0.1 M instructions).
  const last = v.length - 1;
  if (c === 34) {
    if (v.indexOf('"', 1) === last && !v.includes('\\')) return v.slice(1, last);
    const m = /^"([^"\\]*)"\s*(#.*)?$/.exec(v);
    return m ? m[1] : undefined;
  }
  if (c === 39) {
    if (v.indexOf("'", 1) === last) return v.slice(1, last);
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(v);
    return m ? m[1]!.replace(/''/g, "'") : undefined;
  }
  const plain = v.includes('#') ? v.replace(/\s+#.*$/, '') : v;
  // Indicators, and plain scalars YAML would read as something other than a string: true, false,
  // null in any case (lower-cased first: the regex's i flag cost a start ~0.2 M instructions more to
  // compile; no other character lower-cases to these ASCII letters), ~ and numbers.
  if ('&*!|>{}[]@`%,?#-'.includes(plain[0]!) || /^(?:true|false|null|~|[-+]?(?:\.?[0-9]|\.inf|\.nan))/.test(plain.slice(0, 5).toLowerCase()) || plain.includes(': ')) return undefined;
  return plain;
}

const LEVELS = [
  // Values of other keys that could hide what we read (by their first character): anchors, aliases,
  // tags (and flow maps in metadata).
  { scalars: ['apiVersion', 'kind'], nested: 'metadata', section: 'other', nestedSection: 'metadata', forbid: '&*!' },
  { scalars: ['name', 'namespace'], nested: 'annotations', section: 'metadata', nestedSection: 'annotations', forbid: '&*!{' },
] as const;

/** Only these annotations matter to the function: where kpt and kustomize keep an item. */
export const ORCHESTRATOR_KEY = /^(internal\.)?config\.kubernetes\.io\/|^config\.k8s\.io\/id$/;

/**
 * The metadata of a block-style item read from its lines: apiVersion, kind, metadata.name,
 * metadata.namespace and the orchestrator's annotations. Undefined where the item is not plain
 * enough to be sure (anchors, tags, flow style, quoted keys with escapes...): it is parsed then.
 */
export function metaFromLines(text: string, start: number, end: number, c: number, where?: { nameAt: number }): Meta | undefined {
  const meta: Meta = { annotations: {} };
  if (where) where.nameAt = -1;
  const seen = new Set<string>();
  type Section = 'top' | 'metadata' | 'annotations' | 'other';
  let section = 'top' as Section;
  let pos = start;
  let first = true;
  // The indent of the key whose one-line value was just read: a next content line deeper than it
  // continues that value (a multi-line plain scalar: "Prometheus\n  Rule" is "Prometheus Rule"),
  // or is an error; the composer says which (issue 17).
  let readAt = -1;
  const KEY = /^([A-Za-z0-9][\w./-]*|"[^"\\]*"|'[^']*')[ \t]*:(?:[ \t]+|$)(.*)$/;
  while (pos < end) {
    const nl = text.indexOf('\n', pos);
    const le = nl === -1 || nl >= end ? end : nl + 1;
    let indent = 0;
    if (first) indent = c;
    else while (text.charCodeAt(pos + indent) === 32) indent++;
    const at = first ? pos : pos + indent;
    first = false;
    const ch = text.charCodeAt(at);
    pos = le;
    if (ch === 10 || ch === 13 || ch === 35 || Number.isNaN(ch)) continue;
    if (readAt !== -1 && indent > readAt) return undefined;
    readAt = -1;
    if (indent > c + 4 || (indent > c + 2 && section !== 'annotations') || (indent > c && section === 'other')) continue;
    // The line without its \n or \r\n.
    const lineText = text.slice(at, text.charCodeAt(le - 1) === 10 ? (text.charCodeAt(le - 2) === 13 ? le - 2 : le - 1) : le);
    if (ch === 38 || ch === 42 || ch === 33 || ch === 63 || ch === 123 || ch === 91 || ch === 124 || ch === 62) return undefined; // & * ! ? { [ | >
    if (ch === 45 && (lineText.length === 1 || lineText[1] === ' ')) {
      if (indent === c && section === 'top') return undefined; // the item is a list, not a map
      // A compact sequence entry of the key above: fine anywhere but where we read.
      if (indent <= c + 2 && section !== 'other' && section !== 'top') return undefined;
      continue;
    }
    const m = KEY.exec(lineText);
    if (!m) return undefined;
    const key = m[1]!.startsWith('"') || m[1]!.startsWith("'") ? m[1]!.slice(1, -1) : m[1]!;
    const rest = m[2]!;
    // Two levels read alike: the item's (apiVersion, kind, metadata) and metadata's (name, namespace, annotations).
    const level: (typeof LEVELS)[number] | undefined = indent === c ? LEVELS[0]! : indent === c + 2 && (section === 'metadata' || section === 'annotations') ? LEVELS[1]! : undefined;
    if (level) {
      // A duplicate key: let the parser speak (metadata's keys apart from the item's).
      const seenKey = level === LEVELS[0] ? key : `metadata.${key}`;
      if (seen.has(seenKey)) return undefined;
      seen.add(seenKey);
      section = level.section;
      if ((level.scalars as readonly string[]).includes(key)) {
        const v = simpleScalar(rest);
        if (v === undefined) return undefined;
        meta[key as 'apiVersion' | 'kind' | 'name' | 'namespace'] = v;
        readAt = indent;
        if (where && key === 'name') {
          // Where the name is in the text, when it is there as it reads (not a quoted '' escape).
          const at0 = at + lineText.length - rest.length + (rest.startsWith('"') || rest.startsWith("'") ? 1 : 0);
          where.nameAt = text.startsWith(v, at0) ? at0 : -1;
        }
      } else if (key === level.nested) {
        if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
        section = level.nestedSection;
      } else {
        const first = rest.trimStart().charAt(0);
        if (first !== '' && level.forbid.includes(first)) return undefined;
      }
    } else if (indent === c + 4 && section === 'annotations') {
      if (!ORCHESTRATOR_KEY.test(key)) continue;
      if (key in meta.annotations) return undefined;
      const v = simpleScalar(rest);
      if (v === undefined) return undefined;
      meta.annotations[key] = v;
      readAt = indent;
    } else if (indent < c) {
      return undefined;
    }
  }
  // Big inputs hold one Meta per item (issue 17: 500,000 items): common values shared, not copied.
  if (meta.apiVersion !== undefined) meta.apiVersion = shared(meta.apiVersion);
  if (meta.kind !== undefined) meta.kind = shared(meta.kind);
  for (const _ in meta.annotations) return meta;
  meta.annotations = NO_ANNOTATIONS;
  return meta;
}

/**
 * An item's place in the input, its text sliced when asked: one object per item, not two (a slice
 * is an object of its own in V8), for inputs of many small items (issue 17: 500,000 items).
 */
export class SourceRange {
  constructor(
    readonly input: string,
    readonly start: number,
    readonly end: number,
    readonly indent: number,
    readonly line: number,
  ) {}

  get text(): string {
    return this.input.slice(this.start, this.end);
  }
}

/**
 * What items read from their lines have in common: the items' indentation and, once per distinct
 * apiVersion, kind and namespace (per item where it has orchestrator annotations), that part of
 * their metadata.
 */
interface Shared {
  readonly indent: number;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly annotations: Record<string, string>;
}

/**
 * From this input size on, items read from their lines are kept by LineItems (below): a third of
 * the memory, for some time more spent reading them (getters); below it, an item holds its Meta
 * and SourceRange (a 10,000-resource input, 3.4 MB, runs ~10% faster so). The tests run the yaml
 * path with 0 (test/lib/helpers.ts, fn). PROMETHEUS_HA_COMPACT_ITEMS_BYTES overrides it.
 */
export const compactItems = { minBytes: Number(process.env.PROMETHEUS_HA_COMPACT_ITEMS_BYTES) || 4 * 1024 * 1024 };

/** Numbers kept per item, in this order, in chunks of CHUNK items. */
const START = 0;
const END = 1;
const LINE = 2;
const NAME_AT = 3;
const NAME_LEN = 4;
const SHARED_INDEX = 5;
const STRIDE = 6;
const SHIFT = 16;
const CHUNK = 1 << SHIFT;

/**
 * The items of one input read from their lines, by column (issue 17): 500,000 tiny items each held
 * an Item, a Meta (with a property array and an annotations object made then dropped) and a
 * SourceRange, ~210 bytes an item besides its text, and peaked at ~240 MB (the README promises
 * 3 x input + 80 MB, ~173 MB). Here an item is one object with one field, its index; its place,
 * line and name (an offset into the text) are numbers in chunks of typed arrays, what it has in
 * common with others (Shared) is shared. Its metadata and source are read through getters, so
 * a copy of an item must name them (core/item.ts, withChange), not spread it.
 */
export class LineItems {
  readonly #chunks: Int32Array[] = [];
  readonly #shared: Shared[] = [];
  readonly #byKey = new Map<string, number>();
  readonly #recent: number[] = [];
  /** Names that are not in the text as they read ('it''s'), by item index. */
  readonly #names = new Map<number, string | undefined>();
  #count = 0;
  /** Items of this input: a class per input, so that an item needs no field for its input. */
  readonly #Item: new (i: number) => Item;

  constructor(readonly input: string) {
    const store = this;
    const num = (i: number, k: number): number => store.#chunks[i >>> SHIFT]![(i & (CHUNK - 1)) * STRIDE + k]!;
    const shared = (i: number): Shared => store.#shared[num(i, SHARED_INDEX)]!;
    this.#Item = class LineItem implements Item, Meta {
      constructor(readonly i: number) {}
      get meta(): Meta {
        return this;
      }
      get apiVersion(): string | undefined {
        return shared(this.i).apiVersion;
      }
      get kind(): string | undefined {
        return shared(this.i).kind;
      }
      get namespace(): string | undefined {
        return shared(this.i).namespace;
      }
      get annotations(): Record<string, string> {
        return shared(this.i).annotations;
      }
      get name(): string | undefined {
        const at = num(this.i, NAME_AT);
        return at >= 0 ? store.input.slice(at, at + num(this.i, NAME_LEN)) : store.#names.get(this.i);
      }
      /** A SourceRange made when asked (not kept), unless one was set (source.ts, withGoQuotes). */
      get source(): Item['source'] {
        return new SourceRange(store.input, num(this.i, START), num(this.i, END), shared(this.i).indent, num(this.i, LINE));
      }
      set source(s: Item['source']) {
        Object.defineProperty(this, 'source', { value: s, writable: true, enumerable: true, configurable: true });
      }
    };
  }

  /** A new item at [start, end) of the input, with the metadata its lines gave (metaFromLines) and where its name is (-1: not verbatim). */
  add(start: number, end: number, indent: number, line: number, meta: Meta, nameAt: number): Item {
    let index: number | undefined;
    let key: string | undefined;
    // The last few records first (items of a few kinds, often in turns), then by key.
    if (meta.annotations === NO_ANNOTATIONS) {
      for (const r of this.#recent) {
        const x = this.#shared[r]!;
        if (x.apiVersion === meta.apiVersion && x.kind === meta.kind && x.namespace === meta.namespace && x.indent === indent && x.annotations === NO_ANNOTATIONS) {
          index = r;
          break;
        }
      }
    }
    if (index === undefined && meta.annotations === NO_ANNOTATIONS) {
      key = `${indent}|${meta.apiVersion ?? ''}|${meta.kind ?? ''}|${meta.namespace ?? ''}|${meta.apiVersion === undefined ? 0 : 1}${meta.kind === undefined ? 0 : 1}${meta.namespace === undefined ? 0 : 1}`;
      index = this.#byKey.get(key);
    }
    if (index === undefined) {
      index = this.#shared.length;
      this.#shared.push({ indent, apiVersion: meta.apiVersion, kind: meta.kind, namespace: meta.namespace, annotations: meta.annotations });
      if (key !== undefined && this.#byKey.size < 4096) this.#byKey.set(key, index);
    }
    if (meta.annotations === NO_ANNOTATIONS && !this.#recent.includes(index)) {
      if (this.#recent.length === 8) this.#recent.shift();
      this.#recent.push(index);
    }
    const i = this.#count++;
    if ((i & (CHUNK - 1)) === 0) this.#chunks.push(new Int32Array(CHUNK * STRIDE));
    const chunk = this.#chunks[i >>> SHIFT]!;
    const o = (i & (CHUNK - 1)) * STRIDE;
    chunk[o + START] = start;
    chunk[o + END] = end;
    chunk[o + LINE] = line;
    const verbatim = nameAt >= 0 && meta.name !== undefined;
    chunk[o + NAME_AT] = verbatim ? nameAt : -1;
    chunk[o + NAME_LEN] = verbatim ? meta.name!.length : 0;
    chunk[o + SHARED_INDEX] = index;
    if (!verbatim) this.#names.set(i, meta.name);
    return new this.#Item(i);
  }
}

/** The annotations of an item that has none of the orchestrator's (never written: frozen). */
export const NO_ANNOTATIONS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** One string per distinct short value (apiVersion, kind: a few dozen in any input). */
const SHARED = new Map<string, string>();
function shared(s: string): string {
  if (s.length > 12) return s; // longer substrings are slices of the input text in V8: not kept here
  const got = SHARED.get(s);
  if (got !== undefined) return got;
  if (SHARED.size < 4096) SHARED.set(s, s);
  return s;
}


/**
 * Up to this size (some 50 resources) the whole input is also composed once, so every item is
 * checked by the YAML composer itself. Composing costs about 1 ms per resource, as much as a naive
 * function spends in all: above this size, an untouched item is only read for its metadata
 * (its lines, or its CST with the cheap signs of suspicious() when it is not plain block style).
 * A big input from kpt or kustomize, which wrote it themselves, is valid YAML.
 * PROMETHEUS_HA_FULL_VALIDATION_BYTES overrides it.
 */
export const FULL_VALIDATION_BYTES = Number(process.env.PROMETHEUS_HA_FULL_VALIDATION_BYTES) || 64 * 1024;

/** Indents every line after the first by `n` spaces (blank lines stay empty). */
export function indentRest(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.replace(/\n(?=[^\n])/g, `\n${pad}`);
}

/** Blank lines then a comment line; group 1 the comment's indentation. */
const TRAILING_COMMENT = /^(?:[ \t]*\n)*( *)#[^\n]*(?:\n|$)/;

/** Writes the ResourceList back: untouched text copied, changed items replaced, new items appended, results last. */
export const writeResourceList = (input: Input, items: Item[], resultsYaml: string, removed: Item[] = []): string => writeResourceListParts(input, items, resultsYaml, removed).join('');

/**
 * The same, in pieces (mostly slices of the input text, which V8 does not copy): a big output is
 * written piece by piece instead of being joined into a second copy of the input.
 */
export function writeResourceListParts(input: Input, items: Item[], resultsYaml: string, removed: Item[] = []): string[] {
  const text = input.text;
  const layout = input.layout!;
  const edits: { start: number; end: number; text: string }[] = layout.removeRanges.map(([start, end]) => ({ start, end, text: '' }));
  for (const it of removed) if (it.source) edits.push({ start: text.lastIndexOf('\n', it.source.start - 1) + 1, end: it.source.end, text: '' });
  const added: string[] = [];
  for (const it of items) {
    if (it.text === undefined) continue;
    if (it.source) edits.push({ start: it.source.start, end: it.source.end, text: indentRest(it.text, it.source.indent) });
    else added.push(`${' '.repeat(layout.seqIndent)}- ${indentRest(it.text, layout.seqIndent + 2)}`);
  }
  if (added.length) {
    const hasItems = input.items.length > 0;
    let ins = added.join('');
    if (!hasItems) ins = `items:\n${ins}`;
    let at = hasItems ? layout.insertAt : layout.docEnd;
    // Comment lines indented under the last item are the item's (its last lines): new items go after them.
    if (hasItems) for (let m; (m = TRAILING_COMMENT.exec(text.slice(at, at + 4096))) && m[1]!.length > layout.seqIndent; ) at += m[0].length;
    edits.push({ start: at, end: at, text: (text[at - 1] === '\n' || at === 0 ? '' : '\n') + ins });
  }
  if (resultsYaml) edits.push({ start: layout.docEnd, end: layout.docEnd, text: (text[layout.docEnd - 1] === '\n' ? '' : '\n') + resultsYaml });
  return applyEdits(text, edits);
}

/** The text with each edit's [start, end) replaced by its text, in pieces (slices of the text, not copies). */
function applyEdits(text: string, edits: { start: number; end: number; text: string }[]): string[] {
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: string[] = [];
  let pos = 0;
  for (const e of edits) {
    if (e.start > pos) out.push(text.slice(pos, e.start));
    if (e.text) out.push(e.text);
    pos = Math.max(pos, e.end);
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

/**
 * Writes a YAML stream back: the input text with changed items replaced, removed items' documents
 * cut, new items appended as documents; everything else byte for byte (comments between documents
 * such as Helm's `# Source:` lines, blank lines, `---` lines as written).
 */
export const writeStream = (input: Input, items: Item[], removed: Item[] = []): string => writeStreamParts(input, items, removed).join('');

/** The same, in pieces (see writeResourceListParts). */
export function writeStreamParts(input: Input, items: Item[], removed: Item[] = []): string[] {
  const text = input.text;
  const edits: { start: number; end: number; text: string }[] = [];
  const gone = new Set(removed.map((it) => it.source?.start));
  let prevEnd = 0;
  for (const it of input.items) {
    const s = it.source!;
    if (gone.has(s.start)) {
      // The document goes with its `---` line (the one after it when it is the first).
      const before = text.slice(prevEnd, s.start);
      const marker = before.search(/(?:^|\n)---(?:[ \t][^\n]*)?\n(?![\s\S]*\n---)/);
      const start = marker < 0 ? text.lastIndexOf('\n', s.start - 1) + 1 : prevEnd + marker + (before[marker] === '\n' ? 1 : 0);
      const next = marker < 0 ? /^---[^\n]*\n/.exec(text.slice(s.end)) : null;
      edits.push({ start, end: s.end + (next ? next[0].length : 0), text: '' });
    }
    prevEnd = s.end;
  }
  const added: string[] = [];
  for (const it of items) {
    if (it.text === undefined) continue;
    const t = it.text.endsWith('\n') ? it.text : `${it.text}\n`;
    if (it.source) edits.push({ start: it.source.start, end: it.source.end, text: indentRest(it.source.text.endsWith('\n') ? t : t.slice(0, -1), it.source.indent) });
    else added.push(t);
  }
  const out = applyEdits(text, edits);
  // New documents after the last one; the first of an input without documents needs no `---`.
  let sep = input.items.length > removed.length;
  for (const t of added) {
    const last = out[out.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out.push('\n');
    if (sep) out.push('---\n');
    out.push(t);
    sep = true;
  }
  return out;
}

/**
 * Reading and writing the function's input without composing what it does not change.
 *
 * The yaml package's CST parser gives each item's exact source range; only the few items the
 * function must read (Prometheus CRs, objects with the injected names) are composed into nodes.
 * Every other item is copied as source text, so passthrough is byte-identical by construction
 * and the cost of an untouched item is a lexer pass.
 */
import { Composer, CST, Parser, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { result, type Result } from './results.js';

export interface Meta {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** The orchestrator's annotations only (kpt's and kustomize's path, index, id). */
  annotations: Record<string, string>;
}

export interface Item {
  meta: Meta;
  /** Where the item came from; absent for injected items. */
  source?: { text: string; indent: number; line: number; start: number; end: number };
  /** Set when the function removes the item. */
  removed?: boolean;
  /** New text of the item (column 0, ends with a newline) when the function changed or created it. */
  text?: string;
  /** The source composed already (small inputs: composed to validate them), for composeItem() once. */
  doc?: Document;
}

export interface Input {
  mode: 'resourceList' | 'stream';
  text: string;
  items: Item[];
  /** The functionConfig's source, when the input has one, and its value when the reader composed it. */
  functionConfig?: { text: string; indent: number; line: number; value?: unknown };
  /** ResourceList layout, for writing back around the untouched text. */
  layout?: { seqIndent: number; insertAt: number; removeRanges: [number, number][]; docEnd: number };
}

export const ANNOTATION_PATH = 'internal.config.kubernetes.io/path';
export const ANNOTATION_INDEX = 'internal.config.kubernetes.io/index';
export const LEGACY_PATH = 'config.kubernetes.io/path';
export const LEGACY_INDEX = 'config.kubernetes.io/index';

export class InputError extends Error {
  constructor(readonly result: Result) {
    super(result.message);
  }
}

/** UTF-8 bytes as text; invalid UTF-8 is an input error with the line of the first bad byte. */
export function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let i = 0;
    // Find the first invalid byte for the message.
    for (; i < bytes.length; i++) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, i + 1));
      } catch {
        if (i + 4 < bytes.length) continue;
        break;
      }
    }
    const line = new TextDecoder().decode(bytes.subarray(0, Math.min(i, bytes.length))).split('\n').length;
    throw new InputError(result('INPUT_YAML', 'input is not valid UTF-8', { line }));
  }
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
const lineOf = (text: string, offset: number): number => {
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

const colOf = (text: string, offset: number): number => offset - (text.lastIndexOf('\n', offset - 1) + 1);

type Token = CST.Token;

/** Source length of a token, including what belongs to its end. */
const endOf = (tok: Token): number => tok.offset + CST.stringify(tok).length;

function scalar(tok: Token | undefined): string | undefined {
  if (!tok || (tok.type !== 'scalar' && tok.type !== 'single-quoted-scalar' && tok.type !== 'double-quoted-scalar')) return undefined;
  const r = CST.resolveAsScalar(tok, true, () => {});
  return r?.value;
}

function hasProps(sep: Token[] | undefined): boolean {
  return !!sep?.some((t) => t.type === 'anchor' || t.type === 'tag');
}

/**
 * Reads apiVersion, kind and metadata (name, namespace, annotations) from a block-map token.
 * Returns undefined where the item uses something the cheap reading does not handle
 * (flow style, anchors, aliases, tags, non-scalar values): the caller then composes the item.
 */
function metaFromCst(map: Token): Meta | undefined {
  if (map.type !== 'block-map') return undefined;
  const meta: Meta = { annotations: {} };
  for (const it of map.items) {
    const key = scalar(it.key as Token | undefined);
    if (key === undefined || hasProps(it.start as Token[]) || hasProps(it.sep as Token[])) return undefined;
    if (key === 'apiVersion' || key === 'kind') {
      const v = scalar(it.value as Token | undefined);
      if (v === undefined) return undefined;
      if (meta[key] !== undefined) return undefined;
      meta[key] = v;
    } else if (key === 'metadata') {
      const m = it.value as Token | undefined;
      if (!m || m.type !== 'block-map') return undefined;
      for (const mi of m.items) {
        const mk = scalar(mi.key as Token | undefined);
        if (mk === undefined || hasProps(mi.sep as Token[])) return undefined;
        if (mk === 'name' || mk === 'namespace') {
          const v = scalar(mi.value as Token | undefined);
          if (v === undefined) return undefined;
          meta[mk] = v;
        } else if (mk === 'annotations') {
          const a = mi.value as Token | undefined;
          if (!a || a.type !== 'block-map') return undefined;
          for (const ai of a.items) {
            const ak = scalar(ai.key as Token | undefined);
            const av = scalar(ai.value as Token | undefined);
            if (ak === undefined || av === undefined || hasProps(ai.sep as Token[])) return undefined;
            if (ORCHESTRATOR_KEY.test(ak)) meta.annotations[ak] = av;
          }
        }
      }
    }
  }
  return meta;
}

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

import { isMap } from "./util.js";
export { isMap };

/** Limits that keep hostile input bounded (alias bombs, deep nesting). */
export const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: true, stringKeys: true, logLevel: 'error' } as const;
export const TOJS_OPTIONS = { maxAliasCount: 100 } as const;
export const MAX_DEPTH = 64;
const TOO_DEEP = 'nested too deeply to read';
const tooDeep = (e: unknown): boolean => e instanceof RangeError && /call stack/i.test(e.message);

/** Runs a reader, turning a stack overflow on absurdly nested input into a clear input error. */
export function guarded<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (tooDeep(e)) throw new InputError(result('INPUT_YAML', `input is ${TOO_DEEP} (thousands of nested collections)`));
    throw e;
  }
}

/** Composes one source text into a Document, turning every problem into an InputError. */
export function composeText(text: string, where: { what: string; line?: number; file?: string }): Document {
  let doc: Document;
  try {
    doc = parseDocument(text, PARSE_OPTIONS);
  } catch (e) {
    throw new InputError(result('INPUT_YAML', `${where.what}: cannot parse YAML: ${tooDeep(e) ? TOO_DEEP : (e as Error).message}`, { line: where.line }));
  }
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos ? err.linePos[0].line + (where.line ?? 1) - 1 : where.line;
    const msg = /call stack/i.test(err.message) ? `${TOO_DEEP} (thousands of nested collections)` : err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new InputError(result('INPUT_YAML', `${where.what}: ${msg}`, { line, file: where.file ? { path: where.file } : undefined }));
  }
  const warn = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (warn) {
    const line = warn.linePos ? warn.linePos[0].line + (where.line ?? 1) - 1 : where.line;
    throw new InputError(result('INPUT_REFUSED', `${where.what}: ${warn.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}; custom tags are not accepted`, { line }));
  }
  return doc;
}

/** A Document's plain JS value, with aliases bounded and nesting depth limited. */
export function toPlain(doc: Document, where: { what: string; line?: number }): unknown {
  let value: unknown;
  try {
    value = doc.toJS(TOJS_OPTIONS);
  } catch (e) {
    throw new InputError(result('INPUT_REFUSED', `${where.what}: ${(e as Error).message.split('\n')[0]}`, { line: where.line }));
  }
  if (depth(value, 0) > MAX_DEPTH) {
    throw new InputError(result('INPUT_REFUSED', `${where.what}: nested deeper than ${MAX_DEPTH} levels`, { line: where.line }));
  }
  return value;
}

function depth(v: unknown, d: number): number {
  if (d > MAX_DEPTH) return d;
  if (v === null || typeof v !== 'object') return d;
  let m = d;
  for (const x of Object.values(v as object)) m = Math.max(m, depth(x, d + 1));
  return m;
}

/**
 * The source of an item, composed (Prometheus CRs and a few others only). A document the reader
 * composed already is handed over once (the caller may change it), then composed afresh.
 */
export function composeItem(item: Item): Document {
  const s = item.source;
  if (!s) throw new Error('composeItem on an injected item');
  const ready = item.doc;
  if (ready) {
    item.doc = undefined;
    return ready;
  }
  return composeText(' '.repeat(s.indent) + s.text, { what: describe(item), line: s.line });
}

export function describe(item: Item): string {
  const m = item.meta;
  return `${m.kind ?? 'item'} ${m.namespace ? m.namespace + '/' : ''}${m.name ?? ''}`.trim();
}

function checkText(text: string): void {
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


/** An item of the general reader, from its CST node. */
const itemFrom = (text: string, valueTok: Token, index: number): Item =>
  itemFromText(text, valueTok.offset, endOf(valueTok), colOf(text, valueTok.offset), lineOf(text, valueTok.offset), index, { token: valueTok });

/**
 * Whether a CST subtree shows a sign of invalid YAML that only the composer would report: an
 * error token, a byte order mark inside a document, an unclosed flow collection. Cheap (no nodes
 * are built); a hit sends the whole text to the composer for the authoritative message and line.
 */
function suspicious(tok: unknown): boolean {
  if (!tok || typeof tok !== 'object') return false;
  const t = tok as { type?: string; end?: { type: string }[]; [k: string]: unknown };
  if (t.type === 'error' || t.type === 'byte-order-mark') return true;
  if (t.type === 'flow-collection' && !t.end?.some((e) => e.type === 'flow-map-end' || e.type === 'flow-seq-end')) return true;
  // A plain scalar may not start with a flow indicator or a reserved character (YAML 1.2, 7.3.3).
  if (t.type === 'scalar' && typeof t.source === 'string' && /^[,\]}@`]/.test(t.source)) return true;
  // An unterminated quoted scalar runs to the end of the input: the composer then reports it.
  // A block-map entry with a key must have its ":" (or be an explicit "? key").
  if (t.type === 'block-map' && Array.isArray(t.items)) {
    for (const it of t.items as { start?: Token[]; key?: Token; sep?: Token[] }[]) {
      if (it.key && !it.sep?.some((x) => x.type === 'map-value-ind') && !it.start?.some((x) => x.type === 'explicit-key-ind')) return true;
      // Implicit keys are one line long.
      if (it.key && typeof (it.key as { source?: unknown }).source === 'string' && ((it.key as { source: string }).source.includes('\n'))) return true;
      // A block collection as a value must start on a line of its own (no compact nested mappings).
      const v = (it as { value?: Token }).value;
      if (v && (v.type === 'block-map' || v.type === 'block-seq') && it.sep && !it.sep.some((x) => x.type === 'newline')) return true;
    }
  }
  const src = String(t.source ?? '');
  if (t.type === 'single-quoted-scalar' && !(src.length > 1 && src.endsWith("'"))) return true;
  if (t.type === 'double-quoted-scalar' && !(src.length > 1 && src.endsWith('"') && !src.endsWith('\\"'))) return true;
  for (const key of ['start', 'key', 'sep', 'value', 'items', 'end']) {
    const v = t[key];
    if (Array.isArray(v)) {
      for (const x of v) if (suspicious(x)) return true;
    } else if (v && suspicious(v)) return true;
  }
  return false;
}

/** A tab at the start of a line is indentation (invalid) unless inside a block scalar: let the composer judge. */
const TAB_INDENT = /^ *\t/m;

/** The composer's first error for a text, as an InputError (slow: only for suspicious input). */
function yamlError(text: string): InputError | undefined {
  const docs = parseAllDocuments(text, PARSE_OPTIONS);
  const err = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.errors)[0];
  if (!err) return undefined;
  const line = err.linePos?.[0].line;
  const msg = /call stack/i.test(err.message) ? `input is ${TOO_DEEP} (thousands of nested collections)` : `input is not valid YAML: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`;
  return new InputError(result('INPUT_YAML', msg, { line }));
}

function failYaml(text: string): never {
  throw yamlError(text) ?? new InputError(result('INPUT_YAML', 'input is not valid YAML: unexpected structure'));
}

/** Throws the composer's error when the cheap signs say the text may be invalid YAML. */
function checkSigns(text: string, tokens: Token[]): void {
  if (TAB_INDENT.test(text) || tokens.some((t) => suspicious(t))) {
    const e = yamlError(text);
    if (e) throw e;
  }
}

function hasErrorToken(tok: Token | undefined): boolean {
  if (!tok) return false;
  if (tok.type === 'error') return true;
  if ('end' in tok && Array.isArray(tok.end) && tok.end.some((t: { type: string }) => t.type === 'error')) return true;
  return false;
}

/**
 * The fast reader for the layout kpt and kustomize write: a root block map at column 0 whose
 * `items:` is a block sequence of `- ` entries. Lines give the item boundaries (an item's content
 * is always indented deeper than its `-`); a plain block-style item's metadata is read from its
 * lines without parsing it at all, any other item is parsed on its own; everything outside
 * `items` is composed and validated in full. Returns undefined for any other layout: the general
 * reader handles it.
 */
export function readFast(text: string): Input | undefined {
  if (TAB_INDENT.test(text) || /^(?:---|\.\.\.)(?:[ \t]|$)/m.test(text.replace(/^---[ \t]*\n/, ''))) return undefined;
  const ROOT_KEY = /^(["']?)([A-Za-z_][\w.-]*)\1[ \t]*:(?=[ \t]|\r?\n|$)/;
  type Entry = { key: string; start: number; valueStart: number; end: number; line: number };
  const entries: Entry[] = [];
  const items: Item[] = [];
  let seqIndent = -1;
  let insertAt = text.length;
  let cur: { start: number; contentEnd: number; line: number } | undefined;
  const finish = () => {
    if (!cur) return;
    const valueStart = cur.start + seqIndent + 2;
    items.push(itemFromText(text, valueStart, cur.contentEnd, seqIndent + 2, cur.line, items.length));
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
    } else if (!inItems && indent === 0 && c === 45 && entries[entries.length - 1]!.key === 'items') {
      return undefined;
    }
    pos = end;
  }
  finish();
  if (seqIndent === -1) seqIndent = 0;
  if (entries.filter((e) => e.key === 'items').length > 1) return undefined;
  // Everything but the items, composed and validated in full (small).
  const skeleton = entries.filter((e) => e.key !== 'items').map((e) => text.slice(e.start, e.end)).join('');
  const doc = composeText(skeleton || '{}', { what: 'ResourceList' });
  const root = toPlain(doc, { what: 'ResourceList' });
  if (!isMap(root) || root.kind !== 'ResourceList') return undefined; // the general reader words the error
  const fcEntry = entries.find((e) => e.key === 'functionConfig');
  // Its value is read from the skeleton, composed already.
  const functionConfig = fcEntry ? { text: text.slice(fcEntry.valueStart, fcEntry.end), indent: 0, line: fcEntry.line, value: root.functionConfig } : undefined;
  const removeRanges = entries.filter((e) => e.key === 'results').map((e): [number, number] => [e.start, e.end]);
  if (items.length === 0) insertAt = text.length;
  return { mode: 'resourceList', text, items, functionConfig, layout: { seqIndent, insertAt, removeRanges, docEnd: text.length } };
}

/** A plain or simply quoted one-line scalar, as a string; undefined for anything else. */
function simpleScalar(rest: string): string | undefined {
  const v = rest.trim();
  if (v === '') return undefined;
  const c = v.charCodeAt(0);
  if (c === 34) {
    const m = /^"([^"\\]*)"\s*(#.*)?$/.exec(v);
    return m ? m[1] : undefined;
  }
  if (c === 39) {
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(v);
    return m ? m[1]!.replace(/''/g, "'") : undefined;
  }
  const plain = v.replace(/\s+#.*$/, '');
  // Indicators, and plain scalars YAML would read as something other than a string.
  if (/^[&*!|>{}[\]@`%,?#-]/.test(plain) || /^(true|false|null|~|[-+]?(\.?[0-9]|\.inf|\.nan))/i.test(plain) || plain.includes(': ')) return undefined;
  return plain;
}

const LEVELS = [
  // Values of other keys that could hide what we read: anchors, aliases, tags (and flow maps in metadata).
  { scalars: ['apiVersion', 'kind'], nested: 'metadata', section: 'other', nestedSection: 'metadata', forbid: /^\s*[&*!]/ },
  { scalars: ['name', 'namespace'], nested: 'annotations', section: 'metadata', nestedSection: 'annotations', forbid: /^\s*[&*!{]/ },
] as const;

/** Only these annotations matter to the function: where kpt and kustomize keep an item. */
const ORCHESTRATOR_KEY = /^(internal\.)?config\.kubernetes\.io\/|^config\.k8s\.io\/id$/;

/**
 * The metadata of a block-style item read from its lines: apiVersion, kind, metadata.name,
 * metadata.namespace and the orchestrator's annotations. Undefined where the item is not plain
 * enough to be sure (anchors, tags, flow style, quoted keys with escapes...): it is parsed then.
 */
function metaFromLines(text: string, start: number, end: number, c: number): Meta | undefined {
  const meta: Meta = { annotations: {} };
  const seen = new Set<string>();
  type Section = 'top' | 'metadata' | 'annotations' | 'other';
  let section = 'top' as Section;
  let pos = start;
  let first = true;
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
    if (indent > c + 4 || (indent > c + 2 && section !== 'annotations') || (indent > c && section === 'other')) continue;
    const lineText = text.slice(at, le).replace(/\r?\n$/, '');
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
      if (level === LEVELS[0]) {
        if (seen.has(key)) return undefined; // a duplicate key: let the parser speak
        seen.add(key);
      }
      section = level.section;
      if ((level.scalars as readonly string[]).includes(key)) {
        const v = simpleScalar(rest);
        if (v === undefined) return undefined;
        meta[key as 'apiVersion' | 'kind' | 'name' | 'namespace'] = v;
      } else if (key === level.nested) {
        if (rest.trim() !== '' && !rest.trim().startsWith('#')) return undefined;
        section = level.nestedSection;
      } else if (level.forbid.test(rest)) return undefined;
    } else if (indent === c + 4 && section === 'annotations') {
      if (!ORCHESTRATOR_KEY.test(key)) continue;
      const v = simpleScalar(rest);
      if (v === undefined) return undefined;
      meta.annotations[key] = v;
    } else if (indent < c) {
      return undefined;
    }
  }
  return meta;
}

/**
 * One item from its place in the text: its metadata from its lines, else from its CST (the given
 * node, or its own parse), else from composing it, which also says what is wrong with it.
 */
function itemFromText(text: string, start: number, end: number, indent: number, line: number, index: number, opts: { token?: Token } = {}): Item {
  const src = text.slice(start, end);
  const source = { text: src, indent, line, start, end };
  if (!opts.token) {
    const meta = metaFromLines(text, start, end, indent);
    if (meta) return { meta, source };
  }
  let value = opts.token;
  if (!value) {
    const tokens = [...new Parser().parse(' '.repeat(indent) + src)];
    const docs = tokens.filter((t): t is CST.Document => t.type === 'document');
    if (docs.length === 1 && !tokens.some((t) => suspicious(t))) value = docs[0]!.value;
  }
  const cstMeta = value ? metaFromCst(value) : undefined;
  if (cstMeta) return { meta: cstMeta, source };
  const doc = composeText(' '.repeat(indent) + src, { what: `items[${index}]`, line });
  const obj = toPlain(doc, { what: `items[${index}]`, line });
  if (!isMap(obj)) throw new InputError(result('INPUT_ITEMS', `items[${index}] is not a map (a Kubernetes object)`, { field: `items[${index}]`, line }));
  return { meta: metaFromObject(obj), source };
}

/** Reads a ResourceList (kpt, kustomize KRM functions). */
/**
 * Up to this size (some 50 resources) the whole input is also composed once, so every item is
 * checked by the YAML composer itself. Composing costs about 1 ms per resource, as much as a naive
 * function spends in all: above this size, an untouched item is only read for its metadata
 * (its lines, or its CST with the cheap signs of suspicious() when it is not plain block style).
 * A big input from kpt or kustomize, which wrote it themselves, is valid YAML.
 * PROMETHEUS_HA_FULL_VALIDATION_BYTES overrides it.
 */
export const FULL_VALIDATION_BYTES = Number(process.env.PROMETHEUS_HA_FULL_VALIDATION_BYTES) || 64 * 1024;

/** Composes the whole text once and throws the composer's first error, if any. */
function validateWhole(text: string): void {
  const invalid = guarded(() => yamlError(text));
  if (invalid) throw invalid;
}

export function readResourceList(text: string): Input {
  checkText(text);
  const fast = readFast(text);
  if (!fast) return general(text);
  if (text.length <= FULL_VALIDATION_BYTES) composeEach(fast.items, text);
  return fast;
}

/**
 * Small inputs in the fast reader's layout: every item composed on its own, which with the
 * skeleton (composed by readFast) covers the whole text once, and the documents are kept for the
 * items the function then reads (the Prometheus is not composed twice). An item that does not
 * compose alone is judged by composing the whole text, as before: its error, with its message and
 * line, or nothing when the item only needed its context (an alias to an anchor in another item).
 */
function composeEach(items: Item[], text: string): void {
  let wholeValid = false; // judged once, however many items need their context
  items.forEach((it, i) => {
    const s = it.source!;
    try {
      it.doc = composeText(' '.repeat(s.indent) + s.text, { what: `items[${i}]`, line: s.line });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      if (!wholeValid) validateWhole(text);
      wholeValid = true;
    }
  });
}

/** The general reader: the whole document's CST (any layout YAML allows). */
export function readGeneral(text: string): Input {
  checkText(text);
  return general(text);
}

function general(text: string): Input {
  // Unusual layouts are rare and small: validate them with the composer in full first (so the
  // cheap signs of checkSigns() have nothing left to find here).
  validateWhole(text);
  const tokens = [...new Parser().parse(text)];
  const docs = tokens.filter((t): t is CST.Document => t.type === 'document');
  if (docs.length !== 1) {
    if (docs.length === 0) throw new InputError(result('INPUT_EMPTY', 'no YAML document on stdin: expected a ResourceList'));
    throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected one ResourceList on stdin, found ${docs.length} YAML documents (as a kustomize legacy plugin, pass the config file path as the first argument)`, { line: lineOf(text, docs[1]!.offset) }));
  }
  const doc = docs[0]!;
  const root = doc.value;
  if (!root || root.type !== 'block-map') return readNormalised(text, root);
  let kind: string | undefined;
  let apiVersion: string | undefined;
  let itemsTok: Token | undefined;
  let itemsKeyLine = 1;
  let fc: Input['functionConfig'];
  const removeRanges: [number, number][] = [];
  for (const pair of root.items) {
    const key = scalar(pair.key as Token | undefined);
    const value = pair.value as Token | undefined;
    if (key === 'kind') kind = scalar(value);
    else if (key === 'apiVersion') apiVersion = scalar(value);
    else if (key === 'items') {
      itemsTok = value;
      itemsKeyLine = lineOf(text, (pair.key as Token).offset);
    } else if (key === 'functionConfig' && value) {
      fc = { text: text.slice(value.offset, endOf(value)), indent: colOf(text, value.offset), line: lineOf(text, value.offset) };
    } else if (key === 'results' && pair.key) {
      removeRanges.push([(pair.key as Token).offset, value ? endOf(value) : endOf(pair.key as Token)]);
    }
  }
  if (kind !== 'ResourceList') {
    throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected kind: ResourceList (apiVersion config.kubernetes.io/v1), found ${kind === undefined ? 'no kind' : `kind: ${kind}`}${apiVersion ? ` (apiVersion ${apiVersion})` : ''}; as a kustomize legacy plugin, pass the config file path as the first argument`, { line: 1 }));
  }
  if (itemsTok && itemsTok.type !== 'block-seq') {
    if (itemsTok.type === 'flow-collection' || itemsTok.type === 'alias') return readNormalised(text, root);
    if (itemsTok.type === 'scalar' && scalar(itemsTok) === '') itemsTok = undefined;
    else throw new InputError(result('INPUT_ITEMS', 'items must be a list of Kubernetes objects', { field: 'items', line: itemsKeyLine }));
  }
  const items: Item[] = [];
  let insertAt = endOf(root);
  let seqIndent = 0;
  if (itemsTok && itemsTok.type === 'block-seq') {
    seqIndent = itemsTok.indent;
    itemsTok.items.forEach((si, i) => {
      if (!si.value || hasErrorToken(si.value)) failYaml(text);
      if (si.value.type === 'alias' || hasProps(si.start as Token[])) {
        throw new InputError(result('INPUT_ITEMS', `items[${i}]: an anchor or alias on a whole item is not supported (items must stand alone)`, { field: `items[${i}]`, line: lineOf(text, si.value.offset) }));
      }
      if (si.value.type !== 'block-map' && si.value.type !== 'flow-collection') {
        throw new InputError(result('INPUT_ITEMS', `items[${i}] is not a map (a Kubernetes object)`, { field: `items[${i}]`, line: lineOf(text, si.value.offset) }));
      }
      items.push(itemFrom(text, si.value, i));
    });
    if (itemsTok.items.length) insertAt = items[items.length - 1]!.source!.end;
  }
  return { mode: 'resourceList', text, items, functionConfig: fc, layout: { seqIndent, insertAt, removeRanges, docEnd: endOf(root) } };
}

/** Flow-style or JSON ResourceLists: rewritten in block style once, then read as usual. */
function readNormalised(text: string, root: Token | undefined): Input {
  if (!root) throw new InputError(result('INPUT_NOT_RESOURCE_LIST', 'expected a ResourceList, found an empty document'));
  const doc = composeText(text, { what: 'ResourceList' });
  const value = toPlain(doc, { what: 'ResourceList' });
  if (!isMap(value)) throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected a ResourceList (a map with kind: ResourceList), found ${Array.isArray(value) ? 'a list' : typeof value}`, { line: 1 }));
  if (value.items !== undefined && value.items !== null && !Array.isArray(value.items)) {
    throw new InputError(result('INPUT_ITEMS', 'items must be a list of Kubernetes objects', { field: 'items' }));
  }
  const again = doc.toString({ lineWidth: 0, flow: false } as never);
  const normal = parseDocument(again);
  normal.contents && setBlockStyle(normal.contents);
  const block = normal.toString({ lineWidth: 0 });
  if (block === text) throw new InputError(result('INPUT_NOT_RESOURCE_LIST', 'cannot read this ResourceList layout'));
  return readResourceList(block);
}

function setBlockStyle(node: unknown): void {
  if (node && typeof node === 'object') {
    const n = node as { flow?: boolean; items?: unknown[]; value?: unknown; key?: unknown };
    if ('flow' in n) n.flow = false;
    if (Array.isArray(n.items)) for (const x of n.items) setBlockStyle(x);
    if ('value' in n) setBlockStyle(n.value);
    if ('key' in n) setBlockStyle(n.key);
  }
}

/** Reads a multi-document YAML stream (kustomize's legacy exec-plugin protocol). */
export function readStream(text: string): Input {
  if (text.trim() === '') return { mode: 'stream', text, items: [] };
  checkText(text);
  const small = text.length <= FULL_VALIDATION_BYTES;
  const tokens = [...new Parser().parse(text)];
  // Small inputs are composed in full, from these tokens when the stream is plain (see
  // composeDocuments), else as a whole text; large ones get the cheap signs of invalid YAML.
  const composed = small && plainStream(tokens) ? composeDocuments(tokens) : undefined;
  if (small && !composed) validateWhole(text);
  if (!small) checkSigns(text, tokens);
  const items: Item[] = [];
  let i = 0;
  let d = -1;
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    d++;
    const v = t.value;
    if (!v || (v.type === 'scalar' && scalar(v) === '')) continue; // empty document
    if (hasErrorToken(v)) failYaml(text);
    if (v.type !== 'block-map' && v.type !== 'flow-collection') {
      throw new InputError(result('INPUT_ITEMS', `document ${i + 1} is not a map (a Kubernetes object)`, { line: lineOf(text, v.offset) }));
    }
    const item = itemFrom(text, v, i++);
    item.doc = composed?.[d];
    items.push(item);
  }
  return { mode: 'stream', text, items };
}

const PLAIN_AROUND = new Set(['comment', 'newline', 'space']);

/**
 * A stream with nothing the composer judges outside the documents' values: no directives, no
 * `...`, no byte order mark or error token between documents, and documents that start with at
 * most `---` on a line of its own (no properties, no content on that line) and end with comments.
 */
function plainStream(tokens: Token[]): boolean {
  return tokens.every((t) => {
    if (t.type !== 'document') return PLAIN_AROUND.has(t.type);
    const start = t.start.map((s) => s.type);
    const marker = start.indexOf('doc-start');
    if (start.some((s) => s !== 'doc-start' && !PLAIN_AROUND.has(s)) || (marker !== -1 && start[marker + 1] !== 'newline')) return false;
    return (t.end ?? []).every((e) => PLAIN_AROUND.has(e.type));
  });
}

/**
 * Small plain streams (kustomize's legacy plugin input): each document's value composed on its own,
 * from the tokens already parsed, as composeItem() would compose the item's text alone; with
 * plainStream() this covers all that composing the whole text checks. The documents are kept for
 * the items the function reads (the Prometheus is not parsed again). undefined when a value does
 * not compose cleanly: the caller composes the whole text, for the composer's message and line.
 */
function composeDocuments(tokens: Token[]): (Document | undefined)[] | undefined {
  const docs: (Document | undefined)[] = [];
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    if (!t.value) {
      docs.push(undefined);
      continue;
    }
    const alone: CST.Document = { type: 'document', offset: t.value.offset, start: [], value: t.value };
    const doc = guarded(() => [...new Composer(PARSE_OPTIONS).compose([alone])])[0] as Document | undefined;
    if (!doc || doc.errors.length || doc.warnings.length) return undefined;
    docs.push(doc);
  }
  return docs;
}

/** Indents every line after the first by `n` spaces (blank lines stay empty). */
export function indentRest(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.replace(/\n(?=[^\n])/g, `\n${pad}`);
}

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
    const at = hasItems ? layout.insertAt : layout.docEnd;
    edits.push({ start: at, end: at, text: (text[at - 1] === '\n' || at === 0 ? '' : '\n') + ins });
  }
  if (resultsYaml) edits.push({ start: layout.docEnd, end: layout.docEnd, text: (text[layout.docEnd - 1] === '\n' ? '' : '\n') + resultsYaml });
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

/** Writes a YAML stream: each item as it came, or its new text, separated by `---`. */
export const writeStream = (items: Item[]): string => writeStreamParts(items).join('');

/** The same, in pieces (see writeResourceListParts). */
export function writeStreamParts(items: Item[]): string[] {
  const out: string[] = [];
  items.forEach((it, i) => {
    const t = it.text ?? it.source!.text;
    if (i) out.push('---\n');
    out.push(t.endsWith('\n') ? t : `${t}\n`);
  });
  return out;
}

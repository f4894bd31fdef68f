/**
 * Reading and writing the function's input without composing what it does not change.
 *
 * The yaml package's CST parser gives each item's exact source range; only the few items the
 * function must read (Prometheus CRs, objects with the injected names) are composed into nodes.
 * Every other item is copied as source text, so passthrough is byte-identical by construction
 * and the cost of an untouched item is a lexer pass.
 */
import { Composer, CST, isAlias, isMap as isYamlMap, isPair, isSeq, Parser, parseAllDocuments, parseDocument, YAMLParseError, type Document } from 'yaml';
import { result, type Result } from '../core/results.js';
import { fixGoQuotes, originalOffset } from './goyaml.js';
import { RESOURCE_LIST_API_VERSION, SourceRange, LineItems, compactItems, checkText, colOf, depth, guarded, InputError, isMap, ORCHESTRATOR_KEY, lineOf, MAX_DEPTH, metaFromLines, metaFromObject, scanResourceList, TAB_INDENT, TOO_DEEP, tooDeep, describe, FULL_VALIDATION_BYTES, type Input, type Item, type Meta } from './items.js';

export * from './items.js';


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


/** Limits that keep hostile input bounded (alias bombs, deep nesting). */
export const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: true, stringKeys: true, logLevel: 'error' } as const;
export const TOJS_OPTIONS = { maxAliasCount: 100 } as const;

/**
 * PARSE_OPTIONS as the function composes: yaml's own duplicate-key check compares each key with
 * every key before it (compose/util-map-includes.js), quadratic in a map's size (issue 17: 20,000
 * externalLabels took 11-20 s), so it is off and checked() does the same in one pass.
 */
const COMPOSE_OPTIONS = { ...PARSE_OPTIONS, uniqueKeys: false } as const;

/**
 * What PARSE_OPTIONS's uniqueKeys checks, in linear time: a key equal to an earlier key of its map
 * (yaml compares scalar keys by value, other keys by identity); and, which yaml leaves to toJS, an
 * alias with no anchor of its name before it in the document (YAML 1.2, 3.2.2.2: an error). The
 * first such error joins doc.errors in source order; `anchors` carries the anchors of earlier
 * parts of one document composed in pieces.
 */
export function checked(doc: Document, text: string, anchors = new Set<string>()): Document {
  let found: YAMLParseError | undefined;
  const fail = (offset: number, code: 'DUPLICATE_KEY' | 'BAD_ALIAS', message: string) => {
    if (found) return;
    found = new YAMLParseError([offset, offset + 1], code as 'DUPLICATE_KEY', message);
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    found.linePos = [{ line, col: offset - text.lastIndexOf('\n', offset - 1) }];
  };
  const walk = (node: unknown): void => {
    if (found || !node || typeof node !== 'object') return;
    const n = node as { anchor?: string; range?: [number, number, number] };
    if (n.anchor) anchors.add(n.anchor);
    if (isAlias(node)) {
      if (!anchors.has(node.source)) fail(node.range?.[0] ?? 0, 'BAD_ALIAS', `the alias *${node.source} has no anchor &${node.source} before it`);
    } else if (isYamlMap(node)) {
      const keys = new Set<unknown>();
      for (const pair of node.items) {
        const k = pair.key as { value?: unknown; range?: [number, number, number] } | null;
        const v = k && typeof k === 'object' && 'value' in k && !isPair(k) ? k.value : k;
        if (keys.has(v)) fail(k?.range?.[0] ?? 0, 'DUPLICATE_KEY', 'Map keys must be unique');
        keys.add(v);
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) for (const x of node.items) walk(x);
  };
  walk(doc.contents);
  if (found) {
    const at = doc.errors.findIndex((e) => e.pos[0] > found!.pos[0]);
    doc.errors.splice(at === -1 ? doc.errors.length : at, 0, found);
  }
  return doc;
}

/** Composes one source text into a Document, turning every problem into an InputError. */
export function composeText(text: string, where: { what: string; line?: number; file?: string }): Document {
  let doc: Document;
  try {
    // What Go's yaml writes (Helm 4's post-renderer input): see goyaml.ts.
    const src = fixGoQuotes(text)?.text ?? text;
    doc = checked(parseDocument(src, COMPOSE_OPTIONS), src);
  } catch (e) {
    throw new InputError(result('INPUT_YAML', `${where.what}: cannot parse YAML: ${tooDeep(e) ? TOO_DEEP : (e as Error).message}`, { line: where.line }));
  }
  const err = doc.errors[0];
  if (err?.code === 'MULTIPLE_DOCS') {
    const n = parseAllDocuments(text, COMPOSE_OPTIONS);
    throw new InputError(result('INPUT_YAML', `${where.what} has ${Array.isArray(n) ? n.length : 1} YAML documents; expected one`, { line: where.line, file: where.file ? { path: where.file } : undefined }));
  }
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


/**
 * The source of an item, composed (Prometheus CRs and a few others only). A document the reader
 * composed already is handed over once (the caller may change it), then composed afresh.
 */
export function composeItem(item: Item): Document {
  const s = item.source;
  if (!s) throw new Error('composeItem on an injected item');
  const ready = item.doc as Document | undefined;
  if (ready) {
    item.doc = undefined;
    return ready;
  }
  return composeText(' '.repeat(s.indent) + s.text, { what: describe(item), line: s.line });
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


/** The composer's first error for a text, as an InputError (slow: only for suspicious input). */
function yamlError(text: string, composed?: Document[]): InputError | undefined {
  const parsed = parseAllDocuments(text, COMPOSE_OPTIONS);
  const docs = Array.isArray(parsed) ? parsed : [];
  const err = docs.flatMap((d) => checked(d, text).errors)[0];
  if (!err) {
    composed?.push(...docs);
    return undefined;
  }
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
  checkAliases(text, tokens);
}

/** Where an alias or an anchor may start (a node's start: after a space, a line start or a flow indicator). */
const ALIAS_SIGN = /(?:^|[\s[{,])\*[^\s,[\]{}]/m;
export const ANCHOR_SIGN = /(?:^|[\s[{,])&[^\s,[\]{}]/m;

/**
 * The first alias in a CST subtree with no anchor of its name before it (YAML 1.2, 3.2.2.2: an
 * error), walking tokens in source order; `anchors` collects the anchors met.
 */
function unresolvedAlias(tok: unknown, anchors: Set<string>): { offset: number; name: string } | undefined {
  if (!tok || typeof tok !== 'object') return undefined;
  const t = tok as { type?: string; source?: string; offset?: number; [k: string]: unknown };
  if (t.type === 'anchor' && typeof t.source === 'string') anchors.add(t.source.slice(1));
  if (t.type === 'alias' && typeof t.source === 'string') {
    const name = t.source.slice(1);
    if (!anchors.has(name)) return { offset: t.offset ?? 0, name };
  }
  for (const key of ['start', 'key', 'sep', 'value', 'items', 'end']) {
    const v = t[key];
    for (const x of Array.isArray(v) ? v : [v]) {
      const bad = x && typeof x === 'object' ? unresolvedAlias(x, anchors) : undefined;
      if (bad) return bad;
    }
  }
  return undefined;
}

/** The alias of a CST token list with no anchor before it, from `anchors` and those met on the way. */
function firstUnresolved(tokens: Iterable<Token>, anchors = new Set<string>()): { offset: number; name: string } | undefined {
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    const bad = guarded(() => unresolvedAlias(t, anchors));
    if (bad) return bad;
  }
  return undefined;
}

/** A stream's documents (not composed): an alias without its anchor is refused, as composing would. */
function checkAliases(text: string, tokens: Token[]): void {
  if (!ALIAS_SIGN.test(text)) return;
  for (const t of tokens) {
    const bad = t.type === 'document' ? firstUnresolved([t]) : undefined;
    if (bad) throw new InputError(result('INPUT_YAML', `input is not valid YAML: the alias *${bad.name} has no anchor &${bad.name} before it`, { line: lineOf(text, bad.offset) }));
  }
}

/**
 * Items in order, as one document: the first alias with no anchor before it (in an earlier item or
 * its own), and the item. Only items with a sign of an anchor or alias are parsed, each on its own
 * (a big input is not parsed whole: its CST is ~100 times its size).
 */
function itemsAlias(items: { text: string; indent: number }[]): { index: number; offset: number; name: string } | undefined {
  const anchors = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const { text, indent } = items[i]!;
    if (!ANCHOR_SIGN.test(text) && !ALIAS_SIGN.test(text)) continue;
    const bad = firstUnresolved(new Parser().parse(' '.repeat(indent) + text), anchors);
    if (bad) return { index: i, offset: bad.offset - indent, name: bad.name };
  }
  return undefined;
}

/** Large ResourceLists (items not composed): an alias without its anchor is refused, as composing would. */
function checkItemAliases(input: Input): void {
  if (!ALIAS_SIGN.test(input.text)) return;
  const bad = itemsAlias(input.items.map((it) => it.source!));
  if (!bad) return;
  const s = input.items[bad.index]!.source!;
  throw new InputError(result('INPUT_YAML', `input is not valid YAML: the alias *${bad.name} has no anchor &${bad.name} before it`, { line: lineOf(input.text, s.start + bad.offset) }));
}

/**
 * After a run: when the function rewrote or removed an item whose text had an anchor, the items
 * written out are checked, in order, for an alias that lost it; a refusal (a result) when one did.
 * The yaml package would not load such output (issue 17: exit 0 with `*r` left without `&r`).
 */
export function aliasesKept(input: Input, changed: Item[], written: Item[]): Result | undefined {
  if (!ANCHOR_SIGN.test(input.text)) return undefined;
  const lost = changed.filter((it) => it.source && ANCHOR_SIGN.test(it.source.text));
  if (!lost.length) return undefined;
  const bad = itemsAlias(written.map((it) => (it.text !== undefined ? { text: it.text, indent: 0 } : it.source!)));
  if (!bad) return undefined;
  const what = lost.map((it) => `${it.removed ? 'removes' : 'rewrites'} ${describe(it)}`).join(' and ');
  return result('INPUT_REFUSED', `the function ${what}, whose anchor &${bad.name} the alias *${bad.name} of ${describe(written[bad.index]!)} uses: the output would not load; replace *${bad.name} with its value (or remove the anchor), then run again`);
}

function hasErrorToken(tok: Token | undefined): boolean {
  if (!tok) return false;
  if (tok.type === 'error') return true;
  if ('end' in tok && Array.isArray(tok.end) && tok.end.some((t: { type: string }) => t.type === 'error')) return true;
  return false;
}

/** The items read from their lines of the last text read (items.ts, LineItems). */
let lineItems: LineItems | undefined;
const nameWhere = { nameAt: -1 };

/**
 * One item from its place in the text: its metadata from its lines, else from its CST (the given
 * node, or its own parse), else from composing it, which also says what is wrong with it.
 */
function itemFromText(text: string, start: number, end: number, indent: number, line: number, index: number, opts: { token?: Token } = {}): Item {
  if (!opts.token) {
    const compact = text.length >= compactItems.minBytes;
    const meta = metaFromLines(text, start, end, indent, compact ? nameWhere : undefined);
    if (meta) {
      if (!compact) return { meta, source: new SourceRange(text, start, end, indent, line) };
      if (lineItems?.input !== text) lineItems = new LineItems(text);
      return lineItems.add(start, end, indent, line, meta, nameWhere.nameAt);
    }
  }
  const source = new SourceRange(text, start, end, indent, line);
  const src = source.text;
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

/**
 * A reader of plain YAML that answers as composing it would, or undefined where it does not apply
 * (the light reader, light/light.ts, handed in by the commands: this layer does not import it).
 */
export type PlainReader = (text: string) => unknown;

/**
 * The fast reader (items.ts, scanResourceList) with the yaml package for what lines do not tell.
 * The skeleton (the functionConfig with it) is read by `plain` where it applies: 30,000
 * externalLabels in the config took yaml's composer four times as long (issue 17).
 */
export const readFast = (text: string, plain?: PlainReader): Input | undefined =>
  scanResourceList(text, { item: (t, s, e, i, l, n) => itemFromText(t, s, e, i, l, n), root: (skeleton) => plain?.(skeleton) ?? toPlain(composeText(skeleton, { what: 'ResourceList' }), { what: 'ResourceList' }) });

/** Composes the whole text once and throws the composer's first error, if any; else its documents. */
function validateWhole(text: string): Document[] {
  const docs: Document[] = [];
  const invalid = guarded(() => yamlError(text, docs));
  if (invalid) throw invalid;
  return docs;
}

/** The documents composed from a text's tokens, checked; undefined when one has an error. */
function composeTokens(tokens: Token[], text: string): Document[] | undefined {
  const docs = guarded(() => [...new Composer(COMPOSE_OPTIONS).compose(tokens)].map((d) => checked(d, text)));
  return docs.some((d) => d.errors.length) ? undefined : docs;
}

/** Reads a ResourceList (kpt, kustomize KRM functions). */
export const readResourceList = (text: string, plain?: PlainReader): Input => withGoQuotes(text, (t) => readResourceListText(t, plain));

/**
 * What Go's yaml writes (Helm 4's post-renderer input, goyaml.ts) is read with its closing quotes
 * indented, and every offset read is mapped back onto the original text, which the writers copy:
 * items the function does not change pass through byte for byte, quotes at column 0 and all.
 */
function withGoQuotes(text: string, read: (text: string) => Input): Input {
  const go = fixGoQuotes(text);
  if (!go) return read(text);
  const input = read(go.text);
  if (input.text !== go.text) return input; // rewritten in block style (readNormalised): its own text
  const at = (n: number): number => originalOffset(go, n);
  for (const it of input.items) {
    const s = it.source;
    if (s) it.source = new SourceRange(text, at(s.start), at(s.end), s.indent, s.line);
  }
  const l = input.layout;
  const layout = l && { ...l, insertAt: at(l.insertAt), docEnd: at(l.docEnd), removeRanges: l.removeRanges.map(([a, b]): [number, number] => [at(a), at(b)]) };
  return { ...input, text, ...(layout ? { layout } : {}) };
}

function readResourceListText(text: string, plain?: PlainReader): Input {
  checkText(text);
  const fast = readFast(text, plain);
  if (!fast) return general(text);
  if (text.length <= FULL_VALIDATION_BYTES) composeEach(fast.items, text);
  else checkItemAliases(fast);
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
export const readGeneral = (text: string): Input =>
  withGoQuotes(text, (t) => {
    checkText(t);
    return general(t);
  });

function general(text: string): Input {
  // Unusual layouts are rare and small: validate them with the composer in full first (so the
  // cheap signs of checkSigns() have nothing left to find here). The text is parsed once, and
  // composed from those tokens (issue 17: a 1 MB JSON input was parsed twice); where the composer
  // finds an error, validateWhole composes it again, for the error's words and line.
  const tokens = guarded(() => [...new Parser().parse(text)]);
  const composed = composeTokens(tokens, text) ?? validateWhole(text);
  const docs = tokens.filter((t): t is CST.Document => t.type === 'document');
  if (docs.length !== 1) {
    if (docs.length === 0) throw new InputError(result('INPUT_EMPTY', 'no YAML document on stdin: expected a ResourceList'));
    throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected one ResourceList on stdin, found ${docs.length} YAML documents (as a kustomize legacy plugin or a Helm post-renderer, pass the config file path as the first argument: --post-renderer-args CONFIG)`, { line: lineOf(text, docs[1]!.offset) }));
  }
  const doc = docs[0]!;
  const root = doc.value;
  if (!root || root.type !== 'block-map') return readNormalised(text, root, composed[0]);
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
    throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected kind: ResourceList (apiVersion ${RESOURCE_LIST_API_VERSION}), found ${kind === undefined ? 'no kind' : `kind: ${kind}`}${apiVersion ? ` (apiVersion ${apiVersion})` : ''}; as a kustomize legacy plugin or a Helm post-renderer, pass the config file path as the first argument (--post-renderer-args CONFIG)`, { line: 1 }));
  }
  if (apiVersion !== RESOURCE_LIST_API_VERSION) {
    throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected a ResourceList of apiVersion ${RESOURCE_LIST_API_VERSION} (what kpt and kustomize send), found ${apiVersion === undefined ? 'no apiVersion' : `apiVersion ${JSON.stringify(apiVersion)}`}`, { field: 'apiVersion', line: 1 }));
  }
  // An empty flow sequence (`items: []`, as JSON writes none) is no items: normalising cannot
  // write it in block style, and read it again as the same layout.
  if (itemsTok?.type === 'flow-collection' && itemsTok.start.source === '[' && itemsTok.items.length === 0) itemsTok = undefined;
  if (itemsTok && itemsTok.type !== 'block-seq') {
    if (itemsTok.type === 'flow-collection' || itemsTok.type === 'alias') return readNormalised(text, root, composed[0]);
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
function readNormalised(text: string, root: Token | undefined, composed?: Document): Input {
  if (!root) throw new InputError(result('INPUT_NOT_RESOURCE_LIST', 'expected a ResourceList, found an empty document'));
  // The document general() composed to validate the text, unless composeText has a refusal to word.
  const doc = composed && !composed.warnings.length ? composed : composeText(text, { what: 'ResourceList' });
  const value = toPlain(doc, { what: 'ResourceList' });
  if (!isMap(value)) throw new InputError(result('INPUT_NOT_RESOURCE_LIST', `expected a ResourceList (a map with kind: ResourceList), found ${Array.isArray(value) ? 'a list' : typeof value}`, { line: 1 }));
  if (value.items !== undefined && value.items !== null && !Array.isArray(value.items)) {
    throw new InputError(result('INPUT_ITEMS', 'items must be a list of Kubernetes objects', { field: 'items' }));
  }
  // Block style set on the composed document and written once: the same text as writing it, reading
  // that again and setting block style there (checked on JSON, flow YAML with comments and anchors),
  // without composing a big JSON input a second time (issue 17).
  if (doc.contents) setBlockStyle(doc.contents);
  const block = doc.toString({ lineWidth: 0 });
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

/**
 * Reads a multi-document YAML stream (kustomize's legacy exec-plugin protocol, Helm's
 * post-renderers).
 */
export const readStream = (text: string): Input => withGoQuotes(text, readStreamText);

function readStreamText(text: string): Input {
  if (text.trim() === '') return { mode: 'stream', text, items: [] };
  checkText(text);
  const small = text.length <= FULL_VALIDATION_BYTES;
  const big = small ? undefined : bigStream(text);
  if (big) return big;
  const tokens = [...new Parser().parse(text)];
  // Small inputs are composed in full, from these tokens when the stream is plain (see
  // composeDocuments), else as a whole text; large ones get the cheap signs of invalid YAML.
  const composed = small && plainStream(tokens) ? composeDocuments(tokens, text) : undefined;
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
    if (item.doc) streamText.set(item.doc as Document, text);
    items.push(item);
  }
  return { mode: 'stream', text, items };
}

/**
 * The documents of a stream laid out as kustomize writes it, in order, to `each`: between `---`
 * lines, each a map at column 0, without comments, blank lines, directives or `...` (as
 * readLightStream takes it). false for any other layout, or when `each` says so.
 */
function eachStreamDoc(text: string, each: (start: number, end: number, line: number) => boolean): boolean {
  let start = -1;
  let startLine = 0;
  let line = 1;
  for (let pos = 0; pos < text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(pos);
    if (end - pos === 4 && text.startsWith('---\n', pos)) {
      if (start >= 0) {
        if (!each(start, pos, startLine)) return false;
      } else if (pos > 0) return false; // an empty document
      start = -1;
    } else if (c === 32) {
      if (start < 0) return false; // a document starts with a key at column 0
      let k = pos;
      while (text.charCodeAt(k) === 32) k++;
      const d = text.charCodeAt(k);
      if (k === end - 1 || k === text.length || d === 35 || d === 13) return false; // a blank or comment line
    } else if (c === 45 && start >= 0 && (text.charCodeAt(pos + 1) === 32 || pos + 2 === end)) {
      // An entry of a sequence at column 0 in a document (`rules:\n- apiGroups: ...`).
    } else if (c === 10 || c === 13 || c === 35 || c === 9 || c === 45 || c === 46 || c === 37) {
      return false; // a blank or comment line; any other `-`, `...` or `%` at column 0: a marker, a directive
    } else if (start < 0) {
      start = pos;
      startLine = line;
    }
    pos = end;
  }
  return start >= 0 && each(start, text.length, startLine);
}

/**
 * A big stream in kustomize's layout (eachStreamDoc), read as the whole stream's tokens are read
 * below (checkSigns, then an item per document), one document's tokens at a time: 500,000
 * documents held the tokens of all, ~2 GB (issue 17). A document that is not a block map, shows a
 * sign of invalid YAML or an alias without its anchor gives undefined: the whole stream is then
 * read as before, for the error's words and line. Items are read from their lines where they can
 * be (compactly, as a ResourceList's: LineItems), else from the document's tokens.
 */
function bigStream(text: string): Input | undefined {
  if (TAB_INDENT.test(text)) return undefined;
  const aliases = ALIAS_SIGN.test(text);
  // In runs, joined at the end (as scanResourceList does: no outgrown copies of one long list).
  const runs: Item[][] = [];
  let items: Item[] = [];
  let count = 0;
  const push = (it: Item) => {
    if (items.length === 8192) {
      runs.push(items);
      items = [];
    }
    items.push(it);
    count++;
  };
  const read = (start: number, docEnd: number, line: number): boolean => {
    const tokens = [...new Parser().parse(text.slice(start, docEnd))];
    const doc = tokens[0];
    if (tokens.length !== 1 || doc?.type !== 'document' || doc.start.length || doc.end?.length || doc.value?.type !== 'block-map' || hasErrorToken(doc.value)) return false;
    if (suspicious(doc) || (aliases && firstUnresolved(tokens))) return false;
    const v = doc.value;
    const end = start + endOf(v);
    const meta = metaFromLines(text, start, end, 0, nameWhere);
    if (!meta) push(itemFromText(text, start + v.offset, end, 0, line, count, { token: v }));
    else if (text.length < compactItems.minBytes) push({ meta, source: new SourceRange(text, start, end, 0, line) });
    else {
      if (lineItems?.input !== text) lineItems = new LineItems(text);
      push(lineItems.add(start, end, 0, line, meta, nameWhere.nameAt));
    }
    return true;
  };
  if (!eachStreamDoc(text, read)) return undefined;
  return { mode: 'stream', text, items: runs.length ? ([] as Item[]).concat(...runs, items) : items };
}

/** The stream a document composed from its tokens came from: its offsets are the stream's (yamldoc.ts splices it). */
export const streamText = new WeakMap<Document, string>();

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
function composeDocuments(tokens: Token[], text: string): (Document | undefined)[] | undefined {
  const docs: (Document | undefined)[] = [];
  for (const t of tokens) {
    if (t.type !== 'document') continue;
    if (!t.value) {
      docs.push(undefined);
      continue;
    }
    const alone: CST.Document = { type: 'document', offset: t.value.offset, start: [], value: t.value };
    const doc = guarded(() => [...new Composer(COMPOSE_OPTIONS).compose([alone])].map((d) => checked(d, text)))[0] as Document | undefined;
    if (!doc || doc.errors.length || doc.warnings.length) return undefined;
    docs.push(doc);
  }
  return docs;
}

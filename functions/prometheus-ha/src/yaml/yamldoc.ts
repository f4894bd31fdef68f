/** The EditDoc (edit.ts) of the yaml package's Document: any YAML, comments and order kept. */
import { Document, isCollection, isMap, isNode, isPair, isScalar, isSeq, Pair, parseDocument, visit, YAMLMap, type Node } from 'yaml';
import type { EditDoc, NodeInfo, Reader } from '../core/edit.js';
import type { Item } from '../core/item.js';
import { result } from '../core/results.js';
import { deepEqual } from '../core/util.js';
import { fixGoQuotes } from './goyaml.js';
import { composeItem, describe, InputError, PARSE_OPTIONS, streamText, TOJS_OPTIONS, toPlain } from './source.js';
import { colAt, dedent, splice, trimNewline, type Anchor } from './splice.js';

/**
 * The pairs of a map by key, for maps of INDEXED keys or more. yaml finds a key by scanning the
 * map's pairs (nodes/YAMLMap.js findPair), so a patch that sets each of n keys of a map (the
 * externalLabels merge) was quadratic (issue 17: 20,000 labels, 11-20 s). Built on first use;
 * set() below is the only writer of the documents it indexes and keeps it current.
 */
const INDEXED = 16;
const indexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();
const keyOf = (k: unknown): unknown => (isScalar(k) ? k.value : k);

/** findPair(map.items, key) for a string key: the first pair whose key is it or a scalar of it. */
function pairOf(map: YAMLMap, key: string): Pair | undefined {
  if (map.items.length < INDEXED) return map.items.find((it) => isPair(it) && keyOf(it.key) === key);
  let index = indexes.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) if (isPair(it) && !index.has(keyOf(it.key))) index.set(keyOf(it.key), it);
    indexes.set(map, index);
  }
  return index.get(key);
}

/** collection.get(key, true), as Collection.getIn walks it. */
function child(node: unknown, key: string): unknown {
  if (isMap(node)) return pairOf(node, key)?.value ?? undefined;
  if (isSeq(node)) return node.get(key, true);
  return undefined;
}

/**
 * yaml's toJS and toString throw on an alias whose anchor is gone: here, one of this object whose
 * anchor was on a value the function replaced (issue 17). A refusal that says so, not a crash.
 */
function anchorsKept<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    const alias = /^Unresolved alias[^:]*: (.*)$/.exec((e as Error).message)?.[1];
    if (alias === undefined) throw e;
    throw new InputError(result('INPUT_REFUSED', `the function replaces a value that holds the anchor &${alias}, which an alias *${alias} of the same object uses: the output would not load; replace *${alias} with its value (or remove the anchor), then run again`));
  }
}

export class YamlDoc implements EditDoc {
  /** Where each set landed in the source (splice.ts); undefined when the text cannot be spliced. */
  #anchors: Anchor[] | undefined = [];

  /**
   * `source`: the item's source (Item.source) when `doc` was composed from it, for edit(); the
   * document's offsets are those of its text or of the whole input (a stream's documents).
   */
  constructor(readonly doc: Document, readonly source?: Item['source']) {
    if (!source) this.#anchors = undefined;
  }

  /** doc.getIn(path, true), with big maps looked up by their index. */
  #get(path: readonly string[]): Node | undefined {
    let node: unknown = this.doc.contents;
    for (const seg of path) {
      if (!isCollection(node)) return undefined;
      node = child(node, seg);
    }
    return (node ?? undefined) as Node | undefined;
  }

  info(path: readonly string[]): NodeInfo | undefined {
    const node = this.#get(path);
    if (node === undefined) return undefined;
    if (isMap(node)) return { kind: 'map' };
    if (isSeq(node)) return { kind: 'seq' };
    if (isScalar(node)) return { kind: 'scalar', value: node.value };
    return { kind: 'other' };
  }

  plain(path: readonly string[]): unknown {
    const node = this.#get(path);
    if (node === undefined) return undefined;
    return isCollection(node) || isScalar(node) ? node.toJSON() : node;
  }

  set(path: readonly string[], value: unknown): void {
    this.#anchored(path);
    if (this.#anchors) this.#anchor(path);
    const node = this.doc.createNode(value);
    // doc.setIn(path, node), its last step done here on a map: YAMLMap.add (nodes/YAMLMap.js),
    // without its scan for the key. Where the path is missing below an existing collection,
    // yaml's setIn creates it (collectionFromPath) and that collection's index is dropped.
    const parent = path.length > 1 ? this.#get(path.slice(0, -1)) : this.doc.contents;
    const key = path[path.length - 1]!;
    if (isMap(parent)) {
      const prev = pairOf(parent, key);
      if (prev) prev.value = node; // a node is never a scalar value: add() replaces the pair's value
      else {
        const pair = new Pair(key, node);
        parent.items.push(pair);
        indexes.get(parent)?.set(key, pair);
      }
    } else {
      let i = path.length - 1;
      while (i > 0 && !isCollection(this.#get(path.slice(0, i)))) i--;
      const above = i > 0 ? this.#get(path.slice(0, i)) : this.doc.contents;
      this.doc.setIn(path, node);
      if (isMap(above)) indexes.delete(above);
    }
    // A key added to a flow map would keep flow style; the new parts are written in block style.
    for (let i = 1; i < path.length; i++) {
      const parent = this.#get(path.slice(0, i));
      if (isMap(parent) && parent.flow) parent.flow = false;
    }
  }

  /**
   * Where a set of `path` lands in the source, before it is made: the value of a key the source has
   * (replaced), or a new key at the end of a block map of the source. Nodes from the source have a
   * range, nodes made by set have none.
   */
  #anchor(path: readonly string[]): void {
    const root = this.doc.contents as Node | null;
    const text = this.#text()?.text;
    if (!isMap(root) || root.flow || !root.range || text === undefined) return void (this.#anchors = undefined);
    let m: YAMLMap = root;
    for (let i = 0; i < path.length; i++) {
      const mEnd = this.#end(text, m);
      const pair = pairOf(m, path[i]!); // indexed: a big map is not scanned for each key
      const at = path.slice(0, i + 1) as string[];
      const key = pair?.key as Node | undefined;
      if (!pair || !key?.range) {
        // A new key (or one an earlier set added: the same anchor again).
        this.#anchors!.push({ op: 'add', path: at, col: colAt(text, m.range![0]), at: mEnd });
        return;
      }
      const v = pair.value as Node | null;
      if (!v?.range) {
        // Written by an earlier set: its anchor is recorded. A key without a value (`key:`) has a null scalar.
        if (v) return;
        this.#anchors = undefined;
        return;
      }
      if (i === path.length - 1 || !isMap(v) || v.flow) {
        const colon = text.indexOf(':', key.range[1]);
        if (colon < 0 || colon > v.range[0]) return void (this.#anchors = undefined);
        const end = isCollection(v) && !v.flow ? this.#end(text, v) : trimNewline(text, v.range[1]);
        this.#anchors!.push({ op: 'replace', path: at, col: colAt(text, key.range[0]), colon: colon + 1, start: v.range[0], end });
        return;
      }
      m = v;
    }
  }

  /**
   * Anchors the set of `path` would change. Inside an anchored collection (`thanos: &t {...}`), an
   * alias of it elsewhere (another item, say) would silently take the change: refused. An anchor on
   * the value that is replaced (or inside it) goes with that value: the text is then not spliced
   * (a splice would keep `&r` on the new value, and the alias elsewhere would change with it), and
   * the whole rewrite drops it, so an alias that used it is refused after the run (issue 17).
   */
  #anchored(path: readonly string[]): void {
    let node: unknown = this.doc.contents;
    for (let i = 0; i <= path.length && isNode(node); i++) {
      const anchor = (node as { anchor?: string }).anchor;
      if (i < path.length && anchor) {
        const at = path.slice(0, i).join('.') || 'the document';
        throw new InputError(result('INPUT_REFUSED', `the function changes ${path.join('.')}, inside ${at}, which holds the anchor &${anchor}: an alias *${anchor} would change with it; replace such aliases with their value (or remove the anchor), then run again`, { field: path.join('.') }));
      }
      if (i === path.length) {
        let inner = false;
        visit(node as Node, { Node: (_k, n) => void ((n as { anchor?: string }).anchor && (inner = true)) });
        if (inner) this.#anchors = undefined;
        return;
      }
      if (!isCollection(node)) return;
      node = child(node, path[i]!);
    }
  }

  /**
   * lastLineEnd of a block collection as the source has it: kept from the first set that walks
   * through it, before any set below it replaces the nodes it is read from.
   */
  readonly #ends = new WeakMap<Node, number>();
  #end(text: string, n: Node): number {
    let e = this.#ends.get(n);
    if (e === undefined) this.#ends.set(n, (e = lastLineEnd(text, n)));
    return e;
  }

  /**
   * The text the document's offsets refer to and where the item's text is in it: the whole stream
   * for a stream's documents (source.ts, streamText), else the item's text at its indentation.
   */
  #text(): { text: string; start: number; end: number } | undefined {
    const s = this.source;
    if (!s) return undefined;
    const whole = streamText.get(this.doc);
    if (whole !== undefined) return whole.slice(s.start, s.end) === s.text ? { text: whole, start: s.start, end: s.end } : undefined;
    // A closing quote at column 0 (goyaml.ts): the document was read from the text with it indented.
    if (fixGoQuotes(s.text)) return undefined;
    const text = ' '.repeat(s.indent) + s.text;
    return { text, start: s.indent, end: text.length };
  }

  /**
   * The item's new text (column 0): its source with only the changed fields rewritten (splice.ts),
   * new parts written as toString() writes them. The whole document as toString() writes it where
   * the source cannot be spliced (a root that is not a block map, CR line ends), or when the spliced
   * text with anchors, aliases or tags does not read back as the edited document (an alias to a
   * value it replaced, say).
   */
  edit(indentSeq: boolean): string {
    const src = this.#text();
    // CRLF sources (yaml reads them; kpt and kustomize write none) are rewritten whole, as before.
    if (this.#anchors && src !== undefined && !src.text.includes('\r')) {
      const { text, start, end } = src;
      const d = new Document(null);
      const pair = (key: string, value: unknown) => {
        const m = new YAMLMap(d.schema);
        m.set(d.createNode(key), d.createNode(value));
        d.contents = m;
        return d.toString({ lineWidth: 0, indentSeq }).replace(/\n$/, '');
      };
      const out = splice(text, this.#anchors, (p) => this.plain(p), pair);
      const indent = this.source!.indent;
      const item = ' '.repeat(indent) + out.slice(start, out.length - (text.length - end));
      // Read back (a second parse) only where a splice can change what the rest means: an alias to
      // a value it replaced, an anchor a new fragment repeats. The splice itself is checked by the
      // tests (test/yaml/light.test.ts against the light reader, test/yaml/edits.test.ts).
      if (!PROPS.test(item) || readsAs(item, this.toJS())) return dedent(item, indent);
    }
    return this.toString(indentSeq);
  }

  toJS(): unknown {
    return anchorsKept(() => this.doc.toJS(TOJS_OPTIONS));
  }

  /**
   * Written as the function emits it: block style, no line folding. A comment before a sequence
   * item stays above its `-`, where kpt (kyaml) expects it: moving it onto the item's first key made
   * kpt add the original back on every render (checked with kpt 1.0.0-beta.56, test/tools/kpt.test.ts).
   */
  toString(indentSeq: boolean): string {
    return anchorsKept(() => this.doc.toString({ lineWidth: 0, indentSeq }));
  }
}

/** transform()'s reader for any YAML. */
export const yamlReader: Reader = {
  compose(item) {
    const doc = composeItem(item);
    return { doc: new YamlDoc(doc, item.source), plain: toPlain(doc, { what: describe(item), line: item.source?.line }) };
  },
  plain: (item) => toPlain(composeItem(item), { what: describe(item) }),
};


/**
 * The end of the last line of a block collection's content (its last scalar's line, a comment
 * after it included): where its text ends for splice.ts, as the light reader sees it. yaml's range
 * also holds the comment lines after it that are indented deeper than the collection.
 */
function lastLineEnd(text: string, n: Node): number {
  let last: Node = n;
  for (;;) {
    const items: unknown[] | undefined = (isMap(last) || isSeq(last)) && !last.flow ? last.items : undefined;
    const item = items?.[items.length - 1];
    if (item === undefined) break;
    const next = (isPair(item) ? ((item.value as Node | null) ?? (item.key as Node)) : item) as Node;
    if (!next?.range) break;
    last = next;
  }
  const end = trimNewline(text, last.range![1]);
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl;
}

/** Text that may be an anchor, an alias, a tag or an explicit key (or a plain scalar that looks like one). */
const PROPS = /(?:^|[\s[{,])[&*!][^\s,[\]{}]|(?:^|[\s-])\?(?:\s|$)/m;

/** Whether a text reads back (as the readers read it) as the given data; false when it does not read at all. */
function readsAs(text: string, js: unknown): boolean {
  try {
    const back = parseDocument(text, PARSE_OPTIONS);
    return !back.errors.length && deepEqual(back.toJS(TOJS_OPTIONS), js);
  } catch {
    return false;
  }
}

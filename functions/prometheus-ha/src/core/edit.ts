/**
 * A document the function reads and edits: the yaml package's Document (yamldoc.ts, any YAML) or
 * the light reader's (light.ts, plain block YAML only, without loading the yaml package: issue 7).
 * Both must give the same answers and write the same text; test/yaml/light.test.ts checks the light one
 * against yaml.
 */
import type { Item } from './item.js';

/**
 * What a reader that does not model everything (light.ts) throws where it cannot answer or write as
 * yaml would: the caller gives up on that reader and runs the yaml one on the same input.
 */
export class Unsupported extends Error {}

/** What is at a path. */
export type NodeInfo = { kind: 'map' } | { kind: 'seq' } | { kind: 'scalar'; value: unknown } | { kind: 'other' };

export interface EditDoc {
  /**
   * The node at `path` as yaml's `doc.getIn(path, true)` finds it (map keys; on a sequence a
   * segment is an index as yaml's asItemIndex reads it, Number(segment) when an integer >= 0),
   * undefined when there is none.
   */
  info(path: readonly string[]): NodeInfo | undefined;
  /** The plain value there (yaml: the node's toJSON()), undefined when there is none. */
  plain(path: readonly string[]): unknown;
  /**
   * yaml's `doc.setIn(path, doc.createNode(value))` (missing maps on the way are created, a new key
   * goes last, an existing key keeps its place), then every map on the path is made block style.
   * The caller has checked that every existing node above the last segment is a map.
   */
  set(path: readonly string[], value: unknown): void;
  /** The whole document as plain data (yaml: `doc.toJS({ maxAliasCount: 100 })`). */
  toJS(): unknown;
  /** The document as `doc.toString({ lineWidth: 0, indentSeq })` writes it. */
  toString(indentSeq: boolean): string;
  /**
   * The item's new text (column 0, as Item.text): its source with only the fields set() changed
   * rewritten, every other line as it was (issue 14, section 6; yaml/splice.ts); new keys and
   * values written as toString(indentSeq) writes them, new keys after the last line of their map.
   */
  edit(indentSeq: boolean): string;
}

/** How transform() reads the items it needs. */
export interface Reader {
  /** The item's source as a document to edit, and its plain value; an InputError for bad YAML. */
  compose(item: Item): { doc: EditDoc; plain: unknown };
  /** The item's plain value, read only. */
  plain(item: Item): unknown;
}

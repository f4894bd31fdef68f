/** The EditDoc (edit.ts) of the yaml package's Document: any YAML, comments and order kept. */
import { isCollection, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { EditDoc, NodeInfo, Reader } from '../core/edit.js';
import { composeItem, describe, TOJS_OPTIONS, toPlain } from './source.js';

export class YamlDoc implements EditDoc {
  constructor(readonly doc: Document) {}

  info(path: readonly string[]): NodeInfo | undefined {
    const node = this.doc.getIn(path, true) as Node | undefined;
    if (node === undefined) return undefined;
    if (isMap(node)) return { kind: 'map' };
    if (isSeq(node)) return { kind: 'seq' };
    if (isScalar(node)) return { kind: 'scalar', value: node.value };
    return { kind: 'other' };
  }

  plain(path: readonly string[]): unknown {
    const node = this.doc.getIn(path, true) as Node | undefined;
    if (node === undefined) return undefined;
    return isCollection(node) || isScalar(node) ? node.toJSON() : node;
  }

  set(path: readonly string[], value: unknown): void {
    this.doc.setIn(path, this.doc.createNode(value));
    // A key added to a flow map would keep flow style; the new parts are written in block style.
    for (let i = 1; i < path.length; i++) {
      const parent = this.doc.getIn(path.slice(0, i), true);
      if (isMap(parent) && parent.flow) parent.flow = false;
    }
  }

  toJS(): unknown {
    return this.doc.toJS(TOJS_OPTIONS);
  }

  /**
   * Written as the function emits it: block style, no line folding. A comment before a sequence
   * item stays above its `-`, where kpt (kyaml) expects it: moving it onto the item's first key made
   * kpt add the original back on every render (checked with kpt 1.0.0-beta.56, test/tools/kpt.test.ts).
   */
  toString(indentSeq: boolean): string {
    return this.doc.toString({ lineWidth: 0, indentSeq });
  }
}

/** transform()'s reader for any YAML. */
export const yamlReader: Reader = {
  compose(item) {
    const doc = composeItem(item);
    return { doc: new YamlDoc(doc), plain: toPlain(doc, { what: describe(item), line: item.source?.line }) };
  },
  plain: (item) => toPlain(composeItem(item), { what: describe(item) }),
};

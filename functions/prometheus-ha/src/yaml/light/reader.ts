/**
 * The light reader: items and streams of plain block YAML read with light.ts, as the yaml path
 * (../source.ts) reads them, behind the same Reader contract (core/edit.ts). It throws Unsupported
 * (or returns undefined) where it does not apply; the caller then runs the yaml path on the same
 * text. This folder is the whole yaml-free path of issue 7: commands/fast.ts runs the KRM function
 * and the legacy plugin on it, entry/light-main.ts is its bundle's entry.
 */
import type { Reader } from '../../core/edit.js';
import { checkText, describe, FULL_VALIDATION_BYTES, metaFromLines, scanResourceList, type Input, type Item } from '../items.js';
import { LightDoc, lightParse, Unsupported } from './light.js';

export const parse = (text: string, what: string): LightDoc => {
  // Like the input, a config file over this size is the yaml path's (light.ts finds keys by scanning).
  if (text.length > FULL_VALIDATION_BYTES) throw new Unsupported(`${what}: larger than ${FULL_VALIDATION_BYTES} bytes`);
  const doc = lightParse(text);
  if (!doc) throw new Unsupported(`${what}: not plain block YAML`);
  return doc;
};

/**
 * One item of the input at [start, end), read as yaml's path reads it (source.ts, itemFromText):
 * its metadata from its lines, and composed (yaml's path composes every item of a small input to
 * validate it). A Prometheus the light printer could not write gives up now, not after the whole
 * transform.
 */
function lightItem(text: string, start: number, end: number, indent: number, line: number, what: string): Item {
  const source = { text: text.slice(start, end), indent, line, start, end };
  const meta = metaFromLines(text, start, end, indent);
  if (!meta) throw new Unsupported(`${what}: metadata not read from its lines`);
  const doc = parse(' '.repeat(indent) + source.text, what);
  if (!doc.printable && meta.kind === 'Prometheus') throw new Unsupported(`${what}: not printable`);
  return { meta, source, doc };
}

/**
 * Reads a ResourceList with the light reader, as source.ts's readResourceList would with yaml:
 * undefined when it does not apply (then it is yaml's to read, and to word any error).
 */
export function readLight(text: string): Input | undefined {
  // Bigger inputs are read by their lines only (source.ts), not composed: nothing to save there.
  if (text.length > FULL_VALIDATION_BYTES) return undefined;
  try {
    checkText(text);
    return scanResourceList(text, {
      item: (t, start, end, indent, line, index) => lightItem(t, start, end, indent, line, `items[${index}]`),
      root: (skeleton) => parse(skeleton, 'ResourceList').toJS(),
    });
  } catch {
    // Unsupported, or an InputError that the yaml path will word (an empty input, say).
    return undefined;
  }
}

/** An item's document: the one read with the input, handed over once (the caller may change it). */
function take(item: Item): LightDoc {
  const s = item.source;
  if (!s) throw new Error('light reader: an injected item has no source');
  const ready = item.doc;
  item.doc = undefined;
  return ready instanceof LightDoc ? ready : parse(' '.repeat(s.indent) + s.text, describe(item));
}

export const lightReader: Reader = {
  compose(item) {
    const doc = take(item);
    return { doc, plain: doc.toJS() };
  },
  plain: (item) => take(item).toJS(),
};

/**
 * A YAML stream as kustomize hands it to a legacy plugin (documents separated by `---` lines, no
 * comments or blank lines: kustomize writes none), read as source.ts's readStream would: each
 * document's lines are an item, its metadata read from its lines.
 */
export function readLightStream(text: string): Input {
  if (text.length > FULL_VALIDATION_BYTES || text.trim() === '') throw new Unsupported('stream size');
  checkText(text);
  const items: Item[] = [];
  let start = 0;
  let line = 1;
  let docStart = -1;
  let docLine = 0;
  const finish = (end: number) => {
    items.push(lightItem(text, docStart, end, 0, docLine, `document ${items.length + 1}`));
    docStart = -1;
  };
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl + 1;
    const lineText = text.slice(start, nl === -1 ? end : nl);
    if (lineText === '---') {
      if (docStart >= 0) finish(start);
      else if (start > 0) throw new Unsupported(`line ${line}: an empty document`);
    } else if (/^ *(#|$)/.test(lineText)) {
      throw new Unsupported(`line ${line}: a blank or comment line`);
    } else if (docStart < 0) {
      // A document starts at column 0 with a key (not indented, not a sequence).
      if (/^[ -]/.test(lineText)) throw new Unsupported(`line ${line}: not a map at column 0`);
      docStart = start;
      docLine = line;
    }
    start = end;
    line++;
  }
  if (docStart < 0) throw new Unsupported('a stream ending in an empty document');
  finish(text.length);
  return { mode: 'stream', text, items };
}

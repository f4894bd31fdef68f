/**
 * An item of the function's input, as every layer sees it: its metadata (read from its lines or
 * composed), where its text came from, and what the function did to it; the input around the items
 * (ResourceList or stream); the orchestrators' annotations; and the error of an input that cannot be
 * read. Readers (yaml/) make these, the core (transform.ts) changes them, the writers copy them out.
 */
import type { Result } from './results.js';

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
  /**
   * The source composed already (small inputs: composed to validate them), for composeItem() once:
   * a yaml Document (source.ts) or a LightDoc (light.ts), for the reader that made it.
   */
  doc?: unknown;
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

/**
 * A copy of an item with its new text, or marked removed. Named, not spread: an item read from its
 * lines (yaml/items.ts, LineItems) has its metadata and source behind getters, which a spread
 * does not copy.
 */
export const withChange = (item: Item, change: { text?: string; removed?: boolean }): Item => ({ meta: item.meta, source: item.source, ...change });

export function describe(item: Item): string {
  const m = item.meta;
  return `${m.kind ?? 'item'} ${m.namespace ? m.namespace + '/' : ''}${m.name ?? ''}`.trim();
}

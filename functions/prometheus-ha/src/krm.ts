/**
 * The KRM function's run on a ResourceList that has been read (by source.ts with the yaml package,
 * or by light.ts on the common path): config, transform, the ResourceList written back. Imports
 * nothing of the yaml package (issue 7).
 */
import { toYaml } from './emit.js';
import { readConfig, type Config } from './config.js';
import type { Reader } from './edit.js';
import { InputError, isMap, writeResourceListParts, type Input, type Item } from './items.js';
import { formatResult, hasError, type Result } from './results.js';
import type { Outcome } from './run.js';
import { transform } from './transform.js';

/** Errors and warnings, one line each, for stderr (kpt and kustomize show it). */
export const problems = (results: Result[], prefix = ''): string => results.filter((r) => r.severity !== 'info').map((r) => `${prefix}${formatResult(r)}\n`).join('');

const resultsYaml = (results: Result[]): string => (results.length ? toYaml({ results }) : '');

export function emptyList(results: Result[]): string {
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n${resultsYaml(results)}`;
}

function configFromFunctionConfig(input: Input, plainText?: (text: string, where: { what: string; line: number }) => unknown): { config?: Config; results: Result[] } {
  const fc = input.functionConfig;
  if (!fc) return readConfig(undefined);
  const raw = 'value' in fc ? fc.value : plainText!(' '.repeat(fc.indent) + fc.text, { what: 'functionConfig', line: fc.line });
  const ann = isMap(raw) && isMap(raw.metadata) && isMap(raw.metadata.annotations) ? raw.metadata.annotations : {};
  const file = (ann['internal.config.kubernetes.io/path'] ?? ann['config.kubernetes.io/path']) as string | undefined;
  return readConfig(raw === null ? undefined : raw, { file });
}

/**
 * The KRM function on an Input read already: config, transform, the ResourceList written back.
 * `reader` is transform()'s; `plainText` reads a functionConfig the reader of the input did not
 * (the general reader's).
 */
export function krmOn(input: Input, reader: Reader, plainText?: (text: string, where: { what: string; line: number }) => unknown): Outcome {
  let cfg;
  try {
    cfg = configFromFunctionConfig(input, plainText);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    cfg = { results: [e.result] };
  }
  let items = input.items;
  let removed: Item[] = [];
  const results = [...cfg.results];
  if (cfg.config) {
    const t = transform(input.items, cfg.config, reader);
    results.push(...t.results);
    if (!hasError(t.results)) ({ items, removed = [] } = t);
  }
  const failed = hasError(results);
  // Items that are not valid YAML cannot be echoed as a valid ResourceList: give none (exit 1 anyway).
  if (results.some((r) => r.tags?.code === 'INPUT_YAML')) return { stdout: emptyList(results), stderr: problems(results), code: 1 };
  const parts = writeResourceListParts(input, failed ? input.items : items, resultsYaml(results), failed ? [] : removed);
  return inParts(parts, problems(results), failed ? 1 : 0);
}

/** An outcome whose stdout is kept in pieces until someone reads it whole (main does not). */
export function inParts(parts: readonly string[], stderr: string, code: number): Outcome {
  return {
    get stdout() {
      return parts.join('');
    },
    stdoutParts: parts,
    stderr,
    code,
  };
}

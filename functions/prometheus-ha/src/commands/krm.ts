/**
 * The runs of the KRM function (krmOn) and of the kustomize legacy plugin (legacyWith) once a
 * reader is chosen: the yaml package's (run.ts, source.ts) or the light one (fast.ts, light.ts) on
 * the common path. Config, transform, the output written back. Imports nothing of the yaml package
 * (issue 7).
 */
import { toYaml } from '../core/emit.js';
import { readConfig, type Config } from '../core/config.js';
import type { Reader } from '../core/edit.js';
import { readUserText } from './files.js';
import { InputError, isMap, writeResourceListParts, writeStreamParts, type Input, type Item } from '../yaml/items.js';
import { formatResult, hasError, type Result } from '../core/results.js';
import type { IO, Outcome } from './io.js';
import { transform } from '../core/transform.js';

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
 * After a run, a refusal when the output would not load (source.ts aliasesKept: an alias whose
 * anchor was on what the function rewrote or removed), given the items rewritten or removed and
 * the items written, in order; the yaml path's, the light one reads no anchors.
 */
export type OutputCheck = (input: Input, changed: Item[], written: Item[]) => Result | undefined;

/**
 * The KRM function on an Input read already: config, transform, the ResourceList written back.
 * `reader` is transform()'s; `plainText` reads a functionConfig the reader of the input did not
 * (the general reader's).
 */
export function krmOn(input: Input, reader: Reader, plainText?: (text: string, where: { what: string; line: number }) => unknown, check?: OutputCheck): Outcome {
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
    let t;
    try {
      t = transform(input.items, cfg.config, reader);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      t = { items: input.items, results: [e.result] };
    }
    results.push(...t.results);
    if (!hasError(t.results)) ({ items, removed = [] } = t);
  }
  let failed = hasError(results);
  // Items that are not valid YAML cannot be echoed as a valid ResourceList: give none (exit 1 anyway).
  if (results.some((r) => r.tags?.code === 'INPUT_YAML')) return { stdout: emptyList(results), stderr: problems(results), code: 1 };
  let parts = writeResourceListParts(input, failed ? input.items : items, resultsYaml(results), failed ? [] : removed);
  const lost = failed || !check ? undefined : check(input, [...items.filter((it) => it.text !== undefined && it.source), ...removed], items);
  if (lost) {
    failed = true;
    results.splice(0, results.length, ...results.filter((r) => r.severity !== 'info'), lost);
    parts = writeResourceListParts(input, input.items, resultsYaml(results));
  }
  return inParts(parts, problems(results), failed ? 1 : 0);
}

/** PROMETHEUS_HA_LIGHT=report: says first on stderr whether the light reader (fast.ts) answered. */
export function reportLight(out: Outcome, used: boolean, env: Record<string, string | undefined>): Outcome {
  if (env.PROMETHEUS_HA_LIGHT === 'report') out.stderr = `prometheus-ha: light reader ${used ? 'used' : 'not used'}\n${out.stderr}`;
  return out;
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

/** How a legacy-plugin run reads its config file and its stream: with the yaml package or the light reader. */
export interface StreamSyntax {
  config(text: string, path: string): unknown;
  stream(text: string): Input;
  reader: Reader;
}

/**
 * The kustomize legacy exec plugin (config file path, YAML stream on stdin): config, transform, the
 * stream written back; errors on stderr, exit 1. `stdinText` decodes stdin once (both readers may
 * ask for it: the yaml one after the light one gave up).
 */
export function legacyWith(configPath: string, io: Pick<IO, 'env'>, stdinText: () => string, syntax: StreamSyntax): Outcome {
  const errOut = (results: Result[]): Outcome => ({ stdout: '', stderr: problems(results, 'prometheus-ha: '), code: 1 });
  try {
    const raw = syntax.config(readUserText(configPath, 'config file'), configPath);
    const c = readConfig(raw, { file: configPath });
    if (!c.config) return errOut(c.results);
    const input = syntax.stream(stdinText());
    const t = transform(input.items, c.config, syntax.reader);
    if (hasError(t.results)) return errOut(t.results);
    const verbose = io.env.PROMETHEUS_HA_VERBOSE === '1';
    const stderr = t.results.filter((r) => verbose || r.severity !== 'info').map((r) => `prometheus-ha: ${formatResult(r)}\n`).join('');
    return inParts(writeStreamParts(input, t.items, t.removed), stderr, 0);
  } catch (e) {
    if (e instanceof InputError) return errOut([e.result]);
    throw e;
  }
}

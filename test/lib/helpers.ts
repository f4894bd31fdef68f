import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { isCommand } from '../../functions/prometheus-ha/src/commands/names.js';
import { run, type Outcome } from '../../functions/prometheus-ha/src/commands/run.js';
import { compactItems } from '../../functions/prometheus-ha/src/yaml/items.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = `${ROOT}dist/prometheus-ha.cjs`;
export const read = (p: string): string => readFileSync(ROOT + p, 'utf8');

/** How many KRM runs of fn() the light reader (fast.ts) answered, and how many in all. */
export const lightRuns = { used: 0, all: 0 };

/**
 * Runs the function in-process (same code as the binary, without the spawn cost). A KRM run (no
 * arguments) or a legacy-plugin run (a config file) runs twice, with the light reader (fast.ts) and
 * with it off, and must give the same stdout, stderr and exit code: every such test checks that the
 * common path without the yaml package answers as the yaml path does (the yaml path with its
 * compact items, as it reads big inputs).
 */
export async function fn(stdin: string | Buffer, argv: string[] = [], env: Record<string, string> = {}): Promise<Outcome> {
  const once = (e: Record<string, string>) => run(argv, { stdin: Buffer.from(stdin), env: e });
  const legacy = argv.length === 1 && !argv[0]!.startsWith('-') && !isCommand(argv[0]!) && existsSync(argv[0]!);
  if ((argv.length && !legacy) || env.PROMETHEUS_HA_LIGHT) return once(env);
  const light = await once({ ...env, PROMETHEUS_HA_LIGHT: 'report' });
  // The yaml path keeps the items it reads from their lines compactly (yaml/items.ts, LineItems)
  // from 4 MB of input on: here always, so that every test checks that way too against the light reader.
  const minBytes = compactItems.minBytes;
  compactItems.minBytes = 0;
  let yaml: Outcome;
  try {
    yaml = await once({ ...env, PROMETHEUS_HA_LIGHT: 'off' });
  } finally {
    compactItems.minBytes = minBytes;
  }
  const note = /^prometheus-ha: light reader (used|not used)\n/.exec(light.stderr);
  if (!note) throw new Error(`fn: no light reader report on stderr:\n${light.stderr}`);
  lightRuns.all++;
  if (note[1] === 'used') lightRuns.used++;
  const same = { stdout: light.stdout, stderr: light.stderr.slice(note[0].length), code: light.code };
  if (same.code !== yaml.code || same.stderr !== yaml.stderr || same.stdout !== yaml.stdout) {
    throw new Error(`fn: the light reader (${note[1]}) and the yaml path disagree:\n--- light: exit ${same.code}\n${same.stderr}${same.stdout}\n--- yaml: exit ${yaml.code}\n${yaml.stderr}${yaml.stdout}`);
  }
  return yaml;
}

/** Runs the built binary, as kpt and kustomize do. */
export function bin(args: string[], stdin: string | Buffer, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin, cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** A ResourceList of the given YAML items (each a document text) and config text. */
export { resourceList } from '../../scripts/resource-list.mjs';

export const docs = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
/** What the YAML composer reads from a text (duplicate keys refused), or undefined when it refuses it. */
export function composeOrUndefined(text: string): any {
  try {
    return parse(text, { uniqueKeys: true });
  } catch {
    return undefined;
  }
}
export const rl = (text: string): { items: any[]; results?: any[] } => parse(text);
export const find = (objs: any[], kind: string, name?: string) => objs.filter((o) => o?.kind === kind && (!name || o.metadata?.name === name));

export const SEED_BASE = read('kustomize/seed/prometheus.yaml');
export const SEED_CONFIG = read('kustomize/seed/prometheus-ha.yaml');
export const DEFAULT_CONFIG = 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\n';
/** The seed base as separate document texts. */
export const SEED_ITEMS = SEED_BASE.split(/^---\n/m).filter((d) => d.trim());

/** The golden cases: directories of test/golden/ with an input.yaml. */
export const goldenCases = (): string[] => readdirSync(`${ROOT}test/golden/`).filter((d) => existsSync(`${ROOT}test/golden/${d}/input.yaml`)).sort();

/** A golden input.yaml (a ResourceList without functionConfig) with config.yaml added as its functionConfig. */
export function withConfig(input: string, config: string | undefined): string {
  if (config === undefined) return input;
  return `${input.trimEnd()}\nfunctionConfig:\n${config.trimEnd().split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')}\n`;
}

/** The output without its results: what a second run must reproduce exactly. */
export const withoutResults = (out: string): string => out.replace(/^results:\n(?:[ -].*\n?)*/m, '');

/**
 * How many cases a property test draws: PROPERTY_RUNS=N for a longer run; `npm run test:unit`
 * (PROPERTY_QUICK=1, the quick loop) a tenth of `n`; `npm test` (CI) all of it.
 */
export function propertyCount(n: number): number {
  const scale = Number(process.env.PROPERTY_RUNS ?? 0);
  return scale || (process.env.PROPERTY_QUICK === '1' ? Math.ceil(n / 10) : n);
}

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { run, type Outcome } from '../functions/prometheus-ha/src/run.js';

export const ROOT = new URL('..', import.meta.url).pathname;
export const BIN = `${ROOT}dist/prometheus-ha.cjs`;
export const read = (p: string): string => readFileSync(ROOT + p, 'utf8');

/** Runs the function in-process (same code as the binary, without the spawn cost). */
export function fn(stdin: string | Buffer, argv: string[] = [], env: Record<string, string> = {}): Promise<Outcome> {
  return run(argv, { stdin: Buffer.from(stdin), readFile: (p) => readFileSync(p), env });
}

/** Runs the built binary, as kpt and kustomize do. */
export function bin(args: string[], stdin: string | Buffer, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin, cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** A ResourceList of the given YAML items (each a document text) and config text. */
export { resourceList } from '../scripts/resource-list.mjs';

export const docs = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null);
export const rl = (text: string): { items: any[]; results?: any[] } => parse(text);
export const find = (objs: any[], kind: string, name?: string) => objs.filter((o) => o?.kind === kind && (!name || o.metadata?.name === name));

export const SEED_BASE = read('kustomize/seed/prometheus.yaml');
export const SEED_CONFIG = read('kustomize/seed/prometheus-ha.yaml');
export const DEFAULT_CONFIG = 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\n';
/** The seed base as separate document texts. */
export const SEED_ITEMS = SEED_BASE.split(/^---\n/m).filter((d) => d.trim());

/** The golden cases: directories of test/golden/ with an input.yaml. */
export const goldenCases = (): string[] => readdirSync(`${ROOT}test/golden/`).filter((d) => existsSync(`${ROOT}test/golden/${d}/input.yaml`)).sort();

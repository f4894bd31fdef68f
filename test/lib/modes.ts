/**
 * Shared by the tests that run prometheus-ha through the real tools (kustomize.test.ts,
 * kpt.test.ts): what a highly available output must contain, and small process/file helpers.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { docs, find, ROOT } from './helpers.js';

/**
 * The real tools (test/lib/tools.mjs). Imported by a non-literal specifier so that the typecheck does
 * not depend on whether tools.mjs has a declaration file.
 */
const TOOLS_MODULE: string = './tools.mjs';
export const TOOLS = ((await import(TOOLS_MODULE)) as { tools: () => Record<string, string | undefined> }).tools();

const schema = JSON.parse(readFileSync(join(ROOT, 'schema/prometheus-ha.schema.json'), 'utf8'));
/**
 * The default Thanos version: Query's schema default, which the sidecar also gets when neither the
 * config nor the Prometheus names one (thanos.version has no schema default: it yields to the base).
 */
export const THANOS_DEFAULT: string = schema.properties.query.properties.version.default;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real tool; never throws, so a test can look at a failing exit. */
export function sh(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 28 });
  if (r.error) return { code: -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}\n${r.error.message}` };
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const show = (r: Run): string => `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 4000)}`;

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), `prometheus-ha-${prefix}-`));

/** What the build writes to dist/, and all the bin needs (the image copies exactly this). */
export const DIST_FILES = ['prometheus-ha.cjs', 'prometheus-ha.bundle.cjs', 'prometheus-ha.bundle.cjs.cache', 'prometheus-ha.light.cjs', 'prometheus-ha.light.cjs.cache'];

/** A copy of dist/ in a new directory (no node_modules beside it); returns that directory. */
export function copyDist(prefix: string): string {
  const dir = tmp(prefix);
  for (const f of DIST_FILES) copyFileSync(join(ROOT, 'dist', f), join(dir, f));
  return dir;
}

/** Copies a repository path into a fresh temp dir; returns the copy's path. */
export function copyToTmp(repoPath: string, prefix: string): string {
  const dir = join(tmp(prefix), repoPath.split('/').pop()!);
  cpSync(join(ROOT, repoPath), dir, { recursive: true });
  return dir;
}

/** Every file under dir (relative path -> content), for before/after comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** All objects of all YAML files under dir. */
export function objectsIn(dir: string): any[] {
  return Object.entries(snapshot(dir))
    .filter(([p]) => /\.ya?ml$/.test(p) || p.endsWith('Kptfile'))
    .flatMap(([, text]) => docs(text));
}

export interface Want {
  replicas: number;
  externalLabels: Record<string, string>;
  namespace?: string;
}

/**
 * The output is the tutorial's Prometheus made highly available: HA fields on the Prometheus,
 * the Query Deployment and the store-API Service exactly once.
 */
export function assertHighlyAvailable(objs: any[], want: Want): void {
  const ns = want.namespace ?? 'prometheus';
  const proms = find(objs, 'Prometheus');
  assert.is(proms.length, 1, `one Prometheus, found ${proms.length}`);
  const spec = proms[0].spec;
  assert.is(spec.replicas, want.replicas, 'spec.replicas');
  const anti = spec.affinity?.podAntiAffinity;
  assert.ok(anti, 'spec.affinity.podAntiAffinity is set');
  const terms = [...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm), ...(anti.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
  assert.ok(terms.length >= 1 && terms.every((t: any) => t.topologyKey && t.labelSelector), 'podAntiAffinity has a term with topologyKey and labelSelector');
  assert.is(spec.thanos?.image, `quay.io/thanos/thanos:${THANOS_DEFAULT}`, 'spec.thanos.image');
  assert.is(spec.thanos?.version, THANOS_DEFAULT, 'spec.thanos.version');
  assert.is(spec.podMetadata?.labels?.['thanos-store-api'], 'true', 'store label in spec.podMetadata.labels');
  assert.is(spec.podMetadata?.labels?.app, 'prometheus', "the Prometheus's own pod label is kept");
  for (const [k, v] of Object.entries(want.externalLabels)) assert.is(spec.externalLabels?.[k], v, `spec.externalLabels.${k}`);

  const query = find(objs, 'Deployment', 'thanos-query');
  assert.is(query.length, 1, `one thanos-query Deployment, found ${query.length}`);
  assert.is(query[0].metadata.namespace, ns);
  const args: string[] = query[0].spec.template.spec.containers[0].args;
  assert.ok(args.includes(`--endpoint=dnssrv+_grpc._tcp.thanos-store-api.${ns}.svc.cluster.local`), `Query discovers the sidecars: ${args.join(' ')}`);
  assert.ok(args.some((a) => a.startsWith('--query.replica-label=')), 'Query deduplicates by a replica label');

  const store = find(objs, 'Service', 'thanos-store-api');
  assert.is(store.length, 1, `one thanos-store-api Service, found ${store.length}`);
  assert.is(store[0].spec.clusterIP, 'None', 'the store-API Service is headless');
  assert.equal(store[0].spec.selector, { 'thanos-store-api': 'true' });
}

/** ServiceAccount, ClusterRole and ClusterRoleBinding come out as they went in. */
export function assertUnrelatedUnchanged(objs: any[], base: any[]): void {
  for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']) {
    const want = find(base, kind);
    assert.is(want.length, 1, `the base has one ${kind}`);
    assert.equal(find(objs, kind), want, `${kind} unchanged`);
  }
}

/** No orchestrator-internal annotation leaks into a rendered output. */
export function assertNoInternalAnnotations(objs: any[]): void {
  for (const o of objs) {
    const keys = Object.keys(o?.metadata?.annotations ?? {}).filter((k) => k.startsWith('internal.config.kubernetes.io/') || k.startsWith('config.k8s.io/'));
    assert.equal(keys, [], `${o.kind}/${o.metadata?.name} has internal annotations`);
  }
}

/**
 * Collects a tool's tests, then registers them only when the tool is present; otherwise says
 * loudly how many did not run (they are not counted as passed).
 */
export function toolTests(tool: string, path: string | undefined, register: (name: string, fn: () => void | Promise<void>) => void, what = tool) {
  const list: [string, () => void | Promise<void>][] = [];
  return {
    add(name: string, fn: () => void | Promise<void>) {
      list.push([name, fn]);
    },
    done() {
      if (path) for (const [name, fn] of list) register(name, fn);
      else console.log(`\n!!! ${tool} not found: ${list.length} ${what} tests not run\n`);
    },
  };
}

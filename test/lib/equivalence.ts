/**
 * What "the chart renders the same manifests as the function" means, in one place.
 *
 * Both outputs are parsed into objects and compared as SETS keyed by apiVersion/kind/namespace/name,
 * each pair with deep equality (key order ignored, list order kept, types kept: 2 is not "2").
 * Before comparing, and on both sides alike:
 *  - objects with a `helm.sh/hook` annotation are dropped (the `helm test` Pod: Helm-only);
 *  - the Helm-only labels are dropped: `helm.sh/chart` (any value) and
 *    `app.kubernetes.io/managed-by` when its value is `Helm`;
 *  - the orchestrator annotations `config.kubernetes.io/*` and `internal.config.kubernetes.io/*`
 *    (kpt/kustomize bookkeeping) are dropped;
 *  - a metadata.labels or metadata.annotations map left empty by that is dropped.
 * Nothing else is normalised. An object present twice under one key on either side is a difference.
 */
import { parseAllDocuments, stringify } from 'yaml';
import { namespacePaths } from '../../functions/prometheus-ha/src/chart/build.js';

export const HELM_ONLY_LABELS: Record<string, string | undefined> = { 'helm.sh/chart': undefined, 'app.kubernetes.io/managed-by': 'Helm' };
export const ORCHESTRATOR_ANNOTATION = /^(internal\.)?config\.kubernetes\.io\//;
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';

type Obj = Record<string, any>;
const isMap = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function parseManifests(text: string): Obj[] {
  const docs = parseAllDocuments(text);
  const out: Obj[] = [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`not YAML: ${d.errors[0]!.message}`);
    const v = d.toJS();
    if (v === null || v === undefined) continue;
    if (!isMap(v)) throw new Error(`a document is not an object: ${JSON.stringify(v).slice(0, 200)}`);
    out.push(v);
  }
  return out;
}

export const keyOf = (o: Obj): string => `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** One object with the Helm-only and orchestrator parts taken out (a copy). */
export function normalise(o: Obj): Obj {
  const c = structuredClone(o);
  const md = c.metadata;
  if (isMap(md)) {
    if (isMap(md.labels)) {
      for (const [k, want] of Object.entries(HELM_ONLY_LABELS)) if (k in md.labels && (want === undefined || md.labels[k] === want)) delete md.labels[k];
      if (!Object.keys(md.labels).length) delete md.labels;
    }
    if (isMap(md.annotations)) {
      for (const k of Object.keys(md.annotations)) if (ORCHESTRATOR_ANNOTATION.test(k)) delete md.annotations[k];
      if (!Object.keys(md.annotations).length) delete md.annotations;
    }
  }
  return c;
}

const isHook = (o: Obj): boolean => isMap(o.metadata?.annotations) && HELM_HOOK_ANNOTATION in o.metadata.annotations;

function keyed(objs: Obj[], side: string, problems: string[]): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const o of objs) {
    if (isHook(o)) continue;
    const k = keyOf(o);
    if (m.has(k)) problems.push(`${side} has ${k} twice`);
    m.set(k, normalise(o));
  }
  return m;
}

/** The first place two values differ, as a path, or undefined when they are equal. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | undefined {
  if (a === b) return undefined;
  // A plain scalar such as 415e83600 or .68E702 overflows a float64: Go's YAML (go-yaml's resolve,
  // which Helm writes and the API server reads with) then takes it as the string it is, and Helm
  // leaves it unquoted; the yaml package (YAML 1.2) reads it as Infinity. The same string, then.
  if (typeof a === 'string' && typeof b === 'number' && !Number.isFinite(b) && !Number.isFinite(Number(a.replace(/^\./, '0.'))) && /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)$/.test(a)) return undefined;
  const show = (x: unknown) => (x === undefined ? '(absent)' : JSON.stringify(x));
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path || '.'}: list of ${a.length} vs ${b.length}: ${show(a)} vs ${show(b)}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isMap(a) && isMap(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${path || '.'}: ${show(a)} vs ${show(b)}`;
}

/** The differences between the function's output and Helm's (empty: the same). */
export function differences(functionText: string, helmText: string): string[] {
  const problems: string[] = [];
  const f = keyed(parseManifests(functionText), 'the function', problems);
  const h = keyed(parseManifests(helmText), 'helm', problems);
  for (const [k, o] of f) {
    const other = h.get(k);
    if (!other) problems.push(`only the function emits ${k}`);
    else {
      const d = firstDifference(o, other);
      if (d) problems.push(`${k} differs at ${d} (function vs helm)`);
    }
  }
  for (const k of h.keys()) if (!f.has(k)) problems.push(`only helm emits ${k}`);
  return problems;
}

/**
 * A base with the target Prometheus's namespace moved to `ns`, as installing the chart with
 * `-n ns` moves it: the fields chart/build.ts namespacePaths names (metadata.namespace of the
 * objects there, the ServiceAccount subjects of bindings).
 */
export function withNamespace(baseText: string, ns: string): string {
  const objs = parseManifests(baseText);
  const prom = objs.find((o) => o.kind === 'Prometheus');
  const from = prom?.metadata?.namespace ?? 'default';
  for (const o of objs) {
    for (const path of namespacePaths(o, from)) {
      let cur: any = o;
      for (const seg of path.slice(0, -1)) cur = cur[seg];
      cur[path[path.length - 1]!] = ns;
    }
  }
  return objs.map((o) => stringify(o)).join('---\n');
}

/**
 * What the base Prometheus already decides, as facts the model reads with `$fact` (expr.ts): the
 * value a config default yields to (issue 14, "respect the base"), and the podAntiAffinity terms
 * that already spread this Prometheus's replicas (adopted, not refused). Facts depend only on the
 * base and the target's name, so the chart generator folds them into literals; what depends on the
 * release namespace is written as `...@namespace` entries the model compares with `$t: namespace`.
 */
import { parseImage, parseVersion, sameVersion, SIDECAR_MIN_VERSION, versionLess } from './checks.js';
import { AFFINITY_MARK, MANAGED_BY, SIDECAR_RESOURCES, THANOS_IMAGE, THANOS_VERSION } from './model.js';
import { copyOf, isMap } from './util.js';

type Obj = Record<string, unknown>;

/** prometheus-operator v0.93 pkg/operator/defaults.go: DefaultThanosVersion (used when spec.thanos.version is unset). */
export const OPERATOR_THANOS_VERSION = 'v0.42.2';
/** The replicas a config default asks for. */
export const DEFAULT_REPLICAS = 2;

export interface Finding {
  field: string;
  message: string;
}

export interface BaseFacts {
  /** spec.replicas when the config does not set replicas. */
  replicas: number;
  /** The sidecar repository (no tag or digest) the config's thanos.version is combined with. */
  'thanos.repository': string;
  /** The sidecar version the result runs when the config does not set thanos.version. */
  'thanos.version': string;
  /** spec.thanos.image / version to write when the config sets neither; null: leave the field as it is. */
  'thanos.imageField': string | null;
  'thanos.versionField': string | null;
  /** spec.thanos.resources when the config does not set thanos.resources. */
  'thanos.resources': Obj;
  /** `MODE TOPOLOGYKEY` (or `MODE TOPOLOGYKEY@NAMESPACE`) that the base podAntiAffinity already satisfies. */
  'antiAffinity.adoptable': string[];
  /** Base values replaced for a config default because they cannot work: one warning each. */
  replaced: Finding[];
  /** The podAntiAffinity terms, judged (for the kept / refused messages). */
  terms: Term[];
}

const specOf = (cr: unknown): Obj => (isMap(cr) && isMap(cr.spec) ? (cr.spec as Obj) : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);
const vnorm = (v: string): string => `v${parseVersion(v)!.join('.')}`;

// ---- pods and selectors ----

/**
 * The labels the operator (v0.93) puts on the pods of Prometheus `name`, shard `shard`: the
 * podMetadata labels, then the selector labels over them (test/fixtures/brownfield/NOTES.md (a)).
 */
export function operatorPodLabels(cr: unknown, name: string, shard = 0): Record<string, string> {
  const spec = specOf(cr);
  const own = isMap(spec.podMetadata) && isMap(spec.podMetadata.labels) ? spec.podMetadata.labels : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(own)) if (typeof v === 'string') out[k] = v;
  Object.assign(out, {
    'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': name,
    'operator.prometheus.io/name': name,
    prometheus: name,
    'operator.prometheus.io/shard': String(shard),
  });
  return out;
}

/**
 * Kubernetes LabelSelector semantics (apimachinery labels.SelectorFromSet / metav1.LabelSelectorAsSelector):
 * matchLabels AND matchExpressions; an empty selector selects everything; an operator it does not
 * know selects nothing.
 */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isMap(selector)) return false;
  const ml = isMap(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const e of exprs) {
    if (!isMap(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

// ---- podAntiAffinity terms ----

export interface Term {
  strength: 'required' | 'preferred';
  topologyKey: string;
  /** Selects the pods of every shard of this Prometheus. */
  selectsPods: boolean;
  /** undefined: any namespace (the pod's own, or all); else the namespaces it is restricted to. */
  namespaces?: string[];
  /** Why it does not count, when it does not. */
  why?: string;
}

/** The namespaces an affinity term looks in: undefined = the pod's own or all; [] = none we can name. */
function termNamespaces(term: Obj): string[] | undefined {
  const list = Array.isArray(term.namespaces) ? term.namespaces.filter((n): n is string => typeof n === 'string') : [];
  const sel = term.namespaceSelector;
  // k8s PodAffinityTerm: an empty namespaceSelector ({}) selects all namespaces; null with an
  // empty namespaces list means the pod's own namespace.
  if (isMap(sel) && Object.keys(sel).length === 0) return undefined;
  if (!isMap(sel) && list.length === 0) return undefined;
  const names = new Set(list);
  if (isMap(sel)) {
    // Only selectors on the label every namespace has (kubernetes.io/metadata.name) can be judged here.
    const key = 'kubernetes.io/metadata.name';
    const ml = isMap(sel.matchLabels) ? sel.matchLabels : {};
    const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
    const onlyName = Object.keys(ml).every((k) => k === key) && exprs.every((e) => isMap(e) && e.key === key && e.operator === 'In');
    if (onlyName) {
      const candidates = new Set<string>([...(typeof ml[key] === 'string' ? [ml[key] as string] : []), ...exprs.flatMap((e) => (isMap(e) && Array.isArray(e.values) ? e.values.map(String) : []))]);
      for (const n of candidates) if (selectorMatches(sel, { [key]: n })) names.add(n);
    }
  }
  return [...names];
}

/** The podAntiAffinity terms of a base Prometheus, judged against its own pods. */
export function antiAffinityTerms(cr: unknown, name: string): Term[] {
  const spec = specOf(cr);
  const paa = isMap(spec.affinity) && isMap(spec.affinity.podAntiAffinity) ? spec.affinity.podAntiAffinity : undefined;
  if (!paa) return [];
  const shards = typeof spec.shards === 'number' && spec.shards > 1 ? spec.shards : 1;
  const pods = Array.from({ length: shards }, (_, i) => operatorPodLabels(cr, name, i));
  const out: Term[] = [];
  const judge = (strength: Term['strength'], term: unknown) => {
    if (!isMap(term)) return;
    const topologyKey = typeof term.topologyKey === 'string' ? term.topologyKey : '';
    const namespaces = termNamespaces(term);
    let why: string | undefined;
    let selectsPods = pods.every((labels) => selectorMatches(term.labelSelector, labels));
    if (!selectsPods) why = `its labelSelector ${JSON.stringify(term.labelSelector ?? null)} does not select this Prometheus's pods (labels ${JSON.stringify(pods[0])})`;
    // mismatchLabelKeys leaves out pods with the same value: the replicas themselves.
    else if (Array.isArray(term.mismatchLabelKeys) && term.mismatchLabelKeys.length) [selectsPods, why] = [false, 'it has mismatchLabelKeys, which leave out pods like this one'];
    // matchLabelKeys on a per-pod label (StatefulSet pod name or index) selects each pod alone.
    else if (Array.isArray(term.matchLabelKeys) && term.matchLabelKeys.some((k) => k === 'statefulset.kubernetes.io/pod-name' || k === 'apps.kubernetes.io/pod-index')) {
      [selectsPods, why] = [false, 'its matchLabelKeys name a per-pod label, so each replica selects only itself'];
    } else if (namespaces && namespaces.length === 0) [selectsPods, why] = [false, 'its namespaces / namespaceSelector cannot be judged here'];
    if (!topologyKey && selectsPods) [selectsPods, why] = [false, 'it has no topologyKey'];
    out.push({ strength, topologyKey, selectsPods, ...(namespaces ? { namespaces } : {}), ...(why ? { why } : {}) });
  };
  if (Array.isArray(paa.requiredDuringSchedulingIgnoredDuringExecution)) for (const t of paa.requiredDuringSchedulingIgnoredDuringExecution) judge('required', t);
  if (Array.isArray(paa.preferredDuringSchedulingIgnoredDuringExecution)) {
    for (const w of paa.preferredDuringSchedulingIgnoredDuringExecution) if (isMap(w) && (typeof w.weight !== 'number' || w.weight > 0)) judge('preferred', w.podAffinityTerm);
  }
  return out;
}

/** Required satisfies soft and hard; preferred satisfies soft. */
const modesOf = (t: Term): string[] => (t.strength === 'required' ? ['soft', 'hard'] : ['soft']);

/** The `MODE KEY[@NAMESPACE]` entries a set of terms satisfies. */
function adoptable(terms: Term[]): string[] {
  const out = new Set<string>();
  for (const t of terms) {
    if (!t.selectsPods) continue;
    for (const m of modesOf(t)) {
      if (!t.namespaces) out.add(`${m} ${t.topologyKey}`);
      else for (const ns of t.namespaces) out.add(`${m} ${t.topologyKey}@${ns}`);
    }
  }
  return [...out].sort();
}

/** Whether the base podAntiAffinity is adopted for this mode, topologyKey and namespace (the model's test, in TypeScript). */
export function isAdopted(facts: BaseFacts, mode: string, topologyKey: string, namespace: string): boolean {
  const list = facts['antiAffinity.adoptable'];
  return list.includes(`${mode} ${topologyKey}`) || list.includes(`${mode} ${topologyKey}@${namespace}`);
}

/** Why the base podAntiAffinity is kept (info), for mode and topologyKey. */
export function keptWhy(facts: BaseFacts, mode: string, topologyKey: string, namespace: string): string {
  const t = facts.terms.find((x) => x.selectsPods && x.topologyKey === topologyKey && modesOf(x).includes(mode) && (!x.namespaces || x.namespaces.includes(namespace)))!;
  return `kept the Prometheus's own podAntiAffinity: its ${t.strength}DuringScheduling term on topologyKey ${topologyKey} selects every pod of this Prometheus, which spreads the replicas at least as strongly as antiAffinity.mode ${mode} asks`;
}

/** The configs the base podAntiAffinity satisfies, as a user writes them (for the refusal). */
export function workingConfigs(facts: BaseFacts, namespace: string): string[] {
  const out: string[] = [];
  for (const e of facts['antiAffinity.adoptable']) {
    const [mode, rest] = [e.slice(0, e.indexOf(' ')), e.slice(e.indexOf(' ') + 1)];
    const at = rest.lastIndexOf('@');
    if (at !== -1 && rest.slice(at + 1) !== namespace) continue;
    out.push(`antiAffinity: {mode: ${mode}, topologyKey: ${at === -1 ? rest : rest.slice(0, at)}}`);
  }
  return out;
}

/** Why the base podAntiAffinity does not satisfy mode/topologyKey (for the refusal). */
export function refusedWhy(facts: BaseFacts, mode: string, topologyKey: string, namespace: string): string {
  const reasons: string[] = [];
  for (const t of facts.terms) {
    const name = `its ${t.strength}DuringScheduling term`;
    if (!t.selectsPods) reasons.push(`${name}: ${t.why}`);
    else if (t.namespaces && !t.namespaces.includes(namespace)) reasons.push(`${name} looks for pods only in namespaces ${t.namespaces.join(', ')}, not ${namespace}`);
    else if (t.topologyKey !== topologyKey) reasons.push(`${name} spreads across ${t.topologyKey}, not ${topologyKey}`);
    else if (!modesOf(t).includes(mode)) reasons.push(`${name} (topologyKey ${t.topologyKey}) is preferred only, weaker than mode ${mode}`);
  }
  return reasons.join('; ') || 'it has no term';
}

// ---- the facts ----

/** The sidecar fields the config's defaults yield to, and the base values that cannot work. */
function thanosFacts(cr: unknown): Pick<BaseFacts, 'thanos.repository' | 'thanos.version' | 'thanos.imageField' | 'thanos.versionField'> & { replaced: Finding[] } {
  const spec = specOf(cr);
  const t: Obj = isMap(spec.thanos) ? spec.thanos : {};
  const replaced: Finding[] = [];
  const written = str(t.version);
  const image = str(t.image);
  // prometheus-operator pkg/operator/image.go BuildImagePath: a non-blank image as it is; else
  // baseImage (if it has a tag or digest), else baseImage@sha256:SHA, :TAG, :VERSION.
  const baseImage = str(t.baseImage) ?? THANOS_IMAGE;
  const running = image ?? baseImage;
  const ref = parseImage(running);
  const repository = ref?.repository ?? THANOS_IMAGE;
  const fresh = { 'thanos.repository': repository, 'thanos.version': THANOS_VERSION, 'thanos.imageField': `${repository}:${THANOS_VERSION}`, 'thanos.versionField': THANOS_VERSION };
  if (!image && !written && !str(t.tag) && !str(t.sha) && !(ref?.tag || ref?.digest)) return { ...fresh, replaced };
  // The version the image that runs names (undefined: a digest, or built from spec.thanos.version).
  let tagVersion: string | undefined;
  let digest = !!ref?.digest;
  if (image || ref?.tag || ref?.digest) tagVersion = ref?.tag && parseVersion(ref.tag) ? ref.tag : undefined;
  else if (str(t.sha)) digest = true;
  else if (str(t.tag)) tagVersion = parseVersion(t.tag) ? (t.tag as string) : undefined;
  else tagVersion = written;
  const flagsVersion = written ?? OPERATOR_THANOS_VERSION;
  const untagged = !!image && !ref?.tag && !ref?.digest;
  if (untagged) {
    // No tag: the runtime pulls :latest, whatever spec.thanos.version says.
    const v = written && parseVersion(written) && !versionLess(written, SIDECAR_MIN_VERSION) ? written : THANOS_VERSION;
    replaced.push({ field: 'spec.thanos.image', message: `the sidecar image ${image} has no tag, so it runs :latest whatever spec.thanos.version says: set to ${repository}:${v}` });
    return { 'thanos.repository': repository, 'thanos.version': v, 'thanos.imageField': `${repository}:${v}`, 'thanos.versionField': v, replaced };
  }
  let version = flagsVersion;
  let versionField: string | null = written ?? null;
  if (tagVersion && !sameVersion(tagVersion, flagsVersion)) {
    // The operator picks the sidecar's flags by spec.thanos.version (prometheus-operator #5223): follow the image that runs.
    version = vnorm(tagVersion);
    versionField = version;
    replaced.push({ field: 'spec.thanos.version', message: `the sidecar image tag ${tagVersion} disagrees with spec.thanos.version ${written ?? `(unset: the operator assumes ${OPERATOR_THANOS_VERSION})`}; the operator picks the sidecar's flags by version, so it is set from the image that runs: ${version}` });
  }
  if (!digest && parseVersion(version) && versionLess(version, SIDECAR_MIN_VERSION)) {
    replaced.length = 0;
    replaced.push({ field: 'spec.thanos.version', message: `the sidecar ${version} is below ${SIDECAR_MIN_VERSION}, the oldest the Prometheus Operator supports: replaced by ${repository}:${THANOS_VERSION}` });
    return { ...fresh, replaced };
  }
  return { 'thanos.repository': repository, 'thanos.version': version, 'thanos.imageField': null, 'thanos.versionField': versionField, replaced };
}

const cache = new WeakMap<object, Map<string, BaseFacts>>();

/** The facts of a base Prometheus (plain JS) for target `name`; computed once per base object. */
export function baseFacts(cr: unknown, name: string): BaseFacts {
  const key = isMap(cr) ? cr : undefined;
  const hit = key && cache.get(key)?.get(name);
  if (hit) return hit;
  const spec = specOf(cr);
  const replaced: Finding[] = [];
  let replicas = DEFAULT_REPLICAS;
  if (typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 2) replicas = spec.replicas;
  else if (typeof spec.replicas === 'number') replaced.push({ field: 'spec.replicas', message: `spec.replicas ${spec.replicas} is below 2: nothing to fail over to; set to ${DEFAULT_REPLICAS}` });
  const thanos = thanosFacts(cr);
  replaced.push(...thanos.replaced);
  const t = isMap(spec.thanos) ? spec.thanos : {};
  const resources = isMap(t.resources) && Object.keys(t.resources).length ? (t.resources as Obj) : structuredClone(SIDECAR_RESOURCES);
  const ours = isMap(cr) && isMap(cr.metadata) && isMap(cr.metadata.annotations) && cr.metadata.annotations[AFFINITY_MARK] === MANAGED_BY;
  const terms = ours ? [] : antiAffinityTerms(cr, name);
  const { replaced: _r, ...thanosValues } = thanos;
  const facts: BaseFacts = { replicas, ...thanosValues, 'thanos.resources': resources, 'antiAffinity.adoptable': adoptable(terms), replaced, terms };
  if (key) {
    if (!cache.has(key)) cache.set(key, new Map());
    cache.get(key)!.set(name, facts);
  }
  return facts;
}

/** One fact by name, for `$fact` (a copy: the caller may change it). */
export function baseFact(cr: unknown, name: string, fact: string): unknown {
  const facts = baseFacts(cr, name) as unknown as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(facts, fact)) throw new Error(`no base fact ${fact}`);
  return copyOf(facts[fact]);
}

/** The base values replaced for config defaults, for warnings: only those the config does not set itself. */
export function replacedBaseValues(facts: BaseFacts, config: { replicas?: unknown; thanos?: { image?: unknown; version?: unknown } }): Finding[] {
  return facts.replaced.filter((f) => (f.field === 'spec.replicas' ? config.replicas === undefined : !config.thanos?.image && !config.thanos?.version));
}

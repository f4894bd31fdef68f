/**
 * The pure core: transform(items, config) -> { items, results }.
 * Reads only the items it needs (Prometheus CRs, objects with the injected names); every other
 * item is returned untouched (its source text is copied by the writer).
 */
import { toYaml } from './emit.js';
import { checkPrometheus, componentName, containerArgv, type Endpoint, discoversEndpoints, extraArgsRefusals, flags, parseEndpoint, queryEndpoints, queryReplicaLabels, querySpeaksTls, queryToPrometheusFindings, selects, sidecarServesTls, sidecarFlagFindings, storeServiceFindings, thanosSubcommand, versionLess, SIDECAR_FLAG_HINT, SIDECAR_MIN_VERSION } from './checks.js';
import type { Config } from './config.js';
import { evaluate, isEmpty, OMIT, type Env } from './expr.js';
import { AFFINITY_MARK, antiAffinityAdopted, GRPC_PORT, HTTP_PORT, injected, MANAGED_BY, OPERATOR_DEFAULT_PROMETHEUS_LABEL, OPERATOR_DEFAULT_REPLICA_LABEL, prometheusPatch, queryEnabled, replicaLabels, TARGET_MARK } from './model.js';
import { baseFact, baseFacts, keptWhy, operatorPodLabels, refusedWhy, replacedBaseValues, selectorMatches, workingConfigs } from './base.js';
import { applyPatch, PatchError, type Change } from './patch.js';
import { result, type ResourceRef, type Result } from './results.js';
import { Unsupported, type EditDoc, type Reader } from './edit.js';
import { ANNOTATION_INDEX, ANNOTATION_PATH, InputError, LEGACY_INDEX, LEGACY_PATH, withChange, type Item } from './item.js';
import { deepEqual, isMap } from './util.js';

export interface TransformOutput {
  items: Item[];
  results: Result[];
  /** Items of the input that the function removed (its own objects, switched off since). */
  removed?: Item[];
}

/** The kind prometheus-ha changes: the Prometheus Operator serves Prometheus as monitoring.coreos.com/v1 only. */
export const isPrometheus = (it: Item): boolean => it.meta.kind === 'Prometheus' && it.meta.apiVersion === 'monitoring.coreos.com/v1';

/**
 * Why an item that looks like a target is not one: a Prometheus of another apiVersion, or a
 * PrometheusAgent (prometheus-operator v0.93 pkg/apis/monitoring/v1alpha1/prometheusagent_types.go:
 * agent mode has no rule evaluation, persistent storage or Thanos sidecar).
 */
export function unsupportedTarget(it: Item): string | undefined {
  const { kind, apiVersion } = it.meta;
  if (!(apiVersion ?? '').startsWith('monitoring.coreos.com/')) return undefined;
  if (kind === 'Prometheus' && apiVersion !== 'monitoring.coreos.com/v1') {
    return `Prometheus ${it.meta.namespace ?? '(no namespace)'}/${it.meta.name ?? '(no name)'} has apiVersion ${apiVersion}: the Prometheus Operator's CRD serves Prometheus as monitoring.coreos.com/v1 only, so the API server refuses this one; prometheus-ha changes only monitoring.coreos.com/v1`;
  }
  if (kind === 'PrometheusAgent') {
    return `PrometheusAgent ${it.meta.namespace ?? '(no namespace)'}/${it.meta.name ?? '(no name)'} has no Thanos sidecar (the operator's agent mode leaves out rule evaluation, local storage and the sidecar), so Thanos Query cannot read from it: prometheus-ha makes a monitoring.coreos.com/v1 Prometheus HA; an agent sends its samples with remote write (to a Thanos Receive, for one)`;
  }
  return undefined;
}

const refOf = (it: Item): ResourceRef => ({ apiVersion: it.meta.apiVersion, kind: it.meta.kind, name: it.meta.name, namespace: it.meta.namespace });
const fileOf = (it: Item) => {
  const path = it.meta.annotations[ANNOTATION_PATH] ?? it.meta.annotations[LEGACY_PATH];
  if (!path) return undefined;
  const index = Number(it.meta.annotations[ANNOTATION_INDEX] ?? it.meta.annotations[LEGACY_INDEX]);
  return Number.isInteger(index) ? { path, index } : { path };
};

/** Annotations that belong to the orchestrator (kpt, kustomize), kept on objects the function rewrites. */
const ORCHESTRATOR_ANNOTATION = /^(internal\.)?config\.kubernetes\.io\/|^config\.k8s\.io\/id$|^kustomize\.config\.k8s\.io\//;

/**
 * Whether a text indents block sequences under their key (`key:\n  - x`) rather than writing them
 * compact (`key:\n- x`, as kpt and kustomize do). The rewritten Prometheus keeps its own style.
 */
export function indentsSequences(text: string): boolean {
  const m = /^( *)[^\s#-][^\n]*:[ \t]*\n(\1 *)- /m.exec(text);
  return !!m && m[2]!.length > m[1]!.length;
}

/** Whether the Prometheus carries the mark of a podAntiAffinity the function wrote (model.ts, AFFINITY_MARK). */
export const affinityIsOurs = (cr: Record<string, unknown>): boolean =>
  isMap(cr.metadata) && isMap(cr.metadata.annotations) && cr.metadata.annotations[AFFINITY_MARK] === MANAGED_BY;

function selectTarget(items: Item[], config: Config): { target?: Item; results: Result[] } {
  const all = items.filter(isPrometheus);
  const want = config.target ?? {};
  const found = all.map((p) => `${p.meta.namespace ?? '(no namespace)'}/${p.meta.name ?? '(no name)'}`).join(', ') || 'none';
  const matches = all.filter((p) => (!want.name || p.meta.name === want.name) && (!want.namespace || p.meta.namespace === want.namespace));
  if (matches.length === 1) return { target: matches[0], results: [] };
  const wanted = want.name || want.namespace ? ` matching target ${want.namespace ?? '*'}/${want.name ?? '*'}` : '';
  if (matches.length === 0) {
    // A look-alike that matches the target: say why it is not one.
    const unsupported = items.filter((p) => unsupportedTarget(p) && (!want.name || p.meta.name === want.name) && (!want.namespace || p.meta.namespace === want.namespace));
    if (unsupported.length) return { results: unsupported.map((p) => result('TARGET_UNSUPPORTED', unsupportedTarget(p)!, { ref: refOf(p), file: fileOf(p), field: p.meta.kind === 'Prometheus' ? 'apiVersion' : 'kind' })) };
    return { results: [result('TARGET_NOT_FOUND', `no Prometheus (monitoring.coreos.com/v1)${wanted} in the input; Prometheus found: ${found}; ${items.length} items in all`, { field: wanted ? 'target' : undefined })] };
  }
  return { results: [result('TARGET_AMBIGUOUS', `${matches.length} Prometheus${wanted} in the input (${matches.map((p) => `${p.meta.namespace ?? ''}/${p.meta.name ?? ''}`).join(', ')}): set target.name (and target.namespace) in the config`, { field: 'target' })] };
}

/**
 * How to get past someone else's object of an injected name: the config key that names ours, and
 * for a component's objects (query.*, compactor.*, ...) that switching ours off keeps theirs.
 */
function renameHint(name: unknown): string {
  const key = isMap(name) && typeof name.$v === 'string' ? name.$v : undefined;
  if (!key) return 'rename ours in the config or remove it';
  const component = key.split('.')[0]!;
  const off = key.includes('.') && component !== 'storeApi' ? `, or set ${component}.enabled: false to keep yours instead of ours` : '';
  return `rename ours (${key}) or remove it${off}`;
}

/**
 * `reader` composes the items it must read: yaml's (yamldoc.ts), or the light one (light.ts) on the
 * common path, which throws Unsupported for what it does not read or write as yaml would.
 */
export function transform(items: Item[], config: Config, reader: Reader): TransformOutput {
  const results: Result[] = [];
  const sel = selectTarget(items, config);
  if (!sel.target) return { items, results: sel.results };
  const target = sel.target;
  const ref = refOf(target);
  const file = fileOf(target);
  const where = (field?: string) => ({ ref, field, file });

  let doc: EditDoc;
  let cr: Record<string, unknown>;
  try {
    let plain: unknown;
    ({ doc, plain } = reader.compose(target));
    if (!isMap(plain)) throw new InputError(result('TARGET_INVALID', 'the Prometheus is not a map', where()));
    cr = plain;
  } catch (e) {
    if (e instanceof InputError) return { items, results: [{ ...e.result, resourceRef: ref, ...(file ? { file } : {}) }] };
    throw e;
  }
  if (cr.spec !== undefined && !isMap(cr.spec)) {
    return { items, results: [result('TARGET_INVALID', `spec must be a map, found ${Array.isArray(cr.spec) ? 'a list' : JSON.stringify(cr.spec)}`, where('spec'))] };
  }
  const spec = (cr.spec ?? {}) as Record<string, unknown>;
  const name = target.meta.name;
  if (!name) return { items, results: [result('TARGET_INVALID', 'the Prometheus has no metadata.name', where('metadata.name'))] };
  const namespace = target.meta.namespace ?? 'default';
  if (!target.meta.namespace) {
    results.push(result('NAMESPACE_MISSING', `the Prometheus has no namespace: the store-API SRV name and the injected objects assume "default"; set metadata.namespace (or kustomize's namespace:) so they agree with where it is applied`, where('metadata.namespace')));
  }
  // A budget of the input over these pods is kept, and ours is then not added (model.ts, prometheus-pdb).
  const basePdb = coveringPdb(items, name, namespace, cr, reader);
  // A Thanos Query of the input with Query's name that already reads this Prometheus is kept in place of ours.
  const queries = config.query?.enabled ? existingQueries(items, name, namespace, cr, reader) : [];
  const adoptableQueries = adoptable(queries, namespace);
  const env: Env = { values: config, target: { name, namespace, basePdb: basePdb?.meta.name ?? '', adoptableQueries }, base: cr, fact: (f) => baseFact(cr, name, f) };
  const ourQuery = !isEmpty(evaluate(queryEnabled, env));
  const keptQuery = config.query?.enabled && !ourQuery ? queries.find((q) => q.item.meta.name === config.query!.name) : undefined;
  if (ourQuery) {
    // A Query of another name that already reads this Prometheus: ours is added beside it, and the user is told.
    for (const q of queries) {
      if (q.problems.length || q.item.meta.name === config.query!.name) continue;
      results.push(result('QUERY_OTHER', `Deployment ${namespace}/${q.item.meta.name} of the input is a Thanos Query that already reads this Prometheus (through ${q.via.join(', ')}); prometheus-ha adds its own, ${namespace}/${config.query!.name}, beside it: set query.name: ${q.item.meta.name} to keep yours in place of ours`, { ref: refOf(q.item), file: fileOf(q.item) }));
    }
  }
  if (keptQuery) {
    results.push(result('QUERY_KEPT', `kept Deployment ${namespace}/${keptQuery.item.meta.name} of the input, a Thanos Query that already reads this Prometheus as ours would (through ${keptQuery.via.join(', ')}; it deduplicates by ${keptQuery.replicaLabels.map((l) => `"${l}"`).join(', ')}): prometheus-ha adds no Query of its own (set query.name to another name to add ours beside it)${keptQuery.replicas < 2 ? `; it runs ${keptQuery.replicas} replica: losing its node loses every query until it is rescheduled` : ''}`, { ref: refOf(keptQuery.item), file: fileOf(keptQuery.item) }));
    if (config.thanos?.grpcServerTls?.secretName && !keptQuery.tls) {
      results.push(result('GRPC_TLS_MISMATCH', `thanos.grpcServerTls makes the sidecar serve gRPC over TLS, but the Thanos Query ${namespace}/${keptQuery.item.meta.name} of the input, kept in place of ours, has no --grpc-client-tls-secure: it could not connect; add the --grpc-client-tls-* flags to it, or set query.name to another name to add ours (with query.grpcClientTls)`, { ref: refOf(keptQuery.item), field: keptQuery.field, file: fileOf(keptQuery.item) }));
    }
    results.push(...keptQueryGaps(keptQuery, config, namespace, items, reader));
  }
  if (basePdb && config.podDisruptionBudget?.enabled) {
    results.push(result('UNCHANGED', `kept PodDisruptionBudget ${namespace}/${basePdb.meta.name} of the input, which already covers the Prometheus pods: prometheus-ha adds none (two budgets over the same pods make every eviction of them fail)`, { ref: refOf(basePdb), file: fileOf(basePdb) }));
  }

  // A podAntiAffinity the user wrote is theirs: kept when it already spreads the replicas as
  // antiAffinity asks (core/base.ts judges it), refused when it does not. One the function wrote
  // (marked on the Prometheus) is updated when the config changes.
  const facts = baseFacts(cr, name);
  const mode = config.antiAffinity?.mode ?? 'soft';
  const topologyKey = config.antiAffinity?.topologyKey ?? '';
  const theirs = isMap(spec.affinity) ? spec.affinity.podAntiAffinity : undefined;
  // Ours, and whether theirs is adopted, are evaluated only when there is one to judge.
  if (mode !== 'none' && theirs !== undefined && !affinityIsOurs(cr)) {
    const ours = () => evaluate(prometheusPatch.find((o) => o.path.join('.') === 'spec.affinity.podAntiAffinity')!.value, env);
    if (evaluate(antiAffinityAdopted, env) === true) results.push(result('AFFINITY_KEPT', keptWhy(facts, mode, topologyKey, namespace), where('spec.affinity.podAntiAffinity')));
    else if (!deepEqual(theirs, ours())) {
      const works = workingConfigs(facts, namespace);
      results.push(
        result(
          'AFFINITY_CONFLICT',
          `the Prometheus already has a podAntiAffinity that does not spread its replicas as antiAffinity asks (mode ${mode}, topologyKey ${topologyKey}): ${refusedWhy(facts, mode, topologyKey, namespace)}; ${works.length ? `to keep it, set ${works.join(' or ')} in the config; ` : ''}or set antiAffinity.mode: none to keep it without ours, or remove it for ours`,
          where('spec.affinity.podAntiAffinity'),
        ),
      );
    }
  }

  for (const f of replacedBaseValues(facts, config)) results.push(result('BASE_REPLACED', f.message, where(f.field)));
  if (config.thanos?.version && versionLess(config.thanos.version, SIDECAR_MIN_VERSION)) {
    results.push(result('SIDECAR_VERSION', `thanos.version ${config.thanos.version} is below ${SIDECAR_MIN_VERSION}, the oldest sidecar the Prometheus Operator supports`, { field: 'thanos.version' }));
  }

  // The operator sets the replica and prometheus external labels itself, over spec.externalLabels.
  for (const [field, fallback] of [['replicaExternalLabelName', OPERATOR_DEFAULT_REPLICA_LABEL], ['prometheusExternalLabelName', OPERATOR_DEFAULT_PROMETHEUS_LABEL]] as const) {
    const label = typeof spec[field] === 'string' ? (spec[field] as string) : fallback;
    if (label !== '' && config.externalLabels && Object.prototype.hasOwnProperty.call(config.externalLabels, label)) {
      results.push(result('EXTERNAL_LABEL_RESERVED', `externalLabels.${label} names the label the operator sets itself (spec.${field}${typeof spec[field] === 'string' ? '' : `, default ${fallback}`}) and overrides: this value would be lost; use another label name`, { field: `externalLabels.${label}` }));
    }
  }

  // Query's extra flags, as `check` judges every Thanos container's: a flag its release does not
  // have makes Query exit at start-up (kingpin: "unknown long flag"). Only read when there are some.
  if (ourQuery && config.query?.extraArgs?.length) results.push(...extraArgsRefusals(config.query.version ?? '', config.query.extraArgs));

  // A sidecar that serves gRPC over TLS needs a Query that speaks it.
  // (thanos.grpcServerTls without query.grpcClientTls is refused by the schema.)
  const tls = !!config.thanos?.grpcServerTls?.secretName || sidecarServesTls(spec);
  const clientTls = config.query?.grpcClientTls?.secretName;
  if (ourQuery && tls && !clientTls) {
    results.push(result('GRPC_TLS_MISMATCH', `the sidecar serves gRPC over TLS (spec.thanos.grpcServerTlsConfig) but Query would speak plain gRPC to it: set query.grpcClientTls.secretName to a Secret with ca.crt, tls.crt and tls.key (as cert-manager writes them; and query.grpcClientTls.serverName if the sidecar's certificate does not name the pod), or query.enabled: false to run your own Query`, where('spec.thanos.grpcServerTlsConfig')));
  } else if (ourQuery && !tls && clientTls) {
    results.push(result('GRPC_TLS_MISMATCH', `query.grpcClientTls is set but the sidecar serves plain gRPC (no spec.thanos.grpcServerTlsConfig): Query's TLS handshake with it will fail`, { field: 'query.grpcClientTls', ref, file }, 'warning'));
  }

  if (config.thanos?.objectStorageConfig && !config.compactor?.enabled) {
    results.push(result('COMPACTOR_MISSING', 'the sidecars upload blocks to object storage (thanos.objectStorageConfig) but no Compactor works on them: they are never compacted, downsampled or deduplicated (every replica uploads its own copy), and no retention applies; set compactor.enabled: true, or run one Compactor for this bucket elsewhere', { field: 'compactor.enabled' }));
  }

  // The store label must select this Prometheus's pods only.
  const storeKey = config.storeApi!.label!.key!;
  const storeValue = config.storeApi!.label!.value!;
  for (const other of items) {
    if (other === target || !isPrometheus(other) || (other.meta.namespace ?? 'default') !== namespace) continue;
    const o = safePlain(other, reader);
    const labels = isMap(o) && isMap(o.spec) && isMap(o.spec.podMetadata) && isMap(o.spec.podMetadata.labels) ? o.spec.podMetadata.labels : {};
    if (selects({ [storeKey]: storeValue }, labels)) {
      results.push(result('STORE_LABEL_SHARED', `Prometheus ${namespace}/${other.meta.name} has the store label ${storeKey}: "${storeValue}" too: the store-API Service would mix its sidecars with this one's; use another storeApi.label`, { ref: refOf(other), field: `spec.podMetadata.labels["${storeKey}"]`, file: fileOf(other) }));
    }
  }

  let changes;
  try {
    changes = applyPatch(doc, prometheusPatch, env);
  } catch (e) {
    if (e instanceof PatchError) return { items, results: [...results, result('TARGET_INVALID', e.message, where(e.field))] };
    throw e;
  }
  const after = doc.toJS() as Record<string, unknown>;
  // The base's extra sidecar flags at the release the sidecar now runs (thanos.version may have
  // changed it), as `check` judges them: one it lacks makes the sidecar exit at start-up.
  results.push(...sidecarFlagFindings(isMap(after.spec) ? after.spec.thanos : undefined, { ref, file }, SIDECAR_FLAG_HINT));
  const labels = evaluate(replicaLabels, env) as string[];
  results.push(...checkPrometheus({ ref, file, spec: (after.spec ?? {}) as Record<string, unknown> }, { replicaLabels: ourQuery ? labels : undefined }));

  const out = items.slice();
  if (changes.length) {
    out[out.indexOf(target)] = withChange(target, { text: doc.edit(indentsSequences(target.source!.text)) });
    for (const c of changes) results.push(result('CHANGED', changeMessage(c), where(c.field)));
  }

  // Injected objects: created, updated in place when ours, refused when someone else's.
  const dir = file ? file.path.replace(/[^/]*$/, '') : undefined;
  // One file for every object added in this run (computed once, not per object).
  const newPath = dir === undefined ? undefined : injectedPath(items, dir, new Set(injected.map((i) => `${i.kind}/${String(evaluate(i.name, env))}`)));
  let index = 0;
  /** apiVersion|kind|name of every object this run emits. */
  const emitted = new Set<string>();
  for (const inj of injected) {
    const wanted = inj.when === undefined || !isEmpty(evaluate(inj.when, env));
    const ofKind = (it: Item) => it.meta.kind === inj.kind && it.meta.apiVersion === inj.apiVersion && (it.meta.namespace ?? 'default') === namespace;
    // Switched off, and nothing of its kind in the namespace to remove: nothing to do (most of the list, on most configs).
    if (!wanted && !out.some(ofKind)) continue;
    const objName = String(evaluate(inj.name, env));
    const existingIdx = out.findIndex((it) => ofKind(it) && it.meta.name === objName);
    const existing = existingIdx === -1 ? undefined : out[existingIdx]!;
    const injRef: ResourceRef = { apiVersion: inj.apiVersion, kind: inj.kind, name: objName, namespace };
    let existingObj: Record<string, unknown> | undefined;
    // One of the objects this run adds already has that identity: the config gives two of ours one name.
    const addedNow = existing !== undefined && existingIdx >= items.length;
    if (addedNow) {
      if (wanted) results.push(result('NAME_CONFLICT', `the config names two of the objects it adds ${inj.kind} ${namespace}/${objName} (${inj.id} and one before it): give them different names`, { ref: injRef }));
      continue;
    }
    if (existing) {
      const o = safePlain(existing, reader);
      const managedBy = isMap(o) && isMap(o.metadata) && isMap(o.metadata.labels) ? o.metadata.labels['app.kubernetes.io/managed-by'] : undefined;
      if (!wanted) {
        // Ours from an earlier run, now switched off in the config: removed, so a re-render converges.
        if (managedBy === MANAGED_BY) {
          out[existingIdx] = withChange(existing, { removed: true });
          results.push(result('CHANGED', `removed ${inj.kind} ${namespace}/${objName}: switched off in the config`, { ref: injRef, file: fileOf(existing) }));
        }
        continue;
      }
      if (managedBy !== MANAGED_BY) {
        // A Thanos Query of that name that does not read this Prometheus as ours would: say why it is not kept.
        const q = inj.kind === 'Deployment' ? queries.find((x) => x.item === existing) : undefined;
        const why = q ? `: it runs thanos query, but cannot stand in for ours: ${q.problems.join('; ')}` : '';
        results.push(result('NAME_CONFLICT', `a ${inj.kind} named ${namespace}/${objName} already exists and is not managed by prometheus-ha (app.kubernetes.io/managed-by: ${managedBy ?? 'unset'})${why}; ${renameHint(inj.name)}`, { ref: injRef, file: fileOf(existing) }));
        continue;
      }
      existingObj = o as Record<string, unknown>;
    }
    if (!wanted) continue;
    const obj = evaluate(inj.object(), env);
    if (obj === OMIT || !isMap(obj)) continue;
    const md = obj.metadata as Record<string, unknown>;
    const annotations: Record<string, string> = {};
    if (existingObj) {
      const old = isMap(existingObj.metadata) && isMap(existingObj.metadata.annotations) ? existingObj.metadata.annotations : {};
      for (const [k, v] of Object.entries(old)) if (ORCHESTRATOR_ANNOTATION.test(k) && typeof v === 'string') annotations[k] = v;
    } else if (newPath !== undefined) {
      const path = newPath;
      if (target.meta.annotations[ANNOTATION_PATH] !== undefined) {
        annotations[ANNOTATION_PATH] = path;
        annotations[ANNOTATION_INDEX] = String(index);
      }
      if (target.meta.annotations[LEGACY_PATH] !== undefined) {
        annotations[LEGACY_PATH] = path;
        annotations[LEGACY_INDEX] = String(index);
      }
    }
    index++;
    if (Object.keys(annotations).length) md.annotations = { ...(isMap(md.annotations) ? md.annotations : {}), ...annotations };
    emitted.add(`${inj.apiVersion}|${inj.kind}|${objName}`);
    if (existing && deepEqual(existingObj, obj)) continue;
    const text = toYaml(obj);
    const item: Item = { meta: { apiVersion: inj.apiVersion, kind: inj.kind, name: objName, namespace, annotations }, text };
    if (existing) out[existingIdx] = { ...item, source: existing.source };
    else out.push(item);
    results.push(result(existing ? 'CHANGED' : 'INJECTED', `${existing ? 'updated' : 'added'} ${inj.kind} ${namespace}/${objName}`, { ref: injRef, file: annotations[ANNOTATION_PATH] ? { path: annotations[ANNOTATION_PATH] } : undefined }));
  }
  removeStale(out, emitted, `${namespace}/${name}`, namespace, reader, results);
  // All or nothing: with an error the input comes back as it was, and so do the results say.
  if (results.some((r) => r.severity === 'error')) return { items, results: results.filter((r) => r.severity !== 'info') };
  // No copy of a big input's items when nothing was removed (issue 17: 500,000 items).
  if (!out.some((it) => it.removed)) return { items: out, results, removed: [] };
  return { items: out.filter((it) => !it.removed), results, removed: out.filter((it) => it.removed) };
}

/**
 * The file the injected objects go to in a kpt package: prometheus-ha.yaml next to the Prometheus,
 * unless another object (the function config, say) already lives there: kpt would then refuse the
 * render with "resource at path ... already exists".
 */
function injectedPath(items: Item[], dir: string, ours: Set<string>): string {
  const taken = new Set<string | undefined>();
  for (const it of items) if (!ours.has(`${it.meta.kind}/${it.meta.name}`)) taken.add(it.meta.annotations[ANNOTATION_PATH] ?? it.meta.annotations[LEGACY_PATH]);
  for (const name of ['prometheus-ha.yaml', 'prometheus-ha-objects.yaml', 'thanos-query.yaml']) if (!taken.has(`${dir}${name}`)) return `${dir}${name}`;
  return `${dir}prometheus-ha-${items.length}.yaml`;
}

/** What a change did, in words: one field set (its old value, if any), or the keys a merge set in one map. */
export function changeMessage(c: Change): string {
  if (!c.keys) return `set ${c.field}: ${'old' in c ? `${brief(c.old)} -> ${brief(c.value)} (${c.why})` : c.why}`;
  const { added, changed } = c.keys;
  const parts = [];
  if (added.length) parts.push(`added ${few(added.map(keyName))}`);
  if (changed.length) parts.push(`changed ${few(changed.map((k) => `${keyName(k.key)} ${brief(k.old)} -> ${brief(k.value)}`))}`);
  return `set ${added.length + changed.length} keys of ${c.field} (${parts.join('; ')}): ${c.why}`;
}

/** A key as the message names it: bare when it reads unambiguously, JSON-quoted otherwise. */
const keyName = (k: string): string => (/^[A-Za-z0-9_./-]+$/.test(k) ? k : JSON.stringify(k));

/** The first few of a list, and how many more. */
function few(xs: string[], n = 5): string {
  return xs.length <= n ? xs.join(', ') : `${xs.slice(0, n).join(', ')} and ${xs.length - n} more`;
}

/** A value for a message: JSON, shortened. */
function brief(x: unknown): string {
  const s = JSON.stringify(x) ?? 'null';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function safePlain(it: Item, reader: Reader): unknown {
  try {
    return reader.plain(it);
  } catch (e) {
    if (e instanceof Unsupported) throw e;
    return undefined;
  }
}

const INJECTED_KINDS = new Set(injected.map((i) => `${i.apiVersion}|${i.kind}`));

const labelsOf = (o: unknown): Record<string, unknown> => (isMap(o) && isMap(o.metadata) && isMap(o.metadata.labels) ? o.metadata.labels : {});
const annotationsOf = (o: unknown): Record<string, unknown> => (isMap(o) && isMap(o.metadata) && isMap(o.metadata.annotations) ? o.metadata.annotations : {});
/** Whether an item's text names a string at all (cheap, before composing it). */
const mentions = (it: Item, s: string): boolean => (it.text ?? it.source?.text ?? '').includes(s);

/**
 * A PodDisruptionBudget of the input (not one of ours) in the target's namespace whose selector
 * selects the target's pods, as the base labels them (the operator's labels and the base's own
 * spec.podMetadata.labels: the chart decides the same when it is generated, chart/build.ts).
 */
export function coveringPdb(items: Item[], name: string, namespace: string, cr: Record<string, unknown>, reader: Reader): Item | undefined {
  const labels = operatorPodLabels(cr, name);
  for (const it of items) {
    if (it.meta.kind !== 'PodDisruptionBudget' || !(it.meta.apiVersion ?? '').startsWith('policy/') || (it.meta.namespace ?? 'default') !== namespace) continue;
    const o = safePlain(it, reader);
    if (labelsOf(o)['app.kubernetes.io/managed-by'] === MANAGED_BY) continue;
    if (isMap(o) && isMap(o.spec) && selectorMatches(o.spec.selector, labels)) return it;
  }
  return undefined;
}

/** A Thanos Query Deployment of the input (not ours), and what keeps it from reading the target as ours would. */
export interface ExistingQuery {
  item: Item;
  /** Why it cannot stand in for ours; empty when it can. */
  problems: string[];
  /** The Services through which it reaches the target's sidecars. */
  via: string[];
  replicaLabels: string[];
  replicas: number;
  /** Whether it speaks TLS to the store APIs (--grpc-client-tls-secure). */
  tls: boolean;
  /** The Services its endpoints name (in-cluster ones). */
  endpoints: Endpoint[];
  /** Its pods' labels (spec.template.metadata.labels). */
  podLabels: Record<string, unknown>;
  /** Whether every endpoint through which it reaches the target names the namespace (it then does so only from there). */
  pinned: boolean;
  /** Its container's args (or command), for a result. */
  field: string;
}

/**
 * What the components prometheus-ha adds expect of Query, which a kept Query of the user's may not
 * do (warnings: its owner may add it): reach the Store Gateway (ours reaches it by
 * --endpoint=dnssrv+_grpc._tcp.<storeGateway.name>), and answer the Query Frontend at
 * http://<query.service.name> (model.ts queryUrl).
 */
function keptQueryGaps(q: ExistingQuery, config: Config, namespace: string, items: Item[], reader: Reader): Result[] {
  const out: Result[] = [];
  const at = { ref: refOf(q.item), field: q.field, file: fileOf(q.item) };
  const name = `${namespace}/${q.item.meta.name}`;
  const gateway = config.storeGateway?.name;
  if (config.storeGateway?.enabled && gateway && !q.endpoints.some((e) => e.service === gateway && e.namespace === namespace)) {
    out.push(result('STORE_GATEWAY_UNREACHED', `the Thanos Query ${name} of the input, kept in place of ours, has no --endpoint naming the Store Gateway's Service ${namespace}/${gateway}: the blocks in object storage, older than the sidecars keep, are not queried; add --endpoint=dnssrv+_grpc._tcp.${gateway}.${namespace}.svc.${config.clusterDomain ?? 'cluster.local'} to it`, at));
  }
  const service = config.query?.service?.name;
  if (config.queryFrontend?.enabled && service) {
    const svc = servicesIn(items, namespace, reader).get(service);
    const selector = svc && isMap(svc.obj.spec) && isMap(svc.obj.spec.selector) ? (svc.obj.spec.selector as Record<string, string>) : undefined;
    const ports = svc && isMap(svc.obj.spec) && Array.isArray(svc.obj.spec.ports) ? svc.obj.spec.ports : [];
    const why = !svc ? 'is not in the input' : !selector || !selects(selector, q.podLabels) ? `does not select the pods of the Thanos Query ${name} kept in place of ours` : !ports.some((p) => isMap(p) && p.port === HTTP_PORT) ? `has no port ${HTTP_PORT}, where it asks for Query's HTTP API` : undefined;
    if (why) out.push(result('FRONTEND_DOWNSTREAM', `the Query Frontend sends queries to http://${service}.${namespace}.svc:${HTTP_PORT} (query.service.name), and that Service ${why}: set query.service.name to the Service of the Query ${name}, which must serve its HTTP port as ${HTTP_PORT}`, at));
  }
  return out;
}

/**
 * The Deployments of the input in the target's namespace, not prometheus-ha's, that run `thanos
 * query`, each judged as `check` judges a Query (core/checks.ts): it reads the target as
 * prometheus-ha's Query would when one of its endpoints names a Service of the input that selects
 * the target's pods (the operator's labels and the base's podMetadata.labels), headless for an SRV
 * name, on the grpc port; it speaks TLS when the sidecar does, and deduplicates by the replica
 * label. One with Query's name is kept in place of ours (model.ts queryEnabled); the chart decides
 * the same when it is generated (chart/build.ts).
 */
export function existingQueries(items: Item[], name: string, namespace: string, cr: Record<string, unknown>, reader: Reader): ExistingQuery[] {
  const out: ExistingQuery[] = [];
  const pods = operatorPodLabels(cr, name);
  const spec = isMap(cr.spec) ? cr.spec : {};
  let services: Map<string, { ref: ResourceRef; obj: Record<string, any> }> | undefined;
  for (const it of items) {
    if (it.meta.kind !== 'Deployment' || !(it.meta.apiVersion ?? '').startsWith('apps/') || (it.meta.namespace ?? 'default') !== namespace || !mentions(it, 'quer')) continue;
    const o = safePlain(it, reader);
    if (!isMap(o) || labelsOf(o)['app.kubernetes.io/managed-by'] === MANAGED_BY) continue;
    const pod = isMap(o.spec) && isMap(o.spec.template) && isMap(o.spec.template.spec) ? o.spec.template.spec : {};
    const containers = Array.isArray(pod.containers) ? pod.containers : [];
    const index = containers.findIndex((c) => isMap(c) && componentName(thanosSubcommand(containerArgv(c).argv) ?? '') === 'query');
    if (index === -1) continue;
    const c = containers[index] as Record<string, unknown>;
    const field = `spec.template.spec.containers[${index}].${Array.isArray(c.args) ? 'args' : 'command'}`;
    const fl = flags(containerArgv(c).argv);
    const problems: string[] = [];
    const via: string[] = [];
    let pinned = true;
    for (const ep of queryEndpoints(fl)) {
      const e = parseEndpoint(ep, namespace);
      if (!e || e.namespace !== namespace) continue;
      services ??= servicesIn(items, namespace, reader);
      const svc = services.get(e.service);
      const selector = svc && isMap(svc.obj.spec) && isMap(svc.obj.spec.selector) ? (svc.obj.spec.selector as Record<string, string>) : undefined;
      if (!svc || !selector || !selects(selector, pods)) continue;
      via.push(`Service ${namespace}/${e.service}`);
      pinned &&= e.namespaced;
      const found = [...storeServiceFindings(e, svc, true, GRPC_PORT), ...queryToPrometheusFindings(spec, `${namespace}/${name}`, fl, { ref: refOf(it), field })];
      for (const r of found) if (r.severity === 'error' && !problems.includes(r.message)) problems.push(r.message);
    }
    if (!via.length) {
      const listed = queryEndpoints(fl);
      problems.unshift(`none of its endpoints (${listed.length ? listed.map((x) => `--endpoint=${x}`).join(', ') : 'none'}) names a Service of the input, in ${namespace}, that selects this Prometheus's pods${discoversEndpoints(fl) ? ' (the ones it discovers from files prometheus-ha cannot see)' : ''}`);
    }
    const replicas = isMap(o.spec) && typeof o.spec.replicas === 'number' ? o.spec.replicas : 1;
    const template = isMap(o.spec) && isMap(o.spec.template) && isMap(o.spec.template.metadata) && isMap(o.spec.template.metadata.labels) ? o.spec.template.metadata.labels : {};
    const endpoints = queryEndpoints(fl).map((ep) => parseEndpoint(ep, namespace)).filter((e): e is Endpoint => !!e);
    out.push({ item: it, problems, via, pinned, endpoints, podLabels: template, replicaLabels: queryReplicaLabels(fl), replicas, tls: querySpeaksTls(fl), field });
  }
  return out;
}

/**
 * The model's `$t: adoptableQueries` (model.ts queryEnabled): the names of the Queries that can stand
 * in for ours, as `NAME@NAMESPACE` when they reach the target only through names that say its
 * namespace (installed elsewhere, as a chart can be, they would not reach it).
 */
export const adoptable = (queries: ExistingQuery[], namespace: string): string[] => queries.filter((q) => !q.problems.length).map((q) => (q.pinned ? `${q.item.meta.name}@${namespace}` : q.item.meta.name!));

/** The Services of the input in a namespace, by name (composed once, only when a Query needs them). */
function servicesIn(items: Item[], namespace: string, reader: Reader): Map<string, { ref: ResourceRef; obj: Record<string, any> }> {
  const out = new Map<string, { ref: ResourceRef; obj: Record<string, any> }>();
  for (const it of items) {
    if (it.meta.kind !== 'Service' || it.meta.apiVersion !== 'v1' || (it.meta.namespace ?? 'default') !== namespace || !it.meta.name) continue;
    const o = safePlain(it, reader);
    if (isMap(o)) out.set(it.meta.name, { ref: refOf(it), obj: o });
  }
  return out;
}

/**
 * Removes the objects an earlier run wrote for this target (managed-by prometheus-ha and the
 * TARGET_MARK annotation naming it) that this run no longer emits: a renamed Query, Service or
 * store-API Service. Objects of another target, of an older version without the annotation, or of
 * anyone else stay.
 */
function removeStale(out: Item[], emitted: Set<string>, target: string, namespace: string, reader: Reader, results: Result[]): void {
  out.forEach((it, i) => {
    const m = it.meta;
    // The kind first: an item's source may be made when asked (yaml/items.ts, LineItems).
    if (it.removed || !INJECTED_KINDS.has(`${m.apiVersion}|${m.kind}`) || (m.namespace ?? 'default') !== namespace || !it.source) return;
    if (emitted.has(`${m.apiVersion}|${m.kind}|${m.name}`) || !mentions(it, TARGET_MARK)) return;
    const o = safePlain(it, reader);
    if (labelsOf(o)['app.kubernetes.io/managed-by'] !== MANAGED_BY || annotationsOf(o)[TARGET_MARK] !== target) return;
    out[i] = withChange(it, { removed: true });
    results.push(result('CHANGED', `removed ${m.kind} ${namespace}/${m.name}: prometheus-ha wrote it for Prometheus ${target} and no longer emits it (renamed or switched off in the config)`, { ref: refOf(it), file: fileOf(it) }));
  });
}

/**
 * `prometheus-ha check`: reads manifests someone already has (a Prometheus, maybe a Query and
 * Services written by hand or by another chart) and reports, without changing anything, every
 * reason the setup will not deduplicate or will not survive the loss of a node.
 * As a KRM validator (kpt fn eval --exec "prometheus-ha check") it takes and gives a ResourceList;
 * given plain YAML documents it prints one line per finding. Exit 1 when any finding is an error.
 */
import { toYaml } from '../core/emit.js';
import { checkPrometheus, containerArgv, discoversEndpoints, flags, FLAG_REPLACED_BY, imageVersion, missingFlags, parseEndpoint, queryEndpoints, queryToPrometheusFindings, selects, sidecarFlagFindings, storeServiceFindings, thanosComponent, thanosSubcommand } from '../core/checks.js';
import { GRPC_PORT, OPERATOR_DEFAULT_REPLICA_LABEL } from '../core/model.js';
import { formatResult, hasError, result, type ResourceRef, type Result } from '../core/results.js';
import type { IO, Outcome } from './io.js';
import { readUserText } from './files.js';
import { composeItem, describe, guarded, InputError, readInputText, readResourceList, readStream, toPlain, writeResourceList, type Input, type Item } from '../yaml/source.js';
import { isPrometheus, unsupportedTarget } from '../core/transform.js';
import { isMap } from '../core/util.js';
import { operatorPodLabels } from '../core/base.js';

type Obj = Record<string, any>;
interface Loaded {
  item: Item;
  obj: Obj;
  ref: ResourceRef;
}

function load(item: Item): Loaded | undefined {
  try {
    const obj = toPlain(composeItem(item), { what: describe(item) });
    if (!isMap(obj)) return undefined;
    return { item, obj, ref: { apiVersion: item.meta.apiVersion, kind: item.meta.kind, name: item.meta.name, namespace: item.meta.namespace } };
  } catch {
    return undefined;
  }
}

interface ThanosContainer {
  owner: Loaded;
  index: number;
  /** The Thanos subcommand (query, compact, store, ...), as written. */
  sub: string;
  command: string[];
  argv: string[];
  image: string;
}

/** The containers of a workload that run a Thanos subcommand (`thanos query ...`, or args `[query, ...]`). */
function thanosContainers(l: Loaded): ThanosContainer[] {
  if (!['Deployment', 'StatefulSet'].includes(l.obj.kind)) return [];
  const containers = l.obj.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return [];
  const out: ThanosContainer[] = [];
  containers.forEach((c: Obj, index: number) => {
    if (!isMap(c)) return;
    const { command, argv } = containerArgv(c);
    const sub = thanosSubcommand(argv);
    if (sub && thanosComponent(sub)) out.push({ owner: l, index, sub, command, argv, image: String(c.image ?? '') });
  });
  return out;
}

/** Flags the container's Thanos release does not have (by its image tag): it exits at start-up. */
function flagFindings(c: ThanosContainer): Result[] {
  const component = thanosComponent(c.sub);
  const version = imageVersion(c.image);
  if (!component || !version) return [];
  const fl = flags(c.argv);
  return missingFlags(component, version, c.argv).map((m) => {
    const value = fl.find(([k]) => `--${k}` === m.flag)?.[1] ?? '';
    const instead = FLAG_REPLACED_BY[`${component} ${m.flag}`];
    const inCommand = c.command.some((a) => a === m.flag || a.startsWith(`${m.flag}=`));
    return result(
      'THANOS_FLAG_UNKNOWN',
      `Thanos ${version} has no ${m.flag} flag for ${component} (thanos ${component} --help of ${m.basis}): the container exits at start-up${instead ? `; use ${instead}=${value}` : ''}`,
      { ref: c.owner.ref, field: `spec.template.spec.containers[${c.index}].${inCommand ? 'command' : 'args'}` },
    );
  });
}

/** The labels on every pod of a Prometheus: its podMetadata.labels and the operator's own. */
const podLabels = (p: Loaded): Record<string, unknown> => operatorPodLabels(p.obj, String(p.obj.metadata?.name ?? ''));

/** The Thanos components other than the sidecar that serve the store API (Thanos docs, components: store, receive, rule, query). */
const STORE_API_COMPONENTS = new Set(['store', 'receive', 'rule', 'query', 'querier', 'sidecar']);

/**
 * Pods of the input that serve a store API and are not a Prometheus's: ThanosRuler pods, labelled
 * by the operator (prometheus-operator v0.93 pkg/thanos/operator.go makeSelectorLabels, over
 * spec.podMetadata.labels), and Deployments/StatefulSets running `thanos store|receive|rule|query`.
 */
function otherStores(loaded: Loaded[]): { namespace: string; labels: Record<string, unknown> }[] {
  const out: { namespace: string; labels: Record<string, unknown> }[] = [];
  for (const l of loaded) {
    const namespace = l.obj.metadata?.namespace ?? 'default';
    if (l.obj.kind === 'ThanosRuler') {
      const own = isMap(l.obj.spec?.podMetadata?.labels) ? l.obj.spec.podMetadata.labels : {};
      const name = l.obj.metadata?.name;
      out.push({ namespace, labels: { ...own, 'app.kubernetes.io/name': 'thanos-ruler', 'app.kubernetes.io/managed-by': 'prometheus-operator', 'app.kubernetes.io/instance': name, 'thanos-ruler': name } });
    } else if (['Deployment', 'StatefulSet'].includes(l.obj.kind)) {
      const containers = l.obj.spec?.template?.spec?.containers;
      const labels = l.obj.spec?.template?.metadata?.labels;
      if (!Array.isArray(containers) || !isMap(labels)) continue;
      const serves = containers.some((c: Obj) => {
        const sub = isMap(c) ? thanosSubcommand(containerArgv(c).argv) : undefined;
        return sub !== undefined && STORE_API_COMPONENTS.has(sub);
      });
      if (serves) out.push({ namespace, labels });
    }
  }
  return out;
}

/**
 * The bucket a Thanos container reads: the Secret key its --objstore.config-file comes from (through
 * the volume mounted over that path), or its inline --objstore.config. An identity to compare, with
 * the namespace (a Secret name means nothing across namespaces); undefined when it cannot be told.
 */
function bucketOf(c: ThanosContainer, ns: string): string | undefined {
  const fl = flags(c.argv);
  const inline = fl.find(([k]) => k === 'objstore.config')?.[1];
  if (inline) return `${ns}/inline/${inline.trim()}`;
  const file = fl.find(([k]) => k === 'objstore.config-file')?.[1];
  if (!file) return undefined;
  const pod = c.owner.obj.spec?.template?.spec;
  const container = pod?.containers?.[c.index];
  const mounts: Obj[] = Array.isArray(container?.volumeMounts) ? container.volumeMounts.filter(isMap) : [];
  const mount = mounts.find((m) => typeof m.mountPath === 'string' && file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  if (!mount) return undefined;
  const volume: Obj | undefined = (Array.isArray(pod?.volumes) ? pod.volumes : []).find((v: unknown) => isMap(v) && v.name === mount.name);
  const secret = isMap(volume?.secret) ? volume.secret : undefined;
  if (!secret || typeof secret.secretName !== 'string') return undefined;
  const rel = file.slice(String(mount.mountPath).replace(/\/$/, '').length + 1);
  const item = (Array.isArray(secret.items) ? secret.items : []).find((i: unknown) => isMap(i) && i.path === rel);
  return `${ns}/secret/${secret.secretName}/${item ? item.key : rel}`;
}

/** The bucket a Prometheus's sidecars upload to (spec.thanos.objectStorageConfig), as bucketOf names it. */
function promBucket(p: Loaded, ns: string): string | undefined {
  const osc = p.obj.spec?.thanos?.objectStorageConfig;
  return isMap(osc) && typeof osc.name === 'string' && typeof osc.key === 'string' ? `${ns}/secret/${osc.name}/${osc.key}` : undefined;
}

/** The labels of a workload's pods (spec.template.metadata.labels). */
function templateLabels(l: Loaded): Record<string, unknown> {
  const labels = l.obj.spec?.template?.metadata?.labels;
  return isMap(labels) ? labels : {};
}

export function check(items: Item[]): Result[] {
  const results: Result[] = [];
  const loaded = items.filter((it) => isPrometheus(it) || ['Deployment', 'StatefulSet', 'Service', 'ThanosRuler'].includes(it.meta.kind ?? '')).map(load).filter((x): x is Loaded => !!x);
  const storeApis = otherStores(loaded);
  const proms = loaded.filter((l) => isPrometheus(l.item));
  const services = loaded.filter((l) => l.obj.kind === 'Service');
  const thanos = loaded.flatMap(thanosContainers);
  for (const c of thanos) results.push(...flagFindings(c));
  const queries = thanos.filter((c) => thanosComponent(c.sub) === 'query');
  const stores = [...new Set(thanos.filter((c) => thanosComponent(c.sub) === 'store').map((c) => c.owner))];
  const reached = new Set<Loaded>();
  const ns = (l: Loaded) => l.obj.metadata?.namespace ?? 'default';

  for (const q of queries) {
    const where = (field: string) => ({ ref: q.owner.ref, field: `spec.template.spec.containers[${q.index}].${field}` });
    const fl = flags(q.argv);
    const endpoints = queryEndpoints(fl);
    if (endpoints.length === 0 && !discoversEndpoints(fl)) {
      results.push(result('SERVICE_MISMATCH', 'Query has no --endpoint: it reaches no sidecar', where('args')));
    }
    if (typeof q.owner.obj.spec?.replicas === 'number' && q.owner.obj.spec.replicas < 2) {
      results.push(result('REPLICAS_TOO_FEW', `Query has ${q.owner.obj.spec.replicas} replica: losing its node loses every query until it is rescheduled`, { ref: q.owner.ref, field: 'spec.replicas' }, 'warning'));
    }
    for (const ep of endpoints) {
      const e = parseEndpoint(ep, ns(q.owner));
      if (!e) continue; // outside the cluster, or a form we do not resolve
      const svc = services.find((s) => s.obj.metadata?.name === e.service && ns(s) === e.namespace);
      if (!svc) {
        results.push(result('SERVICE_MISMATCH', `endpoint ${ep} names Service ${e.namespace}/${e.service}, which is not in the input`, where('args')));
        continue;
      }
      const selector = isMap(svc.obj.spec?.selector) ? (svc.obj.spec.selector as Record<string, string>) : undefined;
      const targets = selector ? proms.filter((p) => ns(p) === ns(svc) && selects(selector, podLabels(p))) : [];
      // Another store API (a ThanosRuler, Store Gateway, Receive, a Query below this one): a valid endpoint.
      const other = targets.length || !selector ? undefined : storeApis.find((st) => st.namespace === ns(svc) && selects(selector, st.labels));
      results.push(...storeServiceFindings(e, svc, targets.length > 0, GRPC_PORT));
      const gateways = selector ? stores.filter((g) => ns(g) === ns(svc) && selects(selector, templateLabels(g))) : [];
      for (const g of gateways) reached.add(g);
      if (!targets.length && !other) {
        results.push(result('SERVICE_MISMATCH', `Service ${e.namespace}/${e.service} selects no Prometheus pods and no other store API in the input (ThanosRuler, Thanos Store Gateway, Receive, Query) (selector ${JSON.stringify(selector ?? {})})`, { ref: svc.ref, field: 'spec.selector' }));
      }
      for (const p of targets) {
        reached.add(p);
        results.push(...queryToPrometheusFindings(isMap(p.obj.spec) ? p.obj.spec : {}, `${ns(p)}/${p.obj.metadata?.name}`, fl, where('args')));
      }
    }
  }

  for (const p of proms) {
    const spec = isMap(p.obj.spec) ? p.obj.spec : {};
    const where = (field: string) => ({ ref: p.ref, field });
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    if (replicas < 2) results.push(result('REPLICAS_TOO_FEW', `${replicas} replica: there is nothing to fail over to when its node is lost`, where('spec.replicas')));
    if (!isMap(spec.thanos)) results.push(result('SIDECAR_MISSING', 'no Thanos sidecar (spec.thanos): Thanos Query cannot read from this Prometheus', where('spec.thanos')));
    results.push(...checkPrometheus({ ref: p.ref, spec }, {}));
    results.push(...sidecarFlagFindings(p.obj.spec?.thanos, { ref: p.ref }));
    if (!reached.has(p) && queries.length) results.push(result('QUERY_NOT_FOUND', 'no Thanos Query in the input reaches this Prometheus through a Service', where('metadata.name')));
  }
  for (const g of stores) {
    if (!reached.has(g) && queries.length) results.push(result('STORE_GATEWAY_UNREACHED', `no Thanos Query in the input reaches this Store Gateway through a Service (an --endpoint naming a Service that selects its pods): the blocks in object storage, older than the sidecars keep, are not queried`, { ref: g.ref, field: 'metadata.name' }));
  }
  results.push(...bucketFindings(thanos, proms, ns));
  if (!queries.length && proms.length) results.push(result('QUERY_NOT_FOUND', 'no Thanos Query in the input: nothing deduplicates the replicas (prometheus-ha adds one)'));
  // A Prometheus of another apiVersion is an error; a PrometheusAgent is named when it stands alone.
  for (const it of items) {
    const why = unsupportedTarget(it);
    if (why && (it.meta.kind === 'Prometheus' || !proms.length)) results.push(result('TARGET_UNSUPPORTED', why, { ref: { apiVersion: it.meta.apiVersion, kind: it.meta.kind, name: it.meta.name, namespace: it.meta.namespace }, field: it.meta.kind === 'Prometheus' ? 'apiVersion' : 'kind' }));
  }
  if (!proms.length && !results.some((r) => r.tags?.code === 'TARGET_UNSUPPORTED')) results.push(result('TARGET_NOT_FOUND', 'no Prometheus (monitoring.coreos.com/v1) in the input'));
  return results;
}

export const CHECK_USAGE = `Usage: prometheus-ha check [FILE...]

Reads manifests you already have and reports, changing nothing, every reason the setup will not
deduplicate or survive the loss of a node (Query's replica labels and endpoints against the
Services and Prometheus present, replicas, anti-affinity, sidecar version, ...).
  FILE...   YAML files (documents separated by ---, or a ResourceList), read as one input;
            one line per finding, with the file it is in
  (none)    stdin: a ResourceList (kpt fn eval --exec "prometheus-ha check": a KRM validator, the
            ResourceList back with the results) or YAML documents (one line per finding)
Exit status: 1 if and only if a finding is an error.
`;

/** A ResourceList, else a stream of YAML documents. */
function readEither(text: string): { input: Input; krm: boolean } {
  try {
    return { input: guarded(() => readResourceList(text)), krm: true };
  } catch (e) {
    if (!(e instanceof InputError) || e.result.tags?.code !== 'INPUT_NOT_RESOURCE_LIST') throw e;
    return { input: guarded(() => readStream(text)), krm: false };
  }
}

const failed = (r: Result): Outcome => ({ stdout: '', stderr: `prometheus-ha check: ${formatResult(r)}\n`, code: 1 });
const lines = (results: Result[]): string => results.map((r) => `${formatResult(r)}\n`).join('') || 'no findings: the setup deduplicates and survives the loss of a node\n';

/** `check FILE...`: the files' items as one input; each finding names the file of its resource. */
function checkFiles(files: string[]): Outcome {
  const items: Item[] = [];
  const fileOf = new Map<Item, string>();
  for (const path of files) {
    try {
      // commands/files.ts: a regular file within the input limit, else a refusal naming it.
      for (const it of readEither(readUserText(path, 'file')).input.items) {
        items.push(it);
        fileOf.set(it, path);
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return failed({ ...e.result, file: { path } });
    }
  }
  const same = (a: ResourceRef | undefined, it: Item) => !!a && a.kind === it.meta.kind && a.name === it.meta.name && (a.namespace ?? '') === (it.meta.namespace ?? '') && (a.apiVersion ?? it.meta.apiVersion) === it.meta.apiVersion;
  const results = check(items).map((r) => {
    const it = items.find((i) => same(r.resourceRef, i));
    return it && !r.file ? { ...r, file: { path: fileOf.get(it)! } } : r;
  });
  return { stdout: lines(results), stderr: '', code: hasError(results) ? 1 : 0 };
}

/**
 * Object storage: one Compactor per bucket (two compact the same blocks and corrupt it; Thanos docs,
 * components/compact.md), deduplicating by the replicas' label with the penalty algorithm, and a
 * Store Gateway to read what the sidecars uploaded.
 */
function bucketFindings(thanos: ThanosContainer[], proms: Loaded[], ns: (l: Loaded) => string): Result[] {
  const out: Result[] = [];
  const compactors = thanos.filter((c) => thanosComponent(c.sub) === 'compact');
  const gateways = thanos.filter((c) => thanosComponent(c.sub) === 'store');
  const where = (c: ThanosContainer, field = 'args') => ({ ref: c.owner.ref, field: `spec.template.spec.containers[${c.index}].${field}` });
  const byBucket = new Map<string, ThanosContainer[]>();
  for (const c of compactors) {
    const replicas = c.owner.obj.spec?.replicas;
    if (typeof replicas === 'number' && replicas > 1) {
      out.push(result('COMPACTOR_DUPLICATE', `${replicas} Compactor replicas: they compact the same bucket at once and corrupt it (only one Compactor may run per bucket); set replicas: 1`, { ref: c.owner.ref, field: 'spec.replicas' }));
    }
    const bucket = bucketOf(c, ns(c.owner));
    if (bucket) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), c]);
    // The replicas this Compactor sees: the Prometheus uploading to its bucket (all with object storage when it cannot be told).
    const sources = proms.filter((p) => ns(p) === ns(c.owner) && promBucket(p, ns(p)) !== undefined && (!bucket || promBucket(p, ns(p)) === bucket));
    const fl = flags(c.argv);
    const dedup = fl.filter(([k]) => k === 'deduplication.replica-label').flatMap(([, v]) => v.split(',')).filter(Boolean);
    for (const p of sources) {
      const label = typeof p.obj.spec?.replicaExternalLabelName === 'string' ? p.obj.spec.replicaExternalLabelName : OPERATOR_DEFAULT_REPLICA_LABEL;
      if (label !== '' && !dedup.includes(label)) {
        out.push(result('COMPACTOR_DEDUP', `the Compactor deduplicates by ${dedup.length ? dedup.map((l) => `"${l}"`).join(', ') : 'no label (no --deduplication.replica-label)'} but Prometheus ${ns(p)}/${p.obj.metadata?.name} marks its replicas with "${label}": every replica's blocks stay in the bucket; add --deduplication.replica-label=${label} and --deduplication.func=penalty`, where(c)));
      }
    }
    if (dedup.length && fl.find(([k]) => k === 'deduplication.func')?.[1] !== 'penalty') {
      out.push(result('COMPACTOR_DEDUP', `--deduplication.replica-label without --deduplication.func=penalty: the default merges blocks 1:1, for identical samples such as Receive's replication; Prometheus replicas scrape at different instants and need penalty (thanos compact --help)`, where(c)));
    }
  }
  for (const [bucket, cs] of byBucket) {
    if (cs.length < 2) continue;
    for (const c of cs) out.push(result('COMPACTOR_DUPLICATE', `${cs.length} Compactors on one bucket (${bucket.split('/').slice(2).join(' ')}): ${cs.map((x) => `${x.owner.obj.kind}/${ns(x.owner)}/${x.owner.obj.metadata?.name}`).join(', ')}; they compact the same blocks and corrupt the bucket: keep one`, where(c)));
  }
  for (const p of proms) {
    const bucket = promBucket(p, ns(p));
    if (!bucket) continue;
    const reads = (c: ThanosContainer) => ns(c.owner) === ns(p) && (bucketOf(c, ns(c.owner)) ?? bucket) === bucket;
    if (!compactors.some(reads)) out.push(result('COMPACTOR_MISSING', 'the sidecars upload to object storage but no Compactor in the input works on that bucket: the blocks are never compacted, downsampled or deduplicated, and no retention applies', { ref: p.ref, field: 'spec.thanos.objectStorageConfig' }));
    if (!gateways.some(reads)) out.push(result('STORE_GATEWAY_MISSING', 'the sidecars upload to object storage but no Store Gateway in the input reads that bucket: data older than the Prometheus retention is unreachable to Query', { ref: p.ref, field: 'spec.thanos.objectStorageConfig' }));
  }
  return out;
}

export function checkCommand(io: IO, files: string[] = []): Outcome {
  if (files.length) return checkFiles(files);
  let text: string;
  try {
    text = readInputText(io);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return failed(e.result);
  }
  let read: { input: Input; krm: boolean };
  try {
    read = readEither(text);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return failed(e.result);
  }
  const { input, krm } = read;
  const results = check(input.items);
  const code = hasError(results) ? 1 : 0;
  if (!krm) return { stdout: lines(results), stderr: '', code };
  const yaml = results.length ? toYaml({ results }) : '';
  return { stdout: writeResourceList(input, input.items, yaml), stderr: results.filter((r) => r.severity === 'error').map((r) => `${formatResult(r)}\n`).join(''), code };
}

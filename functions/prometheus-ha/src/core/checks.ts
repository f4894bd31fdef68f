/**
 * HA truth: reasons a setup will not deduplicate or not survive the loss of a node.
 * Shared by the function (on what it is about to emit) and `prometheus-ha check` (on what exists).
 * Also the one parser of image references and versions as people write them:
 * `quay.io/thanos/thanos:v0.42.4`, `bitnami/thanos:0.39.2-debian-12-r0`,
 * `registry:5000/thanos/thanos:v0.39.2`, `thanos/thanos@sha256:...`, `thanos/thanos:v0.39.2@sha256:...`.
 */
import { result, type ResourceRef, type Result, type Where } from './results.js';
import { OPERATOR_DEFAULT_REPLICA_LABEL } from './model.js';
import { isMap } from './util.js';
import { THANOS_FLAG_RELEASES, THANOS_FLAGS_JSON } from '../generated/thanos-flags.js';

/** The operator's floor for the sidecar (prometheus-operator Documentation: thanos.md, "minimum Thanos version"). */
export const SIDECAR_MIN_VERSION = 'v0.10.0';

// ---- images and versions as people write them ----
export interface ImageRef {
  /** The registry host (with port), when the first path component names one. */
  registry?: string;
  /** The repository path, with the registry when there is one: what precedes `:tag` / `@digest`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Splits an image reference (distribution's reference grammar: the digest after `@`, the tag after
 * the last `:` of the last path component, the registry a first component with `.` or `:` or
 * `localhost`). Undefined for an empty or blank string.
 */
export function parseImage(image: string): ImageRef | undefined {
  const s = image.trim();
  if (!s) return undefined;
  const at = s.indexOf('@');
  const digest = at === -1 ? undefined : s.slice(at + 1) || undefined;
  const name = at === -1 ? s : s.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) || undefined : undefined;
  const repository = colon > slash ? name.slice(0, colon) : name;
  const first = repository.split('/')[0]!;
  const registry = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
  if (!repository) return undefined;
  return { ...(registry ? { registry } : {}), repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export type Semver = [number, number, number];

/**
 * A version as people write it: `v0.42.4`, `0.42.4`, `0.39.2-debian-12-r0` (bitnami), `v0.40`.
 * Leading `v`, suffixes after the numbers ignored (as the operator's semver.ParseTolerant reads
 * spec.thanos.version). Undefined when it does not start with numbers.
 */
export function parseVersion(v: unknown): Semver | undefined {
  const m = typeof v === 'string' ? /^\s*[vV]?(\d+)\.(\d+)(?:\.(\d+))?(?=$|[-+_])/.exec(v) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** a < b, compared by numbers; false when either does not parse. */
export function versionLess(a: string, b: string): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return false;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

/** Whether two versions name the same release (`v0.42.4`, `0.42.4-debian-12-r0`); as strings when either does not parse. */
export function sameVersion(a: string, b: string): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x && y ? x.join('.') === y.join('.') : a === b;
}

/** The version an image's tag names, or undefined (no tag, `latest`, a digest only). */
export function imageVersion(image: string): string | undefined {
  const tag = parseImage(image)?.tag;
  return tag && parseVersion(tag) ? tag : undefined;
}

/** The tag of an image reference, or undefined (digest-only or untagged). */
export function imageTag(image: string): string | undefined {
  return parseImage(image)?.tag;
}

export interface PrometheusFacts {
  ref: ResourceRef;
  file?: { path: string };
  spec: Record<string, unknown>;
}

/** Checks of the Prometheus as it will be applied (after the function's changes). */
export function checkPrometheus(p: PrometheusFacts, expect: { replicaLabels?: string[] }): Result[] {
  const out: Result[] = [];
  const { spec, ref, file } = p;
  const where = (field: string) => ({ ref, field, file });
  if ('replicaExternalLabelName' in spec && spec.replicaExternalLabelName === '') {
    out.push(result('REPLICA_LABEL_EMPTY', 'replicaExternalLabelName is "": the operator then adds no replica label, so Thanos Query cannot deduplicate the replicas; remove the field or name a label', where('spec.replicaExternalLabelName')));
  } else if (expect.replicaLabels) {
    const r = replicaLabelCheck(spec, `${ref.namespace ?? 'default'}/${ref.name ?? ''}`, expect.replicaLabels, { ref, field: 'spec.replicaExternalLabelName', file }, (l) => `add ${l} to query.replicaLabels (or leave it unset: Query then deduplicates by the Prometheus's own label)`);
    if (r) out.push(r);
  }
  const thanos = isMap(spec.thanos) ? spec.thanos : undefined;
  if (thanos) {
    const version = typeof thanos.version === 'string' ? thanos.version : undefined;
    if (version && versionLess(version, SIDECAR_MIN_VERSION)) {
      out.push(result('SIDECAR_VERSION', `sidecar version ${version} is below ${SIDECAR_MIN_VERSION}, the oldest the Prometheus Operator supports`, where('spec.thanos.version')));
    }
    const tag = typeof thanos.image === 'string' ? imageTag(thanos.image) : undefined;
    // Tags such as 0.42.4-debian-12-r0 name the same release as v0.42.4: compare the numbers.
    if (tag && version && !sameVersion(tag, version)) {
      out.push(result('SIDECAR_IMAGE_VERSION', `sidecar image tag ${tag} differs from spec.thanos.version ${version}: the operator picks the sidecar's flags by version (prometheus-operator #5223), so they must agree`, where('spec.thanos.image')));
    }
  }
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const affinity = isMap(spec.affinity) ? spec.affinity : {};
  const spread = Array.isArray(spec.topologySpreadConstraints) && spec.topologySpreadConstraints.length > 0;
  if (replicas > 1 && !isMap(affinity.podAntiAffinity) && !spread) {
    out.push(result('SPREAD_MISSING', `${replicas} replicas with no podAntiAffinity and no topologySpreadConstraints: the scheduler may put them on one node, and losing it loses every replica`, where('spec.affinity.podAntiAffinity')));
  }
  return out;
}

/**
 * Query deduplicates a Prometheus's replicas only by the label the operator marks them with
 * (spec.replicaExternalLabelName, else prometheus_replica). One check, one severity, for the
 * function (on the Query it emits; `fix` names the config field) and `check` (on a Query it reads).
 */
export function replicaLabelCheck(spec: Record<string, unknown>, prometheus: string, queryLabels: string[], where: Where, fix: (label: string) => string): Result | undefined {
  const label = typeof spec.replicaExternalLabelName === 'string' ? spec.replicaExternalLabelName : OPERATOR_DEFAULT_REPLICA_LABEL;
  if (label === '' || queryLabels.includes(label)) return undefined; // "": REPLICA_LABEL_EMPTY
  const by = queryLabels.length ? queryLabels.map((l) => `"${l}"`).join(', ') : 'no label (no --query.replica-label)';
  return result('QUERY_REPLICA_LABEL', `Query deduplicates by ${by} but Prometheus ${prometheus} marks its replicas with "${label}": every series comes back once per replica; ${fix(label)}`, where);
}

/** Whether a label selector's matchLabels select a set of pod labels (matchExpressions are not judged). */
export function selects(selector: Record<string, string>, labels: Record<string, unknown>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}


// ---- a Thanos Query as written in a Deployment: its flags, its endpoints, what they reach ----

/** `--flag=value` and `--flag value` pairs of a container's command and args. */
export function flags(argv: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq !== -1) out.push([a.slice(2, eq), a.slice(eq + 1)]);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out.push([a.slice(2), argv[++i]!]);
    else out.push([a.slice(2), '']);
  }
  return out;
}

/** A container's command and args, as one argv. */
export function containerArgv(c: Record<string, unknown>): { command: string[]; argv: string[] } {
  const command = (Array.isArray(c.command) ? c.command : []).map(String);
  return { command, argv: [...command, ...(Array.isArray(c.args) ? c.args : [])].map(String) };
}

/** The Thanos subcommand an argv runs (`thanos query ...`, or args `[query, ...]`), as written. */
export function thanosSubcommand(argv: string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-') && a !== 'thanos' && !a.endsWith('/thanos'));
}

/** The store-API endpoints a Query names (thanos query --help: --endpoint, --endpoint-strict; --store before v0.38). */
export const queryEndpoints = (fl: [string, string][]): string[] => fl.filter(([k]) => k === 'store' || k === 'endpoint' || k === 'endpoint-strict').map(([, v]) => v);
/** Endpoints a Query reads from files or another discovery, which no manifest shows. */
export const discoversEndpoints = (fl: [string, string][]): boolean => fl.some(([k]) => k.startsWith('endpoint.sd') || k === 'store.sd-files' || k === 'endpoint-group');
/** The replica labels a Query deduplicates by (--query.replica-label, repeated or comma-separated). */
export const queryReplicaLabels = (fl: [string, string][]): string[] => fl.filter(([k]) => k === 'query.replica-label').flatMap(([, v]) => v.split(',')).filter(Boolean);

export interface Endpoint {
  service: string;
  namespace: string;
  portName?: string;
  port?: number;
  srv: boolean;
  /** Whether the name says the namespace (`svc.ns`, `svc.ns.svc...`), rather than resolving in the Query's own. */
  namespaced: boolean;
}

/** A Query endpoint as the Service it names: SRV (port by name) or host:port (port by number). */
export function parseEndpoint(raw: string, defaultNs: string): Endpoint | undefined {
  let v = raw;
  let srv = false;
  let m = /^dnssrv(?:noa)?\+_([^.]+)\._tcp\.(.+)$/.exec(v);
  let portName: string | undefined;
  let port: number | undefined;
  if (m) {
    srv = true;
    portName = m[1];
    v = m[2]!;
  } else {
    v = v.replace(/^dns\+/, '');
    const pm = /^(.*):(\d+)$/.exec(v);
    if (!pm) return undefined;
    v = pm[1]!;
    port = Number(pm[2]);
  }
  m = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\..*)?)?$/.exec(v);
  if (!m || (v.split('.').length > 2 && !/\.svc(\.|$)/.test(v))) return undefined; // not an in-cluster Service name
  return { service: m[1]!, namespace: m[2] ?? defaultNs, portName, port, srv, namespaced: m[2] !== undefined };
}

/**
 * What is wrong with a Service that an endpoint names, as a way to a Prometheus's sidecars (`reaches`:
 * its selector selects them): not headless for an SRV name, no such port, a port that does not
 * target the sidecar's grpc port (`grpcPort`).
 */
export function storeServiceFindings(e: Endpoint, svc: { ref: ResourceRef; obj: Record<string, any> }, reaches: boolean, grpcPort: number): Result[] {
  const out: Result[] = [];
  const sref = { ref: svc.ref };
  const ports: Record<string, any>[] = Array.isArray(svc.obj.spec?.ports) ? svc.obj.spec.ports.filter(isMap) : [];
  const port = e.srv ? ports.find((p) => p.name === e.portName) : ports.find((p) => p.port === e.port);
  if (e.srv && reaches && svc.obj.spec?.clusterIP !== 'None') {
    out.push(result('SERVICE_MISMATCH', `Service ${e.namespace}/${e.service} is not headless (clusterIP: None): its SRV record names one virtual IP, so Query holds one connection to one replica and cannot deduplicate`, { ...sref, field: 'spec.clusterIP' }));
  }
  if (!port) {
    out.push(result('SERVICE_MISMATCH', `Service ${e.namespace}/${e.service} has no port ${e.srv ? `named "${e.portName}" (the SRV name _${e.portName}._tcp asks for it)` : e.port}`, { ...sref, field: 'spec.ports' }));
  } else if (port.targetPort !== undefined && port.targetPort !== 'grpc' && port.targetPort !== grpcPort) {
    out.push(result('SERVICE_MISMATCH', `Service ${e.namespace}/${e.service} port ${port.name ?? port.port} targets ${port.targetPort}, not the sidecar's grpc port (${grpcPort})`, { ...sref, field: 'spec.ports' }));
  }
  return out;
}

/** Whether a Prometheus's sidecar serves gRPC over TLS (spec.thanos.grpcServerTlsConfig, not empty). */
export const sidecarServesTls = (spec: Record<string, unknown>): boolean => isMap(spec.thanos) && isMap(spec.thanos.grpcServerTlsConfig) && Object.keys(spec.thanos.grpcServerTlsConfig).length > 0;
/** Whether a Query speaks TLS to every store API: --[no-]grpc-client-tls-secure (thanos query --help, v0.32 to v0.42). */
export const querySpeaksTls = (fl: [string, string][]): boolean => fl.some(([k, v]) => k === 'grpc-client-tls-secure' && v !== 'false');

/** What keeps a Query (its flags `fl`) from reading a Prometheus it reaches: TLS it does not speak, a replica label it does not deduplicate by. */
export function queryToPrometheusFindings(spec: Record<string, unknown>, prometheus: string, fl: [string, string][], where: Where): Result[] {
  const out: Result[] = [];
  if (sidecarServesTls(spec) && !querySpeaksTls(fl)) {
    out.push(result('GRPC_TLS_MISMATCH', `Prometheus ${prometheus}'s sidecar serves gRPC over TLS (spec.thanos.grpcServerTlsConfig) but Query has no --grpc-client-tls-secure: it speaks plain gRPC and cannot connect; add --grpc-client-tls-secure with --grpc-client-tls-cert/-key/-ca (prometheus-ha: query.grpcClientTls.secretName)`, where));
  }
  const r = replicaLabelCheck(spec, prometheus, queryReplicaLabels(fl), where, (l) => `add --query.replica-label=${l}`);
  if (r) out.push(r);
  return out;
}

// ---- Thanos flags by release (shared by the function's refusal of query.extraArgs and `check`) ----
// Whether a Thanos release has a flag, from the help texts of ten releases (generated/thanos-flags.ts,
// made from test/fixtures/thanos-flags/ by `npm run generate`). Thanos parses flags with kingpin,
// which refuses an unknown long flag at start-up ("unknown long flag"): the container then exits.
//
// A release between two known ones is judged by both neighbours: a flag is missing only when neither
// has it (a flag added or removed in between is given the benefit of the doubt). A release newer than
// the newest known one is judged only on flags that the newest has dropped (removed flags stay
// removed; new ones may have been added). Older than the oldest known one, or not a version: no
// judgement.

let flagTable: Record<string, Record<string, string>> | undefined;
/** The table (component -> flag -> releases), parsed when first needed: the common path never needs it. */
const thanosFlags = (): Record<string, Record<string, string>> => (flagTable ??= JSON.parse(THANOS_FLAGS_JSON) as Record<string, Record<string, string>>);

/** Components whose help texts are known; `querier` is Query's old name. */
const ALIASES: Record<string, string> = { querier: 'query' };

/** A Thanos subcommand by its current name (`querier` is `query`); no table read. */
export const componentName = (sub: string): string => (Object.prototype.hasOwnProperty.call(ALIASES, sub) ? ALIASES[sub]! : sub);

export const thanosComponent = (sub: string): string | undefined => {
  const c = componentName(sub);
  return Object.prototype.hasOwnProperty.call(thanosFlags(), c) ? c : undefined;
};

/** Whether the flag's entry (`*`, `a..`, `..b`, `a..b`, comma-separated) includes the known release at `index`. */
function inRelease(spec: string, index: number): boolean {
  const release = THANOS_FLAG_RELEASES[index]!;
  return spec
    .split(' ')[0]!
    .split(',')
    .some((r) => {
      if (r === '*') return true;
      const [from, to] = r.split('..') as [string, string];
      return (!from || !versionLess(release, from)) && (!to || !versionLess(to, release));
    });
}

/** Whether the known release at `index` has the flag `name` (`no-X` for a boolean X), by the component's table. */
function hasFlag(table: Record<string, string>, name: string, index: number): boolean {
  const spec = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (spec !== undefined && inRelease(spec, index)) return true;
  const negated = /^no-(.+)$/.exec(name)?.[1];
  const base = negated !== undefined && Object.prototype.hasOwnProperty.call(table, negated) ? table[negated] : undefined;
  return base !== undefined && base.endsWith(' bool') && inRelease(base, index);
}

/**
 * The table of a component for the chart, which judges query.extraArgs in Helm (chart/build.ts):
 * the known releases, and its flags (with `no-X` for each boolean X) grouped by which of the
 * releases have them, as a string of 0 and 1 per release.
 */
export function flagsByReleases(component: string): { releases: readonly string[]; groups: Record<string, string[]> } {
  const table = thanosFlags()[component] ?? {};
  const names = Object.entries(table).flatMap(([name, spec]) => (spec.endsWith(' bool') ? [name, `no-${name}`] : [name]));
  const groups: Record<string, string[]> = {};
  for (const name of new Set(names)) (groups[THANOS_FLAG_RELEASES.map((_r, i) => (hasFlag(table, name, i) ? '1' : '0')).join('')] ??= []).push(name);
  return { releases: THANOS_FLAG_RELEASES, groups };
}

export interface MissingFlag {
  flag: string;
  /** Where in argv. */
  index: number;
  /** The known release(s) whose help the verdict rests on. */
  basis: string;
}

/**
 * The long flags of `argv` (`--name`, `--name=value`; `--no-name` for a boolean) that Thanos `version`
 * of `component` does not have.
 */
export function missingFlags(component: string, version: string, argv: string[]): MissingFlag[] {
  const table = Object.prototype.hasOwnProperty.call(thanosFlags(), component) ? thanosFlags()[component] : undefined;
  if (!table || !parseVersion(version)) return [];
  const releases = THANOS_FLAG_RELEASES;
  const oldest = releases[0]!;
  if (versionLess(version, oldest)) return [];
  const newest = releases.length - 1;
  let floor = newest;
  while (floor > 0 && versionLess(version, releases[floor]!)) floor--;
  const beyond = versionLess(releases[newest]!, version);
  const ceil = beyond ? newest : versionLess(releases[floor]!, version) ? floor + 1 : floor;
  const has = (name: string, i: number): boolean => hasFlag(table, name, i);
  const out: MissingFlag[] = [];
  for (const [index, a] of argv.entries()) {
    const m = /^--([a-z0-9][a-z0-9._-]*)(=|$)/.exec(a);
    if (!m) continue;
    const name = m[1]!;
    if (has(name, floor) || has(name, ceil)) continue;
    // Beyond the newest known release, only a flag that an older release had counts as gone.
    if (beyond && !releases.some((_r, i) => has(name, i))) continue;
    const basis = floor === ceil ? releases[floor]! : `${releases[floor]} and ${releases[ceil]}`;
    out.push({ flag: `--${name}`, index, basis });
  }
  return out;
}

/** What to write instead of a flag a release dropped (Thanos CHANGELOG v0.38.0: --store removed, --endpoint replaces it), by `component --flag`. */
export const FLAG_REPLACED_BY: Record<string, string> = {
  'query --store': '--endpoint',
  'query --store-strict': '--endpoint-strict',
};

/**
 * The function's refusal of Query's extra flags (query.extraArgs) that Thanos `version` (query.version)
 * does not have: Query would exit at start-up, and `check` would say so of the output. The chart
 * mirrors it as a Helm `fail` (chart/build.ts refusals).
 */
export function extraArgsRefusals(version: string, extraArgs: readonly string[]): Result[] {
  return missingFlags('query', version, [...extraArgs]).map((m) => {
    const value = /=(.*)$/s.exec(extraArgs[m.index]!)?.[1] ?? '';
    const instead = FLAG_REPLACED_BY[`query ${m.flag}`];
    return result(
      'THANOS_FLAG_UNKNOWN',
      `Thanos ${version} (query.version) has no ${m.flag} flag for query (thanos query --help of ${m.basis}): Query would exit at start-up; ${instead ? `use ${instead}=${value} instead` : 'remove it, or set query.version to a release that has it'}`,
      { field: `query.extraArgs[${m.index}]` },
    );
  });
}

/**
 * The sidecar's extra flags (spec.thanos.additionalArgs: name without dashes, optional value) against
 * the release the operator runs: spec.thanos.version, else the image's tag (prometheus-operator
 * pkg/prometheus/server/statefulset.go). `check` on a Prometheus; the function on the one it wrote,
 * whose version the config may have changed (`hint` then says what to do).
 */
export function sidecarFlagFindings(thanos: unknown, where: Omit<Where, 'field'>, hint = ''): Result[] {
  if (!isMap(thanos)) return [];
  const args = Array.isArray(thanos.additionalArgs) ? thanos.additionalArgs : [];
  const version = typeof thanos.version === 'string' ? thanos.version : typeof thanos.image === 'string' ? imageVersion(thanos.image) : undefined;
  if (!version || !args.length) return [];
  const argv = sidecarArgv(args);
  return missingFlags('sidecar', version, argv).map((m) =>
    result('THANOS_FLAG_UNKNOWN', `Thanos ${version} has no ${m.flag} flag for sidecar (thanos sidecar --help of ${m.basis}): the sidecar exits at start-up${hint}`, { ...where, field: `spec.thanos.additionalArgs[${m.index}]` }),
  );
}

/** What the function's refusal of a sidecar flag adds (the chart's fail too). */
export const SIDECAR_FLAG_HINT = '; remove it from spec.thanos.additionalArgs, or set thanos.version to a release that has it';

/** spec.thanos.additionalArgs as flags (`--name`), their maps only, as the sidecar's flags are judged. */
export const sidecarArgv = (args: unknown[]): string[] => args.filter(isMap).map((a) => `--${String(a.name)}`);

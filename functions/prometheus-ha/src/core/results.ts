/**
 * Errors are values: every finding is one of a closed set of codes, turned into a KRM result
 * (kpt functions spec, "results": message, severity, resourceRef, field, file).
 */
export const CODES = {
  // reading the input
  INPUT_EMPTY: 'error',
  /** Not valid YAML: nothing of it can be echoed back. */
  INPUT_YAML: 'error',
  /** Valid YAML that the function refuses to read (unknown tags, alias bombs, absurd nesting). */
  INPUT_REFUSED: 'error',
  INPUT_NOT_RESOURCE_LIST: 'error',
  INPUT_ITEMS: 'error',
  INPUT_TOO_LARGE: 'error',
  /** A file the user named (a config file, a chart base, check FILE...) that is not a regular file, too large, or unreadable. */
  INPUT_FILE: 'error',
  // the function config
  CONFIG_KIND: 'error',
  CONFIG_INVALID: 'error',
  CONFIG_FILE: 'error',
  // the target Prometheus
  TARGET_NOT_FOUND: 'error',
  TARGET_AMBIGUOUS: 'error',
  TARGET_INVALID: 'error',
  /** A Prometheus of another apiVersion, or a PrometheusAgent. */
  TARGET_UNSUPPORTED: 'error',
  AFFINITY_CONFLICT: 'error',
  /** The base's own podAntiAffinity already spreads the replicas: kept as written. */
  AFFINITY_KEPT: 'info',
  /** A Thanos Query of the input with Query's name already reads the Prometheus: kept in place of ours. */
  QUERY_KEPT: 'info',
  /** A Thanos Query of the input with another name already reads the Prometheus: ours is added beside it. */
  QUERY_OTHER: 'info',
  /** The Query Frontend's downstream Service does not lead to the Query kept in place of ours. */
  FRONTEND_DOWNSTREAM: 'warning',
  /** A base value that cannot work, replaced for the config's default. */
  BASE_REPLACED: 'warning',
  EXTERNAL_LABEL_RESERVED: 'error',
  GRPC_TLS_MISMATCH: 'error',
  NAME_CONFLICT: 'error',
  // HA truth
  REPLICA_LABEL_EMPTY: 'error',
  SIDECAR_VERSION: 'warning',
  SIDECAR_IMAGE_VERSION: 'warning',
  STORE_LABEL_SHARED: 'error',
  SRV_MISMATCH: 'error',
  SPREAD_MISSING: 'warning',
  NAMESPACE_MISSING: 'warning',
  /** Object storage with no Compactor: the uploaded blocks are never compacted, downsampled or deduplicated. */
  COMPACTOR_MISSING: 'warning',
  /** A flag the container's Thanos release does not have (core/checks.ts missingFlags): it exits at start-up; the function refuses such a query.extraArgs. */
  THANOS_FLAG_UNKNOWN: 'error',
  QUERY_NOT_FOUND: 'warning',
  /** A Store Gateway no Query reaches: the blocks in object storage are not queried. */
  STORE_GATEWAY_UNREACHED: 'warning',
  /** Object storage that no Store Gateway reads: data older than the Prometheus retention is unreachable. */
  STORE_GATEWAY_MISSING: 'warning',
  /** Two Compactors on one bucket (or one with replicas > 1): they corrupt it. */
  COMPACTOR_DUPLICATE: 'error',
  /** A Compactor that does not deduplicate by the replicas' label (with penalty): their blocks stay twice. */
  COMPACTOR_DEDUP: 'warning',
  QUERY_REPLICA_LABEL: 'error',
  REPLICAS_TOO_FEW: 'error',
  SIDECAR_MISSING: 'error',
  SERVICE_MISMATCH: 'error',
  // what was done
  CHANGED: 'info',
  INJECTED: 'info',
  UNCHANGED: 'info',
} as const;

export type Code = keyof typeof CODES;
export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: { path: string };
  file?: { path: string; index?: number };
  tags?: Record<string, string>;
}

export interface Where {
  ref?: ResourceRef;
  field?: string;
  file?: { path: string; index?: number };
  /** 1-based line in the input, where the parser knows it. */
  line?: number;
}

export function result(code: Code, message: string, where: Where = {}, severity: Severity = CODES[code]): Result {
  const r: Result = { message: where.line ? `${message} (line ${where.line})` : message, severity };
  if (where.ref) r.resourceRef = clean(where.ref);
  if (where.field) r.field = { path: where.field };
  if (where.file) r.file = where.file;
  r.tags = { code };
  return r;
}

function clean(ref: ResourceRef): ResourceRef {
  const out: ResourceRef = {};
  for (const k of ['apiVersion', 'kind', 'name', 'namespace'] as const) if (ref[k]) out[k] = ref[k];
  return out;
}

export const hasError = (results: Result[]): boolean => results.some((r) => r.severity === 'error');

/** One line for a person: `error [CODE] Kind/ns/name field (file): message`. */
export function formatResult(r: Result): string {
  const ref = r.resourceRef ? ` ${r.resourceRef.kind ?? '?'}/${r.resourceRef.namespace ? r.resourceRef.namespace + '/' : ''}${r.resourceRef.name ?? '?'}` : '';
  const field = r.field ? ` ${r.field.path}` : '';
  const file = r.file ? ` (${r.file.path})` : '';
  return `${r.severity}${r.tags?.code ? ` [${r.tags.code}]` : ''}${ref}${field}${file}: ${r.message}`;
}

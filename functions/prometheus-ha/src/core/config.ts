/**
 * The function config: a PrometheusHA object, or a ConfigMap of dotted keys (what
 * `kpt fn eval --exec prometheus-ha -- replicas=3` sends). Validated by the schema's precompiled
 * validator, which also fills in the schema's defaults.
 */
import type { ErrorObject } from 'ajv';
import type { PrometheusHA } from '../generated/config.js';
// The schema itself comes with its validator, parsed when first needed (a ConfigMap config, an
// error): a valid config is checked without it.
import validate, { schema } from '../generated/validate-config.js';
import { isMap, setOwnPath } from './util.js';
import { DATA_VOLUME, GRPC_CLIENT_TLS_VOLUME, GRPC_SERVER_TLS_VOLUME, OBJSTORE_VOLUME } from './model.js';
import { result, type Result } from './results.js';

export const CONFIG_API_VERSION = 'fn.prometheus-ha.dev/v1alpha1';
export const CONFIG_KIND = 'PrometheusHA';

export type Config = PrometheusHA;

export interface ConfigOutcome {
  config?: Config;
  results: Result[];
}

type Schema = Record<string, any>;

function resolveRef(s: Schema | undefined): Schema | undefined {
  if (s && typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '');
    return { ...schema().definitions[name], ...s, $ref: undefined };
  }
  return s;
}

/** The schema of a dotted config path, following properties and additionalProperties. */
export function schemaAt(path: string[]): Schema | undefined {
  let s: Schema | undefined = schema();
  for (const seg of path) {
    s = resolveRef(s);
    if (!s) return undefined;
    if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, seg)) s = s.properties[seg];
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return undefined;
  }
  return resolveRef(s);
}

/** A ConfigMap value (always a string) as the type the schema asks for. */
function coerce(raw: string, s: Schema | undefined): unknown {
  const t = s?.type;
  if (t === 'integer' || t === 'number') return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  if (t === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (t === 'array' || t === 'object') {
    if (/^\s*[[{]/.test(raw)) {
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    }
    return t === 'array' ? raw.split(',').map((x) => x.trim()).filter((x) => x !== '') : raw;
  }
  return raw;
}

function fromConfigMap(cm: Record<string, unknown>, where: { file?: string }): { values?: Record<string, unknown>; results: Result[] } {
  const data = cm.data ?? {};
  if (!isMap(data)) return { results: [result('CONFIG_INVALID', 'ConfigMap data must be a map of dotted keys to strings', { field: 'data', file: file(where) })] };
  const values: Record<string, unknown> = {};
  const results: Result[] = [];
  for (const [key, raw] of Object.entries(data)) {
    const path = key.split('.');
    const s = schemaAt(path);
    if (!s) {
      results.push(result('CONFIG_INVALID', `unknown config key "${key}" (known: ${Object.keys(schema().properties).filter((k) => !['apiVersion', 'kind', 'metadata'].includes(k)).join(', ')}; nested keys are dotted, e.g. query.replicas)`, { field: `data.${key}`, file: file(where) }));
      continue;
    }
    setOwnPath(values, path, coerce(String(raw), s));
  }
  return { values, results };
}

const file = (where: { file?: string }) => (where.file ? { path: where.file } : undefined);

function fieldOf(e: ErrorObject): string {
  const segs = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') segs.push(String((e.params as { additionalProperty: string }).additionalProperty));
  if (e.keyword === 'required') segs.push(String((e.params as { missingProperty: string }).missingProperty));
  return segs.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(config)';
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'pattern' && /version/.test(e.instancePath)) return `must be a Thanos release as the image is tagged, such as v0.42.4 or 0.39.2-debian-12-r0 (pattern ${(e.params as { pattern: string }).pattern})`;
  const key = (e as ErrorObject & { propertyName?: string }).propertyName;
  // podLabels (schema definitions.podSettings): `not` an enum of the labels prometheus-ha sets itself.
  if (key !== undefined && e.keyword === 'not') return `invalid key ${JSON.stringify(key)}: prometheus-ha sets this label itself (the Deployment's selector depends on it); use another key`;
  if (key !== undefined) return `invalid key ${JSON.stringify(key)}: ${e.message}`;
  return e.message ?? e.keyword;
}

/**
 * Reads and validates a function config object (already plain JS). `undefined` config means
 * defaults. Returns the config with the schema's defaults filled in.
 */
export function readConfig(raw: unknown, where: { file?: string } = {}): ConfigOutcome {
  let values: unknown = raw ?? {};
  if (!isMap(values)) {
    return { results: [result('CONFIG_KIND', `the function config must be a map (kind ${CONFIG_KIND} or ConfigMap), found ${Array.isArray(values) ? 'a list' : typeof values}`, { file: file(where) })] };
  }
  const results: Result[] = [];
  const kind = values.kind;
  if (kind === 'ConfigMap') {
    const r = fromConfigMap(values, where);
    results.push(...r.results);
    values = r.values ?? {};
  } else if (kind === undefined && values.apiVersion === undefined && Object.keys(values).length === 0) {
    values = {};
  } else if (kind !== CONFIG_KIND) {
    return {
      results: [
        result('CONFIG_KIND', `unsupported function config kind ${kind === undefined ? '(none)' : JSON.stringify(kind)}: accepted kinds are ${CONFIG_KIND} (apiVersion ${CONFIG_API_VERSION}) and ConfigMap`, {
          field: 'kind',
          file: file(where),
          ref: { apiVersion: typeof values.apiVersion === 'string' ? values.apiVersion : undefined, kind: typeof kind === 'string' ? kind : undefined },
        }),
      ],
    };
  } else if (values.apiVersion !== CONFIG_API_VERSION) {
    results.push(result('CONFIG_INVALID', `apiVersion must be ${CONFIG_API_VERSION}, found ${JSON.stringify(values.apiVersion)}`, { field: 'apiVersion', file: file(where) }));
  }
  const copy = structuredClone(values) as Record<string, unknown>;
  if (!validate(copy)) {
    // A rule between fields (the schema's allOf: if ... then ...) is said once, in its $comment's
    // words ("<field>: <why>"), instead of ajv's "must match then schema".
    const rules = new Set<number>();
    for (const e of validate.errors ?? []) {
      const m = /^#\/allOf\/(\d+)\//.exec(e.schemaPath);
      if (m) rules.add(Number(m[1]));
    }
    for (const i of rules) {
      const [field, why] = String(schema().allOf[i].$comment).split(/: (.*)/s) as [string, string];
      results.push(result('CONFIG_INVALID', `config ${field}: ${why}`, { field, file: file(where) }));
    }
    // propertyNames errors repeat the key's own error: keep that one only. The key's error names the
    // key (propertyName) when the key's schema was inlined; from a definition compiled on its own
    // (codegen.ts inlineRefs) it does not, and the propertyNames error right after it says which.
    const errors = validate.errors ?? [];
    errors.forEach((e, i) => {
      if (e.keyword === 'propertyNames' || e.schemaPath.startsWith('#/allOf/')) return;
      const named = e as ErrorObject & { propertyName?: string };
      if (named.propertyName === undefined) {
        const next = errors.slice(i + 1).find((x) => x.instancePath === e.instancePath);
        if (next?.keyword === 'propertyNames') named.propertyName = String((next.params as { propertyName: string }).propertyName);
      }
      results.push(result('CONFIG_INVALID', `config ${fieldOf(e)}: ${messageOf(e)}`, { field: fieldOf(e), file: file(where) }));
    });
  }
  if (!results.length) results.push(...podSettingsProblems(copy, where));
  if (results.length) return { results };
  return { config: copy as Config, results };
}

/**
 * The components whose pod settings (schema definitions.podSettings) are at `<component>.pod`, each
 * with the names of the volumes it has itself (model.ts), which extraVolumes may not take.
 */
export const POD_SETTINGS_AT: Record<string, string[]> = {
  query: [GRPC_CLIENT_TLS_VOLUME],
  // The claim template's volume (data) and the object storage Secret's; the Store Gateway's TLS Secret.
  compactor: [DATA_VOLUME, OBJSTORE_VOLUME],
  storeGateway: [DATA_VOLUME, OBJSTORE_VOLUME, GRPC_SERVER_TLS_VOLUME],
  queryFrontend: [],
};

/**
 * What the schema cannot say about pod settings, and the API server would refuse: a volume mount
 * must name one of the extra volumes (the components have none of their own), and volume names are
 * unique. The chart fails on the same (chart/build.ts refusals).
 */
function podSettingsProblems(values: Record<string, unknown>, where: { file?: string }): Result[] {
  const out: Result[] = [];
  for (const [component, own] of Object.entries(POD_SETTINGS_AT)) {
    const pod = isMap(values[component]) && isMap((values[component] as Record<string, unknown>).pod) ? ((values[component] as Record<string, unknown>).pod as Record<string, unknown>) : {};
    const volumes = Array.isArray(pod.extraVolumes) ? pod.extraVolumes.map((v) => (isMap(v) ? String(v.name) : '')) : [];
    volumes.forEach((name, i) => {
      if (own.includes(name)) out.push(result('CONFIG_INVALID', `config ${component}.pod.extraVolumes[${i}].name: "${name}" is the name of a volume prometheus-ha adds itself; use another name`, { field: `${component}.pod.extraVolumes[${i}].name`, file: file(where) }));
      else if (volumes.indexOf(name) !== i) out.push(result('CONFIG_INVALID', `config ${component}.pod.extraVolumes[${i}].name: a second volume named "${name}"`, { field: `${component}.pod.extraVolumes[${i}].name`, file: file(where) }));
    });
    (Array.isArray(pod.extraVolumeMounts) ? pod.extraVolumeMounts : []).forEach((m, i) => {
      const name = isMap(m) ? String(m.name) : '';
      if (!volumes.includes(name)) out.push(result('CONFIG_INVALID', `config ${component}.pod.extraVolumeMounts[${i}].name: mounts "${name}", which is not one of ${component}.pod.extraVolumes`, { field: `${component}.pod.extraVolumeMounts[${i}].name`, file: file(where) }));
    });
  }
  return out;
}

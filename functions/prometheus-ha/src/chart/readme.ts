/**
 * The chart's README.md: how to install it, and its values as a table in helm-docs' layout (key,
 * type, default, description), from the chart's values.schema.json (the one schema) and the
 * chart's own defaults (the config it was generated with).
 */
import { isMap } from '../core/util.js';

type Schema = Record<string, any>;

const refName = (s: Schema): string | undefined => (typeof s.$ref === 'string' ? s.$ref.replace('#/definitions/', '') : undefined);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
const code = (v: unknown): string => `\`${JSON.stringify(v).replace(/\|/g, '\\|')}\``;

/** helm-docs' type words: string, int, float, bool, list, object. */
function typeWord(s: Schema, defs: Schema): string {
  const r = refName(s) ? { ...defs[refName(s)!], ...s } : s;
  if (r.anyOf) return [...new Set(r.anyOf.map((x: Schema) => typeWord(x, defs)))].join(' or ');
  switch (r.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'list';
    case undefined:
      return r.enum ? 'string' : 'object';
    default:
      return String(r.type);
  }
}

export interface ReadmeAbout {
  /** The Prometheus the chart was made for. */
  target: { name?: string; namespace?: string };
  chartName: string;
  thanosVersion: string;
}

export function chartReadme(valuesSchema: Schema, defaults: Record<string, unknown>, about: ReadmeAbout, banner: string): string {
  const defs: Schema = valuesSchema.definitions ?? {};
  const rows: string[] = [];
  const resolve = (s: Schema): Schema => (refName(s) ? { ...defs[refName(s)!], ...s } : s);
  // A map whose keys have defaults, as build.ts's isRecord: Helm merges it key by key.
  const isRecord = (s: Schema): boolean => {
    const r = resolve(s);
    return !!r.properties && Object.values(r.properties as Record<string, Schema>).some((p) => resolve(p).default !== undefined || isRecord(p));
  };
  // An object of named fields is a row a field, unless the chart gives it a whole map that a map
  // given replaces (query.resources); a label selector, or an object of maps only (resources:
  // limits, requests), is one row.
  const hasFields = (s: Schema): boolean => Object.values((resolve(s).properties ?? {}) as Record<string, Schema>).some((p) => resolve(p).type !== 'object' || !!resolve(p).properties);
  const nested = (raw: Schema, value: unknown): boolean =>
    hasFields(raw) && refName(raw) !== 'labelSelector' && (value === undefined || (isMap(value) && (Object.keys(value).length === 0 || isRecord(raw))));
  // A key without a description of its own is described by its parent's (storeApi.label.key).
  const walk = (props: Schema, d: unknown, prefix: string, parentDescription = '') => {
    for (const [key, raw] of Object.entries(props) as [string, Schema][]) {
      const s = resolve(raw);
      const path = prefix + key;
      const value = isMap(d) ? d[key] : undefined;
      const desc: string = raw.description ?? s.description ?? '';
      if (nested(raw, value)) walk(s.properties, value, `${path}.`, desc || parentDescription);
      else rows.push(`| ${path} | ${typeWord(raw, defs)} | ${value === undefined ? 'unset' : code(value)} | ${cell(desc || parentDescription)} |`);
    }
  };
  walk(valuesSchema.properties, defaults, '');
  const where = about.target.namespace ? `\`${about.target.namespace}/${about.target.name}\`` : `\`${about.target.name}\``;
  return `${banner}
# ${about.chartName}

Makes one Prometheus Operator \`Prometheus\` highly available with Thanos ${about.thanosVersion}, the
one it was generated for: ${where}. It renders that Prometheus with replicas, a podAntiAffinity,
the Thanos sidecar, the store-API pod label and external labels set, plus Thanos Query, a headless
store-API Service, a Query Service and PodDisruptionBudget (and, when enabled, a ServiceMonitor,
NetworkPolicies, topology spread). It renders exactly what the prometheus-ha KRM function gives for the same base
and config; \`prometheus-ha chart --out DIR --base FILE\` writes it for another Prometheus.

\`\`\`shell
helm install ha . -n monitoring                   # the defaults below
helm install ha . -n monitoring --set replicas=3 --set externalLabels.cluster=eu1
helm template ha . -n monitoring -f my-values.yaml
\`\`\`

The chart's namespace (\`-n\`) is the namespace of the Prometheus and of everything it adds.
\`values.schema.json\` refuses a misspelt or unknown value; \`global\` is accepted, so the chart can
be a dependency (subchart) of another chart. Values the function would refuse fail the install with
its reason (a \`query.extraArgs\` flag that \`query.version\` does not have, say: Thanos Query would
exit at start-up).

## Values

A default of \`unset\` means the value is not set, and the description says what happens then. A
map default (such as \`thanos.resources\`) is used when the key is unset; a map you give replaces it
whole.

| Key | Type | Default | Description |
|-----|------|---------|-------------|
${rows.join('\n')}
`;
}

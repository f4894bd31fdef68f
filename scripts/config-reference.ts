/**
 * The FunctionConfig reference (functions/prometheus-ha/docs/config-reference.md), generated from
 * the schema's types, bounds, defaults and descriptions. Registered in codegen.ts's GENERATED map.
 */
import Ajv from 'ajv';
import { parse, stringify } from 'yaml';

type Schema = Record<string, any>;

const words = (name: string): string => name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/\bdns\b/i, 'DNS').replace(/^prom\b/i, 'Prometheus').toLowerCase().replace(/\bdns\b/, 'DNS').replace(/\bprometheus\b/, 'Prometheus');
/** A value as YAML would need it written: strings that would read as something else are quoted. */
const code = (v: unknown): string => '`' + (typeof v === 'string' && parse(v) === v ? v : JSON.stringify(v)) + '`';
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

function refName(s: Schema): string | undefined {
  return typeof s.$ref === 'string' ? s.$ref.replace('#/definitions/', '') : undefined;
}

export function configReferenceMd(schema: Schema, bannerLine: string): string {
  const defs: Schema = schema.definitions ?? {};
  const resolve = (s: Schema): Schema => {
    const name = refName(s);
    return name ? { ...defs[name], ...s, $ref: undefined } : s;
  };

  function typeOf(raw: Schema): string {
    const name = refName(raw);
    const s = resolve(raw);
    if (name === 'labelSelector') return 'LabelSelector (`matchLabels`, `matchExpressions`)';
    if (s.anyOf) return s.anyOf.map((x: Schema) => typeOf(x)).join(' or ');
    if (s.const !== undefined) return code(s.const);
    if (s.enum) return `one of ${s.enum.map(code).join(', ')}`;
    let t: string;
    if (s.type === 'array') t = `list of ${typeOf(s.items ?? {})}`;
    else if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
      const v = s.additionalProperties;
      t = `map of ${v.description?.startsWith('A Kubernetes quantity') ? 'quantity (string or number)' : typeOf(v)}`;
    } else t = s.type ?? 'any';
    if (name && s.type === 'string') t = `string (${words(name)})`;
    const bounds: string[] = [];
    if (s.minimum !== undefined && s.maximum !== undefined) bounds.push(`${s.minimum} to ${s.maximum}`);
    else if (s.minimum !== undefined) bounds.push(`at least ${s.minimum}`);
    if (s.maxItems !== undefined) bounds.push(`at most ${s.maxItems} items`);
    if (s.uniqueItems) bounds.push('unique');
    if (s.type === 'string' && typeof s.pattern === 'string' && s.pattern.startsWith('^v(0|')) bounds.push('a release tag such as v0.42.4');
    return bounds.length ? `${t}, ${bounds.join(', ')}` : t;
  }

  const rows: string[] = [];
  function walk(props: Schema, prefix: string): void {
    for (const [key, raw] of Object.entries(props) as [string, Schema][]) {
      const s = resolve(raw);
      const path = prefix + key;
      const def = s.default;
      const showDefault = def !== undefined && !(typeof def === 'object' && def !== null && !Array.isArray(def) && Object.keys(def).length === 0);
      rows.push(`| \`${path}\` | ${cell(typeOf(raw))} | ${showDefault ? cell(code(def)) : ''} | ${cell(raw.description ?? s.description ?? '')} |`);
      if (s.type === 'object' && s.properties && refName(raw) !== 'labelSelector') walk(s.properties, `${path}.`);
    }
  }
  walk(schema.properties, '');

  // Every default, as the function fills them in for an empty config.
  const ajv = new Ajv.default({ useDefaults: true, strict: false });
  const defaults: Record<string, unknown> = {};
  ajv.compile(schema)(defaults);

  const apiVersion = schema.properties.apiVersion.const;
  const kind = schema.properties.kind.const;
  return `${bannerLine}
# ${kind} FunctionConfig reference

${schema.description}

As a KRM function config: \`apiVersion: ${apiVersion}\`, \`kind: ${kind}\`, with the fields below
at the top level (no \`spec:\`). Every field is optional; an empty config (or none) means the
defaults. Unknown fields are errors.

As a \`ConfigMap\` (what \`kpt fn eval --exec prometheus-ha -- KEY=VALUE ...\` sends): each field
below as a dotted key under \`data\`, for example \`replicas: "3"\`, \`externalLabels.cluster: eu1\`,
\`query.replicas: "1"\`. Numbers and booleans are read as the field's type; a list is comma-separated
(or JSON); an object field is JSON.

## Fields

| Field | Type | Default | Description |
|---|---|---|---|
${rows.join('\n')}

## Defaults

The config an empty \`${kind}\` stands for:

\`\`\`yaml
${stringify({ apiVersion, kind, metadata: { name: 'prometheus-ha' }, ...defaults }, { lineWidth: 0 }).trimEnd()}
\`\`\`
`;
}

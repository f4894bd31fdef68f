/**
 * Configs drawn from schema/prometheus-ha.schema.json itself (fast-check), so new config fields are
 * drawn without touching the tests that use them (test/tools/chart-property.test.ts,
 * test/core/agreement.test.ts).
 */
import fc from 'fast-check';
import { readConfig } from '../../functions/prometheus-ha/src/core/config.js';
import { THANOS_FLAG_RELEASES } from '../../functions/prometheus-ha/src/generated/thanos-flags.js';
import schemaJson from '../../schema/prometheus-ha.schema.json' with { type: 'json' };

type Schema = Record<string, any>;
export const schema = schemaJson as Schema;
const resolve = (s: Schema): Schema => (typeof s.$ref === 'string' ? { ...schema.definitions[s.$ref.replace('#/definitions/', '')], ...s, $ref: undefined } : s);

/** A value the schema describes (mostly valid; invalid draws are dropped by the real validator). */
export function arb(s0: Schema): fc.Arbitrary<unknown> {
  if (s0.$ref === '#/definitions/podSettings') return arbSchema(resolve(s0)).map(consistentVolumes);
  if (s0 === schema.properties.query.properties.extraArgs) return fc.array(QUERY_FLAG, { maxLength: 3 });
  if (s0.$ref === '#/definitions/thanosVersion' || s0 === schema.properties.query.properties.version || s0 === schema.properties.thanos.properties.version) return fc.oneof(fc.constantFrom(...RELEASES), arbSchema(resolve(s0)));
  return arbSchema(resolve(s0));
}

/**
 * Thanos releases for the components' versions: every release whose --help the flag table holds,
 * one between two of them, a bitnami tag, one newer and one older than the table (drawn from the
 * pattern alone, versions would almost never be ones the table judges).
 */
const RELEASES = [...THANOS_FLAG_RELEASES, 'v0.39.0', '0.37.2-debian-12-r0', 'v0.50.0', 'v0.29.0'];

/**
 * Query's extra flags as people write them: flags every release has, flags some releases have
 * (thanos query --help, test/fixtures/thanos-flags/: --store up to v0.37, --deduplication.func
 * from v0.38, ...), and flags no release has. Drawn from the pattern alone, almost every flag
 * would be unknown to every release, and almost every config with extra flags refused. None that
 * changes what `check` judges of Query (its endpoints, replica labels, TLS), but --store, whose
 * target is a store elsewhere (test/core/agreement.test.ts leaves those out, as query.endpoints).
 */
const QUERY_FLAG = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('--query.timeout=2m', '--query.max-concurrent=20', '--query.auto-downsampling', '--no-query.partial-response', '--log.format=json', '--query.lookback-delta=15m') },
  { weight: 4, arbitrary: fc.constantFrom('--query.enable-x-functions', '--enable-feature=promql-experimental-functions', '--deduplication.func=penalty', '--grpc-client-tls-min-version=1.3', '--store=thanos-store.example.com:10901', '--log.request.decision=LogFinishCall') },
  { weight: 1, arbitrary: fc.constantFrom('--query.no-such-flag=1', '--no-endpoint') },
);

/**
 * Pod settings whose volume mounts name their volumes: the config refuses a mount of no volume,
 * two volumes of one name and Query's own TLS volume's name (rules the schema cannot state), and
 * with four components' pod settings in one config, drawn freely, almost none would be valid.
 */
function consistentVolumes(p: unknown): unknown {
  const pod = p as { extraVolumes?: { name?: string }[]; extraVolumeMounts?: { name?: string }[] };
  if (!pod || typeof pod !== 'object') return p;
  const seen = new Set<string>();
  const volumes = (pod.extraVolumes ?? []).filter((v) => typeof v.name === 'string' && v.name !== 'grpc-client-tls' && !seen.has(v.name) && seen.add(v.name));
  const names = [...seen];
  const mounts = names.length ? (pod.extraVolumeMounts ?? []).map((m, i) => ({ ...m, name: names[i % names.length] })) : [];
  const out: Record<string, unknown> = { ...pod };
  if (pod.extraVolumes) out.extraVolumes = volumes;
  if (pod.extraVolumeMounts) out.extraVolumeMounts = mounts;
  return out;
}

function arbSchema(s: Schema): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.anyOf) return fc.oneof(...(s.anyOf as Schema[]).map(arb));
  // allOf [a, not b] (podLabels' keys): drawn from a, the validator drops what b refuses. An object
  // schema with its own properties and an allOf of if/then rules (the root's: a Compactor needs
  // object storage) is drawn from its properties; the validator drops what the rules refuse.
  if (s.allOf && !s.properties) return arb(s.allOf[0]);
  switch (s.type) {
    case 'object': {
      if (s.properties) {
        const keys = Object.keys(s.properties).filter((k) => !['apiVersion', 'kind', 'metadata', 'target'].includes(k));
        const rec = fc.record(Object.fromEntries(keys.map((k) => [k, arb(s.properties[k])])), { requiredKeys: ((s.required ?? []) as string[]).filter((k) => keys.includes(k)) });
        return s.minProperties ? rec.filter((o) => Object.keys(o).length >= s.minProperties) : rec;
      }
      const key = s.propertyNames ? (arb(s.propertyNames) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 12 });
      const value = typeof s.additionalProperties === 'object' ? arb(s.additionalProperties) : fc.string({ maxLength: 12 });
      return fc.dictionary(key, value, { minKeys: s.minProperties ?? 0, maxKeys: 3 });
    }
    case 'array': {
      const item = arb(s.items ?? {});
      const max = Math.min(s.maxItems ?? 4, 4);
      return s.uniqueItems ? fc.uniqueArray(item, { maxLength: max, selector: (x) => JSON.stringify(x) }) : fc.array(item, { maxLength: max });
    }
    case 'string': {
      const str = s.pattern ? fc.stringMatching(new RegExp(s.pattern)) : fc.string({ maxLength: 16 });
      return str.filter((x) => x.length >= (s.minLength ?? 0) && x.length <= Math.min(s.maxLength ?? 80, 80));
    }
    case 'integer':
      return fc.integer({ min: s.minimum ?? -5, max: Math.min(s.maximum ?? 1000, 1000) });
    case 'number':
      return fc.oneof(fc.integer({ min: s.minimum ?? 0, max: 4096 }), fc.constantFrom(0.5, 1.25, 1e6));
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant({});
  }
}

/** Whether the function accepts these values as its config. */
export const valid = (values: Record<string, unknown>): boolean => !!readConfig({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', ...values }).config;

/** `n` valid configs (chart values: no apiVersion/kind/metadata/target), drawn with a fixed seed. */
export const validConfigs = (seed: number, n: number): Record<string, unknown>[] => fc.sample((arb(schema) as fc.Arbitrary<Record<string, unknown>>).filter(valid), { seed, numRuns: n });

/**
 * The README's "Growing" picture, drawn from the model: the function runs on the tutorial base with
 * every component on, and the Mermaid graph is read off what it emits (who is pointed at whom by
 * --endpoint, --query-frontend.downstream-url and the object storage flags, which Service selects
 * which pods). `npm run generate` rewrites the block between the README's topology markers;
 * test/bin/topology.test.ts fails when it is stale.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readConfig } from '../functions/prometheus-ha/src/core/config.js';
import { transform } from '../functions/prometheus-ha/src/core/transform.js';
import { readStream } from '../functions/prometheus-ha/src/yaml/source.js';
import { yamlReader } from '../functions/prometheus-ha/src/yaml/yamldoc.js';

export const README = 'README.md';
export const BEGIN = '<!-- topology: DO NOT EDIT, drawn from model.ts by `npm run generate` (scripts/topology.ts) -->';
export const END = '<!-- /topology -->';

/** The config the picture is drawn for: every component on. */
export const EVERY_COMPONENT = {
  thanos: { objectStorageConfig: { name: 'thanos-objstore', key: 'objstore.yml' } },
  compactor: { enabled: true },
  storeGateway: { enabled: true },
  queryFrontend: { enabled: true },
  query: { endpoints: ['thanos-query.other-cluster.example:10901'] },
};

type Obj = Record<string, any>;
const selects = (sel: Obj, labels: Obj) => Object.entries(sel ?? {}).every(([k, v]) => labels?.[k] === v);

export function topologyMermaid(root: string): string {
  const base = readFileSync(`${root}kustomize/seed/prometheus.yaml`, 'utf8');
  const c = readConfig({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', ...EVERY_COMPONENT });
  if (!c.config) throw new Error(`topology config: ${c.results.map((r) => r.message).join('; ')}`);
  const out = transform(readStream(base).items, c.config, yamlReader);
  const objs: Obj[] = out.items.map((it) => (it.text !== undefined ? parse(it.text) : parse(it.source!.text)));
  const prom = objs.find((o) => o.kind === 'Prometheus')!;
  const podLabels = (o: Obj): Obj => (o.kind === 'Prometheus' ? o.spec?.podMetadata?.labels ?? {} : o.spec?.template?.metadata?.labels ?? {});
  const workloads = objs.filter((o) => ['Deployment', 'StatefulSet', 'Prometheus'].includes(o.kind));
  const id = (o: Obj) => `${o.kind}_${o.metadata.name}`.replace(/[^A-Za-z0-9_]/g, '_');
  const args = (o: Obj): string[] => o.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const label = (o: Obj): string => {
    if (o.kind === 'Prometheus') return `Prometheus ${o.metadata.name} ×${o.spec.replicas}<br/>+ Thanos sidecars`;
    const what: Record<string, string> = { query: 'Thanos Query', 'query-frontend': 'Query Frontend', store: 'Store Gateway', compact: 'Compactor' };
    return `${what[args(o)[0]!] ?? args(o)[0]} ×${o.spec.replicas}<br/>${o.kind} ${o.metadata.name}`;
  };
  /** The workloads a Service of the output selects. */
  const behind = (svcName: string): Obj[] => {
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === svcName);
    return svc ? workloads.filter((w) => selects(svc.spec.selector, podLabels(w))) : [];
  };
  const lines = ['```mermaid', 'flowchart LR', '  user([Grafana, users])', `  bucket[(object storage<br/>Secret ${EVERY_COMPONENT.thanos.objectStorageConfig.name})]`, '  other([another cluster\'s Query or sidecars])'];
  for (const w of workloads) lines.push(`  ${id(w)}["${label(w)}"]`);
  const edges: string[] = [];
  for (const w of workloads) {
    for (const a of args(w)) {
      const ep = /^--endpoint=dnssrv\+_grpc\._tcp\.([^.]+)\./.exec(a);
      if (ep) for (const t of behind(ep[1]!)) edges.push(`  ${id(w)} -->|"store API (Service ${ep[1]})"| ${id(t)}`);
      else if (a.startsWith('--endpoint=')) edges.push(`  ${id(w)} -->|store API| other`);
      const ds = /^--query-frontend\.downstream-url=https?:\/\/([^.:/]+)/.exec(a);
      if (ds) for (const t of behind(ds[1]!)) edges.push(`  ${id(w)} -->|"HTTP (Service ${ds[1]})"| ${id(t)}`);
      if (a.startsWith('--objstore.config')) edges.push(`  ${id(w)} ${args(w)[0] === 'compact' ? '-->|compacts, deduplicates| bucket' : '-.->|reads| bucket'}`);
    }
  }
  if (prom.spec?.thanos?.objectStorageConfig) edges.push(`  ${id(prom)} -->|uploads blocks| bucket`);
  const entry = workloads.find((w) => args(w)[0] === 'query-frontend') ?? workloads.find((w) => args(w)[0] === 'query');
  if (entry) edges.unshift(`  user --> ${id(entry)}`);
  return [...lines, ...edges, '```'].join('\n');
}

/** The README with its topology block drawn anew. */
export function readmeWithTopology(root: string): string {
  const text = readFileSync(root + README, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a === -1 || b < a) throw new Error(`${README}: no ${BEGIN} ... ${END} block`);
  return `${text.slice(0, a + BEGIN.length)}\n${topologyMermaid(root)}\n${text.slice(b)}`;
}

/**
 * kube-prometheus-stack users, through Helm (issue 14 §7): the real chart
 * (test/fixtures/charts/kube-prometheus-stack-88.5.3, see its SOURCES.md) rendered by the real
 * Helm 3.17 (`--post-renderer PATH/dist/prometheus-ha.cjs`: Helm 3 runs the bin with the config
 * file as its one argument, the legacy plugin mode) and Helm 4.1 (`--post-renderer prometheus-ha`:
 * the plugin `install-helm-plugin` writes), with the chart's defaults and with values that set
 * hard anti-affinity, 3 replicas, a custom replica label and a thanos block of their own
 * (test/fixtures/brownfield/kube-prometheus-stack-88.5.3-ha.values.yaml).
 *
 * Each render is compared with the same Helm's render through a `cat` post-renderer (Helm 4
 * re-serialises what a post-renderer gets and gives, so that is the like-for-like reference): every
 * object but the Prometheus comes out as the same text, byte for byte; the Prometheus is HA and
 * keeps what the chart set; the added objects are the function's; `check` finds no error.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument } from 'yaml';
import { helmPluginsDir } from '../../functions/prometheus-ha/src/commands/install.js';
import { fixGoQuotes } from '../../functions/prometheus-ha/src/yaml/goyaml.js';
import { HELMS, pool, ROOT, sh, tmp, type Ran } from '../lib/chart-helpers.js';
import { BIN, bin } from '../lib/helpers.js';

const CHART = join(ROOT, 'test/fixtures/charts/kube-prometheus-stack-88.5.3');
const HA_VALUES = join(ROOT, 'test/fixtures/brownfield/kube-prometheus-stack-88.5.3-ha.values.yaml');
const PROMETHEUS = 'kps-kube-prometheus-stack-prometheus';
const dir = tmp('prometheus-ha-helm-postrender-');
const PLUGINS = join(dir, 'plugins');

const config = (name: string, body: string): string => {
  const p = join(dir, `${name}.yaml`);
  writeFileSync(p, `apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ${name}\n${body}`);
  return p;
};
// The default config: what a kube-prometheus-stack user writes first.
const CONFIG = config('kps-ha', '');
const BAD_CONFIG = config('bad', 'replicas: 1\n');

// A Helm 4 plugin that hands the manifests back as they came: the reference render.
mkdirSync(join(PLUGINS, 'cat'), { recursive: true });
writeFileSync(join(PLUGINS, 'cat/plugin.yaml'), 'apiVersion: v1\ntype: postrenderer/v1\nname: cat\nversion: 0.1.0\nruntime: subprocess\nruntimeConfig:\n  platformCommand:\n  - command: cat\n');

const install = bin(['install-helm-plugin', PLUGINS], '', { env: { HELM_PLUGINS: '' } });
const HELM4_ENV = { HELM_PLUGINS: PLUGINS };

type Values = 'defaults' | 'ha';
const VALUES: Values[] = ['defaults', 'ha'];

/** `helm template` of the chart; `renderer`: the bin (or the plugin), or `cat`. */
function render(helm: string, name: string, values: Values, renderer: 'prometheus-ha' | 'cat', cfg = CONFIG): Promise<Ran> {
  const args = ['template', 'kps', CHART, '-n', 'monitoring', '--set', 'grafana.adminPassword=test', ...(values === 'ha' ? ['-f', HA_VALUES] : [])];
  if (name === 'helm3') return sh(helm, [...args, '--post-renderer', renderer === 'cat' ? 'cat' : BIN, ...(renderer === 'cat' ? [] : ['--post-renderer-args', cfg])]);
  return sh(helm, [...args, '--post-renderer', renderer, ...(renderer === 'cat' ? [] : ['--post-renderer-args', cfg])], HELM4_ENV);
}

interface Doc {
  text: string;
  obj: any;
}
/** The documents of a render, each with its text (Helm 4's closing quotes at column 0 read as Go reads them). */
function documents(text: string): Doc[] {
  return text
    .split(/^---\n/m)
    .filter((t) => t.replace(/^#.*\n/gm, '').trim())
    .map((t) => {
      const d = parseDocument(fixGoQuotes(t)?.text ?? t);
      assert.equal(d.errors, [], `a document of the render is YAML:\n${t.slice(0, 500)}`);
      return { text: t, obj: d.toJS() };
    });
}
/**
 * A document's text without the comment lines before it: Helm's `# Source:` lines. As a legacy
 * plugin the function writes the documents without the comments between them (README), and Helm 3
 * prints what the post-renderer wrote; Helm 4 writes its own again.
 */
const withoutSource = (text: string): string => text.replace(/^(?:#.*\n)+/, '');
const key = (o: any): string => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** The fields of the Prometheus the function may set; every other one must come out as the chart set it. */
const HA_FIELDS = ['replicas', 'affinity', 'thanos', 'podMetadata', 'externalLabels'];

const renders = new Map<string, Promise<[Ran, Ran]>>();
const both = (name: string, helm: string, values: Values) => {
  const k = `${name}/${values}`;
  if (!renders.has(k)) renders.set(k, pool([() => render(helm, name, values, 'cat'), () => render(helm, name, values, 'prometheus-ha')], 2) as Promise<[Ran, Ran]>);
  return renders.get(k)!;
};

test('install-helm-plugin DIR: a postrenderer/v1 plugin named prometheus-ha, and the export line Helm needs', () => {
  assert.is(install.code, 0, install.stderr);
  // HELM_PLUGINS was unset: Helm then looks only in its data home's plugins, which the line keeps.
  assert.is(install.stdout, `export HELM_PLUGINS=${PLUGINS}:${helmPluginsDir({ ...process.env, HELM_PLUGINS: '' })}\n`);
  const yaml = parseDocument(readFileSync(join(PLUGINS, 'prometheus-ha/plugin.yaml'), 'utf8')).toJS();
  assert.equal({ apiVersion: yaml.apiVersion, type: yaml.type, name: yaml.name, runtime: yaml.runtime }, { apiVersion: 'v1', type: 'postrenderer/v1', name: 'prometheus-ha', runtime: 'subprocess' });
  assert.match(readFileSync(join(PLUGINS, 'prometheus-ha/prometheus-ha'), 'utf8'), JSON.stringify(BIN));
});

test('install-helm-plugin without DIR: into Helm\'s plugins folder ($HELM_DATA_HOME/plugins), no export needed', async () => {
  const data = join(dir, 'data-home');
  const r = bin(['install-helm-plugin'], '', { env: { HELM_DATA_HOME: data, HELM_PLUGINS: '' } });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.ok(readFileSync(join(data, 'plugins/prometheus-ha/plugin.yaml'), 'utf8').includes('type: postrenderer/v1'));
  const helm4 = HELMS.find(([n]) => n === 'helm4');
  if (helm4) {
    // Helm 4 itself lists it (sh() sets its own HELM_DATA_HOME: point HELM_PLUGINS there).
    const list = await sh(helm4[1], ['plugin', 'list'], { HELM_PLUGINS: join(data, 'plugins') });
    assert.is(list.code, 0, list.stderr);
    assert.match(list.stdout, /prometheus-ha\s+0\.1\.0\s+postrenderer\/v1/);
  }
});

const helm3 = HELMS.find(([n]) => n === 'helm3');
if (helm3) {
  test("helm3, kube-prometheus-stack with its own Prometheus PodDisruptionBudget: kept, no second one added", async () => {
    const r = await sh(helm3[1], ['template', 'kps', CHART, '-n', 'monitoring', '--set', 'grafana.adminPassword=test', '--set', 'prometheus.podDisruptionBudget.enabled=true', '--post-renderer', BIN, '--post-renderer-args', CONFIG]);
    assert.is(r.code, 0, r.stderr);
    const pdbs = documents(r.stdout).filter((d) => d.obj.kind === 'PodDisruptionBudget').map((d) => d.obj.metadata.name).sort();
    // The chart's (templates/prometheus/podDisruptionBudget.yaml) selects app.kubernetes.io/name: prometheus + operator.prometheus.io/name.
    assert.equal(pdbs, ['kps-kube-prometheus-stack-prometheus', 'thanos-query']);
  });
}

for (const [name, helm] of HELMS) {
  for (const values of VALUES) {
    test(`${name}, kube-prometheus-stack 88.5.3 (${values}) --post-renderer prometheus-ha: HA, the chart's choices kept, every other object byte for byte`, async () => {
      const [ref, out] = await both(name, helm, values);
      assert.is(ref.code, 0, ref.stderr);
      assert.is(out.code, 0, out.stderr);
      const before = documents(ref.stdout);
      const after = documents(out.stdout);
      const beforeKeys = new Map(before.map((d) => [key(d.obj), d]));
      assert.ok(before.length >= 120, `the chart rendered ${before.length} objects`);

      // Every object of the chart is there, and all but the Prometheus as the same text.
      const afterKeys = new Map(after.map((d) => [key(d.obj), d]));
      for (const [k, d] of beforeKeys) {
        assert.ok(afterKeys.has(k), `${k} is kept`);
        if (!k.startsWith('Prometheus/')) assert.ok(withoutSource(afterKeys.get(k)!.text) === withoutSource(d.text), `${k} byte for byte`);
      }
      const added = after.filter((d) => !beforeKeys.has(key(d.obj))).map((d) => key(d.obj)).sort();
      // The chart's own Prometheus PodDisruptionBudget is off by default (prometheus.podDisruptionBudget.enabled): ours is added.
      assert.equal(added, [`PodDisruptionBudget/monitoring/prometheus-${PROMETHEUS}`, 'Deployment/monitoring/thanos-query', 'PodDisruptionBudget/monitoring/thanos-query', 'Service/monitoring/thanos-query', 'Service/monitoring/thanos-store-api'].sort());
      if (name === 'helm4') assert.ok(before.some((d) => /\n'\n/.test(d.text)), "Helm 4's closing quotes at column 0 are in the render, and passed through");

      // The Prometheus: HA, and what the chart set kept.
      const chartProm = beforeKeys.get(`Prometheus/monitoring/${PROMETHEUS}`)!.obj;
      const prom = afterKeys.get(`Prometheus/monitoring/${PROMETHEUS}`)!.obj;
      assert.ok(prom.spec.replicas >= 2, `replicas ${prom.spec.replicas}`);
      assert.ok(prom.spec.thanos?.image && prom.spec.thanos?.version, 'the Thanos sidecar');
      assert.is(prom.spec.podMetadata?.labels?.['thanos-store-api'], 'true');
      for (const [f, v] of Object.entries(chartProm.spec)) if (!HA_FIELDS.includes(f)) assert.equal(prom.spec[f], v, `spec.${f} as the chart set it`);
      assert.equal(prom.metadata, chartProm.metadata, 'metadata as the chart set it');
      // The chart's anti-affinity (soft by default, hard with the HA values) already spreads the
      // replicas: kept as written.
      assert.equal(prom.spec.affinity, chartProm.spec.affinity);
      assert.ok(chartProm.spec.affinity.podAntiAffinity[values === 'ha' ? 'requiredDuringSchedulingIgnoredDuringExecution' : 'preferredDuringSchedulingIgnoredDuringExecution']);
      // A config default never overwrites what the chart set (the HA values: 3 replicas, a thanos
      // block of their own, a supported sidecar v0.39.2).
      if (values === 'ha') {
        assert.is(prom.spec.replicas, 3);
        assert.equal(prom.spec.thanos, chartProm.spec.thanos);
        assert.is(prom.spec.replicaExternalLabelName, 'replica');
      } else assert.is(prom.spec.replicas, 2, 'the chart says 1: raised to 2');

      // Query deduplicates by the replica label this Prometheus really has.
      const query = after.find((d) => key(d.obj) === 'Deployment/monitoring/thanos-query')!.obj;
      const args: string[] = query.spec.template.spec.containers[0].args;
      const replicaLabel = chartProm.spec.replicaExternalLabelName ?? 'prometheus_replica';
      assert.is(replicaLabel, values === 'ha' ? 'replica' : 'prometheus_replica');
      assert.ok(args.includes(`--query.replica-label=${replicaLabel}`), args.join(' '));
      assert.ok(args.includes('--endpoint=dnssrv+_grpc._tcp.thanos-store-api.monitoring.svc.cluster.local'), args.join(' '));

      // `check` on what Helm printed finds no error.
      const c = bin(['check'], out.stdout);
      assert.is(c.code, 0, `${c.stdout}${c.stderr}`);
      assert.not.match(c.stdout, /\berror\b/);
    });
  }

  test(`${name}: a config the function refuses fails the render, with the function's message`, async () => {
    const r = await render(helm, name, 'defaults', 'prometheus-ha', BAD_CONFIG);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    if (name === 'helm3') {
      // Helm 3 quotes the post-renderer's stderr.
      assert.match(r.stderr, /error while running command .*prometheus-ha\.cjs\. error output:\nprometheus-ha: error \[CONFIG_INVALID\].*replicas: must be >= 2/s);
      return;
    }
    // Helm 4 shows no stderr of a plugin; the plugin's wrapper copies it to Helm's stderr when
    // that is a pipe (here: a shell pipeline; node's own stdio pipes are sockets, which /proc
    // cannot open) or a terminal.
    assert.match(r.stderr, /plugin "prometheus-ha" exited with error/);
    const piped = await sh('bash', ['-c', 'set -o pipefail; "$@" 2>&1 >/dev/null | cat', 'helm', helm, 'template', 'kps', CHART, '-n', 'monitoring', '--post-renderer', 'prometheus-ha', '--post-renderer-args', BAD_CONFIG], HELM4_ENV);
    assert.is(piped.code, 1, piped.stdout);
    assert.match(piped.stdout, /prometheus-ha: error \[CONFIG_INVALID\].*replicas: must be >= 2[^]*plugin "prometheus-ha" exited with error/);
  });
}

if (!HELMS.length) console.log('\n!!! no Helm found: the Helm post-renderer tests DID NOT RUN\n');

test.run();

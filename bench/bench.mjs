// npm run bench: measures prometheus-ha side by side with its references, in one run, alternating
// the commands of each comparison, and prints medians, ratios and PASS/MISS against the targets
// (issue 7). Not a test: these machines are noisy; read the ratios, not the milliseconds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { resourceList, seedDocs as readSeedDocs } from '../scripts/resource-list.mjs';
import { tools } from '../test/lib/tools.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/prometheus-ha.cjs');
const TMP = mkdtempSync(join(tmpdir(), 'prometheus-ha-bench-'));
const T = tools();
const REPS = Number(process.env.BENCH_REPS ?? 7);

// ---- inputs ---------------------------------------------------------------------------------
const seedDocs = readSeedDocs();
// The minimal config: every default (the legacy-plugin row reads the same file).
const config = readFileSync(join(ROOT, 'bench/default-config.yaml'), 'utf8');
const list = (docs) => resourceList(docs, config);

/** Realistic kinds: Deployments with probes and resources, Services, ConfigMaps, ServiceAccounts, Roles. */
function filler(i) {
  const app = `app-${i}`;
  switch (i % 5) {
    case 0:
      return stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: `team-${i % 37}`, labels: { app, tier: 'backend' }, annotations: { 'config.kubernetes.io/index': '0' } }, spec: { replicas: 3, selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image: `registry.example/${app}:1.${i}.0`, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port: 'http' } }, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } }, env: [{ name: 'LOG_LEVEL', value: 'info' }] }] } } } }, { lineWidth: 0, indentSeq: false });
    case 1:
      return `# service for ${app}\n` + stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: `team-${i % 37}` }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }, { lineWidth: 0, indentSeq: false });
    case 2:
      return stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${app}-config`, namespace: `team-${i % 37}` }, data: { 'app.properties': `server.port=8080\nfeature.x=true\nname=${app}\n`, 'level': 'info' } }, { lineWidth: 0, indentSeq: false });
    case 3:
      return stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: `team-${i % 37}`, annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${app}` } } }, { lineWidth: 0, indentSeq: false });
    default:
      return stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: app, namespace: `team-${i % 37}` }, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch'] }] }, { lineWidth: 0, indentSeq: false });
  }
}
const withFiller = (n) => {
  const docs = [];
  for (let i = 0; i < n - 1; i++) {
    if (i === Math.floor(n / 2)) docs.push(seedDocs[0]);
    docs.push(filler(i));
  }
  return list(docs);
};
/**
 * Issue 17's worst shapes found, about 1 MB each: big maps. The Prometheus with 30,000 annotations
 * (composed, edited and written by the yaml package), an untouched ConfigMap of 40,000 keys in JSON
 * (the general reader composes all of it), 30,000 externalLabels in the config (30,000 results
 * before issue 17), and the same merged into the Prometheus's own externalLabels (30,000 edits).
 * Each is answered in time linear in its size; the target is under a second here.
 */
const bigMaps = {
  annotations: () => list([seedDocs[0].replace('  namespace: prometheus\n', `  namespace: prometheus\n  annotations:\n${Array.from({ length: 30000 }, (_, i) => `    example.com/a${i}: value-${i}\n`).join('')}`)]),
  json: () => {
    const data = Object.fromEntries(Array.from({ length: 40000 }, (_, i) => [`key-${i}`, `value-${i}`]));
    return JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'prometheus' }, data }, parse(seedDocs[0])], functionConfig: parse(config) });
  },
  labels: () => resourceList([seedDocs[0]], `${config}externalLabels:\n${Array.from({ length: 30000 }, (_, i) => `  label_${i}: value-${i}\n`).join('')}`),
  // The same into a Prometheus that has externalLabels already: a set per key, spliced into its text.
  labelsMerged: () => resourceList([seedDocs[0].replace('  retention: 12h\n', '  retention: 12h\n  externalLabels:\n    region: eu\n')], `${config}externalLabels:\n${Array.from({ length: 30000 }, (_, i) => `  label_${i}: value-${i}\n`).join('')}`),
};
const files = { seed: list(seedDocs), k1: withFiller(1000), k10: withFiller(10000), ...Object.fromEntries(Object.entries(bigMaps).map(([k, f]) => [`big-${k}`, f()])) };
for (const [k, v] of Object.entries(files)) writeFileSync(join(TMP, `${k}.yaml`), v);
const size = (k) => Buffer.byteLength(files[k]);

// ---- measuring ------------------------------------------------------------------------------
// Node.js 20 reads NODE_EXTRA_CA_CERTS at start (nodejs/node#40524): where it names the system CA
// bundle, as on these machines, that is most of `node -e 0`. The bin skips it (its shell line), so
// every comparison runs without it, like for like, except the cold-start rows that show it.
const CA_VAR = 'NODE_EXTRA_CA_CERTS';
const CA_SET = Boolean(process.env[CA_VAR]);
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== CA_VAR));
function once(cmd, args, input, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: input === undefined ? undefined : readFileSync(input), cwd: opts.cwd ?? ROOT, env: { ...(opts.withCa ? process.env : ENV), ...opts.env }, maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr?.slice(0, 2000)}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Runs the named commands REPS times each, alternating (a b a b ...), after one warm-up each. */
function compare(cases, reps = REPS) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const c of Object.values(cases)) c();
  for (let i = 0; i < reps; i++) for (const [k, c] of Object.entries(cases)) times[k].push(c().ms);
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

const rows = [];
const verdicts = [];
const row = (what, ms) => rows.push([what, ms]);
const verdict = (what, ratio, target, pass) => verdicts.push([what, ratio, target, pass ? 'PASS' : 'MISS']);
const node = process.execPath;

// 1. cold start. The function is started as kpt and kustomize start it: the bin run as a program.
{
  const said = once(BIN, [], join(TMP, 'seed.yaml'), { env: { PROMETHEUS_HA_CODE_CACHE: 'report', PROMETHEUS_HA_LIGHT: 'report' } }).stderr;
  const cache = said.match(/code cache of \S+ (.*)/)?.[1];
  if (cache !== 'used') console.log(`!!! the launcher's code cache is ${cache}: the cold start below is not what users get`);
  if (!/light reader used/.test(said)) console.log(`!!! the light reader was not used on the seed: the cold start below is the yaml path's\n${said}`);
  const cases = { nodeE0: () => once(node, ['-e', '0']), seed: () => once(BIN, [], join(TMP, 'seed.yaml')), noLight: () => once(BIN, [], join(TMP, 'seed.yaml'), { env: { PROMETHEUS_HA_LIGHT: 'off' } }), noCache: () => once(BIN, [], join(TMP, 'seed.yaml'), { env: { PROMETHEUS_HA_CODE_CACHE: 'off' } }), help: () => once(BIN, ['--help']) };
  if (CA_SET) Object.assign(cases, { nodeE0Ca: () => once(node, ['-e', '0'], undefined, { withCa: true }), seedCa: () => once(BIN, [], join(TMP, 'seed.yaml'), { withCa: true }) });
  const m = compare(cases, REPS * 8); // the shortest runs, the noisiest: more of them
  row(`node -e 0${CA_SET ? ` (${CA_VAR} unset)` : ''}`, m.nodeE0);
  row(`function on the seed (4 resources; code cache ${cache})`, m.seed);
  row('function on the seed, light reader off (the yaml path, full bundle)', m.noLight);
  row('function on the seed, code cache off', m.noCache);
  row('prometheus-ha --help (launcher and full bundle loaded, no YAML read)', m.help);
  if (CA_SET) {
    row(`node -e 0 with this environment's ${CA_VAR}`, m.nodeE0Ca);
    row(`function on the seed, same environment (the bin unsets it)`, m.seedCa);
  }
  // Where the environment sets NODE_EXTRA_CA_CERTS, the target is judged twice: as things start
  // here (node -e 0 reads the CA file, the bin does not), and like for like (neither reads it).
  // The floor of this design (the bundle loaded, nothing read) is printed beside them.
  if (CA_SET) verdict(`cold start: function on the seed / node -e 0, as started here (${CA_VAR} set)`, m.seedCa / m.nodeE0Ca, '<= 1.3', m.seedCa / m.nodeE0Ca <= 1.3);
  verdict(`cold start: function on the seed / node -e 0${CA_SET ? `, like for like (neither reads ${CA_VAR})` : ''}`, m.seed / m.nodeE0, '<= 1.3', m.seed / m.nodeE0 <= 1.3);
  verdicts.push(['  not a target: the yaml path (light reader off) / node -e 0, like for like', m.noLight / m.nodeE0, '', '(information)']);
}
// 2. scale
{
  const m = compare({ k1: () => once(node, [BIN], join(TMP, 'k1.yaml')), k10: () => once(node, [BIN], join(TMP, 'k10.yaml')), naive10: () => once(node, [join(ROOT, 'bench/naive.mjs')], join(TMP, 'k10.yaml')) }, Math.max(3, Math.ceil(REPS / 2)));
  row(`function on 1,000 resources (${(size('k1') / 1e6).toFixed(1)} MB)`, m.k1);
  row(`function on 10,000 resources (${(size('k10') / 1e6).toFixed(1)} MB)`, m.k10);
  row('naive parseDocument + toString on 10,000', m.naive10);
  verdict('10,000 resources: function / naive', m.k10 / m.naive10, '<= 0.25', m.k10 / m.naive10 <= 0.25);
  verdict('10,000 / 1,000 resources', m.k10 / m.k1, '<= 11', m.k10 / m.k1 <= 11);
}
// 2b. hostile shapes (issue 17): 1 MB of big maps, against 1,000 resources of the same size
{
  const m = compare({ k1: () => once(node, [BIN], join(TMP, 'k1.yaml')), ...Object.fromEntries(Object.keys(bigMaps).map((k) => [k, () => once(node, [BIN], join(TMP, `big-${k}.yaml`))])) }, Math.max(3, Math.ceil(REPS / 2)));
  const what = { annotations: 'a Prometheus with 30,000 annotations', json: 'an untouched ConfigMap of 40,000 keys, JSON', labels: '30,000 externalLabels in the config', labelsMerged: '30,000 externalLabels merged into existing ones' };
  for (const k of Object.keys(bigMaps)) row(`function on ${what[k]} (${(size(`big-${k}`) / 1e6).toFixed(1)} MB)`, m[k]);
  const worst = Object.keys(bigMaps).reduce((a, b) => (m[a] >= m[b] ? a : b));
  verdict(`1 MB of big maps, worst shape (${worst}), ms`, m[worst], '< 1000', m[worst] < 1000);
  verdicts.push(['  not a target: worst shape / 1,000 resources, per MB of input', m[worst] / size(`big-${worst}`) / (m.k1 / size('k1')), '', '(information)']);
}
// 3. memory
{
  const r = once(node, ['--require', join(ROOT, 'test/fixtures/report-rss.cjs'), BIN], join(TMP, 'k10.yaml'));
  const rss = Number(/peak-rss-kb=(\d+)/.exec(r.stderr)[1]) / 1024;
  const inMb = size('k10') / 1048576;
  row(`peak RSS on 10,000 resources, MB (input ${inMb.toFixed(1)} MB)`, rss);
  verdict('peak RSS / (3 x input + 80 MB)', rss / (3 * inMb + 80), '<= 1', rss <= 3 * inMb + 80);
}
// 4. pipeline: kustomize with the function vs the same build with static patches
if (T.kustomize) {
  const home = join(TMP, 'plugins');
  once(node, [BIN, 'install-kustomize-plugin', home]);
  const withFn = () => once(T.kustomize, ['build', '--enable-alpha-plugins', 'kustomize/plugin/overlay'], undefined, { env: { KUSTOMIZE_PLUGIN_HOME: home } });
  const staticBuild = () => once(T.kustomize, ['build', 'bench/static'], undefined);
  const same = JSON.stringify(norm(withFn().stdout)) === JSON.stringify(norm(staticBuild().stdout));
  const m = compare({ withFn, staticBuild });
  row('kustomize build, function as legacy plugin', m.withFn);
  row('kustomize build, equivalent static patches', m.staticBuild);
  verdict(`kustomize with the function / with static patches${same ? '' : ' (OUTPUTS DIFFER: regenerate bench/static)'}`, m.withFn / m.staticBuild, '<= 1.5', same && m.withFn / m.staticBuild <= 1.5);
} else console.log('!!! kustomize not found: pipeline comparison not run');
// 5. function vs helm template of the generated chart, same objects
if (T.helm3) {
  const base = seedDocs.join('---\n');
  writeFileSync(join(TMP, 'base.yaml'), base);
  const fnRun = () => once(BIN, [join(ROOT, 'bench/default-config.yaml')], join(TMP, 'base.yaml'));
  const helmRun = () => once(T.helm3, ['template', 'bench', join(ROOT, 'chart'), '-n', 'prometheus'], undefined);
  // node -e 0 in the same alternation: the floor for any Node.js program against a Go binary.
  const nodeRun = () => once(node, ['-e', '0']);
  const m = compare({ fnRun, helmRun, nodeRun });
  row('function, legacy mode, on the seed', m.fnRun);
  row('helm template chart/ (Helm 3)', m.helmRun);
  row(`node -e 0 (same alternation${CA_SET ? `, ${CA_VAR} unset` : ''})`, m.nodeRun);
  verdict('function / helm template', m.fnRun / m.helmRun, '< 1', m.fnRun < m.helmRun);
  verdicts.push(['  floor, not a target: node -e 0 / helm template', m.nodeRun / m.helmRun, '', m.nodeRun < m.helmRun ? '(below 1: reachable)' : '(not below 1: no Node.js program is faster)']);
} else console.log('!!! helm not found: chart comparison not run');

function norm(text) {
  return text
    .split(/^---\n/m)
    .filter((d) => d.trim())
    .sort();
}

// ---- report -------------------------------------------------------------------------------
const w = Math.max(...rows.map((r) => r[0].length), ...verdicts.map((v) => v[0].length - 8));
console.log(`\nprometheus-ha bench (${REPS} alternating runs per comparison, ${REPS * 8} for the cold start, medians; ${new Date().toISOString()})\n`);
for (const [what, ms] of rows) console.log(`  ${what.padEnd(w)}  ${ms.toFixed(1).padStart(9)}${what.includes('MB)') && what.startsWith('peak') ? ' MB' : ' ms'}`);
console.log('\n  ratio'.padEnd(w - 2) + '      value  target   verdict');
for (const [what, ratio, target, v] of verdicts) console.log(`  ${what.padEnd(w + 8)} ${ratio.toFixed(2).padStart(6)}  ${target.padEnd(7)}  ${v}`);

/**
 * The Helm chart (chart/, issue 4) with the real Helm 3 and Helm 4: the same manifests as the
 * function (test/lib/equivalence.ts says what "same" means), lint, schema, dry-run install, and the
 * `prometheus-ha chart` command itself.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { CI_VALUES } from '../../functions/prometheus-ha/src/chart/build.js';
import { chartFiles } from '../../scripts/chart-codegen.js';
import { CHART, functionOutput, HELMS, helmTemplate, ROOT, SEED, sh, stubApiServer, tmp, writeValues } from '../lib/chart-helpers.js';
import { differences, parseManifests, withNamespace } from '../lib/equivalence.js';
import { bin } from '../lib/helpers.js';

const NS = 'observability-ha';
const dir = tmp();

const listFiles = (root: string): string[] =>
  readdirSync(root).flatMap((e) => {
    const p = join(root, e);
    return statSync(p).isDirectory() ? listFiles(p) : [relative(CHART, p)];
  });

test('chart/ holds exactly the files `prometheus-ha chart` writes (no stale ones)', () => {
  assert.equal(listFiles(CHART).sort(), Object.keys(chartFiles()).sort());
});

test('the bundled binary writes chart/ again, byte for byte, from its embedded tutorial base', () => {
  const out = join(dir, 'from-binary');
  const r = bin(['chart', '--out', out], '');
  assert.is(r.code, 0, r.stderr);
  for (const f of listFiles(CHART)) assert.ok(readFileSync(join(out, f), 'utf8') === readFileSync(join(CHART, f), 'utf8'), `${f} differs`);
  // Again into its own earlier output: replaced, not refused.
  assert.is(bin(['chart', '--out', out], '').code, 0);
});

test('chart: --base and --config: the config becomes the defaults; the base is embedded', () => {
  const out = join(dir, 'seed-config');
  const r = bin(['chart', '--out', out, '--base', 'kustomize/seed/prometheus.yaml', '--config', 'kustomize/seed/prometheus-ha.yaml'], '', { cwd: ROOT });
  assert.is(r.code, 0, r.stderr);
  const values = parse(readFileSync(join(out, 'values.yaml'), 'utf8'));
  assert.equal(values.query.replicaLabels, ['prometheus_replica']);
  assert.not.ok('target' in values, 'target is fixed at generation, not a value');
  assert.match(readFileSync(join(out, 'values.yaml'), 'utf8'), /^# yaml-language-server: \$schema=values.schema.json\n/);
  // A map default (not mergeable the Helm way) is documented, commented out, and applied by the helper.
  assert.match(readFileSync(join(out, 'values.yaml'), 'utf8'), /# externalLabels:\n#   cluster_environment: "workshop"/);
});

test('chart: refuses a base the function refuses, with its error results', () => {
  const bad = join(dir, 'no-prometheus.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
  const out = join(dir, 'refused');
  const r = bin(['chart', '--out', out, '--base', bad], '');
  assert.is(r.code, 1);
  assert.match(r.stderr, /no Prometheus/);
  assert.not.ok(existsSync(out), 'nothing written');
  const badCfg = join(dir, 'bad-config.yaml');
  writeFileSync(badCfg, 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nreplicas: 1\n');
  const r2 = bin(['chart', '--out', out, '--config', badCfg], '');
  assert.is(r2.code, 1);
  assert.match(r2.stderr, /replicas/);
});

test('chart: refuses to write into a directory that is not a prometheus-ha chart; usage errors exit 2', () => {
  const other = join(dir, 'other');
  mkdirSync(other);
  writeFileSync(join(other, 'keep.txt'), 'mine');
  const r = bin(['chart', '--out', other], '');
  assert.is(r.code, 1);
  assert.match(r.stderr, /refusing/);
  assert.is(readFileSync(join(other, 'keep.txt'), 'utf8'), 'mine');
  // --out naming a file: a plain refusal, not an internal error (ENOTDIR), and the file is kept.
  const file = join(other, 'keep.txt');
  const f = bin(['chart', '--out', file], '');
  assert.is(f.code, 1, f.stderr);
  assert.match(f.stderr, /^prometheus-ha: chart: .*keep\.txt exists and is not a directory/);
  assert.not.match(f.stderr, /internal error/);
  assert.is(readFileSync(file, 'utf8'), 'mine');
  assert.is(bin(['chart'], '').code, 2);
  assert.is(bin(['chart', '--out', join(dir, 'x'), '--frobnicate'], '').code, 2);
});

test('Chart.yaml: apiVersion v2, appVersion = the Thanos version, kubeVersion', () => {
  const c = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8'));
  assert.is(c.apiVersion, 'v2');
  assert.is(c.name, 'prometheus-ha');
  assert.is(c.appVersion, 'v0.42.4');
  assert.is(c.kubeVersion, '>=1.25.0-0');
});

const ciFiles = Object.keys(CI_VALUES).map((n) => join(CHART, 'ci', `${n}-values.yaml`));

for (const [name, helm] of HELMS) {
  test(`${name}: helm template with the default values == the function with the default config`, async () => {
    const f = await functionOutput({}, withNamespace(SEED, NS), dir);
    assert.is(f.code, 0, f.stderr);
    const h = await helmTemplate(helm, NS, undefined);
    assert.is(h.code, 0, h.stderr);
    assert.equal(differences(f.stdout, h.stdout), []);
    // Not vacuous: the Query Deployment and the patched Prometheus are there, moved to the release namespace.
    const objs = parseManifests(h.stdout);
    const prom = objs.find((o) => o.kind === 'Prometheus')!;
    assert.is(prom.metadata.namespace, NS);
    assert.is(prom.spec.replicas, 2);
    assert.ok(objs.some((o) => o.kind === 'Deployment' && o.metadata.namespace === NS));
    assert.is(objs.find((o) => o.kind === 'ClusterRoleBinding')!.subjects[0].namespace, NS, 'the binding follows its ServiceAccount');
  });

  test(`${name}: every ci/ values file renders what the function does with it as config`, async () => {
    for (const [n, { values }] of Object.entries(CI_VALUES)) {
      const f = await functionOutput(values, withNamespace(SEED, NS), dir);
      assert.is(f.code, 0, f.stderr);
      const h = await helmTemplate(helm, NS, join(CHART, 'ci', `${n}-values.yaml`));
      assert.is(h.code, 0, h.stderr);
      assert.equal(differences(f.stdout, h.stdout), [], n);
    }
  });

  test(`${name}: values the function refuses, Helm refuses for the same reason`, async () => {
    const refused: [Record<string, unknown>, RegExp, RegExp][] = [
      [{ query: { pod: { extraVolumes: [{ name: 'a', emptyDir: {} }], extraVolumeMounts: [{ name: 'b', mountPath: '/b' }] } } }, /mounts "b", which is not one of query\.pod\.extraVolumes/, /mounts "b", which is not one of query\.pod\.extraVolumes/],
      [{ query: { pod: { extraVolumes: [{ name: 'grpc-client-tls', emptyDir: {} }] } } }, /"grpc-client-tls" is the name of a volume prometheus-ha adds itself/, /"grpc-client-tls" is the name of a volume prometheus-ha adds itself/],
      [{ query: { replicaLabels: ['replica'] } }, /\[QUERY_REPLICA_LABEL\].*Query deduplicates by "replica" but Prometheus .* marks its replicas with "prometheus_replica"/, /Query deduplicates by \["replica"\] but the Prometheus marks its replicas with prometheus_replica/],
      [{ query: { pod: { podLabels: { 'app.kubernetes.io/instance': 'x' } } } }, /prometheus-ha sets this label itself/, /app\.kubernetes\.io\/instance|podLabels/],
    ];
    for (const [values, fnMessage, helmMessage] of refused) {
      const f = await functionOutput(values, withNamespace(SEED, NS), dir);
      assert.is(f.code, 1, JSON.stringify(values));
      assert.match(f.stderr, fnMessage);
      const h = await helmTemplate(helm, NS, writeValues(dir, `refused-${Math.random().toString(36).slice(2)}.json`, values));
      assert.is.not(h.code, 0, `helm rendered ${JSON.stringify(values)}`);
      assert.match(h.stderr, helmMessage);
    }
  });

  test(`${name}: --set values (integers, not floats) and a default reset with null render as the function does`, async () => {
    const f = await functionOutput({ replicas: 3, query: { replicas: 1 }, antiAffinity: { mode: 'hard' } }, withNamespace(SEED, NS), dir);
    assert.is(f.code, 0, f.stderr);
    const h = await sh(helm, ['template', 'rel', CHART, '-n', NS, '--set', 'replicas=3', '--set', 'query.replicas=1', '--set', 'antiAffinity.mode=hard', '--set', 'query.image=null']);
    assert.is(h.code, 0, h.stderr);
    assert.equal(differences(f.stdout, h.stdout), []);
    // No PDB for one Query replica; the Prometheus's own stays.
    const pdbs = h.stdout.split(/^---$/m).filter((d) => /^kind: PodDisruptionBudget$/m.test(d)).map((d) => /^  name: (.*)$/m.exec(d)?.[1]);
    assert.equal(pdbs, ['prometheus-prometheus']);
  });

  test(`${name}: helm lint --strict passes with the default values and every ci/ file`, async () => {
    const r = await sh(helm, ['lint', '--strict', CHART]);
    assert.is(r.code, 0, r.stdout + r.stderr);
    for (const f of ciFiles) {
      const c = await sh(helm, ['lint', '--strict', CHART, '-f', f]);
      assert.is(c.code, 0, `${f}: ${c.stdout}${c.stderr}`);
    }
  });

  test(`${name}: invalid values are rejected by values.schema.json, naming the field`, async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['replicas: 1', { replicas: 1 }, /replicas/],
      ['antiAffinity.mode: sometimes', { antiAffinity: { mode: 'sometimes' } }, /mode/],
      ['an unknown key', { replicaz: 3 }, /replicaz/],
      ['a bad label key', { storeApi: { label: { key: 'not a label key!' } } }, /key/],
      ['a bad external label name', { externalLabels: { 'bad-name': 'x' } }, /externalLabels|bad-name/],
      ['target is not a value', { target: { name: 'prometheus' } }, /target/],
      ['a Compactor without object storage', { compactor: { enabled: true } }, /objectStorageConfig|thanos/],
    ];
    for (const [what, values, field] of cases) {
      const r = await helmTemplate(helm, NS, writeValues(dir, `invalid-${name}-${what.replace(/\W+/g, '-')}.json`, values));
      assert.is.not(r.code, 0, `${what} was accepted`);
      assert.match(r.stderr, /schema/i, `${what}: ${r.stderr}`);
      assert.match(r.stderr, field, `${what}: ${r.stderr}`);
    }
  });

  test(`${name}: helm install --dry-run=client works without a cluster`, async () => {
    // An unreachable API server: Helm 4 must not need one.
    let r = await sh(helm, ['install', 'rel', CHART, '-n', NS, '--dry-run=client'], { KUBECONFIG: join(dir, 'no-such-kubeconfig') });
    if (name === 'helm3') {
      // Helm 3.17 checks reachability and builds the objects with discovery even for --dry-run=client
      // (helm/helm#13144): it runs against a stand-in API server that answers discovery only.
      assert.match(r.stderr, /cluster unreachable/, 'if Helm 3 no longer needs a cluster, drop the stand-in');
      const stub = await stubApiServer(dir);
      try {
        r = await sh(helm, ['install', 'rel', CHART, '-n', NS, '--dry-run=client', '--disable-openapi-validation'], { KUBECONFIG: stub.kubeconfig });
        assert.not.ok(stub.requests.some((q) => !q.startsWith('GET ')), `only reads: ${stub.requests.join(', ')}`);
      } finally {
        stub.close();
      }
    }
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /STATUS: pending-install/);
    assert.match(r.stdout, /port-forward svc\/thanos-query 10902:10902/, 'NOTES are rendered');
    assert.match(r.stdout, /helm.sh\/hook: test/, 'the test hook is rendered');
  });
}

/** The test hook's script, run with sh and awk here, against a stand-in wget serving /api/v1/stores bodies. */
function runHookScript(script: string, stores: string, ready = true): { code: number; out: string } {
  const bindir = join(dir, `hook-bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bindir);
  writeFileSync(join(bindir, 'stores.json'), stores);
  writeFileSync(join(bindir, 'wget'), `#!/bin/sh\nfor a; do url="$a"; done\ncase "$url" in\n  */-/ready) ${ready ? 'exit 0' : 'exit 1'} ;;\n  */api/v1/stores) cat "${bindir}/stores.json" ;;\n  *) exit 1 ;;\nesac\n`, { mode: 0o755 });
  writeFileSync(join(bindir, 'sleep'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const r = spawnSync('sh', ['-c', script], { env: { PATH: `${bindir}:${process.env.PATH}`, QUERY_URL: 'http://q:10902', WANT: '2' }, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

/** What Query v0.4x answers on /api/v1/stores (pkg/query/endpointset.go EndpointStatus: lastError null when healthy). */
const sidecar = (addr: string, err: string | null) => ({ name: addr, lastCheck: '2026-11-26T04:00:00Z', lastError: err, labelSets: [{ prometheus: 'ns/p', prometheus_replica: `prometheus-p-${addr}`, weird: '[{]}' }], minTime: 0, maxTime: 1 });
const storesBody = (data: Record<string, unknown[]>) => JSON.stringify({ status: 'success', data });

test('the helm test script passes with every sidecar connected and fails otherwise', async () => {
  if (!HELMS.length) return;
  const r = await helmTemplate(HELMS[0]![1], NS, undefined);
  const pod = parse(r.stdout.split(/^---$/m).find((d) => /helm.sh\/hook: test/.test(d))!);
  const script: string = pod.spec.containers[0].args[0];
  const two = runHookScript(script, storesBody({ sidecar: [sidecar('a', null), sidecar('b', null)] }));
  assert.is(two.code, 0, two.out);
  assert.match(two.out, /sidecars connected: 2 of 2/);
  const oneDown = runHookScript(script, storesBody({ sidecar: [sidecar('a', null), sidecar('b', 'connection refused')], store: [sidecar('s1', null), sidecar('s2', null)] }));
  assert.is(oneDown.code, 1, oneDown.out);
  assert.match(oneDown.out, /sidecars connected: 1 of 2/, 'a healthy store gateway does not count as a sidecar');
  const none = runHookScript(script, storesBody({}));
  assert.is(none.code, 1, none.out);
  const notReady = runHookScript(script, storesBody({ sidecar: [sidecar('a', null), sidecar('b', null)] }), false);
  assert.is(notReady.code, 1, notReady.out);
  assert.match(notReady.out, /FAIL: .*\/-\/ready/);
});

test('the helm test Pod checks Query /-/ready and counts the sidecars in /api/v1/stores', async () => {
  if (!HELMS.length) return;
  const r = await helmTemplate(HELMS[0]![1], NS, undefined);
  const pod = r.stdout.split(/^---$/m).find((d) => /helm.sh\/hook: test/.test(d))!;
  assert.ok(pod, 'a test hook');
  const obj = parse(pod);
  const env = Object.fromEntries(obj.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
  assert.is(env.WANT, '2');
  assert.is(env.QUERY_URL, `http://thanos-query.${NS}.svc.cluster.local:10902`);
  assert.match(obj.spec.containers[0].args[0], /\/-\/ready/);
  assert.match(obj.spec.containers[0].args[0], /\/api\/v1\/stores/);
  assert.is(obj.spec.containers[0].image, 'quay.io/thanos/thanos:v0.42.4');
});

// ---- other bases: charts generated into a temporary directory ----

/** No namespace, its own replica label, sidecar fields and nodeAffinity, no podMetadata; objects around it. */
const BASE_RICH = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: main
spec:
  replicaExternalLabelName: replica
  externalLabels:
    cluster: eu1
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: pool
            operator: In
            values: [monitoring]
  thanos:
    image: quay.io/thanos/thanos:v0.30.0
    version: v0.30.0
    logLevel: debug
  resources:
    requests: {cpu: 1.5, memory: 1Gi}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: elsewhere
  namespace: other
data:
  "on": "yes"
  number: "007"
---
apiVersion: v1
kind: Service
metadata:
  name: thanos-store-api
  labels:
    app.kubernetes.io/managed-by: prometheus-ha
spec:
  clusterIP: None
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: thanos-query
  labels:
    app.kubernetes.io/managed-by: prometheus-ha
spec:
  replicas: 5
---
apiVersion: v1
kind: Service
metadata:
  name: legacy
spec:
  ports: [{port: 80}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read}
subjects:
- {kind: ServiceAccount, name: prometheus, namespace: default}
- {kind: ServiceAccount, name: other, namespace: other}
`;

/** Two Prometheus: the config's target picks one; the other is embedded as it is. */
const BASE_TWO = `${SEED}---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: second
  namespace: prometheus
spec:
  replicas: 1
  podMetadata:
    labels: {team: b}
`;

/**
 * A kube-prometheus-stack-like base (test/fixtures/brownfield/kube-prometheus-stack-88.5.3-ha.yaml,
 * its Prometheus cut down): a required hostname rule the chart adopts for soft and hard, replicas 3,
 * a pinned v0.39.2 sidecar with its own resources, replica label "replica". The ci/ hard-anti-affinity
 * values (zone) are refused by both, so only the defaults and the values below are compared.
 */
const BASE_KPS = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: kps-kube-prometheus-stack-prometheus
  namespace: monitoring
spec:
  replicas: 3
  replicaExternalLabelName: replica
  shards: 1
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchExpressions:
          - {key: app.kubernetes.io/name, operator: In, values: [prometheus]}
          - {key: app.kubernetes.io/instance, operator: In, values: [kps-kube-prometheus-stack-prometheus]}
  thanos:
    image: quay.io/thanos/thanos:v0.39.2
    version: v0.39.2
    resources:
      limits: {memory: 256Mi}
      requests: {cpu: 50m, memory: 128Mi}
`;

/** BASE_KPS with extra sidecar flags: one from Thanos v0.37.2 on (thanos sidecar --help), one every release has. */
const BASE_SIDECAR_ARGS = BASE_KPS.replace('  thanos:\n', '  thanos:\n    additionalArgs:\n    - name: grpc-server-tls-min-version\n      value: "1.3"\n    - name: log.level\n      value: debug\n');
/** The same with the sidecar's release in its image's tag only. */
const BASE_SIDECAR_IMAGE = BASE_SIDECAR_ARGS.replace('    version: v0.39.2\n', '');

/** The function's own output for the tutorial base (in the namespace the chart is installed in): its objects carry its mark. */
const RENDERED = (await functionOutput({}, withNamespace(SEED, NS), dir)).stdout;

/** prometheus-operator v0.93.0 example/thanos (test/fixtures/brownfield/SOURCES.md): a Query of its own named thanos-query. */
const OPERATOR_THANOS = readFileSync(join(ROOT, 'test/fixtures/brownfield/prometheus-operator-thanos.yaml'), 'utf8');
/** The same with endpoint names that leave the namespace to the Query's own. */
const OPERATOR_THANOS_ANY_NS = OPERATOR_THANOS.replace(/(dnssrv\+_grpc\._tcp\.[a-z-]+)\.default\.svc\.cluster\.local/g, '$1');

const OTHER_BASES: Record<string, { text: string; config: Record<string, unknown>; ci?: false; variants?: Record<string, Record<string, unknown>> }> = {
  'no namespace, existing sidecar and affinity, objects of ours to replace or remove': { text: BASE_RICH, config: {} },
  'two Prometheus, target chosen by the config': { text: BASE_TWO, config: { target: { name: 'second', namespace: 'prometheus' } } },
  // The tutorial's config as the chart's defaults (map defaults such as externalLabels come from the
  // helper). Its ci/ variants are not compared: the function has no defaults to layer them on.
  'the tutorial base with the tutorial config as defaults': { text: SEED, config: parse(readFileSync(join(ROOT, 'kustomize/seed/prometheus-ha.yaml'), 'utf8')), ci: false },
  'kube-prometheus-stack-like: an adopted rule, replicas 3, a pinned sidecar': {
    text: BASE_KPS,
    config: {},
    ci: false,
    variants: {
      hard: { antiAffinity: { mode: 'hard' } },
      'config overrides the base': { replicas: 2, thanos: { version: 'v0.42.4', resources: { requests: { cpu: '10m' } } } },
      'config image only': { thanos: { image: 'registry.example:5000/thanos/thanos' } },
      'query TLS': { query: { grpcClientTls: { secretName: 'tls', serverName: 'sidecar.example' } } },
    },
  },
  // kube-prometheus ships a PodDisruptionBudget over the Prometheus pods: kept, none added.
  'kube-prometheus v0.18.0, with its own PodDisruptionBudget': { text: readFileSync(join(ROOT, 'test/fixtures/brownfield/kube-prometheus-v0.18.0.yaml'), 'utf8'), config: {} },
  // An earlier render, then other names: the old objects go (transform.ts removeStale, build.ts $gone).
  // Not with the ci/ files: the test layers them on the config shallowly, Helm deeply.
  'an earlier render of the function, renamed': { text: RENDERED, config: { query: { name: 'prom-query', service: { name: 'prom-query' } }, storeApi: { service: { name: 'prom-store' } } }, ci: false },
  // The operator's example/thanos ships its own Query (named as ours): kept in its place. Its
  // endpoints say the namespace (default); here they resolve in the Query's own, as installed.
  "the operator's example/thanos, with its own Query": {
    text: OPERATOR_THANOS_ANY_NS,
    config: {},
    ci: false,
    variants: { 'ours beside it': { query: { name: 'prom-query', service: { name: 'prom-query' } } }, 'ours off': { query: { enabled: false } }, hard: { antiAffinity: { mode: 'hard' } } },
  },
  'sharded (spec.shards: 3): the replicas of one shard kept apart': {
    text: SEED.replace('  replicas: 1\n', '  replicas: 1\n  shards: 3\n'),
    config: {},
    variants: { hard: { antiAffinity: { mode: 'hard' } }, 'sidecar metrics': { thanos: { serviceMonitor: { enabled: true } } } },
  },
};

/** Values over a config as Helm merges them: maps key by key. */
function mergeValues(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const o = out[k];
    out[k] = o && v && typeof o === 'object' && typeof v === 'object' && !Array.isArray(o) && !Array.isArray(v) ? mergeValues(o as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

function writeChart(name: string, text: string, config: Record<string, unknown>): string {
  const baseFile = join(dir, `${name}-base.yaml`);
  const configFile = join(dir, `${name}-config.yaml`);
  writeFileSync(baseFile, text);
  writeFileSync(configFile, JSON.stringify({ apiVersion: 'fn.prometheus-ha.dev/v1alpha1', kind: 'PrometheusHA', ...config }));
  const out = join(dir, `${name}-chart`);
  const r = bin(['chart', '--out', out, '--base', baseFile, '--config', configFile], '');
  assert.is(r.code, 0, r.stderr);
  return out;
}

let n = 0;
for (const [what, { text, config, ci, variants: more }] of Object.entries(OTHER_BASES)) {
  const id = `other-${++n}`;
  for (const [name, helm] of HELMS) {
    test(`${name}: a chart made from another base or config (${what}) == the function, with the defaults${ci === false ? '' : ' and every ci/ file'}`, async () => {
      const chart = writeChart(`${id}-${name}`, text, config);
      const ns = id === 'other-1' ? 'default' : NS;
      const input = withNamespace(text, ns);
      const variants = [['defaults', {}] as const, ...(ci === false ? [] : Object.entries(CI_VALUES).map(([k, v]) => [k, v.values] as const)), ...Object.entries(more ?? {})];
      for (const [variant, values] of variants) {
        // The function is given the base as installed: the target's namespace is the release's.
        const target = config.target ? { target: { ...(config.target as object), namespace: ns } } : {};
        const f = await functionOutput({ ...config, ...target, ...values }, input, dir);
        assert.is(f.code, 0, f.stderr);
        const h = await sh(helm, ['template', 'rel', chart, '-n', ns, '-f', writeValues(dir, `${id}-${variant}.json`, values)]);
        assert.is(h.code, 0, h.stderr);
        assert.equal(differences(f.stdout, h.stdout), [], `${variant}`);
      }
    });
  }
}

/** A podAntiAffinity of the user's: the same one the default soft mode writes for Prometheus "main". */
const BASE_AFFINITY = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: main
  namespace: mon
spec:
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: prometheus
              app.kubernetes.io/instance: main
`;

for (const [name, helm] of HELMS) {
  test(`${name}: the refusals that depend on the values (AFFINITY_CONFLICT, STORE_LABEL_SHARED, EXTERNAL_LABEL_RESERVED, GRPC_TLS_MISMATCH, THANOS_FLAG_UNKNOWN) fail in Helm as in the function`, async () => {
    const conflict = /podAntiAffinity that does not spread its replicas as antiAffinity asks/;
    const tls = 'spec:\n  thanos:\n    grpcServerTlsConfig:\n      caFile: /etc/tls/grpc/ca.crt\n';
    const cases: { base: string; config: Record<string, unknown>; values: Record<string, unknown>; refused: RegExp | false }[] = [
      { base: BASE_AFFINITY, config: {}, values: {}, refused: false },
      // The user's soft hostname rule selects the pods: adopted whatever the weight; hard or zone is more than it does.
      { base: BASE_AFFINITY, config: {}, values: { antiAffinity: { weight: 50 } }, refused: false },
      { base: BASE_AFFINITY, config: {}, values: { antiAffinity: { mode: 'hard' } }, refused: conflict },
      { base: BASE_AFFINITY, config: {}, values: { antiAffinity: { topologyKey: 'topology.kubernetes.io/zone' } }, refused: conflict },
      { base: BASE_AFFINITY, config: {}, values: { antiAffinity: { mode: 'none' } }, refused: false },
      { base: BASE_KPS, config: {}, values: { antiAffinity: { mode: 'hard' } }, refused: false },
      { base: BASE_KPS, config: {}, values: { antiAffinity: { mode: 'hard', topologyKey: 'topology.kubernetes.io/zone' } }, refused: conflict },
      { base: BASE_KPS, config: {}, values: { externalLabels: { replica: 'x' } }, refused: /externalLabels\.replica names the label the operator sets itself/ },
      { base: BASE_KPS, config: {}, values: { externalLabels: { prometheus: 'x' } }, refused: /externalLabels\.prometheus names the label the operator sets itself/ },
      { base: BASE_KPS, config: {}, values: { externalLabels: { prometheus_replica: 'x' } }, refused: false },
      // A chart is made only for a config the function accepts: here without Query; the values switch it on.
      { base: BASE_AFFINITY.replace('spec:\n', tls), config: { query: { enabled: false } }, values: { query: { enabled: true } }, refused: /sidecar serves gRPC over TLS/ },
      { base: BASE_AFFINITY.replace('spec:\n', tls), config: { query: { enabled: false } }, values: { query: { enabled: true, grpcClientTls: { secretName: 'tls' } } }, refused: false },
      { base: BASE_AFFINITY.replace('spec:\n', tls), config: { query: { enabled: false } }, values: {}, refused: false },
      { base: BASE_AFFINITY.replace('spec:\n', tls), config: { query: { grpcClientTls: { secretName: 'tls' } } }, values: {}, refused: false },
      { base: BASE_TWO, config: { target: { name: 'second' } }, values: { storeApi: { label: { key: 'app', value: 'prometheus' } } }, refused: /has the store label app: "prometheus" too/ },
      { base: BASE_TWO, config: { target: { name: 'second' } }, values: { storeApi: { label: { key: 'app', value: 'other' } } }, refused: false },
      // A Query of the base kept in place of ours (transform.ts existingQueries): not from another
      // namespace than the one its endpoints name, and not when the values make the sidecar speak TLS.
      { base: OPERATOR_THANOS, config: {}, values: {}, refused: /thanos-query already exists and is not managed by prometheus-ha/ },
      { base: OPERATOR_THANOS_ANY_NS, config: {}, values: {}, refused: false },
      { base: OPERATOR_THANOS_ANY_NS, config: {}, values: { thanos: { grpcServerTls: { secretName: 'sidecar-tls' } }, query: { grpcClientTls: { secretName: 'tls' } } }, refused: /kept in place of ours, has no --grpc-client-tls-secure/ },
      // THANOS_FLAG_UNKNOWN: a flag of query.extraArgs that Query's release lacks (core/checks.ts missingFlags).
      { base: BASE_KPS, config: {}, values: { query: { extraArgs: ['--query.timeout=2m', '--store=thanos-store.eu2:10901'] } }, refused: /query\.extraArgs\[1\]: Thanos v0\.42\.4 \(query\.version\) has no --store flag for query \(thanos query --help of v0\.42\.4\): Query would exit at start-up; use --endpoint=thanos-store\.eu2:10901 instead/ },
      { base: BASE_KPS, config: {}, values: { query: { version: 'v0.37.2', extraArgs: ['--store=thanos-store.eu2:10901'] } }, refused: false },
      { base: BASE_KPS, config: {}, values: { query: { version: '0.39.0-debian-12-r1', extraArgs: ['--enable-feature=x', '--query.no-such-flag'] } }, refused: /query\.extraArgs\[1\]: Thanos 0\.39\.0-debian-12-r1 \(query\.version\) has no --query\.no-such-flag flag for query \(thanos query --help of v0\.38\.0 and v0\.39\.2\): Query would exit at start-up; remove it, or set query\.version to a release that has it/ },
      { base: BASE_KPS, config: {}, values: { query: { version: 'v0.39.0', extraArgs: ['--enable-feature=x', '--no-query.partial-response'] } }, refused: false },
      { base: BASE_KPS, config: {}, values: { query: { version: 'v0.50.0', extraArgs: ['--query.brand-new', '--store-strict=a:1=b'] } }, refused: /query\.extraArgs\[1\]: Thanos v0\.50\.0 .*has no --store-strict flag .*use --endpoint-strict=a:1=b instead/ },
      { base: BASE_KPS, config: {}, values: { query: { version: 'v0.41.99999999999999999999', extraArgs: ['--constructor'] } }, refused: /query\.extraArgs\[0\]: .*has no --constructor flag for query \(thanos query --help of v0\.41\.0 and v0\.42\.4\)/ },
      { base: BASE_KPS, config: {}, values: { query: { version: 'v0.29.0', extraArgs: ['--query.no-such-flag'] } }, refused: false },
      { base: BASE_KPS, config: {}, values: { query: { enabled: false, extraArgs: ['--query.no-such-flag'] } }, refused: false },
      // THANOS_FLAG_UNKNOWN: a sidecar flag of the base (spec.thanos.additionalArgs) that the release the values pick lacks.
      { base: BASE_SIDECAR_ARGS, config: {}, values: {}, refused: false },
      { base: BASE_SIDECAR_ARGS, config: {}, values: { thanos: { version: 'v0.36.1' } }, refused: /spec\.thanos\.additionalArgs\[0\].*: Thanos v0\.36\.1 has no --grpc-server-tls-min-version flag for sidecar \(thanos sidecar --help of v0\.36\.1\): the sidecar exits at start-up; remove it from spec\.thanos\.additionalArgs, or set thanos\.version to a release that has it/ },
      { base: BASE_SIDECAR_ARGS, config: {}, values: { thanos: { version: 'v0.37.2' } }, refused: false },
      { base: BASE_SIDECAR_ARGS, config: {}, values: { thanos: { version: 'v0.99.0' } }, refused: false },
      { base: BASE_SIDECAR_IMAGE, config: {}, values: {}, refused: false },
      { base: BASE_SIDECAR_IMAGE, config: {}, values: { thanos: { version: '0.36.1-debian-12-r0' } }, refused: /spec\.thanos\.additionalArgs\[0\].*: Thanos 0\.36\.1-debian-12-r0 has no --grpc-server-tls-min-version flag for sidecar \(thanos sidecar --help of v0\.36\.1\)/ },
    ];
    let k = 0;
    for (const c of cases) {
      const chart = writeChart(`refusal-${name}-${++k}`, c.base, c.config);
      const ns = 'mon-release';
      const f = await functionOutput(mergeValues(c.config, c.values), withNamespace(c.base, ns), dir);
      const h = await sh(helm, ['template', 'rel', chart, '-n', ns, '-f', writeValues(dir, `refusal-${name}-${k}.json`, c.values)]);
      if (c.refused) {
        assert.is(f.code, 1, `case ${k}: the function accepted it`);
        assert.match(f.stderr, c.refused, `case ${k}`);
        assert.is.not(h.code, 0, `case ${k}: helm accepted it`);
        assert.match(h.stderr, c.refused, `case ${k}`);
      } else {
        assert.is(f.code, 0, `case ${k}: ${f.stderr}`);
        assert.is(h.code, 0, `case ${k}: ${h.stderr}`);
        assert.equal(differences(f.stdout, h.stdout), [], `case ${k}`);
      }
    }
  });

  test(`${name}: a name taken by an object that is not ours fails in Helm as in the function`, async () => {
    const chart = writeChart(`conflict-${name}`, BASE_RICH, {});
    const values = { query: { service: { name: 'legacy' } } };
    const f = await functionOutput(values, withNamespace(BASE_RICH, 'default'), dir);
    assert.is(f.code, 1);
    assert.match(f.stderr, /legacy already exists and is not managed by prometheus-ha/);
    const h = await sh(helm, ['template', 'rel', chart, '-n', 'default', '-f', writeValues(dir, `conflict-${name}.json`, values)]);
    assert.is.not(h.code, 0);
    assert.match(h.stderr, /Service named .*legacy already exists and is not managed by prometheus-ha/);
  });

  test(`${name}: two objects of ours given one name fail in Helm as in the function`, async () => {
    const values = { thanos: { objectStorageConfig: { name: 'objstore', key: 'objstore.yml' } }, compactor: { enabled: true, name: 'thanos-store-api' } };
    const f = await functionOutput(values, withNamespace(SEED, NS), dir);
    assert.is(f.code, 1);
    assert.match(f.stderr, /names two of the objects it adds Service .*thanos-store-api \(compactor-service/);
    const h = await helmTemplate(helm, NS, writeValues(dir, `two-names-${name}.json`, values));
    assert.is.not(h.code, 0);
    assert.match(h.stderr, /name two of the objects the chart adds .*thanos-store-api \(compactor-service/);
  });
}

test.run();

/**
 * Surprise-free edits of the Prometheus (issue 14, section 6): lines outside the fields the function
 * changes stay as written, so a GitOps diff shows only what it changed. Table tests of inline YAML,
 * a property over generated Prometheus texts (fast-check, fixed seed; a tenth under PROPERTY_QUICK),
 * and the real manifests of test/fixtures/brownfield/ (antiAffinity mode none: the adoption of an
 * existing anti-affinity is another change's). Every run goes through helpers.fn: the light reader
 * and the yaml path must write the same bytes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_CONFIG, fn, propertyCount, resourceList, ROOT, SEED_ITEMS, withoutResults } from '../lib/helpers.js';
import { fixGoQuotes } from '../../functions/prometheus-ha/src/yaml/goyaml.js';
import { changedFields, fieldSegments, itemTexts, lineDiff, unexpectedChanges } from '../lib/textdiff.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const runs = (n: number) => ({ seed: SEED, numRuns: propertyCount(n) });

const NONE = `${DEFAULT_CONFIG}antiAffinity:\n  mode: none\n`;
const OTHERS = SEED_ITEMS.slice(1);
const TMP = mkdtempSync(join(tmpdir(), 'prometheus-ha-edits-'));
const configFile = join(TMP, 'none.yaml');
writeFileSync(configFile, NONE);
/** For a sidecar that serves gRPC over TLS (OpenShift's), Query needs a client certificate (issue 14, section 3). */
const TLS = `${NONE}query:\n  grpcClientTls:\n    secretName: thanos-query-grpc-tls\n`;
const tlsFile = join(TMP, 'tls.yaml');
writeFileSync(tlsFile, TLS);
const tls = (text: string) => /grpcServerTlsConfig:/.test(text);

/** The function (KRM) on a Prometheus text among the seed's other objects: its output Prometheus, the changed fields, the output. */
async function run(prom: string, config = DEFAULT_CONFIG) {
  const stdin = resourceList([prom, ...OTHERS], config);
  // The Prometheus as the ResourceList holds it (resourceList() trims the end of an item's text).
  assert.is(itemTexts(stdin, 'resourceList')[0]!.text, prom.trimEnd() + '\n', 'the Prometheus as given');
  const r = await fn(stdin);
  assert.is(r.code, 0, r.stderr + r.stdout);
  const out = parse(r.stdout) as { results?: never[] };
  const after = itemTexts(r.stdout, 'resourceList').find((i) => i.kind === 'Prometheus')!.text;
  // A second run on the output changes nothing.
  const again = await fn(withoutResults(r.stdout));
  assert.is(withoutResults(again.stdout), withoutResults(r.stdout), 'idempotent');
  return { after, changed: changedFields(out.results ?? []), stdout: r.stdout };
}

/** The lines of `after` that differ from `before` outside the changed fields: none. */
function assertOnlyChanged(before: string, after: string, changed: string[][], what: string): void {
  assert.ok(changed.length > 0, `${what}: the function changed something (else the check is vacuous)`);
  const bad = unexpectedChanges(before, after, changed);
  assert.equal(bad, [], `${what}: lines changed outside ${changed.map((c) => c.join('.')).join(', ')}:\n${bad.join('\n')}\n--- before\n${before}--- after\n${after}`);
}

const PROM = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: prometheus
  namespace: monitoring
spec:
  replicas: 1
  version: v2.44.0
`;
const withSpec = (lines: string) => PROM.replace('  version: v2.44.0\n', lines);

/** [what, Prometheus, lines that must come out verbatim, config]. */
const cases: [string, string, string[], string?][] = [
  ['two spaces after a colon (a rendered kube-prometheus-stack)', withSpec('  logLevel:  info\n  logFormat:  "logfmt"\n  version: v2.44.0\n'), ['  logLevel:  info', '  logFormat:  "logfmt"']],
  ['trailing spaces and a line of spaces', withSpec('  logLevel: info   \n    \n  retention: 12h \n  version: v2.44.0\n'), ['  logLevel: info   ', '    ', '  retention: 12h ']],
  [
    'indented and compact sequences side by side',
    withSpec('  enableFeatures:\n    - exemplar-storage\n    - memory-snapshot-on-shutdown\n  tolerations:\n  - key: dedicated\n    operator: Exists\n  version: v2.44.0\n'),
    ['  enableFeatures:\n    - exemplar-storage\n    - memory-snapshot-on-shutdown\n  tolerations:\n  - key: dedicated\n    operator: Exists\n'],
  ],
  [
    'folded and literal block scalars',
    withSpec('  web:\n    pageTitle: >-\n      A long title\n      folded over lines\n  additionalAlertRelabelConfigs: |\n    - action: drop\n      regex: x\n  version: v2.44.0\n'),
    ['    pageTitle: >-\n      A long title\n      folded over lines\n', '  additionalAlertRelabelConfigs: |\n    - action: drop\n      regex: x\n'],
  ],
  [
    'flow sequences and maps outside the changed fields',
    withSpec('  ruleSelector: {matchLabels: {release: kps}}\n  enableFeatures: [exemplar-storage]\n  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n        labelSelector:\n          matchExpressions:\n          - {key: app.kubernetes.io/name, operator: In, values: [prometheus]}\n  version: v2.44.0\n'),
    ['  ruleSelector: {matchLabels: {release: kps}}\n  enableFeatures: [exemplar-storage]\n', '          - {key: app.kubernetes.io/name, operator: In, values: [prometheus]}\n'],
    NONE,
  ],
  ['a comment at the end of the last key', withSpec('  version: v2.44.0\n  # retention: 24h, once the disks are bigger\n'), ['  version: v2.44.0\n  # retention: 24h, once the disks are bigger\n']],
  ['a comment at the end of the document', withSpec('  version: v2.44.0\n# end of the Prometheus\n'), ['\n# end of the Prometheus\n']],
  [
    'comments between keys, on the line of a changed value and after a key',
    withSpec('  # how many\n  replicas: 1 # one for now\n  # the image\n  version: v2.44.0 # pinned\n').replace('  replicas: 1\n', ''),
    ['  # how many\n  replicas: 2 # one for now\n  # the image\n  version: v2.44.0 # pinned\n'],
  ],
  ['a comment after the key of a map the function adds to', withSpec('  podMetadata: # the pods\n    labels:\n      app:  prometheus\n  version: v2.44.0\n'), ['  podMetadata: # the pods\n    labels:\n      app:  prometheus\n']],
  ['an anchor and its alias outside the changed fields', withSpec('  retention: &r 12h\n  retentionSize: x\n  version: v2.44.0\n  additionalArgs:\n  - name: x\n    value: *r\n'), ['  retention: &r 12h\n', '    value: *r\n']],
  ['quoted keys and values, and a number as a string', withSpec('  "logLevel": \'info\'\n  retention: "12h"\n  version: "2.44.0"\n'), ['  "logLevel": \'info\'\n  retention: "12h"\n  version: "2.44.0"\n']],
];

for (const [what, prom, kept, config] of cases) {
  test(`edits keep the rest as written: ${what}`, async () => {
    const { after, changed } = await run(prom, config);
    for (const k of kept) assert.ok(after.includes(k), `${what}: ${JSON.stringify(k)} kept verbatim in:\n${after}`);
    assertOnlyChanged(prom, after, changed, what);
  });
}

test('a flow map the function adds to is rewritten in block style, and only it', async () => {
  const prom = withSpec('  podMetadata: {labels: {app: prometheus}, annotations: {a: b}}\n  logLevel:  info\n  version: v2.44.0\n');
  const { after, changed } = await run(prom);
  assert.ok(after.includes('  podMetadata:\n    labels:\n      app: prometheus\n      thanos-store-api: "true"\n    annotations:\n      a: b\n  logLevel:  info\n'), after);
  assertOnlyChanged(prom, after, changed, 'flow podMetadata');
});

test('a comment at the end of the last item stays with it, before the injected objects', async () => {
  const prom = withSpec('  version: v2.44.0\n  # retention: 24h later\n# end of the Prometheus\n');
  const r = await fn(resourceList([...OTHERS, prom], DEFAULT_CONFIG));
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /  # end of the Prometheus\n- apiVersion: v1\n  kind: Service\n/);
  const after = itemTexts(r.stdout, 'resourceList');
  assert.is(after[OTHERS.length]!.kind, 'Prometheus');
  const text = after[OTHERS.length]!.text;
  assert.ok(text.includes('  version: v2.44.0\n  # retention: 24h later\n\n  affinity:\n') && text.endsWith('        memory: 500Mi\n# end of the Prometheus\n'), text);
  // The same as a legacy plugin: the comments stay before the next `---`.
  const legacy = await fn([...OTHERS, prom].join('---\n'), [configFile]);
  assert.match(legacy.stdout, /      requests:\n        cpu: 100m\n        memory: 500Mi\n# end of the Prometheus\n---\n/);
  assert.match(legacy.stdout, /  version: v2.44.0\n  # retention: 24h later\n\n  podMetadata:\n/);
});

test('as a legacy plugin, a header comment and the documents stay as written; switching Query off cuts its documents only', async () => {
  const stream = `# our monitoring, rendered by hand\n---\n${PROM.replace('  replicas: 1\n', '  replicas: 1 # one for now\n')}---\n\n# the account\n${OTHERS.join('---\n')}`;
  const once = await fn(stream, [configFile]);
  assert.is(once.code, 0, once.stderr);
  assert.ok(once.stdout.startsWith('# our monitoring, rendered by hand\n---\n'), once.stdout);
  assert.ok(once.stdout.includes(`  replicas: 2 # one for now\n`), once.stdout);
  assert.ok(once.stdout.includes(`---\n\n# the account\n${OTHERS.join('---\n')}---\n`), 'the other documents as written, then the new ones');
  const off = join(TMP, 'query-off.yaml');
  writeFileSync(off, `${NONE}query:\n  enabled: false\n`);
  const twice = await fn(once.stdout, [off]);
  assert.is(twice.code, 0, twice.stderr);
  const objects = (t: string) => parseAllDocuments(t).map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null).filter((o) => o !== null).map((o) => `${o.kind}/${o.metadata.name}`);
  const query = objects(once.stdout).filter((o) => o.endsWith('/thanos-query'));
  assert.ok(query.length >= 2, 'Query was there');
  assert.equal(objects(twice.stdout), objects(once.stdout).filter((o) => !query.includes(o)));
  assert.ok(twice.stdout.startsWith(once.stdout.slice(0, once.stdout.indexOf('---\napiVersion: v1\nkind: Service'))), 'everything before the injected objects as it was');
});

test("a Prometheus with a closing quote at column 0 (as Go's yaml writes it) is written whole, as before, and right", async () => {
  const prom = withSpec('  version: v2.44.0\n').replace('  namespace: monitoring\n', "  namespace: monitoring\n  annotations:\n    note: 'a long note\n      that goes on.\n\n'\n");
  for (const r of [await fn(prom, [configFile]), await fn(resourceList([prom], NONE).replace(/\n {2}'\n/, "\n'\n"))]) {
    assert.is(r.code, 0, r.stderr + r.stdout);
    const p = parseAllDocuments(r.stdout).map((d) => d.toJS()).map((o) => (o.kind === 'ResourceList' ? o.items[0] : o)).find((o) => o.kind === 'Prometheus');
    assert.is(p.metadata.annotations.note, 'a long note that goes on.\n');
    assert.is(p.spec.replicas, 2);
  }
});

test('the check itself fails on a surprise (it can fail)', () => {
  const before = withSpec('  logLevel:  info\n  version: v2.44.0\n');
  const after = before.replace('logLevel:  info', 'logLevel: info').replace('replicas: 1', 'replicas: 2');
  assert.equal(unexpectedChanges(before, after, [['spec', 'replicas']]), ['-   logLevel:  info', '+   logLevel: info']);
  assert.equal(unexpectedChanges(before, after, [['spec', 'logLevel'], ['spec', 'replicas']]), []);
  assert.equal(lineDiff('a\nb\nc', 'a\nc\nd'), { removed: [1], added: [2] });
});

// ---- generated Prometheus texts ------------------------------------------------------------------

/** The objects generated texts are written from: the fields people set, some the function changes. */
const spec = (present: boolean[]) => {
  const all: [string, unknown][] = [
    ['image', 'quay.io/prometheus/prometheus:v2.44.0'],
    ['logLevel', 'info'],
    ['replicas', 1],
    ['podMetadata', { labels: { app: 'prometheus', team: 'obs' } }],
    ['retention', '12h'],
    ['resources', { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } }],
    ['tolerations', [{ key: 'dedicated', operator: 'Equal', value: 'monitoring', effect: 'NoSchedule' }, { key: 'spot', operator: 'Exists' }]],
    ['enableFeatures', ['exemplar-storage', 'memory-snapshot-on-shutdown']],
    ['ruleSelector', { matchLabels: { release: 'kps' } }],
    ['web', { pageTitle: 'Prometheus of the platform team, highly available' }],
    ['externalLabels', { cluster: 'eu1' }],
    ['storage', { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } } }],
    ['version', 'v2.44.0'],
  ];
  return Object.fromEntries(all.filter((_, i) => present[i] !== false));
};

/**
 * Writes plain data as block YAML, every formatting choice from `pick` (0..n-1): two spaces after
 * a colon, trailing spaces, comment lines and trailing comments, blank lines, compact or indented
 * sequences, flow collections, quoted or block scalars.
 */
function write(value: Record<string, unknown>, pick: (n: number) => number, indent = ''): string {
  let out = '';
  const seqIndent = pick(2) ? '  ' : '';
  for (const [k, v] of Object.entries(value)) {
    if (pick(6) === 0) out += `${indent}# about ${k}\n`;
    if (pick(8) === 0) out += '\n';
    const sep = pick(4) === 0 ? ':  ' : ': ';
    const trail = () => (pick(8) === 0 ? '  ' : pick(8) === 0 ? ' # note' : '');
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'string') && pick(3) === 0) out += `${indent}${k}${sep}[${v.join(', ')}]${trail()}\n`;
      else {
        out += `${indent}${k}:${pick(8) === 0 ? ' # the list' : ''}\n`;
        for (const x of v) {
          const ind = indent + seqIndent;
          if (typeof x === 'string') out += `${ind}- ${x}${trail()}\n`;
          else {
            // `- key: v` when the map's first line is a key; else the dash on a line of its own.
            const m = write(x as Record<string, unknown>, pick, ind + '  ');
            out += /^ *[a-z]/.test(m) ? `${ind}- ${m.slice(ind.length + 2)}` : `${ind}-\n${m}`;
          }
        }
      }
    } else if (typeof v === 'object' && v !== null) {
      const scalars = Object.values(v).every((x) => typeof x !== 'object');
      if (scalars && pick(4) === 0) out += `${indent}${k}${sep}{${Object.entries(v).map(([a, b]) => `${a}: ${b}`).join(', ')}}${trail()}\n`;
      else out += `${indent}${k}:${pick(8) === 0 ? ' # below' : ''}\n${write(v as Record<string, unknown>, pick, indent + '  ')}`;
    } else if (typeof v === 'string' && v.includes(' ') && pick(2) === 0) {
      const words = v.split(' ');
      out += pick(2) ? `${indent}${k}: >-\n${indent}  ${words.slice(0, 3).join(' ')}\n${indent}  ${words.slice(3).join(' ')}\n` : `${indent}${k}: |-\n${indent}  ${v}\n`;
    } else {
      const q = typeof v === 'string' ? pick(4) : 0;
      out += `${indent}${k}${sep}${q === 1 ? JSON.stringify(v) : q === 2 ? `'${v}'` : v}${trail()}\n`;
    }
  }
  if (pick(6) === 0) out += `${indent}# end of ${indent ? 'a map' : 'the object'}\n`;
  return out;
}

const generated = fc.record({ present: fc.array(fc.boolean(), { minLength: 13, maxLength: 13 }), choices: fc.array(fc.nat(), { minLength: 300, maxLength: 300 }), none: fc.boolean() }).map(({ present, choices, none }) => {
  let i = 0;
  const pick = (n: number) => choices[i++ % choices.length]! % n;
  const body = write({ apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'prometheus', namespace: 'monitoring' }, spec: spec(present) }, pick);
  return { text: body.trimEnd() + '\n', config: none ? NONE : `${DEFAULT_CONFIG}externalLabels:\n  region: eu\n` };
});

test('property: on generated Prometheus texts, only the changed fields differ (and the rest reads the same)', async () => {
  await fc.assert(
    fc.asyncProperty(generated, async ({ text, config }) => {
      const { after, changed } = await run(text, config);
      assertOnlyChanged(text, after, changed, 'generated');
      // What is not changed reads the same (the changed fields left out, and the maps made for them).
      const strip = (o: any) => {
        for (const f of changed) {
          const chain = [o];
          for (const s of f.slice(0, -1)) chain.push(chain[chain.length - 1]?.[s]);
          for (let k = f.length - 1; k >= 0; k--) {
            const p = chain[k];
            if (!p || typeof p !== 'object' || (k < f.length - 1 && Object.keys(p[f[k]!] ?? {}).length)) break;
            delete p[f[k]!];
          }
        }
        return o;
      };
      assert.equal(strip(parse(after)), strip(parse(text)));
    }),
    runs(100),
  );
});

// ---- the brownfield fixtures ----------------------------------------------------------------------

const FIXTURES = `${ROOT}test/fixtures/brownfield/`;
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml') && !f.endsWith('.values.yaml') && f !== 'prometheus-operator-thanos.yaml').sort();

test('the brownfield fixtures as a legacy plugin: untouched documents and the lines around them byte for byte, the Prometheus changed only in the changed fields', async () => {
  for (const f of fixtures) {
    const input = readFileSync(FIXTURES + f, 'utf8');
    const r = await fn(input, [tls(input) ? tlsFile : configFile], { PROMETHEUS_HA_VERBOSE: '1' });
    assert.is(r.code, 0, `${f}: ${r.stderr}`);
    const before = itemTexts(input, 'stream');
    const after = itemTexts(r.stdout, 'stream');
    const i = before.findIndex((it) => it.kind === 'Prometheus');
    const changed = [...r.stderr.matchAll(/\[CHANGED\] Prometheus\/\S+ (\S+): set /g)].map((m) => fieldSegments(m[1]!));
    assertOnlyChanged(before[i]!.text, after[i]!.text, changed, f);
    // Everything else as it came: the input is the output with the Prometheus put back, up to the added documents.
    const back = r.stdout.replace(after[i]!.text, before[i]!.text);
    assert.ok(back.startsWith(input), `${f}: the output, with the Prometheus as it was, starts with the input`);
    assert.ok(/^(?:---\n[\s\S]*)?$/.test(back.slice(input.length)), `${f}: only documents after it`);
    assert.equal(parseAllDocuments(back.slice(input.length)).length, after.length - before.length, `${f}: the added documents`);
  }
});

test('the brownfield fixtures in a ResourceList: the other items byte for byte, the Prometheus changed only in the changed fields', async () => {
  for (const f of fixtures) {
    const docs = readFileSync(FIXTURES + f, 'utf8').split(/^---\n/m).filter((d) => /^[a-z]/m.test(d));
    // Go's closing quotes at column 0 (Helm 4's input) stay there, as kyaml writes them (goyaml.ts).
    const stdin = resourceList(docs, tls(docs.join('')) ? TLS : NONE).replace(/\n {2}'\n/g, "\n'\n");
    const r = await fn(stdin);
    assert.is(r.code, 0, `${f}: ${r.stdout}`);
    const before = itemTexts(stdin, 'resourceList');
    const after = itemTexts(r.stdout, 'resourceList');
    for (let i = 0; i < before.length; i++) {
      if (before[i]!.kind !== 'Prometheus') assert.is(after[i]!.text, before[i]!.text, `${f}: item ${i} (${before[i]!.kind}) byte for byte`);
      else assertOnlyChanged(before[i]!.text, after[i]!.text, changedFields((parse(fixGoQuotes(r.stdout)?.text ?? r.stdout) as { results: never[] }).results), f);
    }
  }
});

test('a rendered kube-prometheus-stack keeps its double spaces, trailing spaces and flow sequences', async () => {
  const input = readFileSync(`${FIXTURES}kube-prometheus-stack-88.5.3.yaml`, 'utf8');
  for (const kept of ['  logLevel:  "info"\n  logFormat:  logfmt\n', 'matchExpressions:            \n', '- {key: app.kubernetes.io/name, operator: In, values: [prometheus]}\n', '# Source: kube-prometheus-stack/templates/prometheus/service.yaml\n']) {
    assert.ok(input.includes(kept), `the fixture has ${JSON.stringify(kept)}`);
    const r = await fn(input, [configFile]);
    assert.ok(r.stdout.includes(kept), `${JSON.stringify(kept)} kept`);
  }
});

test.run();

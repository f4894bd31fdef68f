/**
 * A corpus of bad inputs. Each: exit 1, a result naming what (and where, when known), no stack
 * trace, and no resource altered or dropped.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocument, type Document } from 'yaml';

/** The items as plain data, or undefined where they cannot be read safely (aliases bounded). */
function safeItems(doc: Document): unknown[] | undefined {
  try {
    const v = doc.toJS({ maxAliasCount: 50 });
    return Array.isArray(v?.items) ? v.items : undefined;
  } catch {
    return undefined;
  }
}
import { bin, DEFAULT_CONFIG, fn, resourceList, SEED_ITEMS } from '../lib/helpers.js';

const PROM = SEED_ITEMS[0]!;
const OTHERS = SEED_ITEMS.slice(1);
const rlHead = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const cfg = (extra: string) => `${DEFAULT_CONFIG}${extra}`;
const bomb = (() => {
  let s = '  a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++) s += `  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
})();
const queryOfOthers = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: thanos-query\n  namespace: prometheus\n  labels:\n    app.kubernetes.io/managed-by: Helm\nspec: {}\n';

interface Case {
  name: string;
  stdin: string | Buffer;
  args?: string[];
  /** The message (stdout results or stderr) must match. */
  message: RegExp;
  /** A field path the result must name. */
  field?: string;
}

const cases: Case[] = [
  { name: 'empty stdin', stdin: '', message: /no input/ },
  { name: 'only whitespace and comments', stdin: '  \n# nothing\n', message: /no (input|YAML document)/ },
  { name: 'not YAML', stdin: 'items: [\n  - {a: \n', message: /not valid YAML|cannot parse/ },
  { name: 'a YAML scalar', stdin: 'hello\n', message: /expected a ResourceList/ },
  { name: 'a YAML list', stdin: '- a\n- b\n', message: /expected a ResourceList/ },
  { name: 'a Kubernetes object, not a ResourceList', stdin: PROM, message: /expected kind: ResourceList.*kind: Prometheus/ },
  { name: 'two ResourceLists', stdin: `${resourceList(SEED_ITEMS)}---\n${resourceList(SEED_ITEMS)}`, message: /expected one ResourceList on stdin, found 2/ },
  { name: 'items is a string', stdin: `${rlHead}items: everything\n`, message: /items must be a list/, field: 'items' },
  { name: 'items is a map', stdin: `${rlHead}items:\n  a: 1\n`, message: /items must be a list/, field: 'items' },
  { name: 'an item is a scalar', stdin: `${rlHead}items:\n- just text\n`, message: /items\[0\] is not a map/, field: 'items[0]' },
  { name: 'an item is a list', stdin: `${rlHead}items:\n- - a\n  - b\n`, message: /items\[0\] is not a map/, field: 'items[0]' },
  { name: 'tabs for indentation', stdin: `${rlHead}items:\n- apiVersion: v1\n\tkind: ConfigMap\n`, message: /tab|not valid YAML|Tabs/i },
  { name: 'a byte order mark inside the stream', stdin: `${resourceList(SEED_ITEMS, DEFAULT_CONFIG)}\uFEFFtrailing: x\n`, message: /BOM|byte order|not valid YAML|expected|Unexpected/i },
  { name: 'invalid UTF-8', stdin: Buffer.concat([Buffer.from(resourceList(SEED_ITEMS, DEFAULT_CONFIG)), Buffer.from([0xff, 0xfe, 0x0a])]), message: /not valid UTF-8/ },
  { name: 'duplicate keys in the ResourceList', stdin: `${rlHead}items: []\nitems: []\n`, message: /unique|duplicate|Map keys/i },
  { name: 'duplicate keys in the Prometheus', stdin: resourceList([PROM.replace('  replicas: 1\n', '  replicas: 1\n  replicas: 3\n'), ...OTHERS], DEFAULT_CONFIG), message: /Map keys must be unique \(line 18\)/ },
  { name: 'alias bomb in the config', stdin: `${resourceList(SEED_ITEMS)}functionConfig:\n  kind: PrometheusHA\n${bomb}`, message: /alias/i },
  { name: 'alias bomb in the Prometheus', stdin: resourceList([PROM.replace('spec:\n', `spec:\n${bomb}`), ...OTHERS], DEFAULT_CONFIG), message: /Excessive alias count/ },
  { name: 'deeply nested input (50,000 levels, in the Prometheus)', stdin: resourceList([PROM.replace('spec:\n', `spec:\n  x: ${'['.repeat(50000)}${']'.repeat(50000)}\n`), ...OTHERS], DEFAULT_CONFIG), message: /nested too deeply/ },
  { name: 'deeply nested small input (a whole-input check)', stdin: `${rlHead}items:\n- apiVersion: v1\n  kind: ConfigMap\n  data: ${'['.repeat(30000)}${']'.repeat(30000)}\n`, message: /nested too deeply|no Prometheus/ },
  { name: 'deeply nested Prometheus', stdin: resourceList([PROM.replace('spec:\n', `spec:\n  x: ${'{a: '.repeat(200)}1${'}'.repeat(200)}\n`), ...OTHERS], DEFAULT_CONFIG), message: /nested deeper than 64/ },
  { name: '!!js/function tag in the Prometheus', stdin: resourceList([PROM.replace('  retention: 12h\n', '  retention: !!js/function "function(){}"\n'), ...OTHERS], DEFAULT_CONFIG), message: /tag/i },
  { name: 'unknown local tag in the config', stdin: resourceList(SEED_ITEMS, `${DEFAULT_CONFIG}replicas: !exec "rm -rf /"\n`), message: /tag/i },
  { name: '__proto__ in the config', stdin: resourceList(SEED_ITEMS, cfg('__proto__:\n  replicas: 9\n')), message: /unknown field "__proto__"/, field: '__proto__' },
  { name: 'constructor in the config', stdin: resourceList(SEED_ITEMS, cfg('constructor:\n  prototype:\n    polluted: yes\n')), message: /unknown field "constructor"/, field: 'constructor' },
  { name: '__proto__ in a ConfigMap config key', stdin: resourceList(SEED_ITEMS, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  __proto__.polluted: "yes"\n'), message: /unknown config key "__proto__.polluted"/ },
  { name: 'config of the wrong kind', stdin: resourceList(SEED_ITEMS, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n'), message: /accepted kinds are PrometheusHA .* and ConfigMap/, field: 'kind' },
  { name: 'config is a list', stdin: `${resourceList(SEED_ITEMS)}functionConfig:\n- a\n`, message: /must be a map/ },
  { name: 'config with wrong types', stdin: resourceList(SEED_ITEMS, cfg('replicas: two\nquery:\n  enabled: maybe\n')), message: /must be integer/, field: 'replicas' },
  { name: 'config with unknown fields', stdin: resourceList(SEED_ITEMS, cfg('replica: 3\n')), message: /unknown field "replica"/, field: 'replica' },
  { name: 'negative replicas', stdin: resourceList(SEED_ITEMS, cfg('replicas: -2\n')), message: /must be >= 2/, field: 'replicas' },
  { name: 'huge replicas', stdin: resourceList(SEED_ITEMS, cfg('replicas: 1000000000000\n')), message: /must be <= 100/, field: 'replicas' },
  { name: 'invalid label key', stdin: resourceList(SEED_ITEMS, cfg('storeApi:\n  label:\n    key: "-bad/key/x"\n')), message: /must match pattern/, field: 'storeApi.label.key' },
  { name: 'invalid Thanos version', stdin: resourceList(SEED_ITEMS, cfg('thanos:\n  version: latest\n')), message: /Thanos release as the image is tagged/, field: 'thanos.version' },
  { name: 'ConfigMap config with data that is not a map', stdin: resourceList(SEED_ITEMS, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [1]\n'), message: /data must be a map/ },
  { name: 'no Prometheus', stdin: resourceList(OTHERS, DEFAULT_CONFIG), message: /no Prometheus .* in the input; Prometheus found: none/ },
  { name: 'two Prometheus and no target', stdin: resourceList([PROM, PROM.replace('name: prometheus\n', 'name: second\n'), ...OTHERS], DEFAULT_CONFIG), message: /2 Prometheus in the input .*set target.name/, field: 'target' },
  { name: 'a target that matches nothing', stdin: resourceList(SEED_ITEMS, cfg('target:\n  name: nope\n  namespace: prometheus\n')), message: /matching target prometheus\/nope.*found: prometheus\/prometheus/, field: 'target' },
  { name: 'a Prometheus whose spec is a string', stdin: resourceList([PROM.replace(/spec:\n[\s\S]*$/, 'spec: "two replicas please"\n'), ...OTHERS], DEFAULT_CONFIG), message: /spec must be a map/, field: 'spec' },
  { name: 'a Prometheus whose affinity is a string', stdin: resourceList([PROM.replace('spec:\n', 'spec:\n  affinity: everywhere\n'), ...OTHERS], DEFAULT_CONFIG), message: /spec.affinity is the value "everywhere", expected a map/, field: 'spec.affinity' },
  { name: 'a Prometheus without a name', stdin: resourceList([PROM.replace('  name: prometheus\n', ''), ...OTHERS], DEFAULT_CONFIG), message: /no metadata.name/, field: 'metadata.name' },
  { name: 'a user podAntiAffinity that conflicts with ours', stdin: resourceList([PROM.replace('spec:\n', 'spec:\n  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - topologyKey: kubernetes.io/hostname\n'), ...OTHERS], DEFAULT_CONFIG), message: /already has a podAntiAffinity/, field: 'spec.affinity.podAntiAffinity' },
  { name: 'a Deployment with the Query name and another owner', stdin: resourceList([...SEED_ITEMS, queryOfOthers], DEFAULT_CONFIG), message: /already exists and is not managed by prometheus-ha/ },
  { name: 'replicaExternalLabelName ""', stdin: resourceList([PROM.replace('spec:\n', 'spec:\n  replicaExternalLabelName: ""\n'), ...OTHERS], DEFAULT_CONFIG), message: /no replica label/, field: 'spec.replicaExternalLabelName' },
  { name: 'an alias to another item', stdin: `${rlHead}items:\n- &x {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- *x\n`, message: /alias|not valid YAML|not a map/i },
  { name: 'legacy plugin: config file that is not YAML', stdin: SEED_ITEMS.join('---\n'), args: ['test/fixtures/corpus/not-yaml-config.txt'], message: /config file .*not-yaml-config/ },
  { name: 'legacy plugin: a stream document that is a scalar', stdin: `${SEED_ITEMS.join('---\n')}---\njust text\n`, args: ['kustomize/seed/prometheus-ha.yaml'], message: /document 5 is not a map/ },
  { name: 'legacy plugin: invalid config', stdin: SEED_ITEMS.join('---\n'), args: ['test/fixtures/corpus/bad-config.yaml'], message: /config replicas: must be >= 2/ },
];

const noStack = (s: string) => !/\n\s+at .+:\d+:\d+\)?/.test(s) && !/TypeError|ReferenceError/.test(s);

test(`the corpus has at least 40 cases (${cases.length})`, () => assert.ok(cases.length >= 40));

for (const c of cases) {
  test(`bad input: ${c.name}`, async () => {
    const r = await fn(c.stdin, c.args ?? []);
    assert.is(r.code, 1, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    const all = `${r.stdout}\n${r.stderr}`;
    assert.match(all, c.message);
    assert.ok(noStack(all), `stack trace in output:\n${all}`);
    assert.not.match(all, /internal error/);
    if (!c.args) {
      // Read the output as a careful consumer would: the input (echoed back) may hold the bomb.
      const outDoc = parseDocument(r.stdout, { uniqueKeys: false });
      const out = { kind: outDoc.get('kind'), results: (outDoc.get('results', true) as any)?.toJSON() ?? [], items: safeItems(outDoc) };
      assert.is(out.kind, 'ResourceList', 'stdout is still a ResourceList');
      const err = out.results.find((x: any) => x.severity === 'error');
      assert.ok(err, 'an error result');
      if (c.field) assert.ok(out.results.some((x: any) => x.field?.path === c.field), `no result names field ${c.field}: ${JSON.stringify(out.results)}`);
      // Nothing altered or dropped. Where the function could read the ResourceList, the items come
      // back byte for byte. Where it could not read it at all (an INPUT_ code), none of it can be
      // echoed: the output has no items and the exit status is 1, so kpt and kustomize keep the files.
      const head = (t: string) => t.split(/^(functionConfig|results):/m)[0]!;
      const unreadable = out.items !== undefined && out.items.length === 0 && out.results.some((x: any) => /^INPUT_/.test(x.tags?.code ?? ''));
      if (!unreadable) assert.is(head(r.stdout), head(String(c.stdin)), 'items echoed byte for byte');
    }
  });
}

// Large inputs are not composed in full (README, "Reading input without composing it"): the cheap
// signs must still catch broken items there. PROMETHEUS_HA_FULL_VALIDATION_BYTES=1 takes that path.
const broken: [string, string][] = [
  ['a key without its colon', 'apiVersion: v1\nkind: ConfigMap\nmetadata:!\n  name: q\n'],
  ['a compact nested mapping', 'apiVersion: v1\nkind: ConfigMap\nmetadata: (x\n  name: q\n'],
  ['a line between the dash and the content column', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\n\' data:\n'],
  ['a key between the dash and the content column', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\nDATA_AT_1: x\n'],
  ['an unclosed flow collection', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: q\n'],
  ['a plain scalar starting with a reserved character, in its metadata', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: `q\n'],
];
for (const [name, item] of broken) {
  test(`large-input path: the cheap signs catch ${name}`, () => {
    const text = resourceList([...SEED_ITEMS, item], DEFAULT_CONFIG).replace(/\n {2}' data:/, "\n ' data:").replace(/\n {2}DATA_AT_1:/, '\n data:');
    const r = bin([], text, { env: { PROMETHEUS_HA_FULL_VALIDATION_BYTES: '1' } });
    assert.is(r.code, 1, `${name}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stdout, /code: INPUT_YAML/);
    assert.match(r.stdout, /items: \[\]/, 'no partial list');
  });
}

test('large-input path: a broken line outside the metadata of an item the function does not read passes through as it came', () => {
  // The documented limit: kpt and kustomize, which parse the output, then report it.
  const item = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  a: 'open\n";
  const text = resourceList([...SEED_ITEMS, item], DEFAULT_CONFIG);
  const r = bin([], text, { env: { PROMETHEUS_HA_FULL_VALIDATION_BYTES: '1' } });
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes("    a: 'open\n"), 'the item is copied as it came');
  // Under the size limit the same input is refused with the composer's message.
  const small = bin([], text);
  assert.is(small.code, 1);
  assert.match(small.stdout, /code: INPUT_YAML/);
});

// A big legacy-plugin stream in kustomize's layout is read one document at a time (source.ts,
// bigStream; issue 17: 500,000 documents held ~2 GB of tokens), with the same checks as the whole
// stream's tokens got: the same answer as the small path, which composes everything, for streams
// it takes, those it gives back to the whole-stream reader, and broken ones.
const streams: [string, string][] = [
  ['kustomize layout', SEED_ITEMS.join('---\n')],
  ['a leading ---', `---\n${SEED_ITEMS.join('---\n')}`],
  ['quoted names and a kpt annotation', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'it''s'\n  annotations:\n    config.kubernetes.io/index: '3'\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: "s"\n`],
  ['a comment and a blank line (the whole-stream reader)', `# Source: x\n${SEED_ITEMS.join('---\n\n')}`],
  ['a flow document', `${SEED_ITEMS.join('---\n')}---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: f}}\n`],
  ['an anchor and its alias', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: &x 1\n  y: *x\n`],
  ['an alias without its anchor', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  y: *x\n`],
  ['a broken line outside the metadata', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  a: 'open\n`],
  ['a broken reserved character outside the metadata', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  b: \`x\n`],
  ['a broken flow map outside the metadata', `${SEED_ITEMS.join('---\n')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata: {a: 1\n`],
  ['a document that is a list', `${SEED_ITEMS.join('---\n')}---\n- a\n`],
  ['a directive', `%YAML 1.2\n---\n${SEED_ITEMS.join('---\n')}`],
];
for (const [name, stream] of streams) {
  test(`large legacy stream, ${name}: as the small path answers`, () => {
    const config = 'kustomize/seed/prometheus-ha.yaml';
    const small = bin([config], stream, { env: { PROMETHEUS_HA_LIGHT: 'off' } });
    const large = bin([config], stream, { env: { PROMETHEUS_HA_LIGHT: 'off', PROMETHEUS_HA_FULL_VALIDATION_BYTES: '1' } });
    const compact = bin([config], stream, { env: { PROMETHEUS_HA_LIGHT: 'off', PROMETHEUS_HA_FULL_VALIDATION_BYTES: '1', PROMETHEUS_HA_COMPACT_ITEMS_BYTES: '1' } });
    for (const r of [large, compact]) assert.equal([r.code, r.stdout, r.stderr], [small.code, small.stdout, small.stderr]);
    assert.is(small.code, /without its anchor|broken|a list/.test(name) && !/anchor and/.test(name) ? 1 : 0, small.stderr);
  });
}

test('invalid UTF-8 through the binary (raw bytes, not a JS string)', () => {
  const bytes = Buffer.concat([Buffer.from(resourceList(SEED_ITEMS, DEFAULT_CONFIG)), Buffer.from([0xc3, 0x28, 0x0a])]);
  const r = bin([], bytes);
  assert.is(r.code, 1);
  assert.match(r.stdout, /not valid UTF-8/);
});

test('a byte order mark at the start is allowed (YAML 1.2 permits it)', async () => {
  const r = await fn(`\uFEFF${resourceList(SEED_ITEMS, DEFAULT_CONFIG)}`);
  assert.is(r.code, 0, r.stderr);
});

test('__proto__ keys in items pass through and pollute nothing', async () => {
  const item = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p\n  labels:\n    __proto__: x\ndata:\n  __proto__: "{\\"polluted\\": true}"\n  constructor: y\n';
  const r = await fn(resourceList([...SEED_ITEMS, item], DEFAULT_CONFIG));
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes('    __proto__: x\n'));
  assert.is(({} as any).polluted, undefined);
  assert.is((Object.prototype as any).x, undefined);
});

test.run();

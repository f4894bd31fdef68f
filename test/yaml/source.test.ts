/** Reading and writing ResourceLists and streams: passthrough is byte-identical, layouts vary. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments, parseDocument, type Document } from 'yaml';
import { PARSE_OPTIONS, readFast, readGeneral, readResourceList, readStream, writeResourceList, InputError, type Meta } from '../../functions/prometheus-ha/src/yaml/source.js';
import { DEFAULT_CONFIG, docs, fn, resourceList, SEED_ITEMS } from '../lib/helpers.js';
import { lightParse } from '../../functions/prometheus-ha/src/yaml/light/light.js';
import { withChange } from '../../functions/prometheus-ha/src/core/item.js';
import { compactItems } from '../../functions/prometheus-ha/src/yaml/items.js';

const odd = `# a comment above
apiVersion: v1
kind: ConfigMap
metadata:
  name: odd   # trailing
  annotations: {a: "1"}
data:
  quoted: 'it''s'
  block: |
    line one

    line three
  anchor: &x {k: v}
  alias: *x
`;

test('items the function does not change come out byte for byte, comments and all', async () => {
  const input = resourceList([...SEED_ITEMS, odd], DEFAULT_CONFIG);
  const r = await fn(input);
  assert.is(r.code, 0, r.stderr);
  const oddIndented = odd.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : l ? `  ${l}` : l)).join('\n');
  assert.ok(r.stdout.includes(oddIndented), 'odd item verbatim');
  for (const d of SEED_ITEMS.slice(1)) {
    const ind = d.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n');
    assert.ok(r.stdout.includes(ind));
  }
});

test('writing with no change reproduces the input exactly', () => {
  const input = resourceList([...SEED_ITEMS, odd], DEFAULT_CONFIG);
  const parsed = readResourceList(input);
  assert.is(writeResourceList(parsed, parsed.items, ''), input);
});

// The yaml path reads the skeleton (the functionConfig with it) with the light reader where it
// applies (commands/function.ts; issue 17: 30,000 externalLabels), else composes it: same value.
test('the skeleton: read by the plain reader where it applies, composed where not, the same value', () => {
  const labels = Array.from({ length: 2000 }, (_, i) => `  l_${i}: v-${i}\n`).join('');
  const configs = [`${DEFAULT_CONFIG}externalLabels:\n${labels}`, `${DEFAULT_CONFIG}externalLabels: {a: "1"} # flow, commented\n`, `${DEFAULT_CONFIG}externalLabels:\n${labels}  l_0: again\n`];
  for (const config of configs) {
    const text = resourceList(SEED_ITEMS, config);
    let asked = 0;
    let answered = 0;
    const plain = (t: string) => {
      asked++;
      const v = lightParse(t)?.toJS();
      if (v !== undefined) answered++;
      return v;
    };
    let composed: unknown;
    let read: unknown;
    try {
      composed = readResourceList(text).functionConfig;
    } catch (e) {
      composed = (e as InputError).result;
    }
    try {
      read = readResourceList(text, plain).functionConfig;
    } catch (e) {
      read = (e as InputError).result;
    }
    assert.equal(read, composed);
    assert.is(asked, 1);
    assert.is(answered, config === configs[0] ? 1 : 0, 'the light reader answers for plain block YAML only');
  }
});

// Items read from their lines, kept by column in big inputs (items.ts, LineItems; issue 17) or
// not: what they say is what the composer reads, names quoted or not, and a copy keeps it.
test('items read from their lines: metadata and source as composed, kept by a copy', () => {
  const docs = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "double-quoted-and-long"\n  namespace: ns\n',
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'it''s'\n  namespace: ns\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ''\n",
    'apiVersion: v1\nkind: Service\nmetadata:\n  namespace: ns\n  annotations:\n    config.kubernetes.io/path: a.yaml\n    other: x\n',
    'kind: Secret\nmetadata:\n  name: a-name-that-is-long-enough-to-be-a-slice # c\n',
  ];
  const text = resourceList(docs);
  const minBytes = compactItems.minBytes;
  for (const compact of [true, false]) {
    compactItems.minBytes = compact ? 0 : minBytes;
    const input = readResourceList(text);
    compactItems.minBytes = minBytes;
    assert.is(input.items.length, docs.length);
    assert.is((input.items[0]!.meta as unknown) === input.items[0], compact, 'compact items are their own Meta');
    input.items.forEach((it, i) => {
      const composed = parse(docs[i]!);
      const m = it.meta;
      assert.equal([m.apiVersion, m.kind, m.name, m.namespace], [composed.apiVersion, composed.kind, composed.metadata.name, composed.metadata.namespace], docs[i]);
      assert.equal({ ...m.annotations }, i === 4 ? { 'config.kubernetes.io/path': 'a.yaml' } : {});
      assert.is(it.source!.text.replace(/\n {2}/g, '\n'), docs[i]!.replace(/\n$/, '') + '\n');
      const copy = withChange(it, { removed: true });
      assert.equal([copy.meta.name, copy.meta.kind, copy.source!.start, copy.source!.end, copy.removed], [m.name, m.kind, it.source!.start, it.source!.end, true]);
    });
  }
});

test('item metadata is read without composing, also from odd items', () => {
  const parsed = readResourceList(resourceList([odd, 'apiVersion: v1\nkind: "Service"\nmetadata: {name: s, namespace: n}\n']));
  assert.equal(parsed.items.map((i) => [i.meta.kind, i.meta.name, i.meta.namespace]), [['ConfigMap', 'odd', undefined], ['Service', 's', 'n']]);
});

test('items indented under items: are written back at their indentation', async () => {
  const input = resourceList(SEED_ITEMS, DEFAULT_CONFIG).replace(/^(- |  )/gm, '  $1').replace(/^functionConfig:[\s\S]*$/m, '') + `functionConfig:\n${DEFAULT_CONFIG.replace(/^/gm, '  ')}`;
  const r = await fn(input);
  assert.is(r.code, 0, r.stderr);
  const out = parse(r.stdout);
  assert.is(out.items.length, 9, "4 base items + store Service, Query Deployment, Query Service, Query PDB, Prometheus PDB");
  assert.is(out.items[0].spec.replicas, 2);
});

test('a JSON ResourceList is read (rewritten in block style)', async () => {
  const obj = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: docs(SEED_ITEMS.join('---\n')), functionConfig: parse(DEFAULT_CONFIG) };
  const r = await fn(JSON.stringify(obj));
  assert.is(r.code, 0, r.stderr);
  assert.is(parse(r.stdout).items.length, 9, "4 base items + 5 injected");
});

test('a JSON ResourceList with no items is read as one with no items (TARGET_NOT_FOUND, not a layout error)', async () => {
  for (const text of ['{"apiVersion":"config.kubernetes.io/v1","kind":"ResourceList","items":[]}', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [ ]\n']) {
    const r = await fn(text);
    assert.is(r.code, 1);
    assert.match(r.stderr, /TARGET_NOT_FOUND/, text);
    assert.not.match(r.stderr, /layout/, text);
    assert.equal(parse(r.stdout).items, [], text);
  }
});

test('previous results are replaced, not kept', async () => {
  const input = resourceList(SEED_ITEMS, DEFAULT_CONFIG) + 'results:\n- message: old\n  severity: error\n';
  const r = await fn(input);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(parse(r.stdout).results.some((x: { message: string }) => x.message === 'old'));
});

test('a stream: documents in, documents out; empty documents skipped', () => {
  const s = readStream(`---\n${SEED_ITEMS.join('---\n')}---\n`);
  assert.is(s.items.length, 4);
  assert.is(s.items[0]!.meta.kind, 'Prometheus');
});

test('a ResourceList whose item is a scalar is an error with the index', () => {
  try {
    readResourceList('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- just a string\n');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as InputError).result.message, /items\[0\] is not a map/);
  }
});

test('the fast reader takes the layout kpt and kustomize write, and agrees with the general reader', () => {
  const layouts = [
    resourceList([...SEED_ITEMS, odd], DEFAULT_CONFIG),
    resourceList([...SEED_ITEMS, odd], DEFAULT_CONFIG) + 'results:\n- message: old\n  severity: info\n',
    `# leading comment\n${resourceList(SEED_ITEMS, DEFAULT_CONFIG).replace('items:\n', 'items:\n# between\n')}`,
    resourceList(SEED_ITEMS, DEFAULT_CONFIG).replace(/^(- |  )/gm, '  $1'),
  ];
  for (const text of layouts) {
    const fast = readFast(text);
    assert.ok(fast, 'fast path taken');
    const general = readGeneral(text);
    // Starts may differ by a comment at the top of an item (the general reader leaves it outside the node).
    // Metadata as values (the fast reader's is a LineRecord, items.ts, the general one's an object).
    const plain = ({ apiVersion, kind, name, namespace, annotations }: Meta) => ({ apiVersion, kind, name, namespace, annotations: { ...annotations } });
    assert.equal(fast!.items.map((i) => [plain(i.meta), i.source!.end]), general.items.map((i) => [plain(i.meta), i.source!.end]));
    assert.is(writeResourceList(fast!, fast!.items, ''), text.replace(/^results:[\s\S]*$/m, ''), 'written back as it came (old results dropped)');
  }
});

test('the fast reader declines what it does not know, and the general reader takes it', () => {
  const json = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }] });
  const flowItem = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n';
  for (const text of [json, flowItem]) {
    assert.is(readFast(text)?.items[0]?.meta.name ?? readGeneral(text).items[0]!.meta.name, 'a');
  }
  assert.is(readFast(json), undefined, 'JSON is for the general reader');
  assert.is(readFast('apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [{kind: A}]\n'), undefined);
});

test('small inputs: items composed one by one still accept what only the whole text resolves (an alias to another item, custom tags), byte for byte', async () => {
  const a = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: &shared value\n';
  const b = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: *shared\n';
  const tagged = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t${n}\ndata:\n  k: !Custom value\n`;
  const input = resourceList([...SEED_ITEMS, a, b, tagged(1), tagged(2)], DEFAULT_CONFIG);
  const r = await fn(input);
  assert.is(r.code, 0, r.stderr + r.stdout);
  for (const t of [a, b, tagged(1), tagged(2)]) assert.ok(r.stdout.includes(t.trimEnd().replace(/\n/g, '\n  ')), t);
  // A real error in one item is still the whole text's error, with its line.
  const bad = resourceList([...SEED_ITEMS, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  k: 1\n  k: 2\n'], DEFAULT_CONFIG);
  const rb = await fn(bad);
  assert.is(rb.code, 1);
  assert.match(rb.stdout, /Map keys must be unique/);
});

// Small streams (the legacy plugin's input) are composed document by document from one parse when
// nothing lies between the documents; the oracle here is the yaml package composing the whole text.
const P = SEED_ITEMS[0]!;
const C = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n';
const streams: [string, string][] = [
  ['plain documents', `${P}---\n${C}`],
  ['a leading ---, a trailing comment', `---\n${P}---\n${C}# end\n`],
  ['a %YAML directive', `%YAML 1.2\n---\n${P}---\n${C}`],
  ['a %TAG directive its document uses', `%TAG !e! tag:example.com,2026:\n---\n${P}---\n${C.replace('k: v', 'k: !e!x v')}`],
  ['properties on the --- line', `--- !!map\n${P}---\n${C}`],
  ['a comment on the --- line', `--- # first\n${P}--- # second\n${C}`],
  ['content on the --- line', `${P}--- apiVersion: v1\nkind: ConfigMap\n`],
  ['a ... marker', `${P}...\n---\n${C}`],
  ['content after ...', `${P}...\nkind: [\n`],
  ['a tab as indentation', `${P}---\n${C.replace('  name: c', '\tname: c')}`],
  ['a duplicate key', `${P}---\n${C}  k: w\n`],
  ['an undefined alias', `${P}---\n${C.replace('k: v', 'k: *nowhere')}`],
  ['a custom tag', `${P}---\n${C.replace('k: v', 'k: !Custom v')}`],
  ['an unclosed flow map', `${P}---\n${C.replace('k: v', 'k: {a: 1')}`],
  ['a byte order mark at the start', `\uFEFF${P}---\n${C}`],
  ['a key less indented than its map', `${P}---\n${C} bad: 1\n`],
];
for (const [what, text] of streams) {
  test(`a small stream with ${what}: accepted or refused as composing the whole text says`, () => {
    const whole = parseAllDocuments(text, PARSE_OPTIONS);
    const all = Array.isArray(whole) ? whole : [whole];
    // yaml composes an alias without its anchor and fails only in toJS: an error all the same (YAML 1.2, 3.2.2.2).
    const unresolved = (): { message: string; linePos?: [{ line: number }] } | undefined => {
      for (const d of all) {
        try {
          d.toJS();
        } catch (e) {
          const name = /^Unresolved alias[^:]*: (.*)$/.exec((e as Error).message)?.[1];
          if (name) return { message: `the alias *${name} has no anchor &${name} before it` };
        }
      }
      return undefined;
    };
    const err = all.flatMap((d) => d.errors)[0] ?? unresolved();
    let got: ReturnType<typeof readStream> | undefined;
    try {
      got = readStream(text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      assert.ok(err, `refused, but the whole text composes: ${e.message}`);
      assert.is(e.result.severity, 'error');
      assert.ok(e.message.includes(err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')), `${e.message} vs ${err.message}`);
      const line = err.linePos?.[0].line;
      if (line) assert.ok(e.message.endsWith(`(line ${line})`), `${e.message}: not at line ${line}`);
      return;
    }
    assert.not.ok(err, `accepted, but composing the whole text says: ${err?.message}`);
    for (const it of got.items) {
      if (!it.doc) continue;
      const alone = parseDocument(' '.repeat(it.source!.indent) + it.source!.text, PARSE_OPTIONS);
      const render = (d: { toString(o: object): string; toJS(): unknown }) => {
        try {
          return [d.toString({ lineWidth: 0 }), d.toJS()];
        } catch (e) {
          return (e as Error).message; // an undefined alias composes, and fails here
        }
      };
      assert.equal(render(it.doc as Document), render(alone), `${what}: ${it.meta.kind}`);
    }
    if (what === 'plain documents') assert.ok(got.items.every((it) => it.doc), 'plain streams are composed document by document (the path under test)');
  });
}

test.run();

/**
 * What Helm 4 hands a post-renderer (Go's yaml: a multi-line single-quoted scalar that ends with a
 * line break has its closing quote at column 0, yaml/goyaml.ts) is read, and passed through byte
 * for byte. The real input: test/fixtures/brownfield/kube-prometheus-stack-88.5.3-helm4-input.yaml
 * (Helm v4.1.4's stdin to a post-renderer); the values it must read as: the same documents as
 * Helm 3 rendered them from the chart's own text (kube-prometheus-stack-88.5.3-full.yaml), where
 * the quotes are indented.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { fixGoQuotes, originalOffset } from '../../functions/prometheus-ha/src/yaml/goyaml.js';
import { compactItems, composeItem, composeText, readResourceList, readStream, writeResourceList, writeStream } from '../../functions/prometheus-ha/src/yaml/source.js';
import { bin, docs, fn, read, resourceList } from '../lib/helpers.js';

const HELM4 = read('test/fixtures/brownfield/kube-prometheus-stack-88.5.3-helm4-input.yaml');
/** The documents, without the fixture's header comment. */
const BODY = HELM4.replace(/^(?:#.*\n)+/, '');
const HELM3_FULL = docs(read('test/fixtures/brownfield/kube-prometheus-stack-88.5.3-full.yaml'));
const FILENAME_ANNOTATION = 'postrenderer.helm.sh/postrender-filename';

/** A document of Helm 4's input as Helm 3 rendered it: without the annotation Helm 4 adds. */
function asHelm3(o: any): any {
  const c = structuredClone(o);
  delete c.metadata.annotations[FILENAME_ANNOTATION];
  const ref = HELM3_FULL.find((h) => h.kind === c.kind && h.metadata.name === c.metadata.name);
  assert.ok(ref, `${c.kind}/${c.metadata.name} is in the Helm 3 render`);
  if (ref.metadata.annotations === undefined || ref.metadata.annotations === null) {
    assert.equal(c.metadata.annotations, {}, 'Helm 4 added only its filename annotation');
    if (ref.metadata.annotations === undefined) delete c.metadata.annotations;
    else c.metadata.annotations = null;
  }
  return [c, ref];
}

// Go's yaml writes these (yaml.v3 yaml_emitter_write_single_quoted: a break, the folding empty
// line, and no indentation before the closing quote); the values are what Go's yaml and PyYAML
// read from them.
const TABLE: { what: string; text: string; value: unknown }[] = [
  { what: 'one trailing break', text: "a: 'x\n\n'\n", value: { a: 'x\n' } },
  { what: 'two trailing breaks', text: "a: 'x\n\n\n'\n", value: { a: 'x\n\n' } },
  { what: 'continuation lines, then the break', text: "a:\n  b: 'one\n\n    two\n\n'\n  c: 1\n", value: { a: { b: 'one\ntwo\n', c: 1 } } },
  { what: 'a sequence item at column 0', text: "- 'two\n\n'\n- 3\n", value: [['two\n', 3]][0] },
  { what: 'a map in a sequence', text: "- k: 'one\n\n    two\n\n'\n  b: 1\n", value: [{ k: 'one\ntwo\n', b: 1 }] },
  { what: "a doubled quote inside", text: "a:\n  b: 'it''s\n\n'\n  c: 'q'\n", value: { a: { b: "it's\n", c: 'q' } } },
  { what: 'a comment after the closing quote', text: "a: 'x\n\n' # c\nb: 1\n", value: { a: 'x\n', b: 1 } },
  { what: 'two in a row', text: "a: 'x\n\n'\nb: 'y\n\n'\n", value: { a: 'x\n', b: 'y\n' } },
];

for (const c of TABLE) {
  test(`Go's closing quote at column 0: ${c.what}`, () => {
    assert.ok(parseAllDocuments(c.text).some((d) => d.errors.length), 'the yaml package alone refuses it');
    const fixed = fixGoQuotes(c.text);
    assert.ok(fixed, 'found');
    assert.equal(composeText(c.text, { what: 'test' }).toJS(), c.value);
    // Only spaces were inserted, and only before quotes at column 0.
    assert.is(fixed.text.replace(/\n +'/g, "\n'"), c.text);
  });
}

// Not the construct: left alone (and read as the yaml package reads them).
const NOT: { what: string; text: string }[] = [
  { what: 'a quoted key at column 0 after an empty line', text: "a: 'ok'\n\n'b': 1\n" },
  { what: 'a quoted key after a block scalar', text: "a: |\n  x\n\n'b': 1\n" },
  { what: 'a closed multi-line scalar', text: "a: 'x\n\n  '\n" },
  { what: 'a quoted document', text: "---\n'x'\n\n'y'\n" },
];
for (const c of NOT) {
  test(`not Go's construct, unchanged: ${c.what}`, () => {
    const fixed = fixGoQuotes(c.text);
    assert.ok(fixed === undefined || fixed.text === c.text, JSON.stringify(fixed));
  });
}

test('a quote that is really missing is still an error (with its line)', async () => {
  const cfg = join(tmpdir(), `goyaml-config-${process.pid}.yaml`);
  writeFileSync(cfg, 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\n');
  const r = await fn("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 'x\n\n  b: 1\n", [cfg]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /INPUT_YAML.*quote/);
});

test('originalOffset: offsets of the fixed text back onto the original', () => {
  const text = "a: 'x\n\n'\nb: 'y\n\n'\nc: 1\n";
  const go = fixGoQuotes(text)!;
  assert.is(go.inserted.length, 2);
  for (const key of ['b', 'c']) assert.is(text[originalOffset(go, go.text.indexOf(`${key}:`))], key);
  assert.is(originalOffset(go, 0), 0);
});

test("Helm 4's real input: every closing quote found, each value as Helm 3 rendered it from the chart", () => {
  const go = fixGoQuotes(HELM4)!;
  assert.is(go.inserted.length, (HELM4.match(/\n'\n/g) ?? []).length, 'every quote at column 0 of the fixture');
  assert.is(go.inserted.length, 7);
  const objs = docs(go.text);
  assert.equal(objs.map((o) => o.kind), ['Prometheus', 'PrometheusRule', 'PrometheusRule']);
  for (const o of objs) {
    const [mine, helm3] = asHelm3(o);
    assert.equal(mine, helm3, `${o.kind}/${o.metadata.name}`);
  }
  const watchdog = objs[1].spec.groups[0].rules.find((r: any) => r.alert === 'Watchdog');
  assert.ok(watchdog.annotations.description.endsWith('"DeadMansSnitch" integration in PagerDuty.\n'));
});

test("Helm 4's real input as a stream: items keep their original text (quotes at column 0)", () => {
  const input = readStream(HELM4);
  assert.is(input.items.length, 3);
  assert.is(input.text, HELM4);
  for (const it of input.items) assert.is(HELM4.slice(it.source!.start, it.source!.end), it.source!.text);
  assert.ok(input.items[1]!.source!.text.includes("\n'\n"), 'the rule keeps its quote at column 0');
  // Each item composes (the reader's document, then afresh) to Helm 3's values.
  for (const it of input.items) {
    assert.equal(asHelm3(composeItem(it).toJS())[0], asHelm3(composeItem(it).toJS())[1]);
  }
  // Written back unchanged: every document byte for byte, and the fixture's header comment too.
  assert.is(writeStream(input, input.items), HELM4);
});

test("Helm 4's real input in a ResourceList: read, and written back byte for byte", () => {
  const items = BODY.split(/^---\n/m);
  // As Go writes it (kyaml, as Helm 4 does): the closing quotes stay at column 0.
  const text = resourceList(items, undefined).replace(/\n {2}'\n/g, "\n'\n");
  assert.ok(fixGoQuotes(text), 'the quotes are at column 0 in the ResourceList too');
  // Read with the items kept compactly too, as a big input is (items.ts, LineItems): their
  // sources are mapped back onto the original text all the same.
  const minBytes = compactItems.minBytes;
  for (const compact of [false, true]) {
    compactItems.minBytes = compact ? 0 : minBytes;
    const input = readResourceList(text);
    compactItems.minBytes = minBytes;
    assert.is(input.items.length, 3);
    for (const it of input.items) assert.is(text.slice(it.source!.start, it.source!.end), it.source!.text);
    assert.is(writeResourceList(input, input.items, ''), text);
    assert.equal(composeItem(input.items[2]!).toJS().spec, docs(fixGoQuotes(HELM4)!.text)[2].spec);
  }
});

test("the function as Helm 4's post-renderer: the rules pass through byte for byte, the Prometheus is made HA", async () => {
  const cfg = join(tmpdir(), `goyaml-config-${process.pid}.yaml`);
  writeFileSync(cfg, 'apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\n');
  const r = await fn(HELM4, [cfg]); // both readers (fn): the light one gives up on this input
  assert.is(r.code, 0, r.stderr);
  const outDocs = r.stdout.split(/^---\n/m);
  const inDocs = BODY.split(/^---\n/m);
  assert.is(outDocs[1], inDocs[1], 'general.rules byte for byte');
  assert.is(outDocs[2], inDocs[2], 'node-exporter rules byte for byte');
  const prom = docs(fixGoQuotes(r.stdout)!.text)[0];
  assert.is(prom.kind, 'Prometheus');
  assert.ok(prom.spec.replicas >= 2 && prom.spec.thanos, 'HA');
  // And `check` reads what it wrote.
  const c = bin(['check'], r.stdout);
  assert.not.match(c.stdout + c.stderr, /INPUT_YAML/);
});

test.run();

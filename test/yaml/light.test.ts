/**
 * The light reader/editor/printer (light.ts, issue 7) against its oracle, the yaml package: for every
 * text it accepts, the same toJS, info, plain and printed text, before and after the same edits; and
 * every text outside its subset refused.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Document, isMap as isYamlMap, isScalar, isSeq, parse, parseDocument } from 'yaml';
import type { NodeInfo } from '../../functions/prometheus-ha/src/core/edit.js';
import { lightParse, LightDoc, nonString, Unsupported } from '../../functions/prometheus-ha/src/yaml/light/light.js';
import { YamlDoc } from '../../functions/prometheus-ha/src/yaml/yamldoc.js';

const PARSE_OPTIONS = { uniqueKeys: true, strict: true, prettyErrors: true, stringKeys: true, logLevel: 'error' } as const;

const SEED = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata:
  name: prometheus
  namespace: prometheus
spec:
  baseImage: quay.io/prometheus/prometheus
  logLevel: info
  podMetadata:
    annotations:
      cluster-autoscaler.kubernetes.io/safe-to-evict: "true"
    labels:
      app: prometheus
  replicas: 1
  resources:
    limits:
      cpu: 1
      memory: 2Gi
    requests:
      cpu: 1
      memory: 2Gi
  retention: 12h
  serviceAccountName: prometheus-service-account
  serviceMonitorSelector:
    matchLabels:
      serviceMonitorSelector: prometheus
  securityContext:
    fsGroup: 2000
    runAsGroup: 2000
    runAsNonRoot: true
    runAsUser: 1000
    seccompProfile:
      type: RuntimeDefault
  storage:
    volumeClaimTemplate:
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata:
        name: prometheus-pvc
      spec:
        accessModes:
        - ReadWriteOnce
        resources:
          requests:
            storage: 10Gi
  version: v2.44.0
`;

/** What the callers pass: the first line indented by n, the others already indented in the source. */
const indented = (text: string, n: number): string => text.replace(/^(?=.)/gm, ' '.repeat(n));
/** Every indent doubled: 4-space maps (yaml writes them back with 2). */
const doubled = (text: string): string => text.replace(/^ +/gm, (s) => s + s);
const VARIANTS: [string, string][] = [
  ['seed', SEED],
  ['seed at indent 2', indented(SEED, 2)],
  ['seed at indent 7', indented(SEED, 7)],
  ['seed with 4-space maps', doubled(SEED)],
  ['seed with indented sequences', SEED.replace('        - ReadWriteOnce', '          - ReadWriteOnce')],
];

/** The yaml path's EditDoc of each document, to compare edit() (the spliced text) with light's. */
const editors = new WeakMap<Document, YamlDoc>();

function yamlDoc(text: string): Document {
  const doc = parseDocument(text, PARSE_OPTIONS);
  assert.equal(doc.errors.length, 0, `yaml refuses ${JSON.stringify(text)}: ${doc.errors[0]?.message}`);
  // As an item's text: the first line at the item's indent (its root map's), the others with theirs.
  const indent = /^( *)[^ #\n]/m.exec(text)?.[1]!.length ?? 0;
  if (/^ */.exec(text)![0].length >= indent) editors.set(doc, new YamlDoc(doc, { text: text.slice(indent), indent, line: 1, start: 0, end: text.length }));
  return doc;
}

function yamlSet(doc: Document, path: string[], value: unknown): void {
  const editor = editors.get(doc);
  if (editor) return editor.set(path, value);
  doc.setIn(path, doc.createNode(value));
  for (let i = 1; i < path.length; i++) {
    const n = doc.getIn(path.slice(0, i), true);
    if (isYamlMap(n)) n.flow = false;
  }
}

function yamlInfo(doc: Document, path: string[]): NodeInfo | undefined {
  const n = doc.getIn(path, true);
  if (n === undefined) return undefined;
  return isYamlMap(n) ? { kind: 'map' } : isSeq(n) ? { kind: 'seq' } : isScalar(n) ? { kind: 'scalar', value: n.value } : { kind: 'other' };
}

function yamlPlain(doc: Document, path: string[]): unknown {
  const n = doc.getIn(path, true) as { toJSON(): unknown } | undefined;
  return n === undefined ? undefined : n.toJSON();
}

/** Equal as data, in the same key order, with -0 kept apart from 0. */
function sameJS(a: unknown, b: unknown, what: string): void {
  assert.equal(a, b, what);
  const s = (v: unknown) => JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? '-0' : x));
  assert.is(s(a), s(b), `${what}: key order`);
}

/** Every path in the data, and a few that are not there (missing keys, odd sequence indexes). */
function paths(v: unknown, at: string[] = [], out: string[][] = []): string[][] {
  out.push(at);
  if (Array.isArray(v)) {
    v.forEach((x, i) => paths(x, [...at, String(i)], out));
    for (const odd of ['', ' 0', '0.0', '01', '1e0', '-1', '-0', 'x', String(v.length)]) out.push([...at, odd]);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
    out.push([...at, 'missing'], [...at, 'missing', 'deeper']);
  } else out.push([...at, 'below']);
  return out;
}

/** light and yaml agree on everything: toJS, info and plain everywhere, and the printed text (or light refuses to print). */
function agree(light: LightDoc, doc: Document, what: string): void {
  const js = doc.toJS({ maxAliasCount: 100 });
  sameJS(light.toJS(), js, `${what}: toJS`);
  for (const p of paths(js)) {
    assert.equal(light.info(p), yamlInfo(doc, p), `${what}: info ${JSON.stringify(p)}`);
    sameJS(light.plain(p), yamlPlain(doc, p), `${what}: plain ${JSON.stringify(p)}`);
  }
  if (light.printable) {
    assert.is(light.toString(false), doc.toString({ lineWidth: 0, indentSeq: false }), `${what}: toString(false)`);
    assert.is(light.toString(true), doc.toString({ lineWidth: 0, indentSeq: true }), `${what}: toString(true)`);
  } else assert.throws(() => light.toString(false), (e: unknown) => e instanceof Unsupported);
  // The edited text (source spliced): the same as the yaml path's, or light gives up.
  // The yaml path's must read back as the edited document (it only checks that itself where anchors
  // or tags could change the meaning of what it did not touch).
  const editor = editors.get(doc);
  if (editor) {
    for (const indentSeq of [false, true]) {
      const edited = editor.edit(indentSeq);
      sameJS(parseDocument(edited, PARSE_OPTIONS).toJS({ maxAliasCount: 100 }), js, `${what}: edit(${indentSeq}) reads back`);
      let text: string;
      try {
        text = light.edit(indentSeq);
      } catch (e) {
        if (e instanceof Unsupported) continue;
        throw e;
      }
      assert.is(text, edited, `${what}: edit(${indentSeq})`);
    }
  }
}

function accepted(text: string, what = JSON.stringify(text)): { light: LightDoc; doc: Document } {
  const light = lightParse(text);
  assert.ok(light, `light refuses ${what}`);
  const doc = yamlDoc(text);
  agree(light, doc, what);
  return { light, doc };
}

/** The same set on both; light must either do what yaml does or throw Unsupported and change nothing. */
function setBoth(light: LightDoc, doc: Document, path: string[], value: unknown, what: string): boolean {
  const before = light.printable ? light.toString(false) : undefined;
  const js = JSON.stringify(light.toJS());
  try {
    light.set(path, value);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    assert.is(JSON.stringify(light.toJS()), js, `${what}: changed before Unsupported`);
    if (before !== undefined) assert.is(light.toString(false), before, `${what}: changed before Unsupported`);
    return false;
  }
  yamlSet(doc, path, value);
  agree(light, doc, `${what} after set ${JSON.stringify(path)} = ${JSON.stringify(value)}`);
  return true;
}

// ---------------------------------------------------------------------------------------------
// (1) tables of inline YAML

for (const [name, text] of VARIANTS) {
  test(`accepted: ${name}`, () => {
    const { light } = accepted(text, name);
    assert.ok(light.printable);
    assert.equal(light.info(['spec', 'replicas']), { kind: 'scalar', value: 1 });
    assert.equal(light.info(['spec', 'podMetadata', 'annotations', 'cluster-autoscaler.kubernetes.io/safe-to-evict']), { kind: 'scalar', value: 'true' });
    assert.equal(light.info(['spec', 'storage', 'volumeClaimTemplate', 'spec', 'accessModes']), { kind: 'seq' });
    assert.equal(light.plain(['spec', 'storage', 'volumeClaimTemplate', 'spec', 'accessModes', '0']), 'ReadWriteOnce');
  });
}

test('printed: the seed comes back as kpt writes it; 4-space maps and indented roots are re-indented', () => {
  assert.is(lightParse(SEED)!.toString(false), SEED);
  assert.is(lightParse(indented(SEED, 2))!.toString(false), SEED);
  assert.is(lightParse(doubled(SEED))!.toString(false), SEED);
  assert.ok(lightParse(SEED)!.toString(true).includes('        accessModes:\n          - ReadWriteOnce\n'));
});

const ACCEPTED: [string, string][] = [
  ['compact sequences', 'a:\n- x\n- y: 1\n  z:\n  - 1\n  - w: {}\nb: 2\n'],
  ['indented sequences', 'a:\n  - x\n  - y: 1\n    z:\n        - 1\n'],
  ['sequence of maps with nested blocks', 'containers:\n- name: x\n  resources:\n    limits:\n      cpu: 1\n  ports:\n  - containerPort: 9090\n    name: web\n- name: y\n'],
  ['quoted values', 'a: "prometheus"\nb: \'x\'\nc: "1"\nd: \'true\'\ne: ""\nf: \'\'\ng: "a: b # c"\nh: \'say "hi"\'\ni: "it\'s"\nj: "  spaced  "\n'],
  ['empty collections', 'a: []\nb: {}\nc:\n- []\n- {}\nd:\n  e: {}\n'],
  ['integers and booleans', 'a: 0\nb: -0\nc: -12\nd: 999999999999999\ne: true\nf: false\n'],
  ['plain strings yaml reads as strings', 'a: 2Gi\nb: 12h\nc: v2.44.0\nd: http://x.y:9090/path\ne: 1.2.3\nf: 1_000\ng: -x\nh: yes\ni: a b  c\nj: /var/lib\nk: a:b\nl: x?y\nm: 0x\nn: 1e\no: NaN\np: nul\n'],
  ['keys yaml quotes on print', '1: a\ntrue: b\nnull: c\n0x1F: d\n1.5: e\n01: f\n1e3: g\n0o7: h\nx:\n  2: i\n'],
  ['key characters', 'app.kubernetes.io/name: a\ncluster-autoscaler.kubernetes.io/safe-to-evict: b\n_x: c\nA-b_c.d/e: f\n'],
  ['indented root', '   a: 1\n   b:\n   - x\n   c:\n     d: e\n'],
  ['no final newline', 'a: 1\nb: x'],
  ['comments and blank lines (a comment deeper than its map after a value: not printable)', '# head\na: 1\n\nb:\n  # inside\n  c: 2\n    # odd indent\n  d:\n  - x\n# between\n  - y\n\n'],
];
for (const [name, text] of ACCEPTED) test(`accepted: ${name}`, () => void accepted(text, name));

test('printable: blank and comment lines are, except a comment deeper than its collection right after a value', () => {
  assert.ok(lightParse('a: 1\n')!.printable);
  assert.ok(lightParse('a: 1\n\n')!.printable);
  assert.ok(lightParse('a: 1\n  \nb: 2\n')!.printable);
  assert.ok(lightParse('#x\na: 1\n')!.printable);
  assert.ok(lightParse('a:\n  b: 1\n  # c\n')!.printable);
  assert.not.ok(lightParse('a: 1\n  # c\n')!.printable);
  assert.not.ok(lightParse('a:\n  b: 1\n\n    # c\n')!.printable);
  assert.not.ok(lightParse('a:\n- 1\n  # c\n')!.printable);
});

/** Refused, and whether yaml reads it (we are just strict) or not. */
const REFUSED: [string, string, 'valid' | 'invalid'][] = [
  ['tab', 'a:\tb\n', 'valid'],
  ['CR', 'a: b\r\n', 'valid'],
  ['non-ASCII', 'a: é\n', 'valid'],
  ['control character', 'a: b\x07\n', 'valid'],
  ['trailing comment', 'a: x # c\n', 'valid'],
  ['trailing space', 'a: 1 \n', 'valid'],
  ['two spaces after the colon', 'a:  1\n', 'valid'],
  ['document start', '---\na: 1\n', 'valid'],
  ['document end', 'a: 1\n...\n', 'valid'],
  ['directive', '%YAML 1.2\n---\na: 1\n', 'valid'],
  ['anchor and alias', 'a: &x 1\nb: *x\n', 'valid'],
  ['tag', 'a: !!str 1\n', 'valid'],
  ['complex key', '? a\n: 1\n', 'valid'],
  ['literal block scalar', 'a: |\n  x\n', 'valid'],
  ['folded block scalar', 'a: >\n  x\n', 'valid'],
  ['non-empty flow sequence', 'a: [1]\n', 'valid'],
  ['non-empty flow map', 'a: {b: 1}\n', 'valid'],
  ['spaced empty flow', 'a: [ ]\n', 'valid'],
  ['null value before a key', 'a:\nb: 1\n', 'valid'],
  ['null value at the end', 'a:\n', 'valid'],
  ['null ~', 'a: ~\n', 'valid'],
  ['null', 'a: null\n', 'valid'],
  ['Null', 'a: Null\n', 'valid'],
  ['NULL', 'a: NULL\n', 'valid'],
  ['True', 'a: True\n', 'valid'],
  ['FALSE', 'a: FALSE\n', 'valid'],
  ['hex', 'a: 0x1F\n', 'valid'],
  ['octal', 'a: 0o7\n', 'valid'],
  ['exponent', 'a: 1e3\n', 'valid'],
  ['float', 'a: 1.5\n', 'valid'],
  ['dot float', 'a: .5\n', 'valid'],
  ['minus dot float', 'a: -.5\n', 'valid'],
  ['inf', 'a: .inf\n', 'valid'],
  ['plus integer', 'a: +1\n', 'valid'],
  ['leading zero', 'a: 01\n', 'valid'],
  ['16-digit integer', 'a: 1234567890123456\n', 'valid'],
  ['mapping in a value', 'a: b: c\n', 'invalid'],
  ['value ending with a colon', 'a: b:\n', 'invalid'],
  ['escape in double quotes', 'a: "x\\"y"\n', 'valid'],
  ['doubled single quote', "a: 'it''s'\n", 'valid'],
  ['text after a quoted value', 'a: "x" y\n', 'invalid'],
  ['unclosed quote', 'a: "x\n', 'invalid'],
  ['sequence in a sequence', 'a:\n- - x\n', 'valid'],
  ['bare dash', 'a:\n-\n', 'valid'],
  ['plain continued in a sequence', 'a:\n- x\n  y\n', 'valid'],
  ['plain continued in a map', 'a: x\n  y\n', 'valid'],
  ['root sequence', '- a\n', 'valid'],
  ['root scalar', 'a\n', 'valid'],
  ['empty text', '', 'valid'],
  ['only a comment', '# c\n', 'valid'],
  ['deeper key', 'a: 1\n  b: 2\n', 'invalid'],
  ['shallower key', ' a: 1\nb: 2\n', 'invalid'],
  ['misaligned nested keys', 'a:\n    b: 1\n  c: 2\n', 'invalid'],
  ['duplicate key', 'a: 1\na: 2\n', 'invalid'],
  // Big maps find duplicates in a Set (issue 17): the first key again, last, and one in the middle.
  ['duplicate key in a big map', `${Array.from({ length: 40 }, (_, i) => `k${i}: ${i}\n`).join('')}k0: x\n`, 'invalid'],
  ['duplicate key in a big nested map', `m:\n${Array.from({ length: 40 }, (_, i) => `  k${i % 30}: ${i}\n`).join('')}`, 'invalid'],
  ['double-quoted key', '"a": 1\n', 'valid'],
  ['single-quoted key', "'a': 1\n", 'valid'],
  ['__proto__ key', '__proto__: 1\n', 'valid'],
  ['key with a space', 'a b: 1\n', 'valid'],
  ['reserved @', 'a: @x\n', 'invalid'],
  ['reserved backtick', 'a: `x\n', 'invalid'],
  ['% start', 'a: %x\n', 'invalid'],
  ['$ start (valid, not in the subset)', 'a: $x\n', 'valid'],
  ['comma', 'a: x,y\n', 'valid'],
  ['bracket', 'a: x]\n', 'valid'],
  ['dash space value', 'a: - x\n', 'invalid'],
  ['key without space after colon', 'a:b\n', 'valid'],
  ['map after a scalar item', 'a:\n- x\n  b: 1\n', 'invalid'],
  ['sequence after a scalar value', 'a: 1\n- x\n', 'invalid'],
  ['two spaces after dash', 'a:\n-  x\n', 'valid'],
];
for (const [name, text, yamlSays] of REFUSED) {
  test(`refused: ${name}`, () => {
    assert.is(lightParse(text), undefined, name);
    const d = parseDocument(text, PARSE_OPTIONS);
    assert.is(d.errors.length === 0 ? 'valid' : 'invalid', yamlSays, `yaml on ${name}`);
  });
}

test('refused: nesting deeper than 60 levels, without throwing', () => {
  const deep = (n: number, step: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i * step)}k${i}:`).join('\n') + ` 1\n`;
  assert.ok(lightParse(deep(30, 2)));
  assert.ok(lightParse(deep(61, 1)));
  assert.is(lightParse(deep(62, 1)), undefined);
  assert.is(lightParse(deep(5000, 1)), undefined);
  const seqs = (n: number) => 'a:\n' + Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}- b:`).join('\n') + ' 1\n';
  assert.ok(lightParse(seqs(30)));
  assert.is(lightParse(seqs(1000)), undefined);
});

/**
 * Where yaml puts full-line comments and blank lines and how it prints them: the text as yaml prints
 * it (indentSeq false), or undefined where light refuses to print (printable false).
 */
const PLACEMENTS: [string, string, string | undefined][] = [
  ['header comment: the first key\'s commentBefore', '# Prometheus for team a\n# managed by kpt\napiVersion: v1\nkind: Prometheus\n', '# Prometheus for team a\n# managed by kpt\napiVersion: v1\nkind: Prometheus\n'],
  ['header comment then a blank line: the document\'s commentBefore', '# Prometheus for team a\n\napiVersion: v1\nkind: Prometheus\n', '# Prometheus for team a\n\napiVersion: v1\nkind: Prometheus\n'],
  ['header: blank lines before dropped, runs of blank lines between comments become one', '\n\n# a\n\n\n# b\n\n\napiVersion: v1\n', '# a\n\n# b\n\napiVersion: v1\n'],
  ['header above an indented root', '  # a\n    # b\n  apiVersion: v1\n  kind: X\n', '# a\n# b\napiVersion: v1\nkind: X\n'],
  ['blank lines between top-level sections, several in a row become one', 'apiVersion: v1\n\nkind: Prometheus\n\n\n\nspec:\n  replicas: 1\n\n  version: v1\n', 'apiVersion: v1\n\nkind: Prometheus\n\nspec:\n  replicas: 1\n\n  version: v1\n'],
  ['comment above a key, at its indent', 'spec:\n  logLevel: info\n  # one replica until HA\n  replicas: 1\n', 'spec:\n  logLevel: info\n  # one replica until HA\n  replicas: 1\n'],
  ['comment above a key, shallower than it or between it and the block above, printed at its indent', 'spec:\n  logLevel: info\n# shallower\n  replicas: 1\n  resources:\n    cpu: 1\n   # between the two indents\n  version: v1\n', 'spec:\n  logLevel: info\n  # shallower\n  replicas: 1\n  resources:\n    cpu: 1\n  # between the two indents\n  version: v1\n'],
  ['comment lines and blank lines mixed above a key', 'spec:\n  logLevel: info\n\n  # a\n\n\n  # b\n\n  replicas: 1\n', 'spec:\n  logLevel: info\n\n  # a\n\n\n  # b\n\n  replicas: 1\n'],
  ['bare # and spaces in comments kept', 'spec:\n  logLevel: info\n  #\n  #   spaced  \n  #no space\n  replicas: 1\n', 'spec:\n  logLevel: info\n  #\n  #   spaced  \n  #no space\n  replicas: 1\n'],
  ['blank line with spaces', 'spec:\n  logLevel: info\n    \n  replicas: 1\n', 'spec:\n  logLevel: info\n\n  replicas: 1\n'],
  ['comment between key: and its map (printed at the map\'s indent)', 'spec:\n# about spec\n  replicas: 1\n', 'spec:\n  # about spec\n  replicas: 1\n'],
  ['blank line before the first key of a nested map', 'spec:\n\n  replicas: 1\n  podMetadata:\n\n    # labels\n    labels:\n      app: x\n', 'spec:\n\n  replicas: 1\n  podMetadata:\n\n    # labels\n    labels:\n      app: x\n'],
  ['comment at the end of a nested block stays with the block', 'spec:\n  podMetadata:\n    labels:\n      app: x\n      # more labels here\n  replicas: 1\n', 'spec:\n  podMetadata:\n    labels:\n      app: x\n      # more labels here\n  replicas: 1\n'],
  ['comment at the end of a nested block, shallower than it, goes to the next key', 'spec:\n  podMetadata:\n    labels:\n      app: x\n    # below labels\n  replicas: 1\n', 'spec:\n  podMetadata:\n    labels:\n      app: x\n    # below labels\n  replicas: 1\n'],
  ['one comment at the block\'s indent keeps the whole gap in the block', 'spec:\n  podMetadata:\n    labels:\n      app: x\n  # a\n      # b\n\n  replicas: 1\n', 'spec:\n  podMetadata:\n    labels:\n      app: x\n      # a\n      # b\n\n  replicas: 1\n'],
  ['comment at the end of the document', 'kind: Prometheus\nspec:\n  replicas: 1\n# end\n\n# really the end\n\n', 'kind: Prometheus\nspec:\n  replicas: 1\n\n# end\n\n# really the end\n'],
  ['comment at the end of the document, at the nested indent', 'kind: Prometheus\nspec:\n  replicas: 1\n  # end of spec\n', 'kind: Prometheus\nspec:\n  replicas: 1\n  # end of spec\n'],
  ['comment at the end of an indented document: deeper stays with the root map', '  kind: Prometheus\n  # end\n', 'kind: Prometheus\n# end\n'],
  ['comment at the end of an indented document: shallower goes to the document', '  kind: Prometheus\n # end\n', 'kind: Prometheus\n\n# end\n'],
  ['comment before the first sequence item (the sequence\'s commentBefore)', 'spec:\n  accessModes:\n  # the only mode\n  - ReadWriteOnce\n', 'spec:\n  accessModes:\n  # the only mode\n  - ReadWriteOnce\n'],
  ['blank line and comment before the first item of an indented sequence', 'spec:\n  accessModes:\n\n      # the only mode\n    - ReadWriteOnce\n', 'spec:\n  accessModes:\n\n  # the only mode\n  - ReadWriteOnce\n'],
  ['comment and blank line before a later sequence item', 'args:\n- --a\n\n# the b flag\n- --b\n- --c\n', 'args:\n- --a\n\n# the b flag\n- --b\n- --c\n'],
  ['comment before an item of a sequence of maps', 'containers:\n- name: a\n# the sidecar\n- name: b\n  image: b\n', 'containers:\n- name: a\n# the sidecar\n- name: b\n  image: b\n'],
  ['comment at the map\'s indent in a sequence item stays with the item above', 'containers:\n- name: a\n  # end of a\n- name: b\n', 'containers:\n- name: a\n  # end of a\n- name: b\n'],
  ['comment after a compact sequence at the root: goes to the next key', 'accessModes:\n- a\n# next\nkind: X\n', 'accessModes:\n- a\n# next\nkind: X\n'],
  ['comment after a compact sequence, indented: stays with the sequence', 'spec:\n  accessModes:\n  - a\n  # next\n  kind: X\n', 'spec:\n  accessModes:\n  - a\n  # next\n  kind: X\n'],
  ['comments everywhere in a sequence of maps', 'spec:\n  containers:\n  # first\n  - name: a\n    # image\n    image: a\n\n  # second\n  - name: b\n    ports:\n    - containerPort: 1\n      # end of port\n    # end of b\n  # end of containers\n  replicas: 1\n', 'spec:\n  containers:\n  # first\n  - name: a\n    # image\n    image: a\n\n  # second\n  - name: b\n    ports:\n    - containerPort: 1\n      # end of port\n      # end of b\n      # end of containers\n  replicas: 1\n'],
  ['refused: comment deeper than the map right after a scalar (yaml writes key: v # c)', 'spec:\n  replicas: 1\n    # deeper\n  version: v1\n', undefined],
  ['refused: deeper comment after blank lines after a scalar', 'kind: X\n\n  # deeper\nspec: 1\n', undefined],
  ['refused: comment deeper than the sequence right after an item', 'args:\n- --a\n  # deeper\n- --b\n', undefined],
  ['refused: comment deeper than the map after []', 'spec:\n  a: []\n      # deeper\n  b: 1\n', undefined],
  ['refused: deeper comment after a map item\'s value', 'containers:\n- name: a\n    # deeper\n- name: b\n', undefined],
];

/** yaml and light agree on the text, then after the function's sets, and after a set of every key and of a new key in every map. */
for (const [name, text, expected] of PLACEMENTS) {
  test(`comments: ${name}`, () => {
    const { light } = accepted(text, name);
    assert.is(light.printable, expected !== undefined, 'printable');
    if (expected !== undefined) assert.is(light.toString(false), expected);
    const both = accepted(text, name);
    for (const [path, value] of REAL_SETS) setBoth(both.light, both.doc, path, value, name);
    for (const parent of mapPaths(light.toJS())) {
      if (parent.some((_, i) => light.info(parent.slice(0, i))?.kind !== 'map')) continue; // the function never sets below a sequence
      for (const k of [...Object.keys(light.plain(parent) as object), 'added']) {
        for (const value of ['x', { y: [1] }]) {
          const one = accepted(text, name);
          assert.ok(setBoth(one.light, one.doc, [...parent, k], value, name), `set ${[...parent, k].join('.')} refused`);
        }
      }
    }
  });
}

/** The seed as people write it: a header, blank lines between sections, comments above a key and a sequence item. */
const COMMENTED = SEED.replace('apiVersion:', '# Prometheus for the monitoring stack\n#   (kpt pkg get)\napiVersion:')
  .replace('spec:\n', '\nspec:\n')
  .replace('  replicas: 1\n', '  # one replica until the HA function runs\n  replicas: 1\n')
  .replace('  resources:\n    limits:', '\n  resources:\n    limits:')
  .replace('        - ReadWriteOnce\n', '        # the only mode the storage class supports\n        - ReadWriteOnce\n\n        # and one more\n        - ReadWriteMany\n')
  .replace('            storage: 10Gi\n', '            storage: 10Gi\n            # grows with retention\n');
const COMMENTED_VARIANTS: [string, string][] = [
  ['commented seed', COMMENTED],
  ['commented seed at indent 2', indented(COMMENTED, 2)],
  ['commented seed with 4-space maps', doubled(COMMENTED)],
  ['commented seed with a comment at the end', COMMENTED + '\n# end of the Prometheus\n\n'],
  ['commented seed with a comment between podMetadata: and its block', COMMENTED.replace('  podMetadata:\n', '  podMetadata:\n    # for the pods\n')],
  ['commented seed with a comment at the end of affinity', COMMENTED.replace('  version: v2.44.0\n', '  version: v2.44.0\n  affinity:\n    # made by the function\n    podAntiAffinity:\n      # soft\n      preferredDuringSchedulingIgnoredDuringExecution: []\n    # end of affinity\n')],
];

test('comments: the commented seed prints back as it is written', () => {
  assert.is(lightParse(COMMENTED)!.toString(false), COMMENTED);
  assert.is(lightParse(indented(COMMENTED, 2))!.toString(false), COMMENTED);
  assert.is(lightParse(doubled(COMMENTED))!.toString(false), COMMENTED);
});

for (const [name, text] of COMMENTED_VARIANTS) {
  test(`comments: the function's edits on ${name}`, () => {
    const { light, doc } = accepted(text, name);
    assert.ok(light.printable);
    for (const [path, value] of REAL_SETS) assert.ok(setBoth(light, doc, path, value, name), `${path.join('.')} refused`);
    const out = light.toString(false);
    assert.ok(out.startsWith('# Prometheus for the monitoring stack\n#   (kpt pkg get)\napiVersion: monitoring.coreos.com/v1\n'));
    assert.ok(out.includes('\n\nspec:\n'));
    assert.ok(out.includes('  # one replica until the HA function runs\n  replicas: 2\n\n  resources:\n'));
    assert.ok(out.includes('        # the only mode the storage class supports\n        - ReadWriteOnce\n\n        # and one more\n'));
    assert.ok(out.includes('      thanos-store-api: "true"\n'));
    if (out.includes('made by the function')) {
      assert.ok(!out.includes('soft'), 'the comment inside the replaced podAntiAffinity is gone');
      assert.ok(out.includes('    # made by the function\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n'), 'the comment on its key stays');
      assert.ok(out.includes('              - prometheus\n    # end of affinity\n  thanos:\n'), "the comment at the end of affinity's block stays");
    }
  });
}

test('comments: set keeps comments on keys, drops those on the value it replaces (all the lines at the end of its block: one sits at its indent)', () => {
  const text = 'spec:\n  # above replicas\n  replicas: 1\n  affinity:\n    # above podAntiAffinity\n    podAntiAffinity:\n      # inside\n      required: []\n      # end of podAntiAffinity\n    # end of affinity\n  version: v1\n';
  const { light, doc } = accepted(text);
  setBoth(light, doc, ['spec', 'replicas'], 2, 'replicas');
  setBoth(light, doc, ['spec', 'affinity', 'podAntiAffinity'], { preferred: [] }, 'podAntiAffinity');
  assert.is(light.toString(false), 'spec:\n  # above replicas\n  replicas: 2\n  affinity:\n    # above podAntiAffinity\n    podAntiAffinity:\n      preferred: []\n  version: v1\n');
});

// ---------------------------------------------------------------------------------------------
// (2) sets as the function makes them

const ANTI_AFFINITY = {
  preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['prometheus'] }] } } },
  ],
};
const REAL_SETS: [string[], unknown][] = [
  [['spec', 'replicas'], 2],
  [['spec', 'thanos'], { image: 'quay.io/thanos/thanos:v0.42.4', version: 'v0.42.4' }],
  [['spec', 'podMetadata', 'labels', 'thanos-store-api'], 'true'],
  [['spec', 'externalLabels'], { cluster_environment: 'workshop' }],
  [['spec', 'affinity', 'podAntiAffinity'], ANTI_AFFINITY],
];

for (const [name, text] of VARIANTS) {
  test(`set: the function's edits on ${name}`, () => {
    const { light, doc } = accepted(text, name);
    for (const [path, value] of REAL_SETS) assert.ok(setBoth(light, doc, path, value, name), `${path.join('.')} refused`);
    const out = light.toString(false);
    assert.ok(out.includes('  replicas: 2\n'));
    assert.ok(out.includes('      thanos-store-api: "true"\n'));
    assert.ok(out.includes('  thanos:\n    image: quay.io/thanos/thanos:v0.42.4\n    version: v0.42.4\n'));
    assert.ok(out.endsWith('  affinity:\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution:\n      - weight: 100\n        podAffinityTerm:\n          topologyKey: kubernetes.io/hostname\n          labelSelector:\n            matchExpressions:\n            - key: app\n              operator: In\n              values:\n              - prometheus\n'));
  });
}

const MORE_SETS: [string, string, string[], unknown][] = [
  ['scalar replaced by a map', 'a: 1\nb: "x"\n', ['b'], { c: 1, d: [1, 'x'] }],
  ['map replaced by a scalar', 'a:\n  b: 1\nc: 2\n', ['a'], 'y'],
  ['sequence replaced by a sequence', 'a:\n- 1\n- 2\nb: 1\n', ['a'], [{ x: 'y' }, 'z', {}]],
  ['quoted scalar replaced keeps no quotes', 'a: "x"\nb: \'y\'\n', ['a'], 'z'],
  ['into {}', 'spec: {}\n', ['spec', 'replicas'], 2],
  ['deep into {}', 'spec: {}\n', ['spec', 'a', 'b', 'c'], 'd'],
  ['{} replaced', 'spec: {}\n', ['spec'], { a: 1 }],
  ['[] replaced', 'spec: []\n', ['spec'], ['a']],
  ['missing maps created', 'kind: X\n', ['spec', 'x', 'y'], 1],
  ['new empty collections', 'a: 1\n', ['b'], { c: {}, d: [], e: [{}, { f: [] }] }],
  ['strings yaml quotes', 'a: 1\n', ['b'], { t: 'true', one: '1', y: '2000', f: '1.5', n: 'null', e: '', s: ' x', c: 'a: b', h: 'a #b', d: 'say "hi"', q: "it's", b: 'both \' and "', bs: 'back\\slash', dash: '- x', dm: '---x', dots: '...', pct: '%x', star: '*x', at: '@x' }],
  ['strings yaml writes plain', 'a: 1\n', ['b'], { s: 'thanos-store-api', y: 'yes', u: 'http://x:1/y', v: 'v0.42.4', m: '2Gi', sp: 'a b', c: 'a:b', q: 'x?', d: '-x' }],
  ['new keys yaml quotes', 'a: 1\n', ['b'], { '1': 'x', true: 'y', 'a b': 'z', 'a: b': 'w', '---x': 'f', '#': 'g', ' ': 'h' }],
  ['document-marker key at the root is quoted, below not', 'a: 1\n', ['---x'], { '---y': 1, '...z': 2 }],
  ['integers', 'a: 1\n', ['b'], [0, -0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, true, false]],
  ['existing key keeps its place and text', '1: a\nb: c\n', ['1'], 'z'],
  ['indented root', '  a:\n  - x\n  b:\n    c: 1\n', ['b', 'd'], ['y']],
];
for (const [name, text, path, value] of MORE_SETS) {
  test(`set: ${name}`, () => {
    const { light, doc } = accepted(text, name);
    assert.ok(setBoth(light, doc, path, value, name), 'refused');
  });
}

const describe = (v: unknown): string => (typeof v === 'object' && v !== null ? Object.prototype.toString.call(v) : typeof v === 'symbol' || typeof v === 'bigint' ? typeof v : JSON.stringify(v) ?? String(v));

test('set: Unsupported, before anything changes', () => {
  const shared = { a: 1 };
  const values: unknown[] = [
    1.5, NaN, Infinity, 2 ** 53, null, undefined, 'a\nb', 'é', 'tab\t', 10n, [[1]], [1, [2]], { a: shared, b: shared }, [shared, shared],
    new Date(0), new Map(), new Set(), () => 1, Symbol('s'), { a: undefined }, { a: null }, [undefined], new Array(2), Object.fromEntries([['__proto__', 1]]),
    { 'a\nb': 1 }, { '': 1 }, { ['x'.repeat(600)]: 1 }, Object.create({ inherited: 1 }), new String('x'), { a: { b: { c: 1.25 } } },
  ];
  for (const v of values) {
    const { light, doc } = accepted(SEED, 'seed');
    assert.not.ok(setBoth(light, doc, ['spec', 'x'], v, 'seed'), `accepted ${describe(v)}`);
    assert.not.ok(setBoth(light, doc, ['spec', 'replicas'], v, 'seed'), `accepted ${describe(v)}`);
  }
  const { light, doc } = accepted(SEED, 'seed');
  for (const path of [[], ['spec', 'replicas', 'x'], ['spec', 'storage', 'volumeClaimTemplate', 'spec', 'accessModes', '0'], ['__proto__'], ['spec', 'a\nb'], [''], ['spec', '', 'x'], Array(70).fill('a')]) {
    assert.not.ok(setBoth(light, doc, path, 1, 'seed'), `accepted ${JSON.stringify(path)}`);
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.not.ok(setBoth(light, doc, ['spec', 'x'], cyclic, 'seed'));
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = { d: deep };
  assert.not.ok(setBoth(light, doc, ['spec', 'x'], deep, 'seed'));
  assert.is(light.toString(false), SEED);
});

test('set: the value is copied, as createNode does', () => {
  const { light, doc } = accepted('a: 1\n');
  const v = { b: [1] };
  setBoth(light, doc, ['x'], v, 'copy');
  v.b.push(2);
  agree(light, doc, 'copy');
});

// ---------------------------------------------------------------------------------------------
// (3) properties

/** A document as the generator writes it: data plus the style choices (indents, sequence style, quoting). */
type Styled =
  | { k: 'scalar'; text: string; value: unknown }
  | { k: 'map'; step: number; entries: [string, Styled][] }
  | { k: 'seq'; compact: boolean; step: number; items: Styled[] };

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const readsAs = (s: string): unknown => {
  try {
    return (parse(`k: ${s}\n`) as Record<string, unknown>).k;
  } catch {
    return undefined;
  }
};
/** Plain strings within the subset: yaml must read them back as the same string. */
const plainString = fc
  .oneof(fc.stringMatching(/^[A-Za-z_/][A-Za-z0-9_./:=+?~ -]{0,10}$/), fc.stringMatching(/^[0-9][0-9A-Za-z._:]{0,6}$/), fc.stringMatching(/^-[A-Za-z_/][a-z0-9.]{0,4}$/))
  .filter((s) => !/: |:$| $/.test(s) && readsAs(s) === s);
const scalar: fc.Arbitrary<Styled> = fc.oneof(
  plainString.map((s) => ({ k: 'scalar' as const, text: s, value: s })),
  printable.filter((s) => !/["\\]/.test(s)).map((s) => ({ k: 'scalar' as const, text: `"${s}"`, value: s })),
  printable.filter((s) => !s.includes("'")).map((s) => ({ k: 'scalar' as const, text: `'${s}'`, value: s })),
  fc.oneof(fc.integer({ min: -100000, max: 100000 }), fc.constantFrom(0, 999999999999999, -999999999999999)).map((n) => ({ k: 'scalar' as const, text: String(n), value: n })),
  fc.constant({ k: 'scalar' as const, text: '-0', value: -0 }),
  fc.boolean().map((b) => ({ k: 'scalar' as const, text: String(b), value: b })),
  fc.constant({ k: 'scalar' as const, text: '[]', value: [] }),
  fc.constant({ k: 'scalar' as const, text: '{}', value: {} }),
);
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'name', 'spec', 'app.kubernetes.io/name', 'x-y', '1', 'true', 'null', '0x1F', '1e3', '01', '_a', 'v1.2'),
  fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,8}$/).filter((k) => k !== '__proto__'),
);
const { node: styled } = fc.letrec<{ node: Styled; map: Styled; seq: Styled }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: fc.record({
    k: fc.constant('map' as const),
    step: fc.constantFrom(1, 2, 2, 4),
    entries: fc.uniqueArray(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4, selector: (e) => e[0] }),
  }),
  seq: fc.record({
    k: fc.constant('seq' as const),
    compact: fc.boolean(),
    step: fc.constantFrom(1, 2, 3),
    items: fc.array(fc.oneof(scalar, tie('map')), { minLength: 1, maxLength: 3 }),
  }),
}));
const rootMap = fc.record({
  step: fc.constantFrom(2, 4),
  entries: fc.uniqueArray(fc.tuple(key, styled), { minLength: 1, maxLength: 5, selector: (e) => e[0] }),
});

/** Writes a map whose keys sit at column col; returns its data. */
function writeMap(m: { step: number; entries: [string, Styled][] }, col: number, out: string[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [k, v] of m.entries) {
    if (v.k === 'scalar') out.push(`${' '.repeat(col)}${k}: ${v.text}`);
    else out.push(`${' '.repeat(col)}${k}:`);
    data[k] = v.k === 'scalar' ? v.value : v.k === 'map' ? writeMap(v, col + m.step, out) : writeSeq(v, v.compact ? col : col + v.step, out);
  }
  return data;
}
function writeSeq(s: { items: Styled[] }, col: number, out: string[]): unknown[] {
  return s.items.map((item) => {
    if (item.k === 'scalar') {
      out.push(`${' '.repeat(col)}- ${item.text}`);
      return item.value;
    }
    const at = out.length;
    const data = writeMap(item as { step: number; entries: [string, Styled][] }, col + 2, out);
    out[at] = `${' '.repeat(col)}- ${out[at]!.slice(col + 2)}`;
    return data;
  });
}

/** Full-line comments and blank lines to insert: at a line index, a run of blank or `#` lines at random indents. */
const gapLine = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  { arbitrary: fc.tuple(fc.nat(8), fc.constantFrom('#', '# c', '#c', '##', '# a: b', '#  two', '# - x', '#---', '# "q" \'s\' {x} [y]')).map(([n, t]) => ' '.repeat(n) + t), weight: 6 },
  { arbitrary: fc.constantFrom('  ', '    ', '# ', '#  ', ' # trailing '), weight: 2 },
);
const gaps = fc.array(fc.tuple(fc.nat(), fc.array(gapLine, { minLength: 1, maxLength: 3 })), { maxLength: 4 });
const setValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    { arbitrary: printable, weight: 3 },
    { arbitrary: plainString, weight: 3 },
    { arbitrary: fc.constantFrom<unknown>('true', '1', '', ' ', 'a: b', '- x', '---', '"', "'", 'a\nb', 'é', null, 1.5, -0, [[]]), weight: 1 },
    { arbitrary: fc.integer(), weight: 2 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.array(fc.oneof(printable, fc.integer(), tie('v').filter((v) => !Array.isArray(v))), { maxLength: 3 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.oneof(key, printable), tie('v'), { maxKeys: 3 }), weight: 3 },
  ),
})).v;
const setOp = fc.record({ at: fc.nat(), key: fc.oneof(key, printable), extra: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(key, { minLength: 1, maxLength: 2 }), weight: 1 }), existing: fc.boolean(), value: setValue, share: fc.nat(9).map((n) => n === 0) });

function mapPaths(v: unknown, at: string[] = [], out: string[][] = []): string[][] {
  if (Array.isArray(v)) v.forEach((x, i) => mapPaths(x, [...at, String(i)], out));
  else if (v !== null && typeof v === 'object') {
    out.push(at);
    for (const [k, x] of Object.entries(v)) mapPaths(x, [...at, k], out);
  }
  return out;
}

test('property: generated plain block YAML is accepted, read and written as yaml does, before and after random sets', () => {
  let sets = 0;
  let refused = 0;
  let withGaps = 0;
  let printed = 0;
  fc.assert(
    fc.property(rootMap, fc.nat(6), gaps, fc.boolean(), fc.array(setOp, { maxLength: 5 }), (root, base, inserts, final, ops) => {
      const out: string[] = [];
      const data = writeMap(root, base, out);
      for (const [at, lines] of inserts) out.splice(at % (out.length + 1), 0, ...lines);
      const text = out.join('\n') + (final ? '\n' : '');
      const { light, doc } = accepted(text);
      if (inserts.length) {
        withGaps++;
        if (light.printable) printed++;
      }
      sameJS(light.toJS(), data, 'generated data');
      for (const op of ops) {
        const maps = mapPaths(light.toJS());
        const parent = maps[op.at % maps.length]!;
        const existing = Object.keys(light.plain(parent) as object);
        const last = op.existing && existing.length ? existing[op.at % existing.length]! : op.key;
        let value = op.value;
        if (op.share && value !== null && typeof value === 'object') value = { a: value, b: value }; // an alias in yaml
        if (setBoth(light, doc, [...parent, last, ...op.extra], value, text)) sets++;
        else refused++;
      }
    }),
    { seed: 42, numRuns: 1000 },
  );
  assert.ok(sets > 700 && refused > 70, `sets ${sets}, refused ${refused}`);
  assert.ok(printed > withGaps / 2, `printable ${printed} of ${withGaps} with blank or comment lines`);
});

const FRAGMENTS = ['a', 'b', 'k', ':', ': ', ' ', '  ', '\n', '\n  ', '- ', '-', '#', ' #', '"', "'", '[]', '{}', '[', '}', '1', '-1', '0', 'true', 'null', '~', '---', '...', '?', '&a', '*a', '!', '|', '>', '%', '\t', '\r', 'x.y/z', '1.5', 'é', '__proto__', '\\'];
const yamlish = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((a) => a.join(''));
const kubeish = fc.array(fc.tuple(fc.nat(6), fc.constantFrom('a:', 'b: 1', 'c: x', '- d', '- e: 2', 'f: []', 'g: {}', '# c', '', 'h: "q"', "i: 'r'", '-', 'j: -0', 'a: 2')), { maxLength: 12 }).map((ls) => ls.map(([n, l]) => ' '.repeat(n) + l).join('\n') + '\n');

/** Generated plain block YAML with a few fragments inserted, deleted or replaced: texts near the edge of the subset. */
const mutated = fc
  .tuple(rootMap, fc.nat(4), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...FRAGMENTS)), { minLength: 1, maxLength: 3 }))
  .map(([root, base, edits]) => {
    const out: string[] = [];
    writeMap(root, base, out);
    let text = out.join('\n') + '\n';
    for (const [at, cut, frag] of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + frag + text.slice(i + cut);
    }
    return text;
  });

test('property: any string: lightParse never throws, and what it accepts yaml reads the same way', () => {
  let accepts = 0;
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), yamlish, kubeish, mutated, mutated), (text) => {
      const light = lightParse(text);
      if (!light) return;
      accepts++;
      const doc = parseDocument(text, PARSE_OPTIONS);
      assert.equal(doc.errors.length, 0, `yaml refuses ${JSON.stringify(text)}`);
      agree(light, doc, JSON.stringify(text));
    }),
    { seed: 42, numRuns: 3000 },
  );
  assert.ok(accepts > 100, `accepted ${accepts}`);
});

test("nonString: what the tests of yaml's core schema's non-string tags match, on every short string of their characters", () => {
  const tests = new Document().schema.tags.filter((t) => t.test && t.tag !== 'tag:yaml.org,2002:str').map((t) => t.test!);
  assert.is(tests.length, 8);
  const yamlSays = (s: string) => tests.some((t) => t.test(s));
  const chars = [...'018.+-eExoafFnNil~_ '];
  let strings = [''];
  const all = [''];
  for (let n = 1; n <= 4; n++) {
    strings = strings.flatMap((s) => chars.map((c) => s + c));
    for (const s of strings) all.push(s);
  }
  const cased = (w: string): string[] => (w === '' ? [''] : cased(w.slice(1)).flatMap((r) => [w[0]!.toLowerCase() + r, w[0]!.toUpperCase() + r]));
  for (const w of ['null', 'true', 'false', '.inf', '+.inf', '-.inf', '.nan', '+.nan', 'nan', 'inf', 'Infinity', 'NaN']) all.push(...cased(w));
  all.push('0x1F', '0x', '0X1', '0o17', '0o8', '0o', '+0x1', '-0o1', '1e10', '1E+10', '1.5e-3', '.5e3', '5.e3', 'e3', '1e', '1_000', '0b1', '12:30', '1.2.3', '00', '-0', '+0', '123456789012345678901234567890', ' 1', '1 ', '1\n', '\n');
  let non = 0;
  for (const s of all) {
    assert.is(nonString(s), yamlSays(s), JSON.stringify(s));
    if (yamlSays(s)) non++;
  }
  assert.ok(non > 500, `${non} non-strings among ${all.length}`);
});

test.run();

/**
 * Hostile input (issue 17), by family: (1) bounded work: invalid UTF-8 named at its line, big maps,
 * special files; (2) stdout is a ResourceList that loads, or the run fails: anchors and aliases,
 * the ResourceList's apiVersion; (3) the right target: multi-line scalars read as the composer
 * reads them; (4) nothing of the user's lost, errors in words: chart --out, config and base files.
 * KRM and legacy runs go through fn (light reader and yaml path, compared). Time is the bench's
 * business (npm run bench, "1 MB of big maps"), not a test's.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { run } from '../../functions/prometheus-ha/src/commands/run.js';
import { decode, firstInvalidUtf8, InputError } from '../../functions/prometheus-ha/src/yaml/items.js';
import { readResourceList } from '../../functions/prometheus-ha/src/yaml/source.js';
import { BIN, composeOrUndefined, DEFAULT_CONFIG, fn, resourceList, SEED_ITEMS, withoutResults } from '../lib/helpers.js';

const PROM = SEED_ITEMS[0]!;
const DIR = mkdtempSync(join(tmpdir(), 'pha-hostile-'));
const file = (name: string, content: string | Buffer): string => {
  const p = join(DIR, name);
  writeFileSync(p, content);
  return p;
};
const CONFIG_FILE = file('config.yaml', DEFAULT_CONFIG);
const STREAM = SEED_ITEMS.join('---\n');
const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: prometheus\ndata:\n${data}`;
/** ConfigMaps enough to take an input over 64 KiB (FULL_VALIDATION_BYTES): read by lines, not composed. */
const PADDING = Array.from({ length: 160 }, (_, i) => cm(`pad-${i}`, `  payload: "${'p'.repeat(400)}"\n`));

/** stdout must load as YAML (every alias resolved) and be a ResourceList. */
function loads(stdout: string): { items: any[]; results?: any[] } {
  const out = parse(stdout, { maxAliasCount: 100 });
  assert.is(out?.kind, 'ResourceList', 'stdout is a ResourceList');
  assert.is(out.apiVersion, 'config.kubernetes.io/v1');
  return out;
}

/** The built binary with a time limit (a FIFO that is opened would block forever). */
function binT(args: string[], stdin: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { input: stdin, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  assert.not.ok(r.error, `${args.join(' ')}: ${r.error?.message} (blocked?)`);
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

const plainError = (text: string) => {
  assert.not.match(text, /internal error/);
  assert.not.match(text, /\bE[A-Z]{2,}\b:/, 'an errno code instead of words');
  assert.not.match(text, /YAML\.parseAllDocuments|\n\s+at /, 'a library message or a stack trace');
};

// ---- 1. bounded work -----------------------------------------------------------------------

test('firstInvalidUtf8 agrees with the WHATWG decoder on hand-picked sequences', () => {
  const cases: [number[], number][] = [
    [[0x61, 0x62], 2],
    [[0x80], 0],
    [[0x61, 0xc0, 0xaf], 1], // overlong
    [[0xc2, 0x80, 0xc1, 0xbf], 2], // C1 can never start
    [[0xe0, 0x9f, 0x80], 0], // overlong 3-byte
    [[0xe0, 0xa0, 0x80, 0xed, 0xa0, 0x80], 3], // a surrogate
    [[0xf0, 0x8f, 0x80, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xf4, 0x8f, 0xbf, 0xbf, 0xf5], 4],
    [[0x61, 0xe2, 0x82], 1], // cut short at the end
    [[0xe2, 0x0a, 0x82], 0],
  ];
  for (const [bytes, at] of cases) {
    const b = new Uint8Array(bytes);
    assert.is(firstInvalidUtf8(b), at, `${bytes.map((x) => x.toString(16))}`);
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      valid = false;
    }
    assert.is(valid, at === bytes.length);
    // decode (isUtf8, no TextDecoder) accepts exactly the same bytes, and decodes them alike.
    let decoded: string | undefined;
    try {
      decoded = decode(b);
    } catch (e) {
      assert.instance(e, InputError);
    }
    assert.is(decoded, valid ? new TextDecoder('utf-8', { fatal: true }).decode(b) : undefined);
  }
});

test('decode drops a leading byte order mark as TextDecoder does, and keeps any other', () => {
  for (const text of ['\uFEFFa: 1\n', 'a: 1\uFEFF\n', '\uFEFF\uFEFFa', '\uFEFF', '', 'é€😀\n']) {
    const b = Buffer.from(text, 'utf8');
    assert.is(decode(b), new TextDecoder('utf-8', { fatal: true }).decode(b), JSON.stringify(text));
  }
  assert.is(decode(Buffer.from('\uFEFFa', 'utf8')), 'a');
});

const badBytes: [string, number[]][] = [
  ['a lone continuation byte', [0x80]],
  ['0xFF', [0xff]],
  ['an overlong slash', [0xc0, 0xaf]],
  ['a surrogate', [0xed, 0xa0, 0x80]],
  ['a sequence cut by a newline', [0xe2, 0x82]],
  ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
];

for (const [what, bytes] of badBytes) {
  test(`invalid UTF-8 (${what}) near the end: refused in both modes, naming the line of the bad byte`, async () => {
    const text = resourceList([PROM, ...PADDING.slice(0, 20)], DEFAULT_CONFIG);
    const cut = text.lastIndexOf('payload');
    const input = Buffer.concat([Buffer.from(text.slice(0, cut)), Buffer.from(bytes), Buffer.from(`\n${text.slice(cut)}`)]);
    const line = text.slice(0, cut).split('\n').length;
    const krm = await fn(input);
    assert.is(krm.code, 1);
    assert.match(krm.stderr, new RegExp(`input is not valid UTF-8 \\(line ${line}\\)`));
    loads(krm.stdout);
    const sCut = STREAM.length - 20;
    const stream = Buffer.concat([Buffer.from(STREAM.slice(0, sCut)), Buffer.from(bytes), Buffer.from(STREAM.slice(sCut))]);
    const legacy = await fn(stream, [CONFIG_FILE]);
    assert.is(legacy.code, 1);
    assert.match(legacy.stderr, new RegExp(`input is not valid UTF-8 \\(line ${STREAM.slice(0, sCut).split('\n').length}\\)`));
    // And in a config file: the file and the line.
    const cfg = file(`bad-utf8-${bytes.join('-')}.yaml`, Buffer.concat([Buffer.from(`${DEFAULT_CONFIG}replicas: 3\n`), Buffer.from(bytes), Buffer.from('\n')]));
    const c = await fn(STREAM, [cfg]);
    assert.is(c.code, 1);
    assert.ok(c.stderr.includes(`config file ${cfg} is not valid UTF-8 (line 6)`), c.stderr);
  });
}

test('decode: 256 KB with a bad byte at the end is refused at once (one pass, not a decode per prefix)', () => {
  const bytes = Buffer.concat([Buffer.from('a\n'.repeat(128 * 1024)), Buffer.from([0xff])]);
  try {
    decode(bytes);
    assert.unreachable('decoded');
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /\(line 131073\)/);
  }
});

test('big maps: 3,000 externalLabels in the config are all set, in order, and a second run changes nothing', async () => {
  const labels = Array.from({ length: 3000 }, (_, i) => `  l${i}: v${i}\n`).join('');
  const config = `${DEFAULT_CONFIG}externalLabels:\n${labels}`;
  const r = await fn(resourceList([PROM], config));
  assert.is(r.code, 0, r.stderr);
  const p = loads(r.stdout).items[0];
  const keys = Object.keys(p.spec.externalLabels);
  assert.is(keys.length, 3000);
  assert.is(keys[2999], 'l2999');
  const again = await fn(r.stdout);
  assert.is(withoutResults(again.stdout), withoutResults(r.stdout));
  // The legacy plugin, the config as a file.
  const legacy = await fn(STREAM, [file('labels.yaml', config)]);
  assert.is(legacy.code, 0, legacy.stderr);
  assert.equal(Object.keys(parseAllDocuments(legacy.stdout)[0]!.toJS().spec.externalLabels).length, 3000);
});

test('big maps: a duplicate key at the end of 5,000 is still found, at its line (linear check)', async () => {
  const ann = Array.from({ length: 5000 }, (_, i) => `    a${i}: v\n`).join('') + '    a17: again\n';
  const prom = PROM.replace('  namespace: prometheus\n', `  namespace: prometheus\n  annotations:\n${ann}`);
  const text = resourceList([prom], DEFAULT_CONFIG);
  const line = text.split('\n').findIndex((l) => l === '      a17: again') + 1;
  const r = await fn(text);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`Map keys must be unique \\(line ${line}\\)`));
  const cfg = await fn(STREAM, [file('dup.yaml', `${DEFAULT_CONFIG}externalLabels:\n${Array.from({ length: 5000 }, (_, i) => `  l${i}: v\n`).join('')}  l4999: w\n`)]);
  assert.is(cfg.code, 1);
  assert.match(cfg.stderr, /Map keys must be unique \(line 5006\)/);
});

test('big maps: 20,000 annotations on the Prometheus and an untouched ConfigMap of 20,000 keys (JSON, and with a tab): answered', async () => {
  const ann = Array.from({ length: 20000 }, (_, i) => `    a${i}: v${i}\n`).join('');
  const r = await fn(resourceList([PROM.replace('  namespace: prometheus\n', `  namespace: prometheus\n  annotations:\n${ann}`)], DEFAULT_CONFIG));
  assert.is(r.code, 0, r.stderr);
  assert.is(Object.keys(loads(r.stdout).items[0].metadata.annotations).length, 20001); // and the affinity mark
  const data: Record<string, string> = {};
  for (let i = 0; i < 20000; i++) data[`k${i}`] = `v${i}`;
  const json = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data }, parse(PROM)] });
  const j = await fn(json);
  assert.is(j.code, 0, j.stderr);
  assert.equal(loads(j.stdout).items[0].data, data);
  const tab = cm('big', `${Object.entries(data).map(([k, v]) => `  ${k}: ${v}\n`).join('')}  tab: "a\n   \tb"\n`);
  const t = await fn(resourceList([tab, PROM], DEFAULT_CONFIG));
  assert.is(t.code, 0, t.stderr);
  assert.ok(t.stdout.includes(`- ${tab.trimEnd().split('\n').join('\n  ')}\n`), 'the untouched ConfigMap comes out as it came');
});

// Special files as the legacy plugin's config path, chart --config and chart --base.
const fifo = join(DIR, 'fifo');
spawnSync('mkfifo', [fifo]);
const dirPath = join(DIR, 'a-directory');
mkdirSync(dirPath);
const linkToDir = join(DIR, 'link-to-dir');
symlinkSync(dirPath, linkToDir);
const special: [string, string, RegExp][] = [
  ['a directory', dirPath, /is a directory, not a file/],
  ['a symlink to a directory', linkToDir, /is a directory, not a file/],
  ['a FIFO', fifo, /is a named pipe \(FIFO\), not a regular file/],
  ['/dev/zero', '/dev/zero', /is a device, not a regular file/],
  ['/dev/null', '/dev/null', /is a device, not a regular file/],
  ['/proc/self/mem', '/proc/self/mem', /cannot be read: input\/output error/],
  ['a path through a file', join(CONFIG_FILE, 'x'), /does not exist \(a part of its path is not a directory\)|unknown argument/],
];

for (const [what, path, reason] of special) {
  test(`${what} as a file to read: refused in words, naming it, at once (legacy config, chart --config, chart --base)`, () => {
    for (const [args, label] of [
      [[path], 'config file'],
      [['chart', '--out', join(DIR, `out-${what.replace(/\W/g, '')}`), '--config', path], 'config file'],
      [['chart', '--out', join(DIR, `out-${what.replace(/\W/g, '')}`), '--base', path], 'base file'],
    ] as [string[], string][]) {
      const r = binT(args, STREAM);
      plainError(r.stderr);
      if (r.code === 2) {
        assert.match(r.stderr, /unknown argument/); // a path through a file does not exist: not a config file
        continue;
      }
      assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`${label} ${path} `), `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
      assert.is(r.stdout, '');
    }
  });
}

test('a file over the size limit (PROMETHEUS_HA_MAX_INPUT_BYTES) is refused before it is read; under it, read', () => {
  const big = file('big-config.yaml', `${DEFAULT_CONFIG}externalLabels:\n${'  a: b\n'.repeat(1)}${'# padding\n'.repeat(300)}`);
  const r = binT([big], STREAM, { PROMETHEUS_HA_MAX_INPUT_BYTES: '2000' });
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`config file ${big} is larger than 2000 bytes`));
  assert.is(binT([big], STREAM, { PROMETHEUS_HA_MAX_INPUT_BYTES: '100000' }).code, 0);
});

test('a config of two documents: "has 2 YAML documents; expected one", naming the file (legacy, chart, functionConfig)', async () => {
  const two = file('two.yaml', `${DEFAULT_CONFIG}---\n${DEFAULT_CONFIG}`);
  const r = await fn(STREAM, [two]);
  assert.is(r.code, 1);
  assert.ok(r.stderr.includes(`config file ${two} has 2 YAML documents; expected one`), r.stderr);
  plainError(r.stderr);
  const c = binT(['chart', '--out', join(DIR, 'out-two'), '--config', two], '');
  assert.is(c.code, 1);
  assert.ok(c.stderr.includes(`config file ${two} has 2 YAML documents; expected one`), c.stderr);
});

test('chart --base on a bad file names the file (invalid YAML, an undefined alias, invalid UTF-8)', () => {
  for (const [name, content, why] of [
    ['bad-yaml.yaml', 'kind: [\n', /is not valid YAML/],
    ['bad-alias.yaml', `${PROM}extra: *nowhere\n`, /the alias \*nowhere has no anchor/],
    ['bad-bytes.yaml', Buffer.concat([Buffer.from(PROM), Buffer.from([0xc3, 0x28, 0x0a])]), new RegExp(`is not valid UTF-8 \\(line ${PROM.split('\n').length}\\)`)],
  ] as [string, string | Buffer, RegExp][]) {
    const path = file(name, content);
    const r = binT(['chart', '--out', join(DIR, 'out-base'), '--base', path], '');
    assert.is(r.code, 1);
    assert.ok(r.stderr.includes(`base file ${path}`), r.stderr);
    assert.match(r.stderr, why);
    plainError(r.stderr);
    assert.not.ok(existsSync(join(DIR, 'out-base')), 'nothing written');
  }
});

// ---- 2. stdout loads, or the run fails -----------------------------------------------------

const promWith = (from: string, to: string) => {
  assert.ok(PROM.includes(from));
  return PROM.replace(from, to);
};

interface AliasCase {
  what: string;
  items: string[];
  config?: string;
  /** undefined: exit 0; else exit 1 with this message. */
  refused?: RegExp;
}

const aliasCases: AliasCase[] = [
  { what: 'the function replaces spec.replicas, anchored &r, which a later ConfigMap aliases', items: [promWith('  replicas: 1\n', '  replicas: &r 1\n'), cm('c', '  copies: *r\n')], refused: /rewrites Prometheus prometheus\/prometheus, whose anchor &r the alias \*r of ConfigMap prometheus\/c uses/ },
  { what: 'the function replaces spec.replicas, anchored &r, which the Prometheus itself aliases', items: [promWith('  replicas: 1\n', '  replicas: &r 1\n  shards: *r\n')], refused: /replaces a value that holds the anchor &r, which an alias \*r of the same object uses/ },
  { what: 'the function changes spec.replicas inside spec, anchored &s, which a later ConfigMap aliases', items: [promWith('spec:\n', 'spec: &s\n'), cm('c', '  copies: *s\n')], refused: /the function changes spec\.replicas, inside spec, which holds the anchor &s/ },
  { what: 'the function changes spec.replicas, anchored &r and aliased nowhere', items: [promWith('  replicas: 1\n', '  replicas: &r 1\n')] },
  { what: 'an anchor on a field the function keeps, aliased by a later ConfigMap', items: [promWith('  retention: 12h\n', '  retention: &ret 12h\n'), cm('c', '  keep: *ret\n')] },
  { what: 'an anchor in an earlier ConfigMap, aliased by a kept field of the Prometheus', items: [cm('c', '  keep: &ret 12h\n'), promWith('  retention: 12h\n', '  retention: *ret\n')], refused: /the alias \*ret has no anchor &ret before it/ },
  { what: 'anchors and aliases between untouched items', items: [cm('a', '  x: &x 1\n  y: &y [1, 2]\n'), PROM, cm('b', '  x: *x\n  y: *y\n')] },
  { what: 'an undefined alias in an untouched item', items: [PROM, cm('c', '  x: *nowhere\n')], refused: /the alias \*nowhere has no anchor &nowhere before it/ },
  { what: 'an alias before its anchor (a forward reference)', items: [cm('a', '  x: *later\n'), PROM, cm('b', '  y: &later 1\n')], refused: /the alias \*later has no anchor &later before it/ },
  { what: 'an undefined alias in a flow map of an untouched item', items: [PROM, cm('c', '  x: {a: *nowhere}\n')], refused: /the alias \*nowhere has no anchor/ },
  { what: 'an anchor and alias inside one untouched item', items: [PROM, cm('c', '  x: &v 1\n  y: *v\n')] },
  { what: '"*" and "&" in strings and a cron schedule (not aliases)', items: [PROM, cm('c', '  cron: "*/5 * * * *"\n  url: a?b=1&c=2\n  rbac: \'*\'\n')] },
];

for (const c of aliasCases) {
  for (const size of ['small', 'large'] as const) {
    test(`aliases, ${size} input: ${c.what}: ${c.refused ? 'refused' : 'accepted'}, and stdout loads`, async () => {
      const items = size === 'large' ? [...c.items, ...PADDING] : c.items;
      const r = await fn(resourceList(items, c.config ?? DEFAULT_CONFIG));
      const out = loads(r.stdout);
      if (!c.refused) {
        assert.is(r.code, 0, r.stderr);
        return;
      }
      assert.is(r.code, 1, r.stdout.slice(0, 300));
      assert.match(r.stderr, c.refused);
      // Refused: what comes out (if anything) is the input as it came.
      if (out.items.length) assert.equal(out.items, parse(resourceList(items)).items);
    });
  }
}

test('aliases, legacy plugin: an undefined alias in a document (small and large stream) is refused', async () => {
  for (const pad of [[], PADDING]) {
    const stream = [PROM, cm('c', '  x: *nowhere\n'), ...pad].join('---\n');
    const r = await fn(stream, [CONFIG_FILE]);
    assert.is(r.code, 1);
    assert.match(r.stderr, /the alias \*nowhere has no anchor &nowhere before it \(line \d+\)/);
    // In a stream an anchor does not reach the next document.
    const across = [cm('a', '  x: &x 1\n'), PROM, cm('b', '  y: *x\n'), ...pad].join('---\n');
    assert.is((await fn(across, [CONFIG_FILE])).code, 1);
  }
});

/** A first run's output, then an anchor on one of the function's own objects and a ConfigMap aliasing it. */
async function ownObjectWithAnchor(kind: string, name: string, from: RegExp, to: string): Promise<string> {
  const first = await fn(resourceList([PROM], DEFAULT_CONFIG));
  assert.is(first.code, 0);
  const list = parse(first.stdout);
  const texts = readResourceList(first.stdout).items.map((it) => it.source!.text);
  const i = list.items.findIndex((o: any) => o.kind === kind && o.metadata.name === name);
  assert.ok(i >= 0, `${kind} ${name} in the first output`);
  assert.match(texts[i]!, from);
  texts[i] = texts[i]!.replace(from, to);
  return resourceList([...texts.map((t) => t.replace(/\n {2}/g, '\n')), cm('c', '  copied: *own\n')]);
}

test('aliases: the function rewrites its own Deployment that held an anchor a later item aliases: refused', async () => {
  const input = await ownObjectWithAnchor('Deployment', 'thanos-query', /\n {4}replicas: 2\n/, '\n    replicas: &own 2\n');
  const r = await fn(input.replace(/\n$/, '\nfunctionConfig:\n  apiVersion: fn.prometheus-ha.dev/v1alpha1\n  kind: PrometheusHA\n  metadata:\n    name: ha\n  query:\n    replicas: 3\n'));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /rewrites Deployment prometheus\/thanos-query, whose anchor &own the alias \*own of ConfigMap prometheus\/c uses/);
  loads(r.stdout);
});

test('aliases: the function removes its own Service that held an anchor a later item aliases: refused', async () => {
  const input = await ownObjectWithAnchor('Service', 'thanos-query', /\n {4}selector:\n/, '\n    selector: &own\n');
  const r = await fn(input.replace(/\n$/, '\nfunctionConfig:\n  apiVersion: fn.prometheus-ha.dev/v1alpha1\n  kind: PrometheusHA\n  metadata:\n    name: ha\n  query:\n    service:\n      enabled: false\n'));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /removes Service prometheus\/thanos-query, whose anchor &own the alias \*own of ConfigMap prometheus\/c uses/);
  loads(r.stdout);
});

test('the ResourceList apiVersion: config.kubernetes.io/v1 only (what kpt and kustomize send)', async () => {
  const list = resourceList([PROM], DEFAULT_CONFIG);
  for (const [apiVersion, ok] of [
    ['config.kubernetes.io/v999', false],
    ['config.k8s.io/v1alpha1', false],
    ['v1', false],
    ['"config.kubernetes.io/v1"', true],
    ["'config.kubernetes.io/v1'", true],
  ] as [string, boolean][]) {
    const r = await fn(list.replace('apiVersion: config.kubernetes.io/v1', `apiVersion: ${apiVersion}`));
    assert.is(r.code, ok ? 0 : 1, `${apiVersion}: ${r.stderr}`);
    if (!ok) assert.match(r.stderr, /expected a ResourceList of apiVersion config\.kubernetes\.io\/v1 .*found apiVersion/);
    loads(r.stdout);
  }
  const none = await fn(list.replace('apiVersion: config.kubernetes.io/v1\n', ''));
  assert.is(none.code, 1);
  assert.match(none.stderr, /found no apiVersion/);
  const json = await fn(JSON.stringify({ ...parse(list), apiVersion: 'config.kubernetes.io/v2' }));
  assert.is(json.code, 1);
  assert.match(json.stderr, /found apiVersion "config\.kubernetes\.io\/v2"/);
});

// ---- 3. the right target: multi-line scalars ---------------------------------------------

const multiLine: [string, string, string][] = [
  ['kind continued: "Prometheus Rule"', 'kind: Prometheus\n', 'kind: Prometheus\n  Rule\n'],
  ['kind continued after a blank line', 'kind: Prometheus\n', 'kind: Prometheus\n\n  Rule\n'],
  ['kind continued after a comment line (invalid)', 'kind: Prometheus\n', 'kind: Prometheus\n# c\n  Rule\n'],
  ['kind continued far deeper', 'kind: Prometheus\n', 'kind: Prometheus\n          Rule\n'],
  ['apiVersion continued', 'apiVersion: monitoring.coreos.com/v1\n', 'apiVersion: monitoring.coreos.com/v1\n  beta\n'],
  ['name continued', '  name: prometheus\n', '  name: prometheus\n    two\n'],
  ['namespace continued: "prometheus two"', '  namespace: prometheus\n', '  namespace: prometheus\n    two\n'],
  ['namespace single-quoted over two lines', '  namespace: prometheus\n', "  namespace: 'prometheus\n    two'\n"],
  ['namespace double-quoted over two lines', '  namespace: prometheus\n', '  namespace: "prometheus\n    two"\n'],
  ['namespace with a trailing comment, then a key', '  namespace: prometheus\n', '  namespace: prometheus # where\n  labels:\n    a: b\n'],
  ['an orchestrator annotation continued', '    config.kubernetes.io/path: a.yaml\n', '    config.kubernetes.io/path: a.yaml\n      b.yaml\n'],
  ['kind continued with a colon-less word at the same indent (invalid)', 'kind: Prometheus\n', 'kind: Prometheus\nRule\n'],
];

for (const [what, from, to] of multiLine) {
  for (const size of ['small', 'large'] as const) {
    test(`multi-line scalars, ${size} input: ${what}: the line reader answers as the composer, both readers, idempotent`, async () => {
      const annotated = PROM.replace('metadata:\n', 'metadata:\n  annotations:\n    config.kubernetes.io/path: a.yaml\n');
      assert.ok(annotated.includes(from));
      const item = annotated.replace(from, to);
      const items = size === 'large' ? [item, ...PADDING] : [item];
      const text = resourceList(items, DEFAULT_CONFIG);
      const composed = composeOrUndefined(text);
      const r = await fn(text);
      if (!composed) {
        assert.is(r.code, 1, `the composer refuses this input: so must the function\n${r.stdout.slice(0, 300)}`);
        loads(r.stdout);
        return;
      }
      const meta = readResourceList(text).items[0]!.meta;
      const o = composed.items[0];
      assert.equal([meta.apiVersion, meta.kind, meta.name, meta.namespace, meta.annotations['config.kubernetes.io/path']], [o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace, o.metadata.annotations['config.kubernetes.io/path']]);
      const out = loads(r.stdout);
      // The function's rule (transform.ts isPrometheus): kind Prometheus of monitoring.coreos.com/v1;
      // a Prometheus of another version of the group is refused by name (unsupportedTarget).
      if (o.kind !== 'Prometheus' || o.apiVersion !== 'monitoring.coreos.com/v1') {
        assert.is(r.code, 1);
        assert.match(r.stderr, o.kind === 'Prometheus' && String(o.apiVersion).startsWith('monitoring.coreos.com/') ? /TARGET_UNSUPPORTED/ : /TARGET_NOT_FOUND/);
        return;
      }
      assert.is(r.code, 0, r.stderr);
      for (const x of out.items.slice(items.length)) assert.is(x.metadata.namespace, o.metadata.namespace, `${x.kind} in the Prometheus's namespace`);
      const again = await fn(r.stdout);
      assert.is(again.code, 0);
      assert.is(withoutResults(again.stdout), withoutResults(r.stdout), 'a second run changes nothing');
    });
  }
}

// ---- 4. chart --out: only our own chart is replaced --------------------------------------

const chart = (args: string[]) => run(['chart', ...args], { stdin: new Uint8Array(0), env: {} });
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[p.slice(dir.length)] = st.isFile() ? readFileSync(p, 'utf8') : `(${st.mode})`;
    }
  };
  walk(dir);
  return out;
};

const otherCharts: [string, (dir: string) => void, RegExp][] = [
  ['another chart whose description has the line "name: prometheus-ha"', (d) => writeFileSync(join(d, 'Chart.yaml'), 'apiVersion: v2\nname: my-app\ndescription: |\n  Deploys my-app.\nname: prometheus-ha\nversion: 1.0.0\n'.replace('\nname: prometheus-ha\nversion', '\n  name: prometheus-ha\nversion')), /names it "my-app", not prometheus-ha/],
  ['a chart named prometheus-ha without the mark', (d) => writeFileSync(join(d, 'Chart.yaml'), 'apiVersion: v2\nname: prometheus-ha\nversion: 0.1.0\n'), /did not write .*no annotation prometheus-ha\.dev\/generated-by/],
  ['a chart with a wrong mark value', (d) => writeFileSync(join(d, 'Chart.yaml'), 'apiVersion: v2\nname: prometheus-ha\nversion: 0.1.0\nannotations:\n  prometheus-ha.dev/generated-by: someone-else\n'), /did not write/],
  ['a Chart.yaml that is not valid YAML', (d) => writeFileSync(join(d, 'Chart.yaml'), 'name: [prometheus-ha\n'), /its Chart.yaml cannot be read/],
  ['a Chart.yaml of two documents', (d) => writeFileSync(join(d, 'Chart.yaml'), 'name: prometheus-ha\n---\nname: x\n'), /has 2 YAML documents; expected one/],
  ['a Chart.yaml that is a directory', (d) => mkdirSync(join(d, 'Chart.yaml')), /Chart.yaml .*is a directory, not a file/],
  ['a Chart.yaml that is a FIFO', (d) => spawnSync('mkfifo', [join(d, 'Chart.yaml')]), /is a named pipe \(FIFO\)/],
  ['files, but no Chart.yaml', (d) => writeFileSync(join(d, 'values.yaml'), 'a: 1\n'), /no Chart.yaml/],
];

for (const [what, make, why] of otherCharts) {
  test(`chart --out into ${what}: refused, nothing touched`, async () => {
    const dir = mkdtempSync(join(DIR, 'chart-'));
    make(dir);
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'deployment.yaml'), 'kind: Deployment\n');
    writeFileSync(join(dir, 'values.yaml'), 'mine: true\n');
    const before = snapshot(dir);
    const r = await chart(['--out', dir]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /refusing to write into it \(nothing was changed\)/);
    assert.match(r.stderr, why);
    plainError(r.stderr);
    assert.equal(snapshot(dir), before);
  });
}

test('chart --out: a chart this command wrote is replaced (what Helm reads and the mark), other files kept', async () => {
  const dir = join(DIR, 'ours');
  assert.is((await chart(['--out', dir])).code, 0);
  const c = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
  assert.is(c.annotations['prometheus-ha.dev/generated-by'], 'prometheus-ha');
  // README.md is the chart's own (generated); a file the command does not write is kept.
  writeFileSync(join(dir, 'my-notes.md'), 'my notes\n');
  writeFileSync(join(dir, 'values.yaml'), 'stale: true\n');
  const r = await chart(['--out', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(dir, 'my-notes.md'), 'utf8'), 'my notes\n');
  assert.not.match(readFileSync(join(dir, 'values.yaml'), 'utf8'), /stale/);
  // Written in another style Helm reads the same (quoted, flow annotations): still ours.
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\n"name": 'prometheus-ha'\nversion: 0.1.0\nannotations: {"prometheus-ha.dev/generated-by": prometheus-ha}\n`);
  assert.is((await chart(['--out', dir])).code, 0);
});

test('an unreadable config file: "cannot be read: permission denied", naming it (run as nobody where the tests run as root)', async () => {
  const locked = file('locked.yaml', DEFAULT_CONFIG);
  chmodSync(locked, 0o000);
  if (process.getuid?.() !== 0) {
    const r = await fn(STREAM, [locked]);
    assert.is(r.code, 1);
    assert.ok(r.stderr.includes(`config file ${locked} cannot be read: permission denied`), r.stderr);
    return;
  }
  // root reads a file of mode 000: the same run as nobody (uid 65534), who may not.
  const open = join('/tmp', `pha-locked-${process.pid}.yaml`);
  writeFileSync(open, DEFAULT_CONFIG);
  chmodSync(open, 0o000);
  try {
    const r = spawnSync(process.execPath, [BIN, open], { input: STREAM, encoding: 'utf8', uid: 65534, gid: 65534, timeout: 20_000 });
    assert.is(r.status, 1, r.stderr);
    assert.ok(r.stderr.includes(`config file ${open} cannot be read: permission denied`), r.stderr);
    plainError(r.stderr);
  } finally {
    rmSync(open, { force: true });
  }
});

test.after(() => rmSync(DIR, { recursive: true, force: true }));

test.run();

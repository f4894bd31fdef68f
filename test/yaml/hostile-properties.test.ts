/**
 * Properties of hostile input (issue 17; fast-check, fixed seed, PROPERTY_QUICK / PROPERTY_RUNS
 * as properties.test.ts): multi-line scalars where the line reader reads metadata, anchors and
 * aliases across items, special files wherever a command reads a file, and the indexed map edits
 * of YamlDoc against yaml's own setIn.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCollection, isMap, isScalar, parse, parseDocument } from 'yaml';
import { run } from '../../functions/prometheus-ha/src/commands/run.js';
import { readResourceList } from '../../functions/prometheus-ha/src/yaml/source.js';
import { readLight } from '../../functions/prometheus-ha/src/yaml/light/reader.js';
import { YamlDoc } from '../../functions/prometheus-ha/src/yaml/yamldoc.js';
import { composeOrUndefined, DEFAULT_CONFIG, fn, propertyCount as count, resourceList, SEED_ITEMS } from '../lib/helpers.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const runs = (n: number) => ({ seed: SEED, numRuns: count(n) });

const PROM = SEED_ITEMS[0]!;
const PADDING = Array.from({ length: 160 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pad-${i}\ndata:\n  payload: "${'p'.repeat(400)}"\n`);

/** stdout loads (every alias resolved) as a ResourceList. */
const loads = (stdout: string) => {
  const out = parse(stdout, { maxAliasCount: 100 });
  assert.is(out?.kind, 'ResourceList');
  return out;
};

// ---- multi-line scalars ------------------------------------------------------------------

const word = fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/);
/**
 * A value written after `key: ` at column `col`: one line, or a plain scalar continued on deeper
 * lines (maybe after blank lines, maybe at the key's own column: then it is not a continuation),
 * or quoted over lines.
 */
const value = fc.record({
  words: fc.array(word, { minLength: 1, maxLength: 3 }),
  style: fc.constantFrom('plain', 'plain', 'single', 'double'),
  extra: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 2 }),
  blank: fc.boolean(),
});
const written = (v: { words: string[]; style: string; extra: number[]; blank: boolean }, col: number): string => {
  const [first, ...rest] = v.words;
  const q = v.style === 'single' ? "'" : v.style === 'double' ? '"' : '';
  let s = `${q}${first}`;
  rest.forEach((w, i) => {
    s += `\n${v.blank && i === 0 ? '\n' : ''}${' '.repeat(col + v.extra[i % 2]!)}${w}`;
  });
  return `${s}${q}\n`;
};

const multiLineItem = fc
  .record({ kind: value, name: value, namespace: value, path: value, prometheus: fc.boolean() })
  .map(({ kind, name, namespace, path, prometheus }) => {
    const k = prometheus ? { ...kind, words: ['Prometheus', ...kind.words.slice(1)] } : kind;
    return `apiVersion: monitoring.coreos.com/v1\nkind: ${written(k, 0)}metadata:\n  name: ${written(name, 2)}  namespace: ${written(namespace, 2)}  annotations:\n    config.kubernetes.io/path: ${written(path, 4)}spec:\n  replicas: 1\n`;
  });

test('multi-line scalars: the line reader (yaml path and light) reads kind, name, namespace and annotations as the composer does, or leaves them to it', async () => {
  await fc.assert(
    fc.asyncProperty(multiLineItem, fc.boolean(), async (item, large) => {
      const items = large ? [item, ...PADDING] : [item];
      const text = resourceList(items, DEFAULT_CONFIG);
      const composed = composeOrUndefined(text);
      const r = await fn(text); // both readers, compared
      loads(r.stdout);
      if (!composed) {
        assert.is(r.code, 1, 'invalid YAML is refused');
        return true;
      }
      const o = composed.items[0];
      const want = [o.apiVersion, o.kind, o.metadata?.name, o.metadata?.namespace, o.metadata?.annotations?.['config.kubernetes.io/path']];
      const m = readResourceList(text).items[0]!.meta;
      assert.equal([m.apiVersion, m.kind, m.name, m.namespace, m.annotations['config.kubernetes.io/path']], want);
      const light = readLight(text);
      if (light) {
        const l = light.items[0]!.meta;
        assert.equal([l.apiVersion, l.kind, l.name, l.namespace, l.annotations['config.kubernetes.io/path']], want);
      }
      if (r.code === 0) {
        // Injected objects go where the Prometheus is, as the composer reads it.
        for (const x of loads(r.stdout).items.slice(items.length)) assert.is(x.metadata.namespace, o.metadata.namespace);
      }
      return true;
    }),
    runs(300),
  );
});

// ---- anchors and aliases across items ----------------------------------------------------

const NAMES = ['a', 'b', 'c'];
/** A ConfigMap with values that may carry an anchor or be an alias. */
const aliasItem = fc
  .record({ name: fc.constantFrom('x', 'y', 'z', 'w'), n: fc.nat(999), entries: fc.array(fc.record({ anchor: fc.option(fc.constantFrom(...NAMES), { nil: undefined }), alias: fc.option(fc.constantFrom(...NAMES), { nil: undefined }), flow: fc.boolean() }), { minLength: 1, maxLength: 3 }) })
  .map(({ name, n, entries }) => {
    const data = entries.map((e, i) => (e.alias ? (e.flow ? `  k${i}: [*${e.alias}]\n` : `  k${i}: *${e.alias}\n`) : `  k${i}: ${e.anchor ? `&${e.anchor} ` : ''}v${i}\n`)).join('');
    return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-${n}\n  namespace: prometheus\ndata:\n${data}`;
  });
/** The Prometheus, maybe with an anchor on a field the function replaces (replicas) or keeps (retention), maybe aliasing. */
const aliasProm = fc.record({ on: fc.constantFrom('none', 'replicas', 'retention'), name: fc.constantFrom(...NAMES), inner: fc.boolean() }).map(({ on, name, inner }) => {
  if (on === 'none') return PROM;
  const line = on === 'replicas' ? '  replicas: 1\n' : '  retention: 12h\n';
  const anchored = line.replace(': ', `: &${name} `);
  return PROM.replace(line, inner ? `${anchored}  shards: *${name}\n` : anchored);
});

test('anchors and aliases across items: the output always loads; input that does not resolve is refused', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(aliasItem, { maxLength: 3 }), aliasProm, fc.array(aliasItem, { maxLength: 3 }), fc.boolean(), async (before, prom, after, large) => {
      const items = [...before, prom, ...after, ...(large ? PADDING : [])];
      const text = resourceList(items, DEFAULT_CONFIG);
      let resolves = true;
      try {
        parse(text, { maxAliasCount: 100 });
      } catch {
        resolves = false;
      }
      const r = await fn(text);
      loads(r.stdout);
      assert.ok(r.code === 0 || r.code === 1);
      assert.not.match(r.stderr, /internal error/);
      if (!resolves) assert.is(r.code, 1, 'an alias without its anchor is refused');
      return true;
    }),
    runs(300),
  );
});

// ---- special files -----------------------------------------------------------------------

const DIR = mkdtempSync(join(tmpdir(), 'pha-hostile-prop-'));
const kinds: Record<string, () => string> = {
  'a config': () => writeAt('ok.yaml', DEFAULT_CONFIG),
  'an empty file': () => writeAt('empty.yaml', ''),
  'a directory': () => {
    mkdirSync(join(DIR, 'd'), { recursive: true });
    return join(DIR, 'd');
  },
  'a FIFO': () => {
    const p = join(DIR, 'fifo');
    spawnSync('mkfifo', [p]);
    return p;
  },
  '/dev/null': () => '/dev/null',
  '/dev/zero': () => '/dev/zero',
  '/dev/urandom': () => '/dev/urandom',
  '/proc/self/mem': () => '/proc/self/mem',
  '/proc/self/status (size 0, readable)': () => '/proc/self/status',
  'a symlink loop': () => {
    const p = join(DIR, 'loop');
    try {
      symlinkSync(p, p);
    } catch {
      // there already
    }
    return p;
  },
  'a symlink to a directory': () => {
    const p = join(DIR, 'to-dir');
    mkdirSync(join(DIR, 'd'), { recursive: true });
    try {
      symlinkSync(join(DIR, 'd'), p);
    } catch {
      // there already
    }
    return p;
  },
  'invalid UTF-8': () => writeAt('bytes.yaml', Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0x0a])),
  'two documents': () => writeAt('two.yaml', `${DEFAULT_CONFIG}---\n${DEFAULT_CONFIG}`),
  'a missing file': () => join(DIR, 'missing.yaml'),
};
function writeAt(name: string, content: string | Buffer): string {
  const p = join(DIR, name);
  writeFileSync(p, content);
  return p;
}

test('special files as the legacy config, chart --config or chart --base: answered at once, in words, naming the file', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(kinds)), fc.constantFrom('legacy', 'chart --config', 'chart --base'), async (kind, how) => {
      const path = kinds[kind]!();
      const out = join(DIR, 'chart-out');
      const argv = how === 'legacy' ? [path] : ['chart', '--out', out, how.slice(6), path];
      const r = await run(argv, { stdin: Buffer.from(SEED_ITEMS.join('---\n')), env: {} });
      rmSync(out, { recursive: true, force: true });
      assert.not.match(r.stderr, /internal error|\bE[A-Z]{2,}\b:|\n\s+at /, `${kind} (${how}): ${r.stderr}`);
      assert.ok([0, 1, 2].includes(r.code), `${kind} (${how}): exit ${r.code}`);
      if (r.code === 1 && !/TARGET_NOT_FOUND|not written: the function refuses/.test(r.stderr)) assert.ok(r.stderr.includes(path), `${kind} (${how}): the file is not named: ${r.stderr}`);
      if (['a directory', 'a FIFO', '/dev/null', '/dev/zero', '/dev/urandom', '/proc/self/mem', 'a symlink loop', 'a symlink to a directory', 'invalid UTF-8', 'two documents'].includes(kind)) assert.is(r.code, 1, `${kind} (${how}) is refused`);
      return true;
    }),
    runs(120),
  );
});

// ---- YamlDoc's indexed map edits against yaml's setIn --------------------------------------

const key = fc.constantFrom('a', 'b', 'c', 'k1', 'k2', 'k17', 'spec', 'x.y');
const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(1, 'v', true, null), tie('map'), fc.array(fc.constantFrom(1, 'v'), { maxLength: 2 })),
  map: fc.dictionary(fc.oneof(key, fc.stringMatching(/^m[0-9]{1,2}$/)), tie('node'), { maxKeys: 24 }),
})).map;

test('YamlDoc set/info/plain on big and small maps: the same document and answers as yaml getIn/setIn', () => {
  fc.assert(
    fc.property(tree, fc.array(fc.tuple(fc.array(key, { minLength: 1, maxLength: 3 }), fc.constantFrom(1, 'w', { n: 1 }, ['z'])), { maxLength: 12 }), fc.boolean(), (t, sets, flow) => {
      const text = JSON.stringify(t);
      const mine = new YamlDoc(parseDocument(flow ? text : parseDocument(text).toString()));
      const theirs = parseDocument(flow ? text : parseDocument(text).toString());
      for (const [path, v] of sets) {
        // The caller's contract (patch.ts checkParents): every existing node above the last segment is a map.
        let ok = true;
        for (let i = 1; i < path.length; i++) {
          const n = theirs.getIn(path.slice(0, i), true);
          if (n !== undefined && !isMap(n)) ok = false;
        }
        if (!ok || !isMap(theirs.contents)) continue;
        const node = theirs.getIn(path, true);
        assert.equal(mine.plain(path), isCollection(node) || isScalar(node) ? node.toJSON() : node);
        mine.set(path, v);
        theirs.setIn(path, theirs.createNode(v));
        for (let i = 1; i < path.length; i++) {
          const p = theirs.getIn(path.slice(0, i), true);
          if (isMap(p) && p.flow) p.flow = false;
        }
        assert.is(mine.toString(false), theirs.toString({ lineWidth: 0, indentSeq: false }));
      }
      return true;
    }),
    runs(400),
  );
});

test.after(() => rmSync(DIR, { recursive: true, force: true }));

test.run();

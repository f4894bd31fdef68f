/**
 * The source tree's design, kept true: folders by role, each importing only the layers below it
 * (entry -> commands -> chart, yaml/light -> yaml -> core), no import cycle between files, and no
 * folder of more than 12 files. Read from the import statements of functions/prometheus-ha/src.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from '../lib/helpers.js';

const SRC = join(ROOT, 'functions/prometheus-ha/src');

/** What each folder may import besides itself. */
const MAY_IMPORT: Record<string, string[]> = {
  generated: [],
  core: ['generated'],
  yaml: ['core'],
  'yaml/light': ['yaml', 'core'],
  chart: ['yaml', 'core'],
  commands: ['chart', 'yaml/light', 'yaml', 'core', 'generated'],
  entry: ['commands', 'yaml', 'core'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

const all = files(SRC);
const folderOf = (file: string) => relative(SRC, dirname(file));
/** Relative imports of a file, as source files (json and declarations left out). */
const imports = new Map(
  all.map((f) => [
    f,
    [...readFileSync(f, 'utf8').matchAll(/(?:^import|^export)[^;]*?from '(\.[^']+)'|import\('(\.[^']+)'\)/gm)]
      .map((m) => resolve(dirname(f), (m[1] ?? m[2])!))
      .filter((p) => !p.endsWith('.json'))
      .map((p) => p.replace(/\.js$/, all.includes(p.replace(/\.js$/, '.ts')) ? '.ts' : '.js')),
  ]),
);

test('every source folder is a known layer and holds at most 12 files', () => {
  const count = new Map<string, number>();
  for (const f of all) count.set(folderOf(f), (count.get(folderOf(f)) ?? 0) + 1);
  for (const [folder, n] of count) {
    assert.ok(folder in MAY_IMPORT, `${folder}/ is not a layer of this test's table: say what it may import`);
    assert.ok(n <= 12, `${folder}/ holds ${n} files`);
  }
});

test('each folder imports only the layers below it', () => {
  const bad: string[] = [];
  for (const [f, deps] of imports) {
    const from = folderOf(f);
    for (const d of deps) {
      const to = folderOf(d);
      if (to !== from && !MAY_IMPORT[from]!.includes(to)) bad.push(`${relative(SRC, f)} imports ${relative(SRC, d)}`);
    }
  }
  assert.equal(bad, []);
});

test('no import cycle between files', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(SRC, p)).join(' -> '));
      return;
    }
    state.set(f, 'open');
    for (const d of imports.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of all) visit(f, []);
  assert.equal(cycles, []);
});

test('the table above sees the imports (a control: the KRM runs import the core)', () => {
  const krm = imports.get(join(SRC, 'commands/krm.ts')) ?? [];
  assert.ok(krm.includes(join(SRC, 'core/transform.ts')), krm.join(', '));
});

test.run();

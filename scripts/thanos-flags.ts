/**
 * Which long flags each Thanos component accepts in each release, read from `thanos <component> --help`
 * as the Thanos project publishes it (test/fixtures/thanos-flags/, SOURCES.md there), and written as a
 * compact table (functions/prometheus-ha/src/generated/thanos-flags.ts) that `prometheus-ha check` and the function use.
 * The tests read the help texts through `helpFlags` too, so the table and the texts cannot drift apart
 * (test/bin/generated.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';

export const FLAGS_DIR = 'test/fixtures/thanos-flags/';

export interface HelpFlag {
  name: string;
  /** A kingpin boolean (`--[no-]name`, or a flag with no `=value` in the help): also `--no-<name>`. */
  bool: boolean;
}

/**
 * The long flags of one help text. Flag lines are indented by 2 (`  -w, --wait`) or 6 spaces
 * (`      --wait`); wrapped description lines by ~30, so they never match.
 */
export function parseHelp(text: string): HelpFlag[] {
  const out: HelpFlag[] = [];
  for (const m of text.matchAll(/^ {2,8}(?:-[a-zA-Z], )?--(\[no-\])?([a-z0-9][a-z0-9._-]*)(=?)/gm)) {
    out.push({ name: m[2]!, bool: !!m[1] || m[3] === '' });
  }
  return out;
}

const versionOrder = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** The releases and components present, from the file names `<version>-<component>.txt`. */
export function helpFiles(root: string): { versions: string[]; components: string[] } {
  const names = readdirSync(root + FLAGS_DIR).filter((f) => f.endsWith('.txt'));
  const parts = names.map((f) => /^(v\d+\.\d+\.\d+)-([a-z-]+)\.txt$/.exec(f)).filter((m): m is RegExpExecArray => !!m);
  return {
    versions: [...new Set(parts.map((m) => m[1]!))].sort(versionOrder),
    components: [...new Set(parts.map((m) => m[2]!))].sort(),
  };
}

/** The flags of `thanos <component> --help` at `version`, from the vendored help text. */
export function helpFlags(root: string, version: string, component: string): HelpFlag[] {
  return parseHelp(readFileSync(`${root}${FLAGS_DIR}${version}-${component}.txt`, 'utf8'));
}

/**
 * The table: per component, per flag, the releases that have it as ranges of the known releases
 * (`*` all, `v0.35.1..` from, `..v0.37.2` up to, `a..b`, comma-separated when it left and came
 * back), then ` bool` for booleans.
 */
export function thanosFlagsTs(root: string, banner: string): string {
  const { versions, components } = helpFiles(root);
  const table: Record<string, Record<string, string>> = {};
  for (const c of components) {
    const per = versions.map((v) => new Map(helpFlags(root, v, c).map((f) => [f.name, f])));
    const names = [...new Set(per.flatMap((m) => [...m.keys()]))].sort();
    table[c] = {};
    for (const n of names) {
      const has = per.map((m) => m.has(n));
      const ranges: string[] = [];
      for (let i = 0; i < has.length; i++) {
        if (!has[i]) continue;
        let j = i;
        while (j + 1 < has.length && has[j + 1]) j++;
        ranges.push(i === 0 && j === has.length - 1 ? '*' : `${i === 0 ? '' : versions[i]}..${j === has.length - 1 ? '' : versions[j]}`);
        i = j;
      }
      const bool = per.some((m) => m.get(n)?.bool);
      table[c][n] = ranges.join(',') + (bool ? ' bool' : '');
    }
  }
  // JSON in a template literal: a string costs the bundle's start nothing, an object literal of
  // ~500 keys is built at every start; core/checks.ts parses it on first use.
  const json = JSON.stringify(table, null, 2);
  if (/[`\\]|\$\{/.test(json)) throw new Error('a flag name or range that a template literal cannot hold as it is');
  return (
    banner +
    `/**\n * Long flags of \`thanos <component> --help\` per release (${versions[0]} to ${versions[versions.length - 1]}), from ${FLAGS_DIR}.\n` +
    ` * Per flag: the releases that have it (\`*\` all of THANOS_FLAG_RELEASES, \`a..\` from a, \`..b\` up to b, \`a..b\`),\n` +
    ` * then \` bool\` for a boolean (kingpin also takes \`--no-<name>\`). Read by core/checks.ts, which parses\n` +
    ` * THANOS_FLAGS_JSON (component -> flag -> releases) when it first judges a flag.\n */\n` +
    `export const THANOS_FLAG_RELEASES: readonly string[] = ${JSON.stringify(versions)};\n\n` +
    `export const THANOS_FLAGS_JSON = \`${json}\`;\n`
  );
}

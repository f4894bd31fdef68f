/**
 * Whether a Thanos release has a flag, from the help texts of ten releases (generated/thanos-flags.ts,
 * made from test/fixtures/thanos-flags/ by `npm run generate`). Thanos parses flags with kingpin,
 * which refuses an unknown long flag at start-up ("unknown long flag"): the container then exits.
 *
 * A release between two known ones is judged by both neighbours: a flag is missing only when neither
 * has it (a flag added or removed in between is given the benefit of the doubt). A release newer than
 * the newest known one is judged only on flags that the newest has dropped (removed flags stay
 * removed; new ones may have been added). Older than the oldest known one, or not a version: no
 * judgement.
 */
import { parseVersion, versionLess } from '../core/checks.js';
import { THANOS_FLAG_RELEASES, THANOS_FLAGS } from '../generated/thanos-flags.js';

/** Components whose help texts are known; `querier` is Query's old name. */
const ALIASES: Record<string, string> = { querier: 'query' };

export const thanosComponent = (sub: string): string | undefined => {
  const c = ALIASES[sub] ?? sub;
  return Object.prototype.hasOwnProperty.call(THANOS_FLAGS, c) ? c : undefined;
};

/** Whether the flag's entry (`*`, `a..`, `..b`, `a..b`, comma-separated) includes the known release at `index`. */
function inRelease(spec: string, index: number): boolean {
  const release = THANOS_FLAG_RELEASES[index]!;
  return spec
    .split(' ')[0]!
    .split(',')
    .some((r) => {
      if (r === '*') return true;
      const [from, to] = r.split('..') as [string, string];
      return (!from || !versionLess(release, from)) && (!to || !versionLess(to, release));
    });
}

export interface MissingFlag {
  flag: string;
  /** The known release(s) whose help the verdict rests on. */
  basis: string;
}

/**
 * The long flags of `argv` (`--name`, `--name=value`; `--no-name` for a boolean) that Thanos `version`
 * of `component` does not have.
 */
export function missingFlags(component: string, version: string, argv: string[]): MissingFlag[] {
  const table = THANOS_FLAGS[component];
  if (!table || !parseVersion(version)) return [];
  const releases = THANOS_FLAG_RELEASES;
  const oldest = releases[0]!;
  if (versionLess(version, oldest)) return [];
  const newest = releases.length - 1;
  let floor = newest;
  while (floor > 0 && versionLess(version, releases[floor]!)) floor--;
  const beyond = versionLess(releases[newest]!, version);
  const ceil = beyond ? newest : versionLess(releases[floor]!, version) ? floor + 1 : floor;
  const has = (name: string, i: number): boolean => {
    const spec = table[name];
    if (spec !== undefined && inRelease(spec, i)) return true;
    const negated = /^no-(.+)$/.exec(name)?.[1];
    const base = negated === undefined ? undefined : table[negated];
    return base !== undefined && base.endsWith(' bool') && inRelease(base, i);
  };
  const out: MissingFlag[] = [];
  for (const a of argv) {
    const m = /^--([a-z0-9][a-z0-9._-]*)(=|$)/.exec(a);
    if (!m) continue;
    const name = m[1]!;
    if (has(name, floor) || has(name, ceil)) continue;
    // Beyond the newest known release, only a flag that an older release had counts as gone.
    if (beyond && !releases.some((_r, i) => has(name, i))) continue;
    const basis = floor === ceil ? releases[floor]! : `${releases[floor]} and ${releases[ceil]}`;
    out.push({ flag: `--${name}`, basis });
  }
  return out;
}

/**
 * A small YAML writer for plain data the function builds itself (injected objects, results):
 * block style, compact sequences (as kpt and kustomize write), strings plain when that cannot be
 * misread and JSON-quoted (valid YAML double-quoted scalars) otherwise. Much cheaper on a cold
 * start than the yaml package's Document stringifier, which the function keeps for the Prometheus,
 * whose comments and order must survive.
 */

/** Words YAML 1.1 or 1.2 would read as something other than a string (any case): /^(?:~|null|true|false|yes|no|on|off|y|n)$/i. */
const WORDS = new Set(['~', 'null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
/** Numbers in any YAML 1.1/1.2 spelling (ints with _ or sexagesimal, floats, hex, octal, binary) and dates. */
const NUMERIC = /^(?:[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

/** Strings safe plain as far as their characters go (checked by one expression: a loop over the characters cost more on a start). */
const SAFE = /^(?:[A-Za-z0-9_/]|--?[A-Za-z])[A-Za-z0-9_./:=+@-]*$/;
/** The characters of NUMERIC's numbers (digits, separators, signs, 0x 0o 0b, hex digits and exponents); its dates start `dddd-`. */
const NUMBER_CHARS = new Set('0123456789_.:+-xo' + 'abcdefABCDEF');

/**
 * Whether a string that starts with a digit reads as a number or a date. NUMERIC is asked only
 * about one it may match: its first run compiles it, and quantities such as `500m` or `2Gi`
 * hold a character no number has.
 */
const numeric = (s: string): boolean => (s.charCodeAt(4) === 45 || [...s].every((c) => NUMBER_CHARS.has(c))) && NUMERIC.test(s);

/**
 * Keys and values repeat (name, labels, app.kubernetes.io/name, TCP...): each string is decided
 * once. Up to DECIDED_MAX strings, so a process that writes many (check on many files, big
 * results) does not keep them all.
 */
const DECIDED = new Map<string, string>();
const DECIDED_MAX = 4096;

export function scalar(v: unknown): string {
  if (typeof v === 'string') {
    let text = DECIDED.get(v);
    if (text === undefined) {
      text = plainOrQuoted(v);
      if (DECIDED.size < DECIDED_MAX) DECIDED.set(v, text);
    }
    return text;
  }
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  return scalar(String(v));
}

function plainOrQuoted(s: string): string {
  // Safe (so ASCII), not a word YAML reads otherwise; a number, a date or a digit then a `:` only
  // when it starts with a digit (a safe string that starts with `-` has a letter after it).
  const digit = s.charCodeAt(0) >= 48 && s.charCodeAt(0) <= 57;
  return SAFE.test(s) && !(s.length <= 5 && WORDS.has(s.toLowerCase())) && !(digit && (s.includes(':') || numeric(s))) && !s.endsWith(':') && !s.includes('://') ? s : JSON.stringify(s);
}

/**
 * What a value writes on the line of its key or `- `: a scalar, `[]` or `{}`; undefined for a
 * list or map that is not empty, written as block lines below.
 */
function inline(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return scalar(v);
  if (Array.isArray(v)) return v.length ? undefined : '[]';
  return Object.keys(v).length ? undefined : '{}';
}

/**
 * A list or map that is not empty as block lines at indentation `pad`, its first line starting
 * with `lead` instead (`pad`, or the `- ` of the sequence item it is). Appended to one string: no
 * array of lines per level to join, and no nested block written and then cut to put its first
 * line after the `- `.
 */
function block(v: object, pad: string, lead: string): string {
  let out = '';
  let first = lead;
  if (Array.isArray(v)) {
    for (const item of v) {
      const text = inline(item);
      out += text === undefined ? block(item, `${pad}  `, `${first}- `) : `${first}- ${text}\n`;
      first = pad;
    }
    return out;
  }
  const map = v as Record<string, unknown>;
  const keys = Object.keys(map);
  // By index: most of what a run writes is map entries, and a for-of's iterator costs more cold.
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = map[k];
    const text = inline(x);
    // A list under a key is written compact (`key:\n- a`), as kpt and kustomize write it; a map is indented.
    if (text !== undefined) out += `${first}${scalar(k)}: ${text}\n`;
    else out += `${first}${scalar(k)}:\n${Array.isArray(x) ? block(x, pad, pad) : block(x as object, `${pad}  `, `${pad}  `)}`;
    first = pad;
  }
  return out;
}

/** A document of plain data (no comments, no anchors) as block YAML ending in a newline. */
export function toYaml(v: unknown): string {
  const text = inline(v);
  return text === undefined ? block(v as object, '', '') : `${text}\n`;
}

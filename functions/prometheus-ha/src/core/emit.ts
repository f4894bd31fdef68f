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

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** The characters of a plain string after its first: A-Z a-z 0-9 _ . / : = + @ - */
const REST = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=+@-') REST[c.charCodeAt(0)] = 1;

/**
 * Whether a string is safe plain: /^(?:[A-Za-z0-9_/]|--?[A-Za-z])[A-Za-z0-9_./:=+@-]*$/, checked
 * by its characters (a start runs this on every key and string it writes, ~500 on the seed, and a
 * regular expression's first run compiles it).
 */
function safe(s: string): boolean {
  const c = s.charCodeAt(0);
  let i = 1;
  if (c === 45) {
    i = s.charCodeAt(1) === 45 ? 2 : 1;
    if (!isLetter(s.charCodeAt(i++))) return false;
  } else if (!(isLetter(c) || isDigit(c) || c === 95 || c === 47)) return false;
  for (; i < s.length; i++) if (!REST[s.charCodeAt(i)]) return false;
  return true;
}

export function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  const s = String(v);
  // Safe (so ASCII), not a word YAML reads otherwise; a number, a date or a digit then a `:` only
  // when it starts with a digit (a safe string that starts with `-` has a letter after it).
  const digit = isDigit(s.charCodeAt(0));
  return safe(s) && !(s.length <= 5 && WORDS.has(s.toLowerCase())) && !(digit && (NUMERIC.test(s) || s.includes(':'))) && !s.endsWith(':') && !s.includes('://') ? s : JSON.stringify(s);
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `v` as block lines at indentation `pad`, its first line starting with `lead` instead (`pad`, or
 * the `- ` of the sequence item it is). Appended to one string: no array of lines per level to
 * join, and no nested block written and then cut to put its first line after the `- `.
 */
function block(v: unknown, pad: string, lead: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return `${lead}[]\n`;
    let out = '';
    let first = lead;
    for (const item of v) {
      if ((isPlainMap(item) && Object.keys(item).length) || (Array.isArray(item) && item.length)) out += block(item, `${pad}  `, `${first}- `);
      else out += `${first}- ${inline(item)}\n`;
      first = pad;
    }
    return out;
  }
  if (isPlainMap(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return `${lead}{}\n`;
    let out = '';
    let first = lead;
    for (const k of keys) {
      const x = v[k];
      const key = scalar(k);
      if (isPlainMap(x) && Object.keys(x).length) out += `${first}${key}:\n${block(x, `${pad}  `, `${pad}  `)}`;
      else if (Array.isArray(x) && x.length) out += `${first}${key}:\n${block(x, pad, pad)}`;
      else out += `${first}${key}: ${inline(x)}\n`;
      first = pad;
    }
    return out;
  }
  return `${lead}${scalar(v)}\n`;
}

const inline = (v: unknown): string => (Array.isArray(v) ? '[]' : isPlainMap(v) ? '{}' : scalar(v));

/** A document of plain data (no comments, no anchors) as block YAML ending in a newline. */
export function toYaml(v: unknown): string {
  return block(v, '', '');
}

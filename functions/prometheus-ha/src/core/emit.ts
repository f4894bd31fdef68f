/**
 * A small YAML writer for plain data the function builds itself (injected objects, results):
 * block style, compact sequences (as kpt and kustomize write), strings plain when that cannot be
 * misread and JSON-quoted (valid YAML double-quoted scalars) otherwise. Much cheaper on a cold
 * start than the yaml package's Document stringifier, which the function keeps for the Prometheus,
 * whose comments and order must survive.
 */

/** Words YAML 1.1 or 1.2 would read as something other than a string. */
const SPECIAL = /^(?:~|null|true|false|yes|no|on|off|y|n)$/i;
const SAFE = /^(?:[A-Za-z0-9_/]|--?[A-Za-z])[A-Za-z0-9_./:=+@-]*$/;
/** Numbers in any YAML 1.1/1.2 spelling (ints with _ or sexagesimal, floats, hex, octal, binary) and dates. */
const NUMERIC = /^(?:[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|0[xob][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

export function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  const s = String(v);
  return SAFE.test(s) && !SPECIAL.test(s) && !NUMERIC.test(s) && !s.endsWith(':') && !s.includes('://') && !(/^[0-9]/.test(s) && s.includes(':')) ? s : JSON.stringify(s);
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

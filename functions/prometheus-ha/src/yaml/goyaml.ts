/**
 * Go's YAML writer leaves the closing quote of a multi-line single-quoted scalar that ends with a
 * line break at column 0. Helm 4 hands a post-renderer its own re-serialisation of the manifests
 * (helm/helm v4.1.4 pkg/action/action.go, annotateAndMerge: kio.ParseAll then kio.StringAll of
 * sigs.k8s.io/kustomize/kyaml, on go.yaml.in/yaml/v3), and kube-prometheus-stack's Watchdog alert
 * comes out as
 *
 *         description: 'This is an alert meant to ensure ... functional.
 *
 *           ... "DeadMansSnitch" integration in PagerDuty.
 *
 *     '
 *
 * (yaml.v3 emitterc.go, yaml_emitter_write_single_quoted: the indentation is written only before
 * a character that is not a line break, so after the value's last break the quote comes at
 * column 0.) Go's yaml and PyYAML read it; the yaml package stops at the less indented line
 * ("Missing closing 'quote"). This is not a YAML reader: it finds exactly that construct with the
 * yaml package's own lexer (a single-quoted scalar the lexer leaves open, then only empty lines,
 * then a line that starts with the quote) and indents that quote to the scalar's opening column,
 * which gives the scalar the value Go's yaml reads. The callers read the indented text and copy
 * the original text out, so what they do not change passes through byte for byte.
 */
import { Lexer } from 'yaml';

/** Spaces inserted into the text: `pad` of them at offset `at` of the fixed text. */
export interface QuoteFixes {
  text: string;
  inserted: { at: number; pad: number }[];
}

/** The cheap sign: a line that starts with a quote after an empty line. */
const SIGN = /\n\n'/;
/** A document marker line (`---` or `...` at column 0): the lexer restarts at the one before a sign. */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
/** The lexer's control tokens (document start, flow error end, scalar): not in the source. */
const CONTROL = /^[\x02\x18\x1f]$/;
/** A single-quoted scalar the lexer closed (quotes inside are doubled). */
const CLOSED = /^'(?:[^']|'')*'$/;

/** The text with each Go-style closing quote indented, or undefined when it has none. */
export function fixGoQuotes(text: string): QuoteFixes | undefined {
  if (!SIGN.test(text)) return undefined;
  const inserted: QuoteFixes['inserted'] = [];
  let out = text;
  let from = 0;
  for (;;) {
    const sign = out.slice(from).search(SIGN);
    if (sign === -1) break;
    const at = from + sign + 2; // the quote
    // Lex from the document marker before the quote (or the start) to the one after it.
    const start = lastMarkerBefore(out, at);
    MARKER.lastIndex = at;
    const next = MARKER.exec(out);
    const end = next ? next.index : out.length;
    const fix = findFix(out.slice(start, end));
    if (fix) {
      const pos = start + fix.at;
      out = out.slice(0, pos) + ' '.repeat(fix.pad) + out.slice(pos);
      inserted.push({ at: pos, pad: fix.pad });
      from = pos + fix.pad;
    } else from = at;
  }
  return inserted.length ? { text: out, inserted } : undefined;
}

function lastMarkerBefore(text: string, at: number): number {
  let start = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m && m.index < at; m = MARKER.exec(text)) start = m.index;
  return start;
}

/** The first Go-style closing quote in one document's text: its offset and the opening quote's column. */
function findFix(doc: string): { at: number; pad: number } | undefined {
  let pos = 0;
  let open: number | undefined; // column of an unclosed single-quoted scalar, then empty lines only
  for (const tok of new Lexer().lex(doc)) {
    if (open !== undefined) {
      if (tok[0] === "'" && doc[pos - 1] === '\n' && doc[pos - 2] === '\n') return { at: pos, pad: open };
      if (tok !== '\n') open = undefined;
    }
    if (tok[0] === "'" && !CLOSED.test(tok) && tok.endsWith('\n')) open = pos - (doc.lastIndexOf('\n', pos - 1) + 1);
    if (!CONTROL.test(tok)) pos += tok.length;
  }
  return undefined;
}

/** An offset of the fixed text as an offset of the original (never inside inserted spaces). */
export function originalOffset(fixes: QuoteFixes, at: number): number {
  let o = at;
  for (const f of fixes.inserted) if (f.at < at) o -= Math.min(f.pad, at - f.at);
  return o;
}

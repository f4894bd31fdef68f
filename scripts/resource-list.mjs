// A ResourceList of YAML items (each a document's text) and an optional functionConfig text, laid
// out as kpt and kustomize write it. One builder for the build (recording the code cache), the
// bench and the tests.
import { readFileSync } from 'node:fs';

/** The tutorial's base (kustomize/seed/prometheus.yaml), a text per document: the seed the build and the benches run on. */
export const seedDocs = () => readFileSync(new URL('../kustomize/seed/prometheus.yaml', import.meta.url), 'utf8').split(/^---\n/m).filter((d) => d.trim());

/** One item as a block-sequence entry: `- ` on its first line, two spaces before the others. */
const entry = (text) => text.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : l ? `  ${l}` : l)).join('\n');

/** @param {string[]} items @param {string} [config] */
export function resourceList(items, config) {
  let s = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.map(entry).join('\n')}\n`;
  if (config) s += `functionConfig:\n${config.trimEnd().split('\n').map((l) => (l ? `  ${l}` : l)).join('\n')}\n`;
  return s;
}

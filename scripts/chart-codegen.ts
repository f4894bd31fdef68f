/**
 * The generated files of the Helm chart (issue 4): chart/ is `prometheus-ha chart --out chart` for
 * the tutorial base with the default config, and the binary embeds the tutorial base for that
 * command. Entries of GENERATED (scripts/codegen.ts): `npm run generate` writes them and
 * test/bin/generated.test.ts fails when a committed copy is stale.
 */
import { readFileSync } from 'node:fs';
import { buildChart } from '../functions/prometheus-ha/src/chart/build.js';

const ROOT = new URL('..', import.meta.url).pathname;
export const SEED_BASE_PATH = 'kustomize/seed/prometheus.yaml';
export const CHART_DIR = 'chart';

export const seedBaseTs = (): string =>
  `// DO NOT EDIT: generated from ${SEED_BASE_PATH} by \`npm run generate\` (scripts/generate.ts).\n` +
  `/** The tutorial base: the default --base of \`prometheus-ha chart\`, embedded so that the bundled binary has it. */\n` +
  `export const SEED_BASE: string = ${JSON.stringify(readFileSync(ROOT + SEED_BASE_PATH, 'utf8'))};\n`;

/** The chart's files for the tutorial base and the default config. */
export function chartFiles(): Record<string, string> {
  const built = buildChart([{ path: SEED_BASE_PATH, text: readFileSync(ROOT + SEED_BASE_PATH, 'utf8') }]);
  if (!built.files) throw new Error(`the tutorial base fails the function's checks: ${built.results.map((r) => r.message).join('; ')}`);
  return built.files;
}

/** One GENERATED entry per chart file (a build failure shows as a failing Chart.yaml entry). */
export function chartGenerated(): Record<string, () => string> {
  let files: Record<string, string>;
  try {
    files = chartFiles();
  } catch (e) {
    return { [`${CHART_DIR}/Chart.yaml`]: () => { throw e; } };
  }
  return Object.fromEntries(Object.entries(files).map(([rel, text]) => [`${CHART_DIR}/${rel}`, () => text]));
}

/**
 * `prometheus-ha chart --out DIR [--base FILE...] [--config FILE]`: writes the Helm chart that
 * renders what the function emits (chart/build.ts). Without --base, the tutorial base
 * (kustomize/seed/prometheus.yaml, embedded at build time); without --config, the schema defaults.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { IO, Outcome } from './io.js';
import { composeText, InputError, isMap, toPlain } from '../yaml/source.js';
import { readUserText } from './files.js';
import { formatResult } from '../core/results.js';
import { SEED_BASE } from '../generated/seed-base.js';
import { buildChart, CHART_MARK, CHART_NAME, formatResults, type BaseFile } from '../chart/build.js';

export const CHART_USAGE = `Usage: prometheus-ha chart --out DIR [--base FILE...] [--config FILE]

Writes a Helm chart that renders the same manifests as the function:
  --out DIR      where to write it (a directory that is empty, missing, or an earlier prometheus-ha chart)
  --base FILE    the base manifests with the Prometheus (repeatable; default: the tutorial base,
                 kustomize/seed/prometheus.yaml); the chart embeds them
  --config FILE  a PrometheusHA config whose values become the chart's defaults (default: the schema's)
The function's checks run on the base with that config first; the chart is written only if they pass.
`;

interface Args {
  out?: string;
  bases: string[];
  config?: string;
  help?: boolean;
}

function parseArgs(args: string[]): Args | string {
  const a: Args = { bases: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const next = (): string | undefined => inline ?? (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--') ? args[++i] : undefined);
    if (flag === '--help' || flag === '-h') a.help = true;
    else if (flag === '--out') {
      const v = next();
      if (!v) return '--out needs a directory';
      a.out = v;
    } else if (flag === '--config') {
      const v = next();
      if (!v) return '--config needs a file';
      a.config = v;
    } else if (flag === '--base') {
      const v = next();
      if (!v) return '--base needs a file';
      a.bases.push(v);
      // --base a.yaml b.yaml: the files up to the next flag.
      if (inline === undefined) while (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--')) a.bases.push(args[++i]!);
    } else return `unknown argument "${arg}"`;
  }
  return a;
}

const fail = (message: string, code = 1): Outcome => ({ stdout: '', stderr: `prometheus-ha: chart: ${message}\n`, code });

/**
 * Files of an earlier chart are replaced; anything else in DIR is not ours to remove. Ours is what
 * Helm reads as a chart named prometheus-ha (Chart.yaml composed, not matched by lines: issue 17)
 * that carries the mark this command writes (CHART_MARK).
 */
function prepareOut(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} exists and is not a directory: --out names the directory to write the chart into`;
  const entries = readdirSync(dir);
  if (entries.length === 0) return undefined;
  const chartYaml = join(dir, 'Chart.yaml');
  const refuse = (why: string) => `${dir} is not empty and ${why}: refusing to write into it (nothing was changed); give an empty or new directory`;
  if (!entries.includes('Chart.yaml')) return refuse(`holds no ${CHART_NAME} chart (no Chart.yaml)`);
  let chart: unknown;
  try {
    chart = toPlain(composeText(readUserText(chartYaml, 'Chart.yaml'), { what: chartYaml, file: chartYaml }), { what: chartYaml });
  } catch (e) {
    if (e instanceof InputError) return refuse(`its Chart.yaml cannot be read (${e.result.message})`);
    throw e;
  }
  const name = isMap(chart) ? chart.name : undefined;
  if (name !== CHART_NAME) return refuse(`holds another chart (${chartYaml} names it ${JSON.stringify(name ?? null)}, not ${CHART_NAME})`);
  const mark = isMap(chart) && isMap(chart.annotations) ? chart.annotations[CHART_MARK] : undefined;
  if (mark !== CHART_NAME) return refuse(`holds a chart named ${CHART_NAME} that this command did not write (${chartYaml} has no annotation ${CHART_MARK}: ${CHART_NAME})`);
  for (const e of ['templates', 'ci', 'Chart.yaml', 'values.yaml', 'values.schema.json', '.helmignore']) rmSync(join(dir, e), { recursive: true, force: true });
  return undefined;
}

export function chartCommand(args: string[], _io: IO): Outcome {
  const a = parseArgs(args);
  if (typeof a === 'string') return fail(`${a}\n\n${CHART_USAGE}`, 2);
  if (a.help) return { stdout: CHART_USAGE, stderr: '', code: 0 };
  if (!a.out) return fail(`--out DIR is required\n\n${CHART_USAGE}`, 2);
  let bases: BaseFile[];
  let rawConfig: unknown;
  try {
    bases = a.bases.length ? a.bases.map((path) => ({ path, text: readUserText(path, 'base file') })) : [{ path: 'kustomize/seed/prometheus.yaml', text: SEED_BASE }];
    if (a.config) rawConfig = toPlain(composeText(readUserText(a.config, 'config file'), { what: `config file ${a.config}`, file: a.config }), { what: `config file ${a.config}` });
  } catch (e) {
    if (e instanceof InputError) return fail(formatResult(e.result));
    throw e;
  }
  const built = buildChart(bases, rawConfig, a.config);
  if (!built.files) return { stdout: '', stderr: `${formatResults(built.results)}prometheus-ha: chart: not written: the function refuses this base and config\n`, code: 1 };
  const refused = prepareOut(a.out);
  if (refused) return fail(refused);
  for (const [rel, content] of Object.entries(built.files)) {
    const path = join(a.out, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { stdout: `wrote the ${CHART_NAME} chart to ${a.out} (${Object.keys(built.files).length} files)\n`, stderr: formatResults(built.results), code: 0 };
}

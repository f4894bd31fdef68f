/**
 * The modes of the one binary, as a function of argv and stdin (testable without spawning):
 * KRM function (no arguments), kustomize legacy exec plugin (argv[0] = config file), and commands.
 */
import { existsSync } from 'node:fs';
import { toYaml } from './emit.js';
import { readConfig, type Config } from './config.js';
import { formatResult, hasError, result, type Result } from './results.js';
import { composeText, decode, guarded, InputError, isMap, readInputText, readResourceList, readStream, toPlain, writeResourceListParts, writeStreamParts, type Input, type Item } from './source.js';
import { transform } from './transform.js';

export interface IO {
  /** Released (emptied) once decoded: a big input is then held once, as text. */
  stdin: Uint8Array;
  stdinTooLarge?: boolean;
  maxInput?: number;
  readFile: (path: string) => Uint8Array;
  env: Record<string, string | undefined>;
  /** The path of the launcher (dist/prometheus-ha.cjs) that started this process, if any. */
  self?: string;
}
export interface Outcome {
  stdout: string;
  /** stdout in pieces, when it was built so (main writes them without joining them). */
  stdoutParts?: readonly string[];
  stderr: string;
  code: number;
}

export const USAGE = `prometheus-ha: make one Prometheus Operator Prometheus highly available with Thanos.

Usage:
  prometheus-ha                          KRM function: ResourceList on stdin, ResourceList on stdout
                                         (kpt fn render/eval --exec, kustomize --enable-exec)
  prometheus-ha CONFIG_FILE              kustomize legacy exec plugin: PrometheusHA config file,
                                         YAML documents on stdin and stdout
  prometheus-ha check                    KRM validator: report why a setup would not deduplicate or
                                         survive a node loss, change nothing
  prometheus-ha chart --out DIR [--base FILE...] [--config FILE]
                                         write the equivalent Helm chart
  prometheus-ha install-kustomize-plugin [DIR]
                                         install the legacy plugin under DIR (KUSTOMIZE_PLUGIN_HOME)
  prometheus-ha --help | --version

Config: apiVersion fn.prometheus-ha.dev/v1alpha1, kind PrometheusHA (see schema/prometheus-ha.schema.json),
or a ConfigMap with dotted keys (replicas=3 externalLabels.cluster=eu1 query.version=v0.42.4).
Exit status: 1 if and only if there is an error result.
`;

export const VERSION = '0.1.0';

/** Errors and warnings, one line each, for stderr (kpt and kustomize show it). */
const problems = (results: Result[], prefix = ''): string => results.filter((r) => r.severity !== 'info').map((r) => `${prefix}${formatResult(r)}\n`).join('');

const resultsYaml = (results: Result[]): string => (results.length ? toYaml({ results }) : '');

function emptyList(results: Result[]): string {
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n${resultsYaml(results)}`;
}

function configFromFunctionConfig(input: Input): { config?: Config; results: Result[] } {
  const fc = input.functionConfig;
  if (!fc) return readConfig(undefined);
  const raw = 'value' in fc ? fc.value : toPlain(composeText(' '.repeat(fc.indent) + fc.text, { what: 'functionConfig', line: fc.line }), { what: 'functionConfig', line: fc.line });
  const ann = isMap(raw) && isMap(raw.metadata) && isMap(raw.metadata.annotations) ? raw.metadata.annotations : {};
  const file = (ann['internal.config.kubernetes.io/path'] ?? ann['config.kubernetes.io/path']) as string | undefined;
  return readConfig(raw === null ? undefined : raw, { file });
}

function krm(io: IO): Outcome {
  let input: Input;
  try {
    input = guarded(() => readResourceList(readInputText(io)));
  } catch (e) {
    if (e instanceof InputError) return { stdout: emptyList([e.result]), stderr: `${formatResult(e.result)}\n`, code: 1 };
    throw e;
  }
  let cfg;
  try {
    cfg = configFromFunctionConfig(input);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    cfg = { results: [e.result] };
  }
  let items = input.items;
  let removed: Item[] = [];
  const results = [...cfg.results];
  if (cfg.config) {
    const t = transform(input.items, cfg.config);
    results.push(...t.results);
    if (!hasError(t.results)) ({ items, removed = [] } = t);
  }
  const failed = hasError(results);
  // Items that are not valid YAML cannot be echoed as a valid ResourceList: give none (exit 1 anyway).
  if (results.some((r) => r.tags?.code === 'INPUT_YAML')) return { stdout: emptyList(results), stderr: problems(results), code: 1 };
  const parts = writeResourceListParts(input, failed ? input.items : items, resultsYaml(results), failed ? [] : removed);
  return inParts(parts, problems(results), failed ? 1 : 0);
}

/** An outcome whose stdout is kept in pieces until someone reads it whole (main does not). */
function inParts(parts: readonly string[], stderr: string, code: number): Outcome {
  return {
    get stdout() {
      return parts.join('');
    },
    stdoutParts: parts,
    stderr,
    code,
  };
}

function legacyPlugin(configPath: string, io: IO): Outcome {
  const errOut = (results: Result[]): Outcome => ({ stdout: '', stderr: problems(results, 'prometheus-ha: '), code: 1 });
  let config: Config | undefined;
  try {
    const text = decode(io.readFile(configPath));
    const raw = toPlain(composeText(text, { what: `config file ${configPath}`, file: configPath }), { what: `config file ${configPath}` });
    const c = readConfig(raw, { file: configPath });
    if (!c.config) return errOut(c.results);
    config = c.config;
    const input = guarded(() => readStream(readInputText(io)));
    const t = transform(input.items, config);
    if (hasError(t.results)) return errOut(t.results);
    const verbose = io.env.PROMETHEUS_HA_VERBOSE === '1';
    const stderr = t.results.filter((r) => verbose || r.severity !== 'info').map((r) => `prometheus-ha: ${formatResult(r)}\n`).join('');
    return inParts(writeStreamParts(t.items), stderr, 0);
  } catch (e) {
    if (e instanceof InputError) return errOut([e.result]);
    throw e;
  }
}

export async function run(argv: string[], io: IO): Promise<Outcome> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) return krm(io);
    if (cmd === '--help' || cmd === '-h' || cmd === 'help') return { stdout: USAGE, stderr: '', code: 0 };
    if (cmd === '--version') return { stdout: `${VERSION}\n`, stderr: '', code: 0 };
    if (cmd === 'install-kustomize-plugin') {
      const { installKustomizePlugin } = await import('./install.js');
      return installKustomizePlugin(rest[0], io.env, io.self ?? process.argv[1]!);
    }
    if (cmd === 'chart') {
      const { chartCommand } = await import('./chart/command.js');
      return chartCommand(rest, io);
    }
    if (cmd === 'check') {
      const { checkCommand } = await import('./check.js');
      return checkCommand(io);
    }
    if (!cmd.startsWith('-') && existsSync(cmd)) return legacyPlugin(cmd, io);
    return { stdout: '', stderr: `prometheus-ha: unknown argument "${cmd}" (not a command, and no such config file)\n\n${USAGE}`, code: 2 };
  } catch (e) {
    // A bug, not bad input: say so in one line, without a stack trace (PROMETHEUS_HA_DEBUG=1 shows it).
    const err = e as Error;
    const detail = io.env.PROMETHEUS_HA_DEBUG === '1' ? `\n${err.stack}` : '';
    return { stdout: '', stderr: `prometheus-ha: internal error: ${err.message}${detail}\n`, code: 1 };
  }
}

/**
 * The modes of the one binary, as a function of argv and stdin (testable without spawning):
 * KRM function (no arguments), kustomize legacy exec plugin (argv[0] = config file), and commands.
 */
import { existsSync } from 'node:fs';
import { readConfig, type Config } from './config.js';
import { fastKrm } from './fast.js';
import { emptyList, inParts, krmOn, problems } from './krm.js';
import { formatResult, hasError, type Result } from './results.js';
import { composeText, decode, guarded, InputError, readInputText, readResourceList, readStream, toPlain, writeStreamParts, type Input } from './source.js';
import { transform } from './transform.js';
import { yamlReader } from './yamldoc.js';

export interface IO {
  /** Released (emptied) once decoded: a big input is then held once, as text. */
  stdin: Uint8Array;
  stdinTooLarge?: boolean;
  maxInput?: number;
  readFile: (path: string) => Uint8Array;
  env: Record<string, string | undefined>;
  /** The path of the launcher (dist/prometheus-ha.cjs) that started this process, if any. */
  self?: string;
  /** The common path's bundle (fast-main.ts) tried the light reader on this stdin already. */
  lightTried?: boolean;
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

function krm(io: IO): Outcome {
  // The common path, without the yaml package (fast.ts); PROMETHEUS_HA_LIGHT=off skips it,
  // =report says on stderr whether it was taken.
  const light = io.env.PROMETHEUS_HA_LIGHT;
  const out = krmRead(io, light !== 'off' && !io.lightTried);
  if (light === 'report') out.outcome.stderr = `prometheus-ha: light reader ${out.light ? 'used' : 'not used'}\n${out.outcome.stderr}`;
  return out.outcome;
}

function krmRead(io: IO, tryLight: boolean): { outcome: Outcome; light: boolean } {
  let input: Input;
  try {
    const text = readInputText(io);
    const fast = tryLight ? fastKrm(text) : undefined;
    if (fast) return { outcome: fast, light: true };
    input = guarded(() => readResourceList(text));
  } catch (e) {
    if (e instanceof InputError) return { outcome: { stdout: emptyList([e.result]), stderr: `${formatResult(e.result)}\n`, code: 1 }, light: false };
    throw e;
  }
  return { outcome: krmOn(input, yamlReader, (text, where) => toPlain(composeText(text, where), where)), light: false };
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
    const t = transform(input.items, config, yamlReader);
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

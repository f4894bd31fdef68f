/**
 * The modes of the one binary, as a function of argv and stdin (testable without spawning):
 * KRM function (no arguments), kustomize legacy exec plugin (argv[0] = config file), and commands.
 */
import { existsSync } from 'node:fs';
import { fastKrm, fastLegacy } from './fast.js';
import { emptyList, krmOn, legacyWith, reportLight, type StreamSyntax } from './krm.js';
import { formatResult } from './results.js';
import { composeText, guarded, InputError, readInputText, readResourceList, readStream, toPlain, type Input } from './source.js';
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
  const out = krmRead(io, io.env.PROMETHEUS_HA_LIGHT !== 'off' && !io.lightTried);
  return reportLight(out.outcome, out.light, io.env);
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
  let text: string | undefined;
  const stdinText = () => (text ??= readInputText(io));
  // The common path, without the yaml package (fast.ts), as for the KRM function.
  const fast = io.env.PROMETHEUS_HA_LIGHT !== 'off' && !io.lightTried ? fastLegacy(configPath, io, stdinText) : undefined;
  return reportLight(fast ?? legacyWith(configPath, io, stdinText, yamlStream), !!fast, io.env);
}

const yamlStream: StreamSyntax = {
  config: (text, path) => toPlain(composeText(text, { what: `config file ${path}`, file: path }), { what: `config file ${path}` }),
  stream: (text) => guarded(() => readStream(text)),
  reader: yamlReader,
};

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

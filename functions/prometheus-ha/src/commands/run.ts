/**
 * The one binary's command line as a table: each command word (names.ts) maps to its command; no
 * argument is the KRM function, any other single argument the kustomize legacy plugin's config
 * file. Testable without spawning: run(argv, io) -> Outcome.
 */
import { lstatSync } from 'node:fs';
import { VERSION } from '../core/model.js';
import { krmFunction, legacyPlugin } from './function.js';
import type { IO, Outcome } from './io.js';
import { isCommand, type CommandName } from './names.js';

export type { IO, Outcome } from './io.js';

export const USAGE = `prometheus-ha: make one Prometheus Operator Prometheus highly available with Thanos.

Usage:
  prometheus-ha                          KRM function: ResourceList on stdin, ResourceList on stdout
                                         (kpt fn render/eval --exec, kustomize --enable-exec)
  prometheus-ha CONFIG_FILE              kustomize legacy exec plugin and Helm post-renderer
                                         (helm --post-renderer prometheus-ha --post-renderer-args
                                         CONFIG_FILE): YAML documents on stdin and stdout
  prometheus-ha check [FILE...]          report why a setup would not deduplicate or survive a node
                                         loss, change nothing (stdin: also a KRM validator)
  prometheus-ha chart --out DIR [--base FILE...] [--config FILE]
                                         write the equivalent Helm chart
  prometheus-ha install-kustomize-plugin [DIR]
                                         install the legacy plugin under DIR (KUSTOMIZE_PLUGIN_HOME)
  prometheus-ha install-helm-plugin [DIR]
                                         install the Helm 4 post-renderer plugin under DIR
                                         (default: Helm's plugins folder, HELM_PLUGINS)
  prometheus-ha --help | --version
  prometheus-ha COMMAND --help           one command's usage

Config: apiVersion fn.prometheus-ha.dev/v1alpha1, kind PrometheusHA (see schema/prometheus-ha.schema.json),
or a ConfigMap with dotted keys (replicas=3 externalLabels.cluster=eu1 query.version=v0.42.4).
Exit status: 1 if and only if there is an error result.
`;

const help = async (): Promise<Outcome> => ({ stdout: USAGE, stderr: '', code: 0 });

export const INSTALL_USAGE = `Usage: prometheus-ha install-kustomize-plugin [DIR]

Installs this program as a kustomize legacy exec plugin under DIR (default: $KUSTOMIZE_PLUGIN_HOME,
else $XDG_CONFIG_HOME/kustomize/plugin, else ~/.config/kustomize/plugin) and prints the
export KUSTOMIZE_PLUGIN_HOME=... line to eval; then: kustomize build --enable-alpha-plugins DIR.
`;

interface Command {
  run: (args: string[], io: IO) => Promise<Outcome>;
  /** Its usage, for `COMMAND --help` (-h); loaded with the command where it lives there. */
  usage?: () => Promise<string>;
}

/** Each command word to its command; the commands that not every run needs are loaded when used. */
const TABLE: Record<CommandName, Command> = {
  help: { run: help },
  '--help': { run: help },
  '-h': { run: help },
  '--version': { run: async () => ({ stdout: `${VERSION}\n`, stderr: '', code: 0 }) },
  check: {
    run: async (args, io) => (await import('./check.js')).checkCommand(io, args),
    usage: async () => (await import('./check.js')).CHECK_USAGE,
  },
  chart: {
    run: async (args, io) => (await import('./chart.js')).chartCommand(args, io),
    usage: async () => (await import('./chart.js')).CHART_USAGE,
  },
  'install-kustomize-plugin': {
    run: async (args, io) => (await import('./install.js')).installKustomizePlugin(args[0], io.env, io.self ?? process.argv[1]!),
    usage: async () => INSTALL_USAGE,
  },
  'install-helm-plugin': {
    run: async (args, io) => (await import('./install.js')).installHelmPlugin(args[0], io.env, io.self ?? process.argv[1]!),
    usage: async () => (await import('./install.js')).HELM_USAGE,
  },
};

/** `--help` or `-h` among a command's arguments asks for its usage (names.ts: such a run reads no stdin). */
export const asksHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h');

const present = (path: string): boolean => {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR, ENAMETOOLONG...: no such config file
  }
};

export async function run(argv: string[], io: IO): Promise<Outcome> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === undefined) return krmFunction(io);
    if (isCommand(cmd)) {
      const c = TABLE[cmd];
      if (c.usage && asksHelp(rest)) return { stdout: await c.usage(), stderr: '', code: 0 };
      return await c.run(rest, io);
    }
    // Any path that is there (a broken link too): the legacy plugin says what is wrong with it (commands/files.ts).
    if (!cmd.startsWith('-') && present(cmd)) return legacyPlugin(cmd, io);
    return { stdout: '', stderr: `prometheus-ha: unknown argument "${cmd}" (not a command, and no such config file)\n\n${USAGE}`, code: 2 };
  } catch (e) {
    // A bug, not bad input: say so in one line, without a stack trace (PROMETHEUS_HA_DEBUG=1 shows it).
    const err = e as Error;
    const detail = io.env.PROMETHEUS_HA_DEBUG === '1' ? `\n${err.stack}` : '';
    return { stdout: '', stderr: `prometheus-ha: internal error: ${err.message}${detail}\n`, code: 1 };
  }
}

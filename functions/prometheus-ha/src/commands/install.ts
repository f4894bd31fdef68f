/**
 * Installs the binary as a plugin of the tools that run it by name: a kustomize legacy exec plugin
 * (kustomize build --enable-alpha-plugins) and a Helm 4 post-renderer plugin (helm install|upgrade|
 * template --post-renderer prometheus-ha). Each is a small wrapper that runs the launcher which
 * installed it.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { VERSION } from '../core/model.js';
import type { Outcome } from './io.js';

/** kustomize looks for $KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind>. */
export const PLUGIN_PATH = ['fn.prometheus-ha.dev', 'v1alpha1', 'prometheusha', 'PrometheusHA'];

/** An executable shell wrapper at `exe` that runs `self` (dist/prometheus-ha.cjs) with its arguments. */
function writeWrapper(exe: string, self: string, command: string): void {
  writeFileSync(exe, `#!/bin/sh\n# Installed by prometheus-ha ${command}. Runs the bin as a program: its own first\n# lines start Node.js (without NODE_EXTRA_CA_CERTS, see scripts/build.mjs).\nexec ${JSON.stringify(self)} "$@"\n`);
  chmodSync(exe, 0o755);
}

/** `self`: the launcher the wrapper runs (dist/prometheus-ha.cjs). */
export function installKustomizePlugin(dirArg: string | undefined, env: Record<string, string | undefined>, self: string): Outcome {
  const home = resolve(dirArg ?? env.KUSTOMIZE_PLUGIN_HOME ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? '.', '.config'), 'kustomize', 'plugin'));
  const dir = join(home, ...PLUGIN_PATH.slice(0, 3));
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, PLUGIN_PATH[3]!);
  writeWrapper(exe, self, 'install-kustomize-plugin');
  return { stdout: `export KUSTOMIZE_PLUGIN_HOME=${home}\n`, stderr: `prometheus-ha: installed ${exe}\nRun: kustomize build --enable-alpha-plugins DIR (with the export line above)\n`, code: 0 };
}

/** The plugin's name: `helm ... --post-renderer prometheus-ha`. */
export const HELM_PLUGIN_NAME = 'prometheus-ha';

/**
 * Where Helm looks for plugins: `$HELM_PLUGINS` (a path list: its first entry), else
 * `plugins` under Helm's data home: `$HELM_DATA_HOME`, else `$XDG_DATA_HOME/helm`, else the
 * platform's default (helm/helm v4.1.4 pkg/cli/environment.go: `envOr("HELM_PLUGINS",
 * helmpath.DataPath("plugins"))`; pkg/helmpath/lazypath.go and lazypath_{unix,darwin,windows}.go).
 */
export function helmPluginsDir(env: Record<string, string | undefined>, platform: string = process.platform): string {
  const first = pluginsList(env)[0];
  if (first) return first;
  if (env.HELM_DATA_HOME) return join(env.HELM_DATA_HOME, 'plugins');
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  const dataHome = env.XDG_DATA_HOME || (platform === 'darwin' ? join(home, 'Library') : platform === 'win32' ? (env.APPDATA ?? home) : join(home, '.local', 'share'));
  return join(dataHome, 'helm', 'plugins');
}

/**
 * A Helm 4 `postrenderer/v1` plugin (helm/helm v4.1.4 internal/plugin: `--post-renderer` names a
 * plugin; each `--post-renderer-args` value is appended to the command's arguments; manifests on
 * stdin, the result on stdout). The command runs the wrapper next to plugin.yaml, with the config
 * file as its one argument: the legacy plugin mode. Helm splits `command` at spaces and expands
 * `$VARS` in it, so the launcher's own path goes into the wrapper, not into plugin.yaml.
 */
export function helmPluginYaml(): string {
  return [
    '# Installed by prometheus-ha install-helm-plugin: a Helm 4 post-renderer plugin.',
    '# helm install|upgrade|template ... --post-renderer prometheus-ha --post-renderer-args CONFIG_FILE',
    'apiVersion: v1',
    'type: postrenderer/v1',
    `name: ${HELM_PLUGIN_NAME}`,
    `version: ${VERSION}`,
    'runtime: subprocess',
    'runtimeConfig:',
    '  platformCommand:',
    `  - command: \${HELM_PLUGIN_DIR}/${HELM_PLUGIN_NAME}`,
    '',
  ].join('\n');
}

/**
 * The plugin's command. Helm 4 keeps a post-renderer plugin's stderr to itself and says only
 * `plugin "prometheus-ha" exited with error` (helm/helm v4.1.4 internal/plugin/runtime_subprocess.go,
 * runPostrenderer: `cmd.Stderr = stderr`, a buffer no one prints): on failure the wrapper also
 * appends the bin's messages to Helm's own stderr when that is a pipe or a terminal
 * (/proc/$PPID/fd/2, Linux), else to the terminal if there is one.
 */
export const helmWrapper = (self: string): string => `#!/bin/sh
# Installed by prometheus-ha install-helm-plugin. Runs the bin as a program: its own first
# lines start Node.js (without NODE_EXTRA_CA_CERTS, see scripts/build.mjs).
# Helm 4 does not show a post-renderer plugin's stderr: on failure, it goes to Helm's stderr too.
err=$(mktemp "\${TMPDIR:-/tmp}/prometheus-ha.XXXXXX") || exit 1
${JSON.stringify(self)} "$@" 2>"$err"
code=$?
if [ "$code" -ne 0 ]; then
  helm_err=/proc/$PPID/fd/2
  # A pipe or a terminal (a file Helm writes at its own offset would be garbled).
  if [ -w "$helm_err" ] && { [ -p "$helm_err" ] || [ -c "$helm_err" ]; }; then cat "$err" >>"$helm_err"
  elif (: >/dev/tty) 2>/dev/null; then cat "$err" >/dev/tty
  fi
fi
cat "$err" >&2
rm -f "$err"
exit "$code"
`;

export const HELM_USAGE = `Usage: prometheus-ha install-helm-plugin [DIR]

Installs the Helm 4 post-renderer plugin prometheus-ha under DIR (default: Helm's plugins folder,
$HELM_PLUGINS, else $HELM_DATA_HOME/plugins, else ~/.local/share/helm/plugins), then:
  helm install|upgrade|template ... --post-renderer prometheus-ha --post-renderer-args CONFIG_FILE
With DIR elsewhere, prints the export HELM_PLUGINS line Helm needs.
`;

/** `$HELM_PLUGINS` as Helm splits it (filepath.SplitList). */
const pluginsList = (env: Record<string, string | undefined>): string[] => (env.HELM_PLUGINS ?? '').split(delimiter).filter((p) => p !== '');

/** `self`: the launcher the plugin runs (dist/prometheus-ha.cjs). */
export function installHelmPlugin(dirArg: string | undefined, env: Record<string, string | undefined>, self: string): Outcome {
  if (dirArg === '--help' || dirArg === '-h') return { stdout: HELM_USAGE, stderr: '', code: 0 };
  if (dirArg?.startsWith('-')) return { stdout: '', stderr: `prometheus-ha install-helm-plugin: unknown option "${dirArg}"\n\n${HELM_USAGE}`, code: 2 };
  const plugins = resolve(dirArg ?? helmPluginsDir(env));
  const dir = join(plugins, HELM_PLUGIN_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'plugin.yaml'), helmPluginYaml());
  const exe = join(dir, HELM_PLUGIN_NAME);
  writeFileSync(exe, helmWrapper(self));
  chmodSync(exe, 0o755);
  // Helm finds it where it looks already; elsewhere HELM_PLUGINS must name the folder too.
  const looked = pluginsList(env);
  const found = looked.length ? looked.some((p) => resolve(p) === plugins) : plugins === resolve(helmPluginsDir(env));
  return {
    stdout: found ? '' : `export HELM_PLUGINS=${[plugins, ...(looked.length ? looked : [helmPluginsDir(env)])].join(delimiter)}\n`,
    stderr: `prometheus-ha: installed the Helm 4 post-renderer plugin ${dir}\nRun: helm template|install|upgrade ... --post-renderer ${HELM_PLUGIN_NAME} --post-renderer-args CONFIG_FILE${found ? '' : ' (with the export line above)'}\n` +
      'Helm 3 runs the bin itself: --post-renderer PATH/TO/prometheus-ha --post-renderer-args CONFIG_FILE (it warns about Helm 4 plugins in its plugins folder)\n',
    code: 0,
  };
}

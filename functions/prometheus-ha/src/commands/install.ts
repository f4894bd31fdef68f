/** Installs the binary as a kustomize legacy exec plugin (kustomize build --enable-alpha-plugins). */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Outcome } from './io.js';

/** kustomize looks for $KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind>. */
export const PLUGIN_PATH = ['fn.prometheus-ha.dev', 'v1alpha1', 'prometheusha', 'PrometheusHA'];

/** `self`: the launcher the wrapper runs (dist/prometheus-ha.cjs). */
export function installKustomizePlugin(dirArg: string | undefined, env: Record<string, string | undefined>, self: string): Outcome {
  const home = resolve(dirArg ?? env.KUSTOMIZE_PLUGIN_HOME ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? '.', '.config'), 'kustomize', 'plugin'));
  const dir = join(home, ...PLUGIN_PATH.slice(0, 3));
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, PLUGIN_PATH[3]!);
  writeFileSync(exe, `#!/bin/sh\n# Installed by prometheus-ha install-kustomize-plugin. Runs the bin as a program: its own first\n# lines start Node.js (without NODE_EXTRA_CA_CERTS, see scripts/build.mjs).\nexec ${JSON.stringify(self)} "$@"\n`);
  chmodSync(exe, 0o755);
  return { stdout: `export KUSTOMIZE_PLUGIN_HOME=${home}\n`, stderr: `prometheus-ha: installed ${exe}\nRun: kustomize build --enable-alpha-plugins DIR (with the export line above)\n`, code: 0 };
}

/** Installs the binary as a kustomize legacy exec plugin (kustomize build --enable-alpha-plugins). */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Outcome } from './run.js';

/** kustomize looks for $KUSTOMIZE_PLUGIN_HOME/<group>/<version>/<lowercase kind>/<Kind>. */
export const PLUGIN_PATH = ['fn.prometheus-ha.dev', 'v1alpha1', 'prometheusha', 'PrometheusHA'];

/**
 * Node.js 20 reads and parses NODE_EXTRA_CA_CERTS at start, TLS or not (nodejs/node#40524), ~80 ms
 * where it names the system bundle; the function makes no network connection. The bin does the
 * same (scripts/build.mjs).
 */
const NO_CA_LOAD = 'unset NODE_EXTRA_CA_CERTS # read by Node.js at start; the function uses no TLS';

/** `self`: the launcher the wrapper runs (dist/prometheus-ha.cjs). */
export function installKustomizePlugin(dirArg: string | undefined, env: Record<string, string | undefined>, self: string): Outcome {
  const home = resolve(dirArg ?? env.KUSTOMIZE_PLUGIN_HOME ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? '.', '.config'), 'kustomize', 'plugin'));
  const dir = join(home, ...PLUGIN_PATH.slice(0, 3));
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, PLUGIN_PATH[3]!);
  writeFileSync(exe, `#!/bin/sh\n# Installed by prometheus-ha install-kustomize-plugin.\n${NO_CA_LOAD}\nexec node ${JSON.stringify(self)} "$@"\n`);
  chmodSync(exe, 0o755);
  return { stdout: `export KUSTOMIZE_PLUGIN_HOME=${home}\n`, stderr: `prometheus-ha: installed ${exe}\nRun: kustomize build --enable-alpha-plugins DIR (with the export line above)\n`, code: 0 };
}

/** Where install-helm-plugin puts the Helm 4 plugin by default: where Helm looks (helm/helm v4.1.4 pkg/helmpath). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { helmPluginsDir, helmPluginYaml, installHelmPlugin } from '../../functions/prometheus-ha/src/commands/install.js';

const CASES: { what: string; env: Record<string, string>; platform?: string; want: string }[] = [
  { what: 'HELM_PLUGINS', env: { HELM_PLUGINS: '/p', HELM_DATA_HOME: '/d', HOME: '/h' }, want: '/p' },
  { what: 'HELM_PLUGINS, a path list: its first entry', env: { HELM_PLUGINS: '/p1:/p2', HOME: '/h' }, want: '/p1' },
  { what: 'HELM_DATA_HOME (no helm/ under it)', env: { HELM_DATA_HOME: '/d', XDG_DATA_HOME: '/x', HOME: '/h' }, want: '/d/plugins' },
  { what: 'XDG_DATA_HOME', env: { XDG_DATA_HOME: '/x', HOME: '/h' }, want: '/x/helm/plugins' },
  { what: 'Linux default', env: { HOME: '/h' }, platform: 'linux', want: '/h/.local/share/helm/plugins' },
  { what: 'macOS default', env: { HOME: '/h' }, platform: 'darwin', want: '/h/Library/helm/plugins' },
  { what: 'an empty HELM_PLUGINS is unset', env: { HELM_PLUGINS: '', HOME: '/h' }, platform: 'linux', want: '/h/.local/share/helm/plugins' },
];
for (const c of CASES) {
  test(`helmPluginsDir: ${c.what}`, () => {
    assert.is(helmPluginsDir(c.env, c.platform ?? 'linux'), c.want);
  });
}

test('the plugin.yaml runs the wrapper next to it, by HELM_PLUGIN_DIR (Helm splits command at spaces)', () => {
  const y = helmPluginYaml();
  assert.match(y, /^apiVersion: v1\ntype: postrenderer\/v1\nname: prometheus-ha\n/m);
  assert.match(y, /\n {2}- command: \$\{HELM_PLUGIN_DIR\}\/prometheus-ha\n/);
});

test('install-helm-plugin --help says how, and an option is not taken for a DIR', () => {
  const help = installHelmPlugin('--help', {}, '/bin/prometheus-ha');
  assert.is(help.code, 0);
  assert.match(help.stdout, /^Usage: prometheus-ha install-helm-plugin \[DIR\]/);
  const bad = installHelmPlugin('--dir', {}, '/bin/prometheus-ha');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /unknown option "--dir"/);
  assert.not.ok(existsSync('--dir') || existsSync('--help'), 'nothing installed');
});

test.run();

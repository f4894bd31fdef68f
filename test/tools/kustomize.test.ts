/**
 * prometheus-ha through the real kustomize (standalone, /usr/bin/kustomize) and kubectl kustomize:
 * the legacy exec plugin (kustomize/plugin/) and the KRM exec function (kustomize/exec/).
 * Needs `npm run build` (npm test runs it first).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, docs, find, ROOT } from '../lib/helpers.js';
import { assertHighlyAvailable, assertNoInternalAnnotations, assertUnrelatedUnchanged, sh, show, tmp, toolTests, TOOLS } from '../lib/modes.js';

const T: { kustomize?: string; kubectl?: string } = TOOLS;
const BASE = docs(readFileSync(join(ROOT, 'kustomize/plugin/base/prometheus.yaml'), 'utf8'));
const PATH_WITH_NODE = `${dirname(process.execPath)}:${process.env.PATH}`;

/** A plugin home in a temp dir, installed by the built binary itself. */
let pluginHome: string | undefined;
function installPlugin(): string {
  if (pluginHome) return pluginHome;
  const home = join(tmp('plugin-home'), 'plugins');
  const r = sh(process.execPath, [BIN, 'install-kustomize-plugin', home]);
  assert.is(r.code, 0, show(r));
  assert.is(r.stdout, `export KUSTOMIZE_PLUGIN_HOME=${home}\n`);
  pluginHome = home;
  return home;
}
const pluginEnv = () => ({ KUSTOMIZE_PLUGIN_HOME: installPlugin(), PATH: PATH_WITH_NODE });

/** A copy of the plugin base and overlay in a temp dir, with the overlay's config replaced. */
function overlayWithConfig(which: 'plugin' | 'exec', config: string): string {
  const root = tmp(`${which}-bad`);
  cpSync(join(ROOT, 'kustomize/plugin/base'), join(root, 'base'), { recursive: true });
  mkdirSync(join(root, 'overlay'));
  writeFileSync(join(root, 'overlay/kustomization.yaml'), 'resources:\n- ../base\ntransformers:\n- prometheus-ha.yaml\n');
  writeFileSync(join(root, 'overlay/prometheus-ha.yaml'), config);
  return join(root, 'overlay');
}

const EXEC_ANNOTATION = `  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ${join(ROOT, 'kustomize/exec/prometheus-ha.sh')}\n`;
const badConfigs = (which: 'plugin' | 'exec') => {
  const head = `apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: bad\n${which === 'exec' ? EXEC_ANNOTATION : ''}`;
  return [
    { what: 'replicas: 1', config: `${head}replicas: 1\n`, message: /replicas: must be >= 2/ },
    { what: 'an unknown field', config: `${head}replicas: 2\nreplicaz: 3\n`, message: /unknown field "replicaz"/ },
  ];
};

// Needs no tool: the wrapper the install command writes must run the built bundle.
test('install-kustomize-plugin writes an executable wrapper that runs the built bundle (dist/prometheus-ha.cjs)', () => {
  const home = installPlugin();
  const exe = join(home, 'fn.prometheus-ha.dev/v1alpha1/prometheusha/PrometheusHA');
  assert.ok(existsSync(exe), exe);
  const text = readFileSync(exe, 'utf8');
  assert.ok(text.startsWith('#!/bin/sh\n'), text);
  assert.ok(text.includes(`\nexec ${JSON.stringify(BIN)} "$@"`), `the wrapper runs ${BIN} as a program (its shell line starts Node.js):\n${text}`);
  // And it works as kustomize calls it: config path in argv[1], YAML documents on stdin.
  const r = sh('sh', ['-c', `"${exe}" "${join(ROOT, 'kustomize/plugin/overlay/prometheus-ha.yaml')}" < "${join(ROOT, 'kustomize/plugin/base/prometheus.yaml')}"`], { env: { PATH: PATH_WITH_NODE } });
  assert.is(r.code, 0, show(r));
  assertHighlyAvailable(docs(r.stdout), { replicas: 2, externalLabels: { cluster: 'eu1' } });
});

test('kustomize/plugin/base/prometheus.yaml is the seed (kustomize/seed/prometheus.yaml)', () => {
  assert.is(readFileSync(join(ROOT, 'kustomize/plugin/base/prometheus.yaml'), 'utf8'), readFileSync(join(ROOT, 'kustomize/seed/prometheus.yaml'), 'utf8'));
});

// ---- standalone kustomize
const kz = toolTests('kustomize', T.kustomize, test);

kz.add('kustomize build --enable-alpha-plugins: legacy exec plugin over the base (kustomize/plugin/overlay)', () => {
  const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', 'kustomize/plugin/overlay'], { env: pluginEnv() });
  assert.is(r.code, 0, show(r));
  const out = docs(r.stdout);
  assertHighlyAvailable(out, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(out, BASE);
  assertNoInternalAnnotations(out);
});

kz.add('kustomize legacy plugin: a bad config fails kustomize with the function message', () => {
  for (const bad of badConfigs('plugin')) {
    const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', overlayWithConfig('plugin', bad.config)], { env: pluginEnv() });
    assert.ok(r.code !== 0, `${bad.what}: kustomize must fail\n${show(r)}`);
    assert.match(r.stderr, bad.message, `${bad.what}\n${show(r)}`);
    assert.match(r.stderr, /prometheus-ha: error \[CONFIG_INVALID\]/);
    assert.is(r.stdout, '', 'no output on error');
  }
});

kz.add('kustomize build --enable-alpha-plugins --enable-exec: KRM exec function (kustomize/exec/overlay), from any cwd', () => {
  for (const cwd of [ROOT, tmp('cwd')]) {
    const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', '--enable-exec', join(ROOT, 'kustomize/exec/overlay')], { cwd, env: { PATH: PATH_WITH_NODE } });
    assert.is(r.code, 0, show(r));
    const out = docs(r.stdout);
    assertHighlyAvailable(out, { replicas: 3, externalLabels: { cluster: 'eu1' } });
    assertUnrelatedUnchanged(out, BASE);
    assertNoInternalAnnotations(out);
  }
});

const HAS_GIT = sh('git', ['--version']).code === 0;
if (!HAS_GIT) console.log('\n!!! git not found: 1 kustomize remote-base test not run\n');
if (HAS_GIT) kz.add('kustomize exec function in an overlay over a remote (git) base', () => {
  const root = tmp('remote');
  const repo = join(root, 'repo');
  cpSync(join(ROOT, 'kustomize/plugin/base'), join(repo, 'base'), { recursive: true });
  const git = (args: string[]) => {
    const r = sh('git', ['-c', 'user.email=test@example.invalid', '-c', 'user.name=test', '-c', 'init.defaultBranch=main', ...args], { cwd: repo });
    assert.is(r.code, 0, show(r));
  };
  git(['init', '-q']);
  git(['add', '.']);
  git(['commit', '-qm', 'base']);
  git(['tag', 'v1']);
  const overlay = join(root, 'overlay');
  mkdirSync(overlay);
  writeFileSync(join(overlay, 'kustomization.yaml'), `resources:\n- file://${repo}//base?ref=v1\ntransformers:\n- prometheus-ha.yaml\n`);
  writeFileSync(join(overlay, 'prometheus-ha.yaml'), `apiVersion: fn.prometheus-ha.dev/v1alpha1\nkind: PrometheusHA\nmetadata:\n  name: ha\n${EXEC_ANNOTATION}replicas: 4\nexternalLabels:\n  region: west\n`);
  const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', '--enable-exec', overlay], { env: { PATH: PATH_WITH_NODE } });
  assert.is(r.code, 0, show(r));
  const out = docs(r.stdout);
  assertHighlyAvailable(out, { replicas: 4, externalLabels: { region: 'west' } });
  assertUnrelatedUnchanged(out, BASE);
});

kz.add('kustomize exec function: a bad config fails kustomize with the function message', () => {
  for (const bad of badConfigs('exec')) {
    const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', '--enable-exec', overlayWithConfig('exec', bad.config)], { env: { PATH: PATH_WITH_NODE } });
    assert.ok(r.code !== 0, `${bad.what}: kustomize must fail\n${show(r)}`);
    assert.match(r.stderr, bad.message, `${bad.what}\n${show(r)}`);
    assert.is(r.stdout, '', 'no output on error');
  }
});

kz.add('kustomize without --enable-exec skips the exec function silently; without --enable-alpha-plugins it refuses', () => {
  // Documented in functions/prometheus-ha/README.md: a missing --enable-exec gives the base unchanged, exit 0.
  const skipped = sh(T.kustomize!, ['build', '--enable-alpha-plugins', 'kustomize/exec/overlay'], { env: { PATH: PATH_WITH_NODE } });
  assert.is(skipped.code, 0, show(skipped));
  const out = docs(skipped.stdout);
  assert.is(find(out, 'Prometheus')[0]?.spec.replicas, 1, 'the Prometheus is left as the base has it');
  assert.is(find(out, 'Deployment').length, 0, 'no Query Deployment');
  const refused = sh(T.kustomize!, ['build', 'kustomize/exec/overlay'], { env: { PATH: PATH_WITH_NODE } });
  assert.ok(refused.code !== 0, show(refused));
  assert.match(refused.stderr, /external plugins disabled/, show(refused));
});
kz.done();

// ---- kubectl kustomize (kustomize built into kubectl)
const kc = toolTests('kubectl', T.kubectl, test);

kc.add('kubectl kustomize --enable-alpha-plugins: legacy exec plugin (kustomize/plugin/overlay)', () => {
  const r = sh(T.kubectl!, ['kustomize', '--enable-alpha-plugins', 'kustomize/plugin/overlay'], { env: pluginEnv() });
  assert.is(r.code, 0, show(r));
  const out = docs(r.stdout);
  assertHighlyAvailable(out, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(out, BASE);
  assertNoInternalAnnotations(out);
});

kc.add('kubectl kustomize legacy plugin: a bad config fails kubectl with the function message', () => {
  for (const bad of badConfigs('plugin')) {
    const r = sh(T.kubectl!, ['kustomize', '--enable-alpha-plugins', overlayWithConfig('plugin', bad.config)], { env: pluginEnv() });
    assert.ok(r.code !== 0, `${bad.what}: kubectl must fail\n${show(r)}`);
    assert.match(r.stderr, bad.message, `${bad.what}\n${show(r)}`);
  }
});

kc.add('kubectl kustomize silently skips exec functions (kubernetes/kubectl#1498), as the README says', () => {
  const r = sh(T.kubectl!, ['kustomize', '--enable-alpha-plugins', 'kustomize/exec/overlay'], { env: { PATH: PATH_WITH_NODE } });
  assert.is(r.code, 0, show(r));
  const out = docs(r.stdout);
  // If this fails, kubectl now runs exec functions: update functions/prometheus-ha/README.md.
  assert.is(find(out, 'Prometheus')[0]?.spec.replicas, 1, 'the Prometheus is left as the base has it');
  assert.is(find(out, 'Deployment').length, 0, 'no Query Deployment');
});
kc.done();

test.run();

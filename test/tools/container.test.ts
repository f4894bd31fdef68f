/**
 * The container image and the catalog files. Docker cannot run here, so the image is not built:
 * the Dockerfile is checked statically, the built dist/ is run alone the way the image runs it, and
 * the container examples are run by the real kpt/kustomize/kubectl against a stand-in `docker` that
 * checks the image name and runs that lone copy.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { BIN, docs, find, resourceList, ROOT, SEED_ITEMS } from '../lib/helpers.js';
import { assertHighlyAvailable, assertUnrelatedUnchanged, copyDist, copyToTmp, DIST_FILES, sh, show, snapshot, tmp, toolTests, TOOLS } from '../lib/modes.js';

const T: { kpt?: string; kustomize?: string; kubectl?: string } = TOOLS;
const FN = 'functions/prometheus-ha';
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const META = parse(readFileSync(join(ROOT, FN, 'metadata.yaml'), 'utf8'));
const IMAGE = `${META.image}:v${VERSION}`;
const BASE = docs(readFileSync(join(ROOT, 'kustomize/plugin/base/prometheus.yaml'), 'utf8'));
const DOCKERFILE = readFileSync(join(ROOT, FN, 'Dockerfile'), 'utf8');

/** The image's file system, as far as the function sees it: dist/ alone, no node_modules. */
let lone: string | undefined;
function loneBundle(): string {
  lone ??= join(copyDist('image'), 'prometheus-ha.cjs');
  return lone;
}

/** A `docker` that runs the lone bundle for IMAGE and logs its arguments. */
function fakeDocker(): { env: Record<string, string>; log: () => string[] } {
  const dir = tmp('docker');
  const logFile = join(dir, 'log');
  writeFileSync(logFile, '');
  writeFileSync(
    join(dir, 'docker'),
    `#!/bin/sh
printf '%s\\n' "$*" >> '${logFile}'
case "$1" in
  version) echo 24.0.7 ;;
  run) for a; do last=$a; done
       [ "$last" = '${IMAGE}' ] || { echo "stand-in docker: no image $last" >&2; exit 125; }
       exec '${process.execPath}' '${loneBundle()}' ;;
  *) exit 0 ;;
esac
`,
  );
  chmodSync(join(dir, 'docker'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, log: () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean) };
}

const assertRan = (log: string[]) => {
  const runs = log.filter((l) => l.startsWith('run '));
  assert.is(runs.length, 1, `docker run once: ${log.join('\n')}`);
  assert.ok(runs[0]!.endsWith(` ${IMAGE}`), runs[0]);
  assert.match(runs[0]!, /--network none/, 'run without network');
};

test('Dockerfile: multi-stage node:20-alpine build (npm ci, npm run build), non-root, the bundle as entrypoint', () => {
  const from = [...DOCKERFILE.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.equal(from, ['node:20-alpine', 'node:20-alpine']);
  assert.match(DOCKERFILE, /^RUN npm ci\b/m);
  assert.match(DOCKERFILE, /^RUN npm run build$/m);
  const user = /^USER\s+(\S+)/m.exec(DOCKERFILE)?.[1];
  assert.ok(user && !['root', '0'].includes(user), `non-root USER, found ${user}`);
  const copied = /^COPY --from=build \/src\/dist\/ (\S+)\/$/m.exec(DOCKERFILE)?.[1];
  assert.ok(copied, 'the final stage copies dist/ (launcher, bundle, code cache)');
  assert.equal(readdirSync(dirname(BIN)).sort(), [...DIST_FILES].sort(), 'dist/ holds exactly what the image needs');
  assert.match(DOCKERFILE, new RegExp(`^ENTRYPOINT \\["node", "${copied}/prometheus-ha\\.cjs"\\]$`, 'm'));
  // Every build-context path it copies exists (the context is the repository root).
  for (const m of DOCKERFILE.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const src of m[1]!.split(/\s+/)) assert.ok(existsSync(join(ROOT, src)), `COPY ${src}`);
  assert.ok(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build, 'npm run build exists');
});

test('dist/ alone (as in the image: no node_modules, another directory) runs the function, with its code cache', () => {
  const config = readFileSync(join(ROOT, FN, 'examples/container/kpt/prometheus-ha-config.yaml'), 'utf8');
  const r = sh(process.execPath, [loneBundle()], { cwd: dirname(loneBundle()), env: { NODE_PATH: '' } });
  assert.is(r.code, 1, 'no input is an error');
  const file = join(tmp('rl'), 'in.yaml');
  writeFileSync(file, resourceList(SEED_ITEMS, config));
  const out = sh('sh', ['-c', `"${process.execPath}" "${loneBundle()}" < "${file}"`], { cwd: dirname(loneBundle()), env: { PROMETHEUS_HA_CODE_CACHE: 'report' } });
  assert.is(out.code, 0, show(out));
  assert.match(out.stderr, /code cache of \S+ used/, 'the copied code cache is valid in another directory');
  assert.not.match(out.stderr, /code cache of \S+ (?!used)/, 'every bundle loaded used its code cache');
  const items = parse(out.stdout).items;
  assertHighlyAvailable(items, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(items, BASE);
});

test('metadata.yaml: kpt catalog fields; image, example URLs and license agree with the repository', () => {
  for (const k of ['image', 'description', 'tags', 'sourceURL', 'examplePackageURLs', 'emailAddress', 'license', 'hidden']) assert.ok(k in META, `metadata.yaml has ${k}`);
  assert.is(META.license, 'Apache-2.0');
  assert.is(META.license, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license);
  assert.is(META.hidden, false);
  assert.ok(META.tags.includes('mutator'));
  assert.not.match(META.image, /:/, 'catalog image without tag');
  for (const url of [META.sourceURL, ...META.examplePackageURLs] as string[]) {
    const path = /\/tree\/main\/(.+)$/.exec(url)?.[1];
    assert.ok(path && existsSync(join(ROOT, path)), `${url} names a directory of this repository`);
  }
  for (const url of META.examplePackageURLs as string[]) assert.ok(existsSync(join(ROOT, /\/tree\/main\/(.+)$/.exec(url)![1]!, 'Kptfile')), `${url} is a kpt package`);
});

test('container examples name the image of metadata.yaml at the package version', () => {
  const kptfile = parse(readFileSync(join(ROOT, FN, 'examples/container/kpt/Kptfile'), 'utf8'));
  assert.is(kptfile.pipeline.mutators[0].image, IMAGE);
  const cfg = parse(readFileSync(join(ROOT, FN, 'examples/container/kustomize/prometheus-ha.yaml'), 'utf8'));
  assert.is(parse(cfg.metadata.annotations['config.kubernetes.io/function']).container.image, IMAGE);
  for (const f of ['examples/container/README.md', 'examples/container/kpt/Kptfile', 'examples/container/kustomize/kustomization.yaml']) {
    assert.match(readFileSync(join(ROOT, FN, f), 'utf8'), /NEEDS THE IMAGE|Needs the image/, `${f} says the image must be built first`);
  }
});

test('README: every relative link resolves; the reference is the generated one; each mode is documented', () => {
  const readme = readFileSync(join(ROOT, FN, 'README.md'), 'utf8');
  for (const m of readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
    const target = m[1]!;
    if (/^https?:/.test(target)) continue;
    assert.ok(existsSync(resolve(ROOT, FN, target)), `link ${target}`);
  }
  assert.match(readme, /\]\(docs\/config-reference\.md\)/);
  assert.match(readFileSync(join(ROOT, FN, 'docs/config-reference.md'), 'utf8'), /^<!-- DO NOT EDIT: generated/);
  for (const cmd of ['kpt fn render', 'kpt fn eval', '--exec prometheus-ha', 'kustomize build --enable-alpha-plugins', '--enable-exec', 'kubectl kustomize', 'install-kustomize-plugin', 'docker build', 'kubernetes/kubectl#1498']) {
    assert.ok(readme.includes(cmd), `README mentions ${cmd}`);
  }
  for (const h of ['## Overview', '## Usage', '### FunctionConfig', '## Examples']) assert.ok(readme.includes(h), h);
});

// ---- the container examples through the real tools, with the stand-in docker
const kz = toolTests('kustomize', T.kustomize, test, 'kustomize container-example');
kz.add('kustomize build --enable-alpha-plugins runs examples/container/kustomize with its image', () => {
  const d = fakeDocker();
  const r = sh(T.kustomize!, ['build', '--enable-alpha-plugins', `${FN}/examples/container/kustomize`], { env: d.env });
  assert.is(r.code, 0, show(r));
  const out = docs(r.stdout);
  assertHighlyAvailable(out, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(out, BASE);
  assertRan(d.log());
});
kz.done();

const kc = toolTests('kubectl', T.kubectl, test, 'kubectl container-example');
kc.add('kubectl kustomize --enable-alpha-plugins runs container functions (unlike exec ones)', () => {
  const d = fakeDocker();
  const r = sh(T.kubectl!, ['kustomize', '--enable-alpha-plugins', `${FN}/examples/container/kustomize`], { env: d.env });
  assert.is(r.code, 0, show(r));
  assertHighlyAvailable(docs(r.stdout), { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertRan(d.log());
});
kc.done();

const kp = toolTests('kpt', T.kpt, test, 'kpt container-example');
kp.add('kpt fn render runs examples/container/kpt with its image (no --allow-exec)', () => {
  const d = fakeDocker();
  const dir = copyToTmp(`${FN}/examples/container/kpt`, 'container-kpt');
  const r = sh(T.kpt!, ['fn', 'render', dir], { env: d.env });
  assert.is(r.code, 0, show(r));
  const files = snapshot(dir);
  const all = Object.entries(files).filter(([p]) => p.endsWith('.yaml')).flatMap(([, t]) => docs(t));
  assertHighlyAvailable(all, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assert.is(find(docs(files['prometheus-ha.yaml'] ?? ''), 'Deployment', 'thanos-query').length, 1, 'injected objects in prometheus-ha.yaml');
  assertRan(d.log());
});
kp.add('kpt fn eval --image with a bad argument fails with the message', () => {
  const d = fakeDocker();
  const dir = copyToTmp(`${FN}/examples/container/kpt`, 'container-eval');
  const before = snapshot(dir);
  const r = sh(T.kpt!, ['fn', 'eval', dir, '--image', IMAGE, '--', 'replicas=1'], { env: d.env });
  assert.ok(r.code !== 0, show(r));
  assert.match(r.stderr + r.stdout, /replicas: must be >= 2/);
  assert.equal(snapshot(dir), before);
  assertRan(d.log());
});
kp.done();

test.run();

/**
 * The container image, for real: `podman build` of functions/prometheus-ha/Dockerfile on the local
 * Node.js base (.ci/install-podman.sh makes it; no registry image can be pulled here), the image run
 * hardened against the bin on the seed and every golden case, kpt `image:` (KPT_FN_RUNTIME=podman)
 * and the literal `kustomize build --enable-alpha-plugins` through podman's Docker-compatible
 * socket. Also the kpt catalog's conventions: metadata.yaml as the catalog's checker reads it, and
 * each example package's `.expected/diff.patch` compared the way kpt's e2e runner compares it.
 *
 * Without podman these tests say so loudly and are not run (nor counted).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { BIN, docs, find, goldenCases, resourceList, ROOT, SEED_ITEMS, withConfig } from '../lib/helpers.js';
import { assertHighlyAvailable, assertUnrelatedUnchanged, copyDist, copyToTmp, DIST_FILES, sh, show, snapshot, tmp, toolTests, TOOLS, type Run } from '../lib/modes.js';

const T: { kpt?: string; kustomize?: string; kubectl?: string } = TOOLS;
const which = (cmd: string) => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
const PODMAN = which('podman');
const DOCKER = which('docker');
const FN = 'functions/prometheus-ha';
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const META = parse(readFileSync(join(ROOT, FN, 'metadata.yaml'), 'utf8'));
const IMAGE = `${META.image}:v${VERSION}`;
/** The Node.js base the tests build on (.ci/install-podman.sh); NODE_BASE_IMAGE overrides it. */
const NODE_BASE = process.env.NODE_BASE_IMAGE ?? 'localhost/node-base:20';
const BASE = docs(readFileSync(join(ROOT, 'kustomize/plugin/base/prometheus.yaml'), 'utf8'));
const DOCKERFILE = readFileSync(join(ROOT, FN, 'Dockerfile'), 'utf8');
const IGNORE = join(FN, 'Dockerfile.dockerignore');
/** What the issue allows the image to add to its Node.js base. */
const MAX_ADDED_BYTES = 15 * 1024 * 1024;
/** How kpt runs an image here: with podman (https://kpt.dev/reference/cli/fn/render/: KPT_FN_RUNTIME), never pulling. */
const KPT_ENV = { KPT_FN_RUNTIME: 'podman' };
/** The hardened run of the issue: no network, read-only root, nobody, no capabilities, no setuid gains. */
const HARDENED = ['run', '--rm', '-i', '--read-only', '--network', 'none', '--user', '65534', '--cap-drop=ALL', '--security-opt', 'no-new-privileges'];

/** Like sh, with a longer limit (an image build on a fresh machine runs npm ci). */
function long(cmd: string, args: string[], input?: string, timeout = 600_000): Run {
  const r = spawnSync(cmd, args, { cwd: ROOT, input, encoding: 'utf8', timeout, maxBuffer: 1 << 28 });
  if (r.error) return { code: -1, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}\n${r.error.message}` };
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const podman = (args: string[], input?: string) => long(PODMAN!, args, input);

// ---- static checks (no tools)

test('Dockerfile: ARG NODE_IMAGE before the first FROM, used by every FROM; npm ci with .npmrc, npm run build, non-root, the bundle as entrypoint', () => {
  const firstFrom = DOCKERFILE.search(/^FROM /m);
  assert.match(DOCKERFILE.slice(0, firstFrom), /^ARG NODE_IMAGE=node:20-alpine$/m, 'ARG NODE_IMAGE=node:20-alpine before the first FROM');
  const from = [...DOCKERFILE.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.equal(from, ['${NODE_IMAGE}', '${NODE_IMAGE}']);
  assert.match(DOCKERFILE, /^COPY package\.json package-lock\.json \.npmrc \.\/$/m, 'npm ci needs .npmrc (legacy-peer-deps)');
  assert.match(DOCKERFILE, /^RUN npm ci\b/m);
  assert.match(DOCKERFILE, /^RUN npm run build$/m);
  const user = /^USER\s+(\S+)/m.exec(DOCKERFILE)?.[1];
  assert.ok(user && !['root', '0'].includes(user), `non-root USER, found ${user}`);
  const copied = /^COPY --from=build \/src\/dist\/ (\S+)\/$/m.exec(DOCKERFILE)?.[1];
  assert.ok(copied, 'the final stage copies dist/ (launcher, bundle, code cache)');
  assert.equal(readdirSync(dirname(BIN)).sort(), [...DIST_FILES].sort(), 'dist/ holds exactly what the image needs');
  assert.match(DOCKERFILE, new RegExp(`^ENTRYPOINT \\["node", "${copied}/prometheus-ha\\.cjs"\\]$`, 'm'));
  // Every build-context path it copies exists and is let in by the ignore file (the context is the
  // repository root); the real build below proves the same with podman.
  const ignore = readFileSync(join(ROOT, IGNORE), 'utf8');
  assert.match(ignore, /^\*\*$/m, 'the ignore file starts from nothing');
  for (const m of DOCKERFILE.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
    for (const src of m[1]!.split(/\s+/)) {
      assert.ok(existsSync(join(ROOT, src)), `COPY ${src}`);
      const top = src.split('/')[0]!;
      assert.ok(ignore.includes(`\n!${src}\n`) || ignore.includes(`\n!${src}/\n`) || ignore.includes(`\n!${top}/\n`), `${IGNORE} lets ${src} in`);
    }
  }
});

test('dist/ alone (as in the image: no node_modules, another directory) runs the function, with its code cache', () => {
  const lone = join(copyDist('image'), 'prometheus-ha.cjs');
  const config = readFileSync(join(ROOT, FN, 'examples/container/kpt/prometheus-ha-config.yaml'), 'utf8');
  const r = sh(process.execPath, [lone], { cwd: dirname(lone), env: { NODE_PATH: '' } });
  assert.is(r.code, 1, 'no input is an error');
  const file = join(tmp('rl'), 'in.yaml');
  writeFileSync(file, resourceList(SEED_ITEMS, config));
  const out = sh('sh', ['-c', `"${process.execPath}" "${lone}" < "${file}"`], { cwd: dirname(lone), env: { PROMETHEUS_HA_CODE_CACHE: 'report' } });
  assert.is(out.code, 0, show(out));
  assert.match(out.stderr, /code cache of \S+ used/, 'the copied code cache is valid in another directory');
  assert.not.match(out.stderr, /code cache of \S+ (?!used)/, 'every bundle loaded used its code cache');
  const items = parse(out.stdout).items;
  assertHighlyAvailable(items, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(items, BASE);
});

/** The example packages metadata.yaml lists, as repository paths. */
const EXAMPLES: string[] = (META.examplePackageURLs as string[]).map((url) => /\/tree\/main\/(.+)$/.exec(url)?.[1] ?? url);

// The rules of the kpt catalog's checker (kpt-functions-catalog scripts/verify-docs.py,
// validate_metadata and validate_example_md) that apply outside the catalog repository: its image
// prefix (gcr.io/kpt-fn/), sourceURL and examples/<fn>-<name> layout are the catalog's own.
test("metadata.yaml: the kpt catalog checker's required fields (emails a list), tags, examples; they agree with the repository", () => {
  for (const k of ['image', 'description', 'tags', 'sourceURL', 'examplePackageURLs', 'emails', 'license']) assert.ok(k in META, `metadata.yaml has ${k}`);
  assert.ok(Array.isArray(META.emails) && META.emails.length > 0 && META.emails.every((e: unknown) => typeof e === 'string' && /^[^\s@]+@[^\s@]+$/.test(e)), 'emails: a list of addresses');
  assert.not.ok('emailAddress' in META, 'the catalog reads emails, not emailAddress');
  assert.ok(Array.isArray(META.tags) && META.tags.length > 0, 'at least one tag');
  assert.ok(META.tags.includes('mutator'));
  assert.is(META.license, 'Apache-2.0');
  assert.is(META.license, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).license);
  assert.not.match(META.image, /:/, 'catalog image without tag (the catalog appends the release)');
  assert.ok(EXAMPLES.length > 0, 'at least one example');
  for (const url of [META.sourceURL, ...META.examplePackageURLs] as string[]) {
    const path = /\/tree\/main\/(.+)$/.exec(url)?.[1];
    assert.ok(path && existsSync(join(ROOT, path)), `${url} names a directory of this repository`);
  }
  assert.is(/\/tree\/main\/(.+)$/.exec(META.sourceURL)?.[1], FN);
  for (const ex of EXAMPLES) {
    assert.ok(existsSync(join(ROOT, ex, 'Kptfile')), `${ex} is a kpt package`);
    // The checker: the README's first line is "# <fn-name>: Example Name".
    const title = readFileSync(join(ROOT, ex, 'README.md'), 'utf8').split('\n')[0]!;
    assert.match(title, /^# prometheus-ha: \S/, `${ex}/README.md title`);
    // The checker: every image a Kptfile runs is the function's image at the current tag.
    const pipeline = parse(readFileSync(join(ROOT, ex, 'Kptfile'), 'utf8')).pipeline ?? {};
    for (const f of [...(pipeline.mutators ?? []), ...(pipeline.validators ?? [])]) if (f.image) assert.is(f.image, IMAGE, `${ex}/Kptfile image`);
    // kpt's e2e runner: .expected/config.yaml and diff.patch; .krmignore keeps .expected out of the package.
    const cfg = parse(readFileSync(join(ROOT, ex, '.expected/config.yaml'), 'utf8'));
    assert.is(cfg.testType, 'render', `${ex}: a render test`);
    assert.ok(existsSync(join(ROOT, ex, '.expected/diff.patch')), `${ex}/.expected/diff.patch`);
    assert.match(readFileSync(join(ROOT, ex, '.krmignore'), 'utf8'), /^\.expected$/m, `${ex}/.krmignore`);
  }
});

test('container examples name the image of metadata.yaml at the package version', () => {
  const kptfile = parse(readFileSync(join(ROOT, FN, 'examples/container/kpt/Kptfile'), 'utf8'));
  assert.is(kptfile.pipeline.mutators[0].image, IMAGE);
  const cfg = parse(readFileSync(join(ROOT, FN, 'examples/container/kustomize/prometheus-ha.yaml'), 'utf8'));
  assert.is(parse(cfg.metadata.annotations['config.kubernetes.io/function']).container.image, IMAGE);
  assert.ok(EXAMPLES.includes(`${FN}/examples/container/kpt`), 'metadata.yaml lists the container kpt example');
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
  for (const cmd of ['kpt fn render', 'kpt fn eval', '--exec prometheus-ha', 'kustomize build --enable-alpha-plugins', '--enable-exec', 'kubectl kustomize', 'install-kustomize-plugin', 'docker build', 'podman build', '--build-arg NODE_IMAGE', 'kubernetes/kubectl#1498']) {
    assert.ok(readme.includes(cmd), `README mentions ${cmd}`);
  }
  for (const h of ['## Overview', '## Usage', '### FunctionConfig', '## Examples']) assert.ok(readme.includes(h), h);
});

// ---- .expected/diff.patch, as kpt's e2e runner (kptdev/kpt pkg/test/runner) compares it: the
// package copied into a git repository, rendered, `git add --all`, committed, and the `git diff`
// of the two commits (GIT_DIFF_OPTS empty, trimmed) equal to diff.patch; rendered twice, the second
// render changes nothing more. KPT_E2E_UPDATE_EXPECTED=true rewrites diff.patch, as there.

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_DIFF_OPTS: '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
function assertRendersToExpected(example: string, render: (dir: string) => Run): void {
  const dir = copyToTmp(example, 'expected');
  git(dir, 'init', '-q');
  git(dir, 'add', '--all');
  git(dir, '-c', 'user.name=none', '-c', 'user.email=none', 'commit', '-q', '-m', 'first');
  const first = git(dir, 'rev-parse', 'HEAD').trim();
  for (const round of [1, 2]) {
    const r = render(dir);
    assert.is(r.code, 0, `render ${round} of ${example}\n${show(r)}`);
    git(dir, 'add', '--all');
    git(dir, '-c', 'user.name=none', '-c', 'user.email=none', 'commit', '-q', '--allow-empty', '-m', `render ${round}`);
    const diff = git(dir, 'diff', first, 'HEAD').trim();
    const file = join(ROOT, example, '.expected/diff.patch');
    if (process.env.KPT_E2E_UPDATE_EXPECTED === 'true') writeFileSync(file, `${diff}\n`);
    assert.ok(diff.length > 0, `render ${round} of ${example} changed nothing`);
    assert.fixture(diff, readFileSync(file, 'utf8').trim(), `${example}: render ${round} against .expected/diff.patch`);
  }
}

const kx = toolTests('kpt', T.kpt, test, 'kpt example (.expected)');
kx.add('kpt fn render --allow-exec of examples/kpt-render equals its .expected/diff.patch, twice', () => {
  const bin = join(tmp('bin'), 'prometheus-ha');
  writeFileSync(bin, `#!/bin/sh\nexec "${BIN}" "$@"\n`, { mode: 0o755 });
  const env = { PATH: `${dirname(bin)}:${dirname(process.execPath)}:${process.env.PATH}` };
  assertRendersToExpected(`${FN}/examples/kpt-render`, (dir) => sh(T.kpt!, ['fn', 'render', dir, '--allow-exec', '--truncate-output=false'], { env }));
});
kx.done();

// ---- the image, for real, with podman

/** Tests that need all of some tools: run when all are present, else announced loudly and not run. */
function needs(tools: Record<string, string | undefined>, what: string) {
  const missing = Object.entries(tools).filter(([, v]) => !v).map(([k]) => k);
  return toolTests(missing.join(' and ') || Object.keys(tools).join('+'), missing.length ? undefined : 'present', test, what);
}

const pm = needs({ podman: PODMAN }, 'container');

pm.add(`podman build of the Dockerfile on ${NODE_BASE}: non-root, at most 15 MB over the base, tagged ${IMAGE}`, () => {
  const base = podman(['image', 'exists', NODE_BASE]);
  assert.is(base.code, 0, `no base image ${NODE_BASE}: make it with bash .ci/install-podman.sh\n${show(base)}`);
  // --pull=never: nothing may come from a registry (the base is local); the layer cache makes a
  // rebuild of unchanged sources take seconds. --ignorefile: podman 4.3 does not read
  // <Dockerfile>.dockerignore by itself as BuildKit does.
  const r = podman(['build', '--pull=never', '-f', `${FN}/Dockerfile`, '--ignorefile', IGNORE, '--build-arg', `NODE_IMAGE=${NODE_BASE}`, '-t', IMAGE, '.']);
  assert.is(r.code, 0, show(r));
  const inspect = (image: string) => JSON.parse(podman(['image', 'inspect', image]).stdout)[0];
  const img = inspect(IMAGE);
  const added = img.Size - inspect(NODE_BASE).Size;
  console.log(`  image ${IMAGE}: ${(img.Size / 1e6).toFixed(1)} MB, ${(added / 1e6).toFixed(2)} MB over ${NODE_BASE}`);
  assert.ok(added > 0 && added <= MAX_ADDED_BYTES, `the image adds ${added} bytes to its base (at most ${MAX_ADDED_BYTES})`);
  assert.ok(img.Config.User && !['root', '0'].includes(img.Config.User), `non-root USER, found ${img.Config.User}`);
  assert.equal(img.Config.Entrypoint, ['node', '/usr/local/lib/prometheus-ha/prometheus-ha.cjs']);
  const ls = podman(['run', '--rm', '--network', 'none', '--entrypoint', 'ls', IMAGE, '/usr/local/lib/prometheus-ha']);
  assert.is(ls.code, 0, show(ls));
  assert.equal(ls.stdout.split('\n').filter(Boolean).sort(), [...DIST_FILES].sort(), 'the image holds dist/ and nothing else of the project');
});

/** The hardened run next to the bin: same stdout byte for byte, same exit code. */
function assertSameAsBin(label: string, input: string): void {
  const img = podman([...HARDENED, IMAGE], input);
  const local = long(BIN, [], input);
  assert.ok(img.code === 0 || img.code === 1, `${label}: the image ran\n${show(img)}`);
  assert.is(img.code, local.code, `${label}: exit code\n${show(img)}`);
  assert.fixture(img.stdout, local.stdout, `${label}: stdout byte for byte`);
}

pm.add('podman run --read-only --network none --user 65534 --cap-drop=ALL no-new-privileges: the seed, byte for byte the bin, with its code cache', () => {
  const input = resourceList(SEED_ITEMS, readFileSync(join(ROOT, 'kustomize/seed/prometheus-ha.yaml'), 'utf8'));
  assertSameAsBin('seed', input);
  const r = podman([...HARDENED, '-e', 'PROMETHEUS_HA_CODE_CACHE=report', IMAGE], input);
  assert.is(r.code, 0, show(r));
  assert.match(r.stderr, /code cache of prometheus-ha\.light\.cjs used/, 'the code cache recorded in the build is valid in the image');
  assertHighlyAvailable(parse(r.stdout).items, { replicas: 2, externalLabels: { cluster_environment: 'workshop' } });
  const bad = podman([...HARDENED, IMAGE], 'not a ResourceList');
  assert.is(bad.code, 1, show(bad));
  assert.ok(bad.stderr.trim().length > 0 && !/\n\s+at /.test(bad.stderr), `a clear message, no stack trace:\n${bad.stderr}`);
});

pm.add('podman run, hardened, on every golden case: byte for byte the bin', () => {
  const cases = goldenCases();
  assert.ok(cases.length >= 20, `golden cases found: ${cases.length}`);
  for (const name of cases) {
    const dir = join(ROOT, 'test/golden', name);
    const config = existsSync(join(dir, 'config.yaml')) ? readFileSync(join(dir, 'config.yaml'), 'utf8') : undefined;
    assertSameAsBin(`golden ${name}`, withConfig(readFileSync(join(dir, 'input.yaml'), 'utf8'), config));
  }
});

pm.done();

const pk = needs({ podman: PODMAN, kpt: T.kpt }, 'container kpt');
pk.add('kpt fn render of examples/container/kpt (Kptfile image:, podman, never pulled) equals its .expected/diff.patch, twice', () => {
  assertRendersToExpected(`${FN}/examples/container/kpt`, (dir) => sh(T.kpt!, ['fn', 'render', dir, '--image-pull-policy', 'never', '--truncate-output=false'], { env: KPT_ENV }));
});

pk.add(`kpt fn eval --image ${IMAGE} -- replicas=3, and a bad argument fails with its message`, () => {
  const dir = copyToTmp(`${FN}/examples/container/kpt`, 'container-eval');
  const r = sh(T.kpt!, ['fn', 'eval', dir, '--image', IMAGE, '--image-pull-policy', 'never', '--', 'replicas=3'], { env: KPT_ENV });
  assert.is(r.code, 0, show(r));
  const files = snapshot(dir);
  const all = Object.entries(files).filter(([p]) => p.endsWith('.yaml')).flatMap(([, t]) => docs(t));
  assertHighlyAvailable(all, { replicas: 3, externalLabels: {} });
  assert.is(find(docs(files['prometheus-ha.yaml'] ?? ''), 'Deployment', 'thanos-query').length, 1, 'injected objects in prometheus-ha.yaml');

  const bad = copyToTmp(`${FN}/examples/container/kpt`, 'container-eval-bad');
  const before = snapshot(bad);
  const e = sh(T.kpt!, ['fn', 'eval', bad, '--image', IMAGE, '--image-pull-policy', 'never', '--', 'replicas=1'], { env: KPT_ENV });
  assert.ok(e.code !== 0, show(e));
  assert.match(e.stderr + e.stdout, /replicas: must be >= 2/);
  assert.equal(snapshot(bad), before, 'nothing written');
});

/** `podman system service` on a socket of its own, for the docker CLI that kustomize runs. */
let service: { child: ChildProcess; env: Record<string, string> } | undefined;
async function dockerSocket(): Promise<Record<string, string>> {
  if (service) return service.env;
  const sock = join(tmp('podman-sock'), 'podman.sock');
  const child = spawn(PODMAN!, ['system', 'service', '--time=0', `unix://${sock}`], { stdio: 'ignore' });
  // Stopped (by its pid) when the test process exits; unref: it does not keep the process alive.
  child.unref();
  process.on('exit', () => child.kill('SIGTERM'));
  service = { child, env: { DOCKER_HOST: `unix://${sock}` } };
  for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(existsSync(sock), `podman system service made no socket at ${sock}`);
  return service.env;
}

pk.done();

const pz = needs({ podman: PODMAN, kustomize: T.kustomize, 'docker CLI': DOCKER }, 'container kustomize');
pz.add('the literal kustomize build --enable-alpha-plugins (docker CLI -> podman socket) on the container kustomization; a second build changes nothing', async () => {
  const env = await dockerSocket();
  // kustomize runs `docker run --rm -i ... --network none --user nobody --security-opt=no-new-privileges IMAGE`,
  // without --pull: docker's default (missing) uses the image built above and pulls nothing.
  const build = () => sh(T.kustomize!, ['build', '--enable-alpha-plugins', `${FN}/examples/container/kustomize`], { env });
  const first = build();
  assert.is(first.code, 0, show(first));
  const out = docs(first.stdout);
  assertHighlyAvailable(out, { replicas: 2, externalLabels: { cluster: 'eu1' } });
  assertUnrelatedUnchanged(out, BASE);
  const second = build();
  assert.is(second.code, 0, show(second));
  assert.fixture(second.stdout, first.stdout, 'a second build gives the same output');
  // The function on its own output (as a further build would run it) changes nothing either.
  const again = podman([...HARDENED, IMAGE], resourceList(first.stdout.split(/^---\n/m).filter((d) => d.trim()), readFileSync(join(ROOT, FN, 'examples/container/kustomize/prometheus-ha.yaml'), 'utf8')));
  assert.is(again.code, 0, show(again));
  assert.equal(parse(again.stdout).items, docs(first.stdout), 'idempotent on its own output');
});

pz.done();

const pc = needs({ podman: PODMAN, kubectl: T.kubectl, 'docker CLI': DOCKER }, 'container kubectl');
pc.add('kubectl kustomize --enable-alpha-plugins runs the container function too (unlike exec ones)', async () => {
  const env = await dockerSocket();
  const r = sh(T.kubectl!, ['kustomize', '--enable-alpha-plugins', `${FN}/examples/container/kustomize`], { env });
  assert.is(r.code, 0, show(r));
  assertHighlyAvailable(docs(r.stdout), { replicas: 2, externalLabels: { cluster: 'eu1' } });
});

pc.done();

test.run();

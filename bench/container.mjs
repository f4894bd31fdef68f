// npm run bench:container: the container image's numbers for the README. Builds the image with
// podman as test/tools/container.test.ts does (layer cache: seconds when unchanged), prints its size over
// its Node.js base, and the medians of `kpt fn eval --image` (podman) beside `kpt fn eval --exec`
// and of the hardened `podman run` beside the bin, each pair alternating, on a fresh copy of
// examples/container/kpt. Not a test: these machines are noisy.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resourceList, seedDocs } from '../scripts/resource-list.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const FN = 'functions/prometheus-ha';
const BIN = join(ROOT, 'dist/prometheus-ha.cjs');
const REPS = Number(process.env.BENCH_REPS ?? 7);
const BASE = process.env.NODE_BASE_IMAGE ?? 'localhost/node-base:20';
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const IMAGE = `${parse(readFileSync(join(ROOT, FN, 'metadata.yaml'), 'utf8')).image}:v${VERSION}`;
const TMP = mkdtempSync(join(tmpdir(), 'prometheus-ha-bench-container-'));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) {
    console.error(`bench:container: ${cmd} ${args.join(' ')} exited ${r.status ?? r.error?.message}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}
if (spawnSync('sh', ['-c', 'command -v podman && command -v kpt'], { stdio: 'ignore' }).status !== 0) {
  console.error('bench:container: needs podman and kpt (bash .ci/install-tools.sh installs podman)');
  process.exit(1);
}
run('podman', ['image', 'exists', BASE]);
let t0 = process.hrtime.bigint();
run('podman', ['build', '--pull=never', '-q', '-f', `${FN}/Dockerfile`, '--ignorefile', `${FN}/Dockerfile.dockerignore`, '--build-arg', `NODE_IMAGE=${BASE}`, '-t', IMAGE, '.']);
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;
const sizeOf = (image) => JSON.parse(run('podman', ['image', 'inspect', image]))[0].Size;
const [img, base] = [sizeOf(IMAGE), sizeOf(BASE)];

// prometheus-ha on PATH for --exec, as `npm link` puts it.
const binDir = join(TMP, 'bin');
mkdirSync(binDir);
symlinkSync(BIN, join(binDir, 'prometheus-ha'));
const env = { KPT_FN_RUNTIME: 'podman', PATH: `${binDir}:${process.env.PATH}` };
let n = 0;
const fresh = () => {
  const dir = join(TMP, `pkg-${n++}`);
  cpSync(join(ROOT, FN, 'examples/container/kpt'), dir, { recursive: true });
  return dir;
};
const seed = resourceList(seedDocs(), readFileSync(join(ROOT, 'kustomize/seed/prometheus-ha.yaml'), 'utf8'));
const rows = {
  [`kpt fn eval --image (podman) -- replicas=3`]: () => ['kpt', ['fn', 'eval', fresh(), '--image', IMAGE, '--image-pull-policy', 'never', '--', 'replicas=3'], { env }],
  [`kpt fn eval --exec prometheus-ha -- replicas=3`]: () => ['kpt', ['fn', 'eval', fresh(), '--exec', 'prometheus-ha', '--', 'replicas=3'], { env }],
  [`podman run (hardened) on the seed`]: () => ['podman', ['run', '--rm', '-i', '--read-only', '--network', 'none', '--user', '65534', '--cap-drop=ALL', '--security-opt', 'no-new-privileges', IMAGE], { input: seed }],
  [`the bin on the seed`]: () => [BIN, [], { input: seed }],
};
const times = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
for (let i = 0; i < REPS; i++) {
  for (const [k, make] of Object.entries(rows)) {
    const [cmd, args, opts] = make();
    t0 = process.hrtime.bigint();
    run(cmd, args, opts);
    times[k].push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const line = (k, v) => console.log(`  ${k.padEnd(60)}${v.padStart(12)}`);
console.log(`prometheus-ha bench:container (${REPS} alternating runs, medians; ${new Date().toISOString()}; podman ${run('podman', ['--version']).trim().split(' ').pop()})\n`);
line(`image ${IMAGE}`, mb(img));
line(`its base ${BASE}`, mb(base));
line('added by the image (at most 15 MB)', mb(img - base));
line('podman build (with its layer cache as found)', `${(buildMs / 1000).toFixed(1)} s`);
for (const [k, v] of Object.entries(times)) line(k, `${median(v).toFixed(0)} ms`);
const ev = median(times[Object.keys(rows)[0]]) / median(times[Object.keys(rows)[1]]);
console.log(`\n  kpt fn eval: --image / --exec = ${ev.toFixed(2)}`);

// Records the bundles' code caches (dist/<bundle>.cache): the functions compiled while the function
// runs in its usual modes on the seed, each run adding to the cache the previous one wrote. The
// light bundle's: the KRM function and the legacy plugin on the seed (its light reader applies).
// The full bundle's: the same with the light reader off (the yaml path, which runs where the light
// reader does not apply), and check. One definition for the build and for bench/instructions.mjs,
// which records them again under the V8 flags it counts with (flags are part of a cache's identity).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceList, seedDocs as readSeedDocs } from './resource-list.mjs';

const ROOT = new URL('..', import.meta.url).pathname;

/** @param {string} bin the launcher (dist/prometheus-ha.cjs) @param {string[]} nodeArgs V8 flags the runs will use */
export function recordCodeCaches(bin, nodeArgs = []) {
  const seedDocs = readSeedDocs();
  const config = readFileSync(join(ROOT, 'kustomize/seed/prometheus-ha.yaml'), 'utf8');
  const configFile = join(tmpdir(), `prometheus-ha-build-${process.pid}.yaml`);
  writeFileSync(configFile, config);
  const train = (args, input, env = {}) => {
    // Run to the end whatever PROMETHEUS_HA_STOP says (bench/instructions.mjs).
    const { PROMETHEUS_HA_STOP: _, ...base } = process.env;
    const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { input, env: { ...base, PROMETHEUS_HA_CODE_CACHE: 'write', ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`build: recording the code cache, prometheus-ha ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return r;
  };
  try {
    const seedList = resourceList(seedDocs, config);
    const seedStream = seedDocs.join('---\n');
    // The light bundle: the KRM function and the legacy plugin, on the seed (both must take the light path).
    const first = train([], seedList, { PROMETHEUS_HA_LIGHT: 'report' });
    const firstLegacy = train([configFile], seedStream, { PROMETHEUS_HA_LIGHT: 'report' });
    for (const r of [first, firstLegacy]) if (!/light reader used/.test(r.stderr)) throw new Error(`build: the light reader did not apply to the seed:\n${r.stderr}`);
    // The full bundle: the same with the light reader off, and check.
    const out = train([], seedList, { PROMETHEUS_HA_LIGHT: 'off' }).stdout;
    if (out !== first.stdout) throw new Error('build: the light reader and the yaml path disagree on the seed (KRM function)');
    if (train([configFile], seedStream, { PROMETHEUS_HA_LIGHT: 'off' }).stdout !== firstLegacy.stdout) throw new Error('build: the light reader and the yaml path disagree on the seed (legacy plugin)');
    train(['check'], out);
  } finally {
    rmSync(configFile, { force: true });
  }
}

// Bundles the function into one ESM file (fast cold start: one file to load, nothing to resolve).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

await build({
  entryPoints: ['functions/prometheus-ha/src/main.ts'],
  outfile: 'dist/prometheus-ha.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: false,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
chmodSync('dist/prometheus-ha.mjs', 0o755);

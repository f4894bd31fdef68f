// Runs the tests with uvu in one process and ends with the plain summary line "N passed, N failed"
// that CI reads (uvu's own totals are parsed from its output).
//   node test/run.mjs            every test/<folder>/*.test.ts (npm test, CI)
//   node test/run.mjs --unit     all but test/tools/, the tests that run kustomize, kpt, Helm, podman
//                                (npm run test:unit: the quick loop, with a tenth of the
//                                generated cases of test/yaml/properties.test.ts)
//   node test/run.mjs NAME       the test files whose name matches the regex NAME (e.g. golden, chart)
import { spawn } from 'node:child_process';
import { tools } from './lib/tools.mjs';

const unit = process.argv[2] === '--unit';
const t = unit ? {} : tools();
const missing = Object.entries(t).filter(([, v]) => !v).map(([k]) => k);
if (missing.length) console.log(`\n!!! tools not found: ${missing.join(', ')} (their tests say so loudly)\n`);

const pattern = unit ? '^(?!tools/).*\\.test\\.ts$' : `(${process.argv[2] ?? ''})[^/]*\\.test\\.ts$`;
const { FORCE_COLOR: _ignored, ...inherited } = process.env;
// The quick loop runs a tenth of the generated cases of test/yaml/properties.test.ts.
const childEnv = { ...inherited, NO_COLOR: '1', NODE_DISABLE_COLORS: '1', ...(unit ? { PROPERTY_QUICK: '1' } : {}) };
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern], { stdio: ['ignore', 'pipe', 'inherit'], env: childEnv });
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.on('close', (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const failed = code === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 && total > 0 ? 0 : 1);
});

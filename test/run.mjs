// Runs every test/**/*.test.ts with uvu in one process and ends with the plain summary line
// "N passed, N failed" that CI reads. uvu's own totals are parsed from its output.
import { spawn } from 'node:child_process';
import { tools } from './tools.mjs';

const t = tools();
const missing = Object.entries(t).filter(([, v]) => !v).map(([k]) => k);
if (missing.length) console.log(`\n!!! tools not found: ${missing.join(', ')} (their tests say so loudly)\n`);

const pattern = `(${process.argv[2] ?? ''})[^/]*\.test\.ts$`;
const { FORCE_COLOR: _ignored, ...inherited } = process.env;
const childEnv = { ...inherited, NO_COLOR: '1', NODE_DISABLE_COLORS: '1' };
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

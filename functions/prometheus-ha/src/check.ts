import type { IO, Outcome } from './run.js';
export function checkCommand(_io: IO): Outcome {
  return { stdout: '', stderr: 'prometheus-ha: check: not implemented yet\n', code: 2 };
}

import type { IO, Outcome } from '../run.js';
export function chartCommand(_args: string[], _io: IO): Outcome {
  return { stdout: '', stderr: 'prometheus-ha: chart: not implemented yet\n', code: 2 };
}

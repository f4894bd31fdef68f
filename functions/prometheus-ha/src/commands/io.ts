/**
 * What every command takes and gives: the process's input as data (stdin's bytes, a file reader,
 * the environment) and its outcome (stdout, stderr, exit code). The entry points (entry/) turn
 * these into a real process; tests call the commands with them directly.
 */
export interface IO {
  /** Released (emptied) once decoded: a big input is then held once, as text. */
  stdin: Uint8Array;
  stdinTooLarge?: boolean;
  maxInput?: number;
  env: Record<string, string | undefined>;
  /** The path of the launcher (dist/prometheus-ha.cjs) that started this process, if any. */
  self?: string;
  /** The common path's bundle (entry/light-main.ts) tried the light reader on this stdin already. */
  lightTried?: boolean;
}

export interface Outcome {
  stdout: string;
  /** stdout in pieces, when it was built so (main writes them without joining them). */
  stdoutParts?: readonly string[];
  stderr: string;
  code: number;
}

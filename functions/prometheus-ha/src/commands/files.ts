/**
 * The one way a command reads a file the user names (the legacy plugin's config file, `chart
 * --base` and `--config`, the Chart.yaml that `chart --out` finds): stat first, a regular file of
 * at most MAX_FILE_BYTES or a refusal that names the file and says why in words, then read, never
 * more than the limit (a file of /proc says size 0). Issue 17: a FIFO blocked forever, /dev/zero
 * grew memory without limit, a directory or an unreadable file was an "internal error: EISDIR".
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { InputError } from '../core/item.js';
import { result } from '../core/results.js';
import { decode } from '../yaml/items.js';

/** The same limit as stdin's (entry/stdio.ts): PROMETHEUS_HA_MAX_INPUT_BYTES, 32 MiB by default. */
export const maxFileBytes = (): number => Number(process.env.PROMETHEUS_HA_MAX_INPUT_BYTES) || 32 * 1024 * 1024;

function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a regular file: reading it could wait forever';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'does not exist (a part of its path is not a directory)',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: operation not permitted',
  EISDIR: 'is a directory, not a file',
  EIO: 'cannot be read: input/output error',
  ELOOP: 'cannot be read: too many symbolic links',
  ENAMETOOLONG: 'cannot be read: its name is too long',
  EINVAL: 'cannot be read: invalid argument',
};

/** A refusal: `<what> <path> <reason>`, as an input error that names the file. */
export function fileError(what: string, path: string, reason: string): InputError {
  return new InputError(result('INPUT_FILE', `${what} ${path} ${reason}`, { file: { path } }));
}

/** The bytes of a regular file of at most `max` bytes, or an InputError saying why not. */
export function readUserFile(path: string, what: string, max = maxFileBytes()): Uint8Array {
  const refuse = (reason: string) => fileError(what, path, reason);
  const tooBig = () => refuse(`is larger than ${max} bytes (PROMETHEUS_HA_MAX_INPUT_BYTES): refusing to read it`);
  const errno = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) return e;
    return refuse(REASONS[code] ?? `cannot be read (${code})`);
  };
  let fd: number;
  try {
    // stat before open: opening a FIFO waits for a writer. O_NONBLOCK too, should it be swapped since.
    const kind = kindOf(statSync(path));
    if (kind) throw refuse(kind);
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw e instanceof InputError ? e : errno(e);
  }
  try {
    const st = fstatSync(fd);
    const kind = kindOf(st);
    if (kind) throw refuse(kind);
    if (st.size > max) throw tooBig();
    // Read up to max + 1 bytes whatever the size says (files of /proc say 0).
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(st.size + 1, 1 << 16)));
    for (;;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, max + 1 - total), null);
      if (n === 0) break;
      total += n;
      if (total > max) throw tooBig();
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } catch (e) {
    throw e instanceof InputError ? e : errno(e);
  } finally {
    closeSync(fd);
  }
}

/** A user file as UTF-8 text (readUserFile, then decoded: invalid UTF-8 is refused with its line). */
export const readUserText = (path: string, what: string): string => decode(readUserFile(path, what), path, what);

// One wording for files that cannot be opened: missing, a directory, not permitted, other; and
// which gzip errors leave the data whole.
import { InputError } from '../model/index.js';

/** zlib's words when only the trailer (CRC-32, length) of a gzip member disagrees with its data. */
export function isGzipTrailerError(error: unknown): error is Error {
  return error instanceof Error && /^incorrect (data|length) check$/.test(error.message);
}

/** The InputError for a failed open/read of `path`; `kind` names what the file should have been. */
export function fileOpenError(path: string, error: unknown, kind = 'capture file'): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError('not-found', 'no such file', path, { cause: error });
  if (code === 'EISDIR') return new InputError('is-directory', `is a directory, not a ${kind}`, path, { cause: error });
  if (code === 'EACCES') return new InputError('unreadable', 'permission denied', path, { cause: error });
  return new InputError('unreadable', `cannot read file (${code ?? String(error)})`, path, { cause: error });
}

// One wording for files that cannot be opened: missing, a directory, not permitted, other.
import { InputError } from '../model/index.js';

/** The InputError for a failed open/read of `path`; `kind` names what the file should have been. */
export function fileOpenError(path: string, error: unknown, kind = 'capture file'): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError('not-found', 'no such file', path, { cause: error });
  if (code === 'EISDIR') return new InputError('is-directory', `is a directory, not a ${kind}`, path, { cause: error });
  if (code === 'EACCES') return new InputError('unreadable', 'permission denied', path, { cause: error });
  return new InputError('unreadable', `cannot read file (${code ?? String(error)})`, path, { cause: error });
}

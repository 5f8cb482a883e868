// Reads a configuration input (a config file, a certificate, a metadata document): a regular file of bounded size, or one line why not.
import { open } from 'node:fs/promises';
import { InputError, type InputErrorCode } from '../model/index.js';

/** Configuration inputs are small: anything larger is not one (and /dev/zero never ends). */
export const MAX_CONFIG_INPUT_BYTES = 4 * 1024 * 1024;

export interface SmallFileRequest {
  readonly path: string;
  /** What the file should be, for messages: `configuration`, `certificate`. */
  readonly what: string;
  /** Where the error points: the path, or `rules.yaml:12` for a path named in a config file. */
  readonly origin: string;
  /** The text before the problem, e.g. the path itself when the origin is a config line. */
  readonly named?: string;
  /** The message when the file cannot be opened or read, given the system's reason (`ENOENT`). */
  readonly cannotRead: (reason: string) => string;
  /** Codes for a missing or unreadable file (a config file's own codes); `bad-config` otherwise. */
  readonly fileCodes?: boolean;
}

/** The whole file, or an InputError: missing, unreadable, not a regular file (a FIFO, a device), or too large. */
export async function readSmallFile(request: SmallFileRequest): Promise<Buffer> {
  const { path, what, origin } = request;
  const named = request.named ?? '';
  let handle;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputError('bad-config', `${named}is not a regular file (a ${what} is expected)`, origin);
    if (stat.size > MAX_CONFIG_INPUT_BYTES) {
      throw new InputError('bad-config', `${named}is ${stat.size} bytes: too large for a ${what} (at most ${MAX_CONFIG_INPUT_BYTES})`, origin);
    }
    const bytes = await handle.readFile();
    // A file that grew while it was read is cut off rather than trusted.
    return bytes.length > MAX_CONFIG_INPUT_BYTES ? bytes.subarray(0, MAX_CONFIG_INPUT_BYTES) : bytes;
  } catch (cause) {
    if (cause instanceof InputError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const inputCode: InputErrorCode = !request.fileCodes ? 'bad-config' : code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'is-directory' : 'unreadable';
    throw new InputError(inputCode, request.cannotRead(code ?? String(cause)), origin, { cause });
  } finally {
    await handle?.close();
  }
}

// A report or list file opened for streaming before anything is read: a path that cannot be written is one line, exit 2.
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { InputError } from '../model/errors.js';

/**
 * A report file opened for streaming before the scan starts: a path that cannot be written is an
 * input error, one line. `append` (a watch) adds to a log a restarted watch wrote before.
 */
export async function openReportStream(target: string, append = false): Promise<Writable> {
  try {
    // Named like a stream of fs.createWriteStream, so a failed write names the file (LineWriter).
    return Object.defineProperty((await open(target, append ? 'a' : 'w')).createWriteStream(), 'path', { value: target });
  } catch (error) {
    throw new InputError('unreadable', `cannot write report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, target);
  }
}


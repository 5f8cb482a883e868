// A live input (stdin, a FIFO) copied to a private temporary file, for readers that need to seek (a zip's directory is at its end).
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../model/index.js';
import type { InputFile } from './input-file.js';

export interface SpooledInput {
  /** The temporary copy (in a 0700 folder, the file 0600): read it, then `remove()`. */
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Copies the live `input` to a temporary file, at most `maxBytes` of it: a longer stream is an
 * input error (one line), never a full disk. `what` names the format in that message.
 */
export async function spoolLiveInput(input: InputFile, maxBytes: number, what: string, signal?: AbortSignal): Promise<SpooledInput> {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-inspect-'));
  const path = join(dir, 'input');
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  let copied = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      copied += chunk.length;
      if (copied > maxBytes) done(new InputError('too-large', `${what} on standard input is longer than ${maxBytes} bytes: save it to a file first`, input.path));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(input.openBytes(), capped, createWriteStream(path, { mode: 0o600 }), ...(signal ? [{ signal }] : []));
  } catch (error) {
    await remove();
    throw error;
  }
  return { path, remove };
}

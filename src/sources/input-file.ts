// Opening an input file, once for every reader: existence, directory, emptiness, and its first bytes (gunzipped when gzip).
import { open } from 'node:fs/promises';
import { InputError } from '../model/index.js';
import { fileOpenError } from './file-errors.js';
import { gunzipStart, SNIFF_LENGTH, sniffFormat, type SniffedFormat } from './magic.js';

/** Bytes read from the start of a file to recognise it (a gzip stream's first block needs more than the sniff). */
const HEAD_BYTES = 4096;

export interface InputFile {
  /** As the user named it: it names the file in messages and origins. */
  readonly path: string;
  readonly size: number;
  /** The first bytes of the file as stored. */
  readonly head: Buffer;
  /** True when the file is gzip-compressed. */
  readonly gzip: boolean;
  /** The format the content announces: the decompressed first bytes' format for a gzip file. */
  readonly format: SniffedFormat | undefined;
}

/**
 * Opens `path` and reads its first bytes; InputError (not-found, is-directory, empty-file,
 * unreadable) when it cannot be a capture at all. Readers take what this found and do not check
 * again: a new format is one reader and one line in the source registry.
 */
export async function openInput(path: string, kind = 'capture file'): Promise<InputFile> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileOpenError(path, error, kind);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError('is-directory', `is a directory, not a ${kind}`, path);
    if (stat.size === 0) throw new InputError('empty-file', 'is empty', path);
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead);
    const outer = sniffFormat(head.subarray(0, SNIFF_LENGTH));
    const gzip = outer === 'gzip';
    return { path, size: stat.size, head, gzip, format: gzip ? sniffFormat(gunzipStart(head).subarray(0, SNIFF_LENGTH)) : outer };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fileOpenError(path, error, kind);
  } finally {
    await handle.close();
  }
}

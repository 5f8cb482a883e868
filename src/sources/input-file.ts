// Opening an input once for every reader: a file (existence, directory, emptiness) or a live stream (stdin `-`, a FIFO, a `<(…)` path), and its first bytes (gunzipped when gzip).
import { constants as fsConstants, createReadStream, fstat, open as openDescriptor, close as closeDescriptor, read as readDescriptor, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { InputError } from '../model/index.js';
import { fileOpenError } from './file-errors.js';
import { readStreamHead, streamOfBytes, streamOfDescriptor } from './live-input.js';
import { gunzipStart, SNIFF_LENGTH, sniffFormat, type SniffedFormat } from './magic.js';

/** Bytes read from the start of a file to recognise it (a gzip stream's first block needs more than the sniff). */
const HEAD_BYTES = 4096;

/** The name standard input goes by, on the command line and in messages and origins. */
export const STDIN_PATH = '-';

export interface InputFile {
  /** As the user named it (`-` for standard input): it names the input in messages and origins. */
  readonly path: string;
  /** Bytes in the file; 0 for a live input, whose length is known only at its end. */
  readonly size: number;
  /** The first bytes as stored (for a live input, what had arrived when the format was known). */
  readonly head: Buffer;
  /** True when the content is gzip-compressed. */
  readonly gzip: boolean;
  /** The format the content announces: the decompressed first bytes' format for a gzip file. */
  readonly format: SniffedFormat | undefined;
  /** True for standard input, a FIFO, a socket or a character device: read once, as it arrives, never seekable. */
  readonly live: boolean;
  /**
   * The content from its first byte (the head included). A regular file may be opened again (to
   * read it twice, `end` to stop before its last bytes); a live input only once. Whoever opens it
   * destroys the stream when done (which closes a pipe: its writer gets EPIPE).
   */
  openBytes(options?: { readonly highWaterMark?: number; readonly end?: number }): Readable;
}

export interface OpenInputOptions {
  /** What `-` reads (default process.stdin). */
  readonly stdin?: Readable & { readonly isTTY?: boolean };
  /** Stops waiting for a live input's first bytes. */
  readonly signal?: AbortSignal;
}

const openFd = promisify(openDescriptor);
const fstatFd = promisify(fstat);
const closeFd = promisify(closeDescriptor);
const readFd = promisify(readDescriptor);

/**
 * Opens `path` (or standard input for `-`) and reads its first bytes; InputError (not-found,
 * is-directory, empty-file, unreadable) when it cannot be a capture at all. Readers take what
 * this found and do not check again: a new format is one reader and one line in the source
 * registry. Opening a FIFO waits for its writer, as `cat` does.
 */
export async function openInput(path: string, kind = 'capture file', options: OpenInputOptions = {}): Promise<InputFile> {
  if (path === STDIN_PATH) {
    const stdin = options.stdin ?? process.stdin;
    if (stdin.isTTY === true) throw new InputError('unreadable', `is a terminal, not a ${kind}: pipe one in (tcpdump -U -w - … | oauth-inspect scan -)`, path);
    return openLiveInput(path, stdin, options.signal);
  }
  let fd: number;
  try {
    fd = await openFd(path, fsConstants.O_RDONLY);
  } catch (error) {
    throw fileOpenError(path, error, kind);
  }
  let handedOn = false;
  try {
    const stat = await fstatFd(fd);
    if (stat.isDirectory()) throw new InputError('is-directory', `is a directory, not a ${kind}`, path);
    if (!stat.isFile()) {
      handedOn = true;
      return await openLiveInput(path, streamOfDescriptor(fd, stat.isFIFO() || stat.isSocket()), options.signal);
    }
    return await openRegularFile(path, fd, stat);
  } catch (error) {
    if (error instanceof InputError || options.signal?.aborted) throw error;
    throw fileOpenError(path, error, kind);
  } finally {
    if (!handedOn) await closeFd(fd);
  }
}

async function openRegularFile(path: string, fd: number, stat: Stats): Promise<InputFile> {
  if (stat.size === 0) throw new InputError('empty-file', 'is empty', path);
  const buffer = Buffer.alloc(Math.min(HEAD_BYTES, stat.size));
  const { bytesRead } = await readFd(fd, buffer, 0, buffer.length, 0);
  const head = buffer.subarray(0, bytesRead);
  return {
    ...describeHead(path, head),
    size: stat.size,
    live: false,
    openBytes: (options = {}) => createReadStream(path, options),
  };
}

/** A live input: its first bytes are read (as few as name the format) and put back; an empty stream is an input error. */
async function openLiveInput(path: string, source: Readable, signal: AbortSignal | undefined): Promise<InputFile> {
  let result;
  try {
    result = await readStreamHead(source, formatKnown, signal);
  } catch (error) {
    source.destroy();
    if (signal?.aborted) throw error;
    throw fileOpenError(path, error);
  }
  const { head, ended } = result;
  if (head.length === 0) {
    source.destroy();
    throw new InputError('empty-file', 'is empty: nothing was written to it', path);
  }
  let opened = false;
  return {
    ...describeHead(path, head),
    size: 0,
    live: true,
    openBytes: () => {
      if (opened) throw new TypeError(`${path} is a live input: it can be read only once`);
      opened = true;
      return ended ? streamOfBytes(head) : source;
    },
  };
}

/** True once `head` names its format for sure (a gzip head only once its decompressed start does), or is as long as a file's head. */
function formatKnown(head: Buffer): boolean {
  if (head.length >= HEAD_BYTES) return true;
  const outer = sniffFormat(head.subarray(0, SNIFF_LENGTH));
  if (outer === undefined) return head.length >= SNIFF_LENGTH;
  if (outer !== 'gzip') return true;
  const inner = gunzipStart(head);
  return sniffFormat(inner.subarray(0, SNIFF_LENGTH)) !== undefined || inner.length >= SNIFF_LENGTH;
}

function describeHead(path: string, head: Buffer): Pick<InputFile, 'path' | 'head' | 'gzip' | 'format'> {
  const outer = sniffFormat(head.subarray(0, SNIFF_LENGTH));
  const gzip = outer === 'gzip';
  return { path, head, gzip, format: gzip ? sniffFormat(gunzipStart(head).subarray(0, SNIFF_LENGTH)) : outer };
}

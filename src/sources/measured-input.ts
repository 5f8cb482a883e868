// How far an input has been read, for a progress display: polled, so reading pays nothing per chunk.
import type { Readable } from 'node:stream';
import type { InputFile } from './input-file.js';

/** One input being read: its size when known (a regular file) and the bytes read from it so far. */
export interface InputProgress {
  readonly path: string;
  /** Bytes in the file; undefined for a live input (stdin, a FIFO), whose length is known only at its end. */
  readonly size: number | undefined;
  /** Bytes read so far (as stored: a gzip'd capture counts its compressed bytes). */
  bytesRead(): number;
}

/**
 * `input` with its byte streams remembered: `bytesRead` sums what fs.ReadStream and net.Socket
 * already count (`bytesRead`). A reader that opens the file itself (a Fiddler archive, through
 * yauzl) shows 0 until `finished`, then the whole size. Nothing is wrapped or piped.
 */
export function measuredInput(input: InputFile): { readonly input: InputFile; readonly progress: InputProgress; finished(): void } {
  const streams: Readable[] = [];
  let finished = false;
  const size = input.live ? undefined : input.size;
  const progress: InputProgress = {
    path: input.path,
    size,
    bytesRead: () => {
      const read = streams.reduce((sum, stream) => sum + ((stream as Readable & { bytesRead?: number }).bytesRead ?? 0), 0);
      // A damaged gzip's tail is read twice: never past the size.
      return size === undefined ? read : finished ? size : Math.min(read, size);
    },
  };
  const openBytes: InputFile['openBytes'] = (options) => {
    const stream = input.openBytes(options);
    streams.push(stream);
    return stream;
  };
  return { input: { ...input, openBytes }, progress, finished: () => void (finished = true) };
}

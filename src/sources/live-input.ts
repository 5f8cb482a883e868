// Stdin, a FIFO or a `<(…)` path: a stream read once as it arrives, whose first bytes are sniffed without being lost.
import { createReadStream } from 'node:fs';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';

/** What the start of a stream must show before it is handed on: decided as soon as `enough` says so, or at its end. */
export interface StreamHead {
  /** The bytes read; the stream gives them again (they were put back), or `ended` is true. */
  readonly head: Buffer;
  /** True when the stream ended while its head was read: the head is all of it. */
  readonly ended: boolean;
}

/** A stream over an open non-regular file: a FIFO or socket as a non-blocking pipe (it can be closed while it waits), a character device with blocking reads. */
export function streamOfDescriptor(fd: number, fifoOrSocket: boolean): Readable {
  if (fifoOrSocket) return new Socket({ fd, readable: true, writable: false });
  return createReadStream('', { fd, autoClose: true });
}

/**
 * Reads from `source` until `enough(head)` holds or the stream ends, then puts what it read back
 * in front of the stream (`unshift`), so whoever reads `source` next starts at its first byte. It
 * reads no more than the writer has written: on a live capture the first records are not held
 * back waiting for a fuller head. Rejects with the stream's error, or with the signal's reason
 * (the stream is destroyed) when aborted.
 */
export async function readStreamHead(source: Readable, enough: (head: Buffer) => boolean, signal?: AbortSignal): Promise<StreamHead> {
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  const onEnd = (): void => {
    ended = true;
  };
  source.on('end', onEnd);
  try {
    for (;;) {
      signal?.throwIfAborted();
      const chunk = source.read() as Buffer | string | null;
      if (chunk !== null) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        chunks.push(bytes);
        length += bytes.length;
        if (enough(chunks.length === 1 ? bytes : Buffer.concat(chunks, length))) break;
        continue;
      }
      // A stream already read and let go (`scan - -`) has nothing more to give.
      if (ended || source.readableEnded || source.destroyed) {
        ended = true;
        break;
      }
      await nextReadable(source, signal);
      if (source.readableEnded) ended = true;
    }
  } finally {
    source.off('end', onEnd);
  }
  const head = Buffer.concat(chunks, length);
  if (!ended && head.length > 0) source.unshift(head);
  return { head, ended };
}

/** Resolves when `source` has data, has ended or was closed; rejects on its error or an abort (destroying it). */
function nextReadable(source: Readable, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown): void => {
      source.off('readable', onReadable);
      source.off('end', onReadable);
      source.off('close', onReadable);
      source.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReadable = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onAbort = (): void => {
      source.destroy();
      settle(signal?.reason);
    };
    source.on('readable', onReadable);
    source.on('end', onReadable);
    source.on('close', onReadable);
    source.on('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A stream of `bytes` alone: the whole of a live input that ended while its head was read. */
export function streamOfBytes(bytes: Buffer): Readable {
  return Readable.from(bytes.length > 0 ? [bytes] : []);
}

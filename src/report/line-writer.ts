// Buffered line output to a stream: few large writes instead of one per line; EPIPE ends quietly, other write errors are one line.
import type { Writable } from 'node:stream';
import { InputError } from '../model/errors.js';

/** The one line for an output that cannot be written: the file's path (a file stream's `path`), else standard output. */
function writeFailure(out: Writable, error: NodeJS.ErrnoException): InputError {
  const path = (out as { path?: unknown }).path;
  const code = error.code ?? error.message;
  return typeof path === 'string' ? new InputError('unreadable', `cannot write report (${code})`, path) : new InputError('unreadable', `cannot write to standard output (${code})`, '-');
}

export class LineWriter {
  #chunks: string[] = [];
  #size = 0;
  #closed = false;
  #flushScheduled = false;
  #error: InputError | undefined;
  readonly #out: Writable;
  readonly #flushAt: number;

  constructor(out: Writable, flushAt = 64 * 1024) {
    this.#out = out;
    this.#flushAt = flushAt;
    out.on('error', (error: NodeJS.ErrnoException) => {
      this.#closed = true;
      // A reader gone away ends quietly; any other failure (a full disk) is said by end(), one line.
      if (error.code !== 'EPIPE' && this.#error === undefined) this.#error = writeFailure(out, error);
    });
  }

  line(text: string): void {
    if (this.#closed) return;
    this.#chunks.push(text, '\n');
    this.#size += text.length + 1;
    if (this.#size >= this.#flushAt) this.flush();
  }

  /** Flushes at the end of this event-loop turn: a burst costs one write, a single line shows at once. */
  flushSoon(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    if (this.#chunks.length === 0 || this.#closed) return;
    this.#out.write(this.#chunks.join(''));
    this.#chunks = [];
    this.#size = 0;
  }

  /** Flushes and waits until the stream has taken everything (a write callback, not 'drain', which only follows a full buffer). */
  async end(): Promise<void> {
    this.flush();
    if (!this.#closed && this.#out.writableLength !== 0) {
      await new Promise<void>((resolve) =>
        this.#out.write('', (error?: NodeJS.ErrnoException | null) => {
          // The callback hears of a failed write before the 'error' event does.
          if (error && error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.#error ??= writeFailure(this.#out, error);
          resolve();
        }),
      );
    }
    if (this.#error !== undefined) throw this.#error;
  }

}

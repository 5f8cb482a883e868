// Buffered line output to a stream: few large writes instead of one per line; EPIPE ends quietly.
import type { Writable } from 'node:stream';

export class LineWriter {
  #chunks: string[] = [];
  #size = 0;
  #closed = false;
  #flushScheduled = false;
  readonly #out: Writable;
  readonly #flushAt: number;

  constructor(out: Writable, flushAt = 64 * 1024) {
    this.#out = out;
    this.#flushAt = flushAt;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.#closed = true;
      else throw error;
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
    if (this.#closed || this.#out.writableLength === 0) return;
    await new Promise<void>((resolve) => this.#out.write('', () => resolve()));
  }

}

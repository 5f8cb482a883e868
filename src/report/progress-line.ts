// Progress on a terminal's stderr: one line (bytes and percentage read, exchanges, findings, rate) redrawn with \r at most 4 times a second, erased at the end.
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import type { InputProgress } from '../sources/measured-input.js';
import { terminalSafe } from './terminal-safe.js';

/** Redraws per second at most. */
const REDRAW_MS = 250;
/** Back to the line's start and erase it (the line is never wider than the terminal, so it never wraps). */
const ERASE_LINE = '\r\x1b[K';
const MB = 1024 * 1024;

/** What has come out of the input so far; `findings` only where something judges (scan, not exchanges). */
export interface ProgressCounts {
  readonly exchanges: number;
  readonly findings?: number;
}

export interface ProgressTarget {
  write(text: string): unknown;
  readonly columns?: number;
}

/**
 * What a scan has done so far, shown on one terminal line. `totalBytes` is the size of all the
 * inputs when every one is a regular file (undefined with a live input: no percentage then).
 * Control characters of file names are escaped. Other stderr lines go through `lines()`, which
 * erases the progress before them so nothing is written across it.
 */
export class ProgressLine {
  readonly #target: ProgressTarget;
  readonly #totalBytes: number | undefined;
  readonly #started = performance.now();
  readonly #timer: NodeJS.Timeout;
  /** Bytes of the inputs already read whole. */
  #doneBytes = 0;
  #current: InputProgress | undefined;
  #counts: () => ProgressCounts = () => ({ exchanges: 0, findings: 0 });
  #shown = '';

  constructor(target: ProgressTarget, totalBytes: number | undefined) {
    this.#target = target;
    this.#totalBytes = totalBytes;
    this.#timer = setInterval(() => this.#draw(), REDRAW_MS).unref();
  }

  /** An input was opened: the one read from now on. The line shows at once, however fast the input reads. */
  readonly input = (progress: InputProgress): void => {
    if (this.#current) this.#doneBytes += this.#current.bytesRead();
    this.#current = progress;
    this.#draw();
  };

  /** Where the exchange and finding counts are read from (the inspection's, polled at each redraw). */
  readonly counting = (counts: () => ProgressCounts): void => void (this.#counts = counts);

  /** The text of the line now, without control sequences (exported for tests). */
  text(now = performance.now()): string {
    const read = this.#doneBytes + (this.#current?.bytesRead() ?? 0);
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    const total = this.#totalBytes;
    const amount = total !== undefined && total > 0 ? `${megabytes(read)}/${megabytes(total)} MB (${Math.min(100, Math.floor((read / total) * 100))}%)` : `${megabytes(read)} MB`;
    const { exchanges, findings } = this.#counts();
    const judged = findings === undefined ? '' : `, ${findings} findings`;
    // The file name comes last: a narrow terminal cuts it, not the numbers.
    const file = this.#current ? ` ${terminalSafe(basename(this.#current.path))}` : '';
    return `reading ${amount} ${(read / MB / seconds).toFixed(1)} MB/s, ${exchanges} exchanges${judged}${file}`;
  }

  #draw(): void {
    // A pseudo-terminal without a size says 0 columns.
    const width = Math.max((this.#target.columns || 80) - 1, 20);
    const line = this.text().slice(0, width);
    if (line === this.#shown) return;
    this.#shown = line;
    this.#target.write(`${ERASE_LINE}${line}`);
  }

  #erase(): void {
    if (this.#shown === '') return;
    this.#shown = '';
    this.#target.write(ERASE_LINE);
  }

  /** A stream for the other stderr lines: the progress is erased before each and redrawn at the next tick. */
  lines(stderr: NodeJS.WritableStream & { isTTY?: boolean }): Writable & { isTTY?: boolean } {
    const guarded = new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.#erase();
        stderr.write(chunk);
        done();
      },
    });
    return Object.assign(guarded, { isTTY: stderr.isTTY });
  }

  /** Stops redrawing and erases the line: what follows starts on a clean line. */
  finish(): void {
    clearInterval(this.#timer);
    this.#erase();
  }
}

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

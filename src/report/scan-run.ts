// ScanRunClock: when the scan and each capture started and how long each took, for CI reports.
import { hostname } from 'node:os';
import type { ScanRun } from './report-meta.js';

/** Times a scan as its sources finish; `run()` is the ScanRun so far. */
export class ScanRunClock {
  readonly #started = new Date();
  readonly #begin = performance.now();
  readonly #captures: Record<string, { startedAt: string; seconds: number }> = {};

  /** A capture is done: it started at `started` and took `seconds`. */
  readonly source = (file: string, started: Date, seconds: number): void => {
    this.#captures[file] = { startedAt: started.toISOString(), seconds };
  };

  run(): ScanRun {
    return { hostname: hostname(), startedAt: this.#started.toISOString(), seconds: (performance.now() - this.#begin) / 1000, captures: { ...this.#captures } };
  }
}

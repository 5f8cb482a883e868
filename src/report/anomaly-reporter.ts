// Warnings for anomalies on stderr: one line each, capped per code, with a closing count and a pointer to docs/anomalies.md.
import type { Anomaly } from '../model/index.js';
import { terminalSafe } from './terminal-safe.js';

/** One anomaly as a stderr line; its message may quote the traffic, so control characters are escaped. */
export function anomalyLine(a: Anomaly): string {
  const where = [a.file, a.frame !== undefined ? `frame ${a.frame}` : undefined, a.stream !== undefined && a.stream >= 0 ? `stream ${a.stream}` : undefined]
    .filter((part) => part !== undefined)
    .join(', ');
  return terminalSafe(`${a.severity}: ${where ? `${where}: ` : ''}${a.message} [${a.code}]`);
}

export class AnomalyReporter {
  readonly #perCode = new Map<string, number>();
  readonly #limit: number;
  readonly #write: (line: string) => void;
  readonly all: Anomaly[] = [];
  readonly #keep: number;

  constructor(write: (line: string) => void, limitPerCode = 20, keep = 10_000) {
    this.#write = write;
    this.#limit = limitPerCode;
    this.#keep = keep;
  }

  readonly report = (a: Anomaly): void => {
    if (this.all.length < this.#keep) this.all.push(a);
    const seen = (this.#perCode.get(a.code) ?? 0) + 1;
    this.#perCode.set(a.code, seen);
    if (seen <= this.#limit) this.#write(anomalyLine(a));
  };

  /** Lines saying how many anomalies of each code were not printed, then where the codes are explained. */
  finish(): void {
    for (const [code, count] of this.#perCode) {
      if (count > this.#limit) this.#write(`warning: ${count - this.#limit} more [${code}] not shown (${count} in all)`);
    }
    if (this.#perCode.size > 0) this.#write('see docs/anomalies.md for what each [code] means and what to do');
  }

  get count(): number {
    let total = 0;
    for (const n of this.#perCode.values()) total += n;
    return total;
  }
}

// Live lines for the proxy: text (one line per exchange and per finding) or JSON Lines; masked by default.
import type { Writable } from 'node:stream';
import type { Finding } from '../model/index.js';
import type { Judgement } from '../pipeline/exchange-judge.js';
import { exchangeSummaryLine, summarizeExchange } from '../report/exchange-summary.js';
import { LineWriter } from '../report/line-writer.js';
import { exchangeId, exchangeIdOf, scrubbed } from '../report/scan-view.js';
import { terminalSafe } from '../report/terminal-safe.js';

export type LiveFormat = 'text' | 'jsonl';

function findingJson(finding: Finding, show: boolean): Record<string, unknown> {
  return {
    type: 'finding',
    rule: finding.ruleId,
    severity: finding.severity,
    messageId: finding.messageId,
    message: scrubbed(finding.message, finding.sighting, show),
    exchange: exchangeIdOf(finding),
    fix: finding.fix,
    docs: finding.docs,
    ...(finding.fingerprint ? { fingerprint: finding.fingerprint } : {}),
  };
}

/**
 * Writes judgements as they arrive. Lines are buffered and flushed once per event-loop turn, so a
 * burst of exchanges costs one write, and a quiet proxy still shows each line at once.
 */
export class LiveOutput {
  readonly #out: LineWriter;
  readonly #format: LiveFormat;
  readonly #show: boolean;
  #flushScheduled = false;

  constructor(out: Writable, format: LiveFormat, showSecrets: boolean) {
    this.#out = new LineWriter(out);
    this.#format = format;
    this.#show = showSecrets;
  }

  readonly judged = (judgement: Judgement): void => {
    const exchange = judgement.decoded.exchange;
    const summary = { ...summarizeExchange(exchange, this.#show), file: 'proxy' };
    if (this.#format === 'jsonl') {
      this.#out.line(JSON.stringify({ type: 'exchange', id: exchangeId(exchange), ...summary }));
      for (const finding of judgement.findings) this.#out.line(JSON.stringify(findingJson(finding, this.#show)));
    } else {
      this.#out.line(exchangeSummaryLine(summary));
      for (const finding of judgement.findings) {
        this.#out.line(terminalSafe(`  ${finding.severity} ${finding.ruleId}: ${scrubbed(finding.message, finding.sighting, this.#show)}`));
        this.#out.line(`    fix: ${finding.fix}`);
      }
    }
    this.#scheduleFlush();
  };

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#out.flush();
    });
  }

  async end(): Promise<void> {
    await this.#out.end();
  }
}

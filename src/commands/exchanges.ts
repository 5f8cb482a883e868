// `oauth-inspect exchanges`: one line or JSON object per HTTP exchange, credentials masked.
import { readExchanges } from '../pipeline/read-exchanges.js';
import { AnomalyReporter } from '../report/anomaly-reporter.js';
import type { HttpExchange } from '../model/index.js';
import { exchangeSummaryLine, summarizeExchange } from '../report/exchange-summary.js';
import { FrameOrder, LIVE_HOLD_MS, framed, type FrameKey } from '../pipeline/frame-order.js';
import { LineWriter } from '../report/line-writer.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import { EXIT_OK, type CliIo } from './io.js';
import { stopReadingOn } from './stop-reading.js';
import { jsonText } from '../report/json-text.js';

export interface ExchangesOptions {
  readonly format: 'text' | 'json';
  readonly showSecrets?: boolean;
  readonly keylog?: string;
}

export async function exchangesCommand(files: readonly string[], options: ExchangesOptions, io: CliIo): Promise<number> {
  const out = new LineWriter(io.stdout);
  const anomalies = new AnomalyReporter((line) => io.stderr.write(`${line}\n`));
  const json = options.format === 'json';
  const showSecrets = options.showSecrets === true;
  const keyLog = await loadKeyLog(options.keylog, io.env, anomalies.report);
  // Each line shows once written (a live pipe's exchanges as they complete); a burst is still one write.
  const ordered = new FrameOrder<FrameKey & { readonly value: string }>((item) => {
    out.line(item.value);
    out.flushSoon();
  });
  const push = (ex: HttpExchange): void => {
    const summary = summarizeExchange(ex, showSecrets);
    const line = json ? jsonText(summary) : exchangeSummaryLine(summary);
    ordered.push(framed(ex, line));
  };
  const handlers = { exchange: push, anomaly: anomalies.report, live: () => ordered.holdAtMost(LIVE_HOLD_MS) };
  // Ctrl-C, SIGTERM or a closed stdout (`| head`) stops reading; what was read is still listed.
  const stop = stopReadingOn(io);
  try {
    for (const file of files) {
      if (stop.signal.aborted) break;
      await readExchanges(file, handlers, { keyLog, signal: stop.signal }).catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
      });
      ordered.flush();
      out.flush();
    }
  } finally {
    stop.dispose();
  }
  anomalies.finish();
  await out.end();
  return EXIT_OK;
}

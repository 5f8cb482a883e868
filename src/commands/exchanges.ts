// `oauth-inspect exchanges`: one line or JSON object per HTTP exchange, credentials masked.
import { readExchanges } from '../pipeline/read-exchanges.js';
import { AnomalyReporter } from '../report/anomaly-reporter.js';
import type { HttpExchange } from '../model/index.js';
import { exchangeSummaryLine, summarizeExchange } from '../report/exchange-summary.js';
import { FrameOrder, framed, type FrameKey } from '../pipeline/frame-order.js';
import { LineWriter } from '../report/line-writer.js';
import { loadKeyLog } from '../tls/load-key-log.js';
import { EXIT_OK, type CliIo } from './io.js';

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
  const ordered = new FrameOrder<FrameKey & { readonly value: string }>((item) => out.line(item.value));
  const push = (ex: HttpExchange): void => {
    const summary = summarizeExchange(ex, showSecrets);
    const line = json ? JSON.stringify(summary) : exchangeSummaryLine(summary);
    ordered.push(framed(ex, line));
  };
  for (const file of files) {
    await readExchanges(file, { exchange: push, anomaly: anomalies.report }, { keyLog });
    ordered.flush();
    out.flush();
  }
  anomalies.finish();
  await out.end();
  return EXIT_OK;
}

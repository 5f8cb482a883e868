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
import { progressFor } from './progress-choice.js';
import type { ProgressLine } from '../report/progress-line.js';
import { jsonText } from '../report/json-text.js';
import { refuseOutputOverInput } from './output-not-input.js';
import { openReportStream } from './report-stream.js';

export interface ExchangesOptions {
  readonly format: 'text' | 'json';
  readonly showSecrets?: boolean;
  readonly keylog?: string;
  /** No progress line on stderr. */
  readonly quiet?: boolean;
  /** Write the list to this file instead of stdout. */
  readonly output?: string;
}

export async function exchangesCommand(files: readonly string[], options: ExchangesOptions, callerIo: CliIo): Promise<number> {
  // `-o FILE`: checked and created before anything is read, never over one of the inputs.
  await refuseOutputOverInput([['--output', options.output]], [...files, ...(options.keylog ? [options.keylog] : [])]);
  const terminalIo: CliIo = options.output ? { ...callerIo, stdout: await openReportStream(options.output) } : callerIo;
  // Lines on a terminal stdout are their own progress.
  const progress = await progressFor(files, { ...(options.quiet ? { quiet: true } : {}), streamsToStdout: options.output === undefined }, terminalIo);
  const io: CliIo = progress ? { ...terminalIo, stderr: progress.lines(terminalIo.stderr) } : terminalIo;
  let listed = 0;
  progress?.counting(() => ({ exchanges: listed }));
  try {
    return await listExchanges(files, options, io, progress, () => listed++);
  } finally {
    progress?.finish();
    if (options.output) await new Promise<void>((resolve) => terminalIo.stdout.end(resolve));
  }
}

async function listExchanges(files: readonly string[], options: ExchangesOptions, io: CliIo, progress: ProgressLine | undefined, counted: () => void): Promise<number> {
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
    counted();
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
      await readExchanges(file, handlers, { keyLog, signal: stop.signal, ...(progress ? { onInput: progress.input } : {}) }).catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
      });
      ordered.flush();
      out.flush();
    }
  } finally {
    stop.dispose();
  }
  progress?.finish();
  anomalies.finish();
  await out.end();
  return EXIT_OK;
}

// JSON Lines as the inspection goes: one object per exchange, finding and anomaly, then a summary line.
import type { Writable } from 'node:stream';
import type { Finding, Judgement } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { summarizeExchange } from './exchange-summary.js';
import { anomalyJson, findingJson } from './format-json.js';
import { LineWriter } from './line-writer.js';
import { anomalyCount, stableExchangeId } from './scan-view.js';
import { jsonText } from './json-text.js';

const NO_IDS = new Map();

/**
 * `{"type":"exchange",…}` has exactly the fields of an `exchanges --format json` line (plus
 * `type` and `id`); `{"type":"finding",…}` the fields of a finding in the JSON report. Lines are
 * flushed once per event-loop turn, so a quiet live source still shows each line at once.
 */
export function jsonlAddon(
  out: Writable,
  showSecrets: boolean,
  exitCode: (worst: Finding['severity'] | undefined) => number,
  /** Closes `out` at the end (a file; never stdout). */
  closeAtEnd = false,
): InspectorAddon {
  const lines = new LineWriter(out);
  const soon = (): void => lines.flushSoon();
  const findings = (list: readonly Finding[]): void => {
    for (const finding of list) lines.line(jsonText({ type: 'finding', ...findingJson(finding, NO_IDS, showSecrets) }));
  };
  return {
    name: 'JSON Lines',
    judged(judgement: Judgement) {
      const ex = judgement.decoded.exchange;
      lines.line(jsonText({ type: 'exchange', id: stableExchangeId(ex), ...summarizeExchange(ex, showSecrets) }));
      findings(judgement.findings);
      soon();
    },
    captureFindings(list) {
      findings(list);
      soon();
    },
    anomaly(anomaly) {
      lines.line(jsonText({ type: 'anomaly', ...anomalyJson(anomaly) }));
      soon();
    },
    async done(summary) {
      const counts = summary.findingCounts;
      lines.line(
        jsonText({
          type: 'summary',
          exchanges: summary.exchangeCount,
          findings: { total: counts.error + counts.warning + counts.note, ...counts },
          ruleErrors: summary.result.ruleErrors.length,
          anomalies: anomalyCount(summary.result),
          ...(summary.result.coverage ? { coverage: summary.result.coverage } : {}),
          exitCode: exitCode(summary.worstSeverity),
          stopped: summary.stopped,
        }),
      );
      await lines.end();
      if (closeAtEnd) await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}


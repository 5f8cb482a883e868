// Live lines for a running source (the proxy): one text line per exchange and per finding, as they are judged.
import type { Writable } from 'node:stream';
import type { Finding } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { exchangeSummaryLine, summarizeExchange } from './exchange-summary.js';
import { LineWriter } from './line-writer.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * Lines are buffered and flushed once per event-loop turn, so a burst of exchanges costs one
 * write, and a quiet proxy still shows each line at once. JSON Lines are `jsonlAddon`'s.
 */
export function liveLinesAddon(out: Writable, showSecrets: boolean, source: string): InspectorAddon {
  const lines = new LineWriter(out);
  const soon = (): void => lines.flushSoon();
  const findings = (list: readonly Finding[]): void => {
    for (const finding of list) {
      lines.line(terminalSafe(`  ${finding.severity} ${finding.ruleId}: ${finding.message}`));
      lines.line(`    fix: ${finding.fix}`);
    }
  };
  return {
    name: 'live lines',
    judged(judgement) {
      lines.line(exchangeSummaryLine({ ...summarizeExchange(judgement.decoded.exchange, showSecrets), file: source }));
      findings(judgement.findings);
      soon();
    },
    captureFindings(list) {
      findings(list);
      soon();
    },
    async done() {
      await lines.end();
    },
  };
}

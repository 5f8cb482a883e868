// `--format ecs`: Elastic Common Schema NDJSON as the inspection goes, one line per exchange and per finding.
import type { Writable } from 'node:stream';
import type { Finding, Judgement, Timestamp } from '../model/index.js';
import type { InspectorAddon } from '../pipeline/inspector.js';
import { ecsAlert, ecsExchange, type EcsContext } from './ecs-event.js';
import { LineWriter } from './line-writer.js';
import { jsonText } from './json-text.js';

/**
 * Streams like the JSON Lines addon: lines are flushed once per event-loop turn, so a live source
 * shows each at once. Anomalies and the summary are not events here (they go to stderr and the
 * exit code); credential values never appear, whatever --show-secrets says.
 */
export function ecsAddon(out: Writable, context: EcsContext, closeAtEnd = false): InspectorAddon {
  const lines = new LineWriter(out);
  /** The latest capture time seen: the time of findings about the capture itself. */
  let lastTime: Timestamp | undefined;
  return {
    name: 'ECS',
    judged(judgement: Judgement) {
      const decoded = judgement.decoded;
      lastTime = decoded.exchange.request.time;
      lines.line(jsonText(ecsExchange(decoded, context)));
      for (const finding of judgement.findings) lines.line(jsonText(ecsAlert(finding, decoded, undefined, context)));
      lines.flushSoon();
    },
    captureFindings(findings: readonly Finding[]) {
      for (const finding of findings) lines.line(jsonText(ecsAlert(finding, undefined, lastTime, context)));
      lines.flushSoon();
    },
    async done() {
      await lines.end();
      if (closeAtEnd) await new Promise<void>((resolve) => out.end(() => resolve()));
    },
  };
}

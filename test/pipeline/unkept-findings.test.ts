// Findings beyond the report's per-rule limit are only counted when no output reads them one by one: the summary is the same either way.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { Inspector, type InspectionSummary, type InspectorAddon } from '../../src/pipeline/inspector.js';
import { makeExchange } from '../factories.js';

const BASIC = `Basic ${Buffer.from('alice:Pa55word').toString('base64')}`;

/** Plain-HTTP Basic requests, every third answered 200 (the server's answer lowers some severities), the others 401. */
function exchangeOf(stream: number) {
  const status = stream % 3 === 0 ? 200 : 401;
  return makeExchange({ origin: { kind: 'pcap', file: 'a.pcap' }, stream, frame: 2 * stream + 1, responseFrame: 2 * stream + 2, scheme: 'http', uri: '/ews/exchange.asmx', requestHeaders: { Host: 'mail.contoso.test', Authorization: BASIC }, status });
}

async function summaryWith(addons: readonly InspectorAddon[], maxFindingsPerRule: number): Promise<InspectionSummary> {
  const inspector = new Inspector(await resolveConfig(undefined, {}), addons, { limits: { maxExchanges: 3, maxFindingsPerRule } });
  for (let stream = 0; stream < 12; stream++) inspector.exchange(exchangeOf(stream));
  return inspector.finish(['a.pcap']);
}

describe('Inspector: findings beyond the limits', () => {
  it('counts them exactly whether or not an output takes every judgement', async () => {
    const judged: number[] = [];
    const streaming = await summaryWith([{ name: 'stream', judged: (j) => judged.push(j.findings.length) }], 2);
    const counted = await summaryWith([{ name: 'report' }], 2);
    expect(judged.reduce((a, b) => a + b, 0)).toBeGreaterThan(counted.result.findings.length);
    expect(counted.droppedFindings).toBeGreaterThan(0);
    expect(counted.findingCounts).toEqual(streaming.findingCounts);
    expect(counted.droppedFindings).toBe(streaming.droppedFindings);
    expect(counted.worstSeverity).toBe(streaming.worstSeverity);
    expect(counted.result).toEqual(streaming.result);
  });

  it('keeps the same findings as without a limit, up to the limit', async () => {
    const all = await summaryWith([{ name: 'report' }], 1000);
    const limited = await summaryWith([{ name: 'report' }], 2);
    const byRule = new Map<string, number>();
    const firstOfEach = all.result.findings.filter((f) => {
      const n = byRule.get(f.ruleId) ?? 0;
      byRule.set(f.ruleId, n + 1);
      return n < 2;
    });
    expect(limited.result.findings).toEqual(firstOfEach);
    expect(limited.findingCounts).toEqual(all.findingCounts);
  });
});

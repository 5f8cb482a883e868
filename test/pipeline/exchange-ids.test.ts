// The Inspector numbers exchanges; judgements refer to them by id, so dropping bodies leaves findings and sightings as the engine made them.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { exchangePlaceOf, type Judgement } from '../../src/model/index.js';
import { Inspector } from '../../src/pipeline/inspector.js';
import { makeExchange } from '../factories.js';

const BASIC = `Basic ${Buffer.from('alice:Pa55word').toString('base64')}`;

/** A plain-HTTP Basic request with a body, answered 401: several findings on one sighting. */
function basicExchange(file: string, stream: number) {
  return makeExchange({
    origin: { kind: 'pcap', file },
    stream,
    frame: 10 + stream,
    responseFrame: 20 + stream,
    scheme: 'http',
    method: 'POST',
    uri: '/autodiscover/autodiscover.xml',
    requestHeaders: { Host: 'mail.contoso.test', Authorization: BASIC },
    requestBody: '<Autodiscover/>',
    status: 401,
  });
}

async function judgedOf(...files: string[]): Promise<Judgement[]> {
  const judged: Judgement[] = [];
  const inspector = new Inspector(await resolveConfig(undefined, {}), [{ name: 'test', judged: (j) => judged.push(j) }]);
  files.forEach((file, index) => inspector.exchange(basicExchange(file, index)));
  await inspector.finish(files);
  return judged;
}

describe('Inspector: exchanges by id', () => {
  it('numbers exchanges from 1 in the order they are handed over, across files', async () => {
    const judged = await judgedOf('a.pcap', 'b.pcap', 'a.pcap');
    expect(judged.map((j) => j.decoded.exchangeId)).toEqual([1, 2, 3]);
  });

  it('gives sightings and findings the id of their exchange, and findings its place', async () => {
    const [judgement] = await judgedOf('a.pcap');
    const { decoded, findings } = judgement!;
    expect(findings.length).toBeGreaterThan(1);
    expect(decoded.credentials.map((c) => c.exchangeId)).toEqual([decoded.exchangeId]);
    for (const finding of findings) {
      expect(finding.exchangeId).toBe(decoded.exchangeId);
      expect(finding.place).toEqual(exchangePlaceOf(basicExchange('a.pcap', 0)));
      // Not rebuilt when the bodies were dropped: the very sighting of the decoded exchange.
      if (finding.sighting) expect(decoded.credentials).toContain(finding.sighting);
    }
  });

  it('drops the bodies of the judged exchange only', async () => {
    const [judgement] = await judgedOf('a.pcap');
    expect(judgement!.decoded.exchange.request.body.bytes).toHaveLength(0);
    expect(judgement!.decoded.exchange.request.body.truncated).toBe(true);
    expect(judgement!.findings[0]!.place!.request).toEqual({ method: 'POST', uri: '/autodiscover/autodiscover.xml', frame: 10 });
  });
});

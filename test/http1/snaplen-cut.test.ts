// HttpStreamParser on streams whose packets the snapshot length cut: what was captured becomes exchanges marked cut.
import { describe, expect, it } from 'vitest';
import { runStream } from './stream-harness.js';

const CUT = 96;

describe('HttpStreamParser and bytes cut by the snapshot length', () => {
  it('makes a cut request line an exchange (method, URI as far as captured, no version) and reads on at the next message', () => {
    const { exchanges, anomalies } = runStream([
      { dir: 'client', bytes: 'GET /autodiscover/autodiscover', frame: 4 },
      { dir: 'client', gap: 78, frame: 4, snapLength: CUT },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nContent-Type:', frame: 6 },
      { dir: 'server', gap: 230, frame: 6, snapLength: CUT },
      { dir: 'client', bytes: 'GET /next HTTP/1.1\r\nHost: a\r\n\r\n', frame: 8 },
      { dir: 'server', bytes: 'HTTP/1.1 204 No Content\r\n\r\n', frame: 9 },
    ]);
    expect(anomalies).toEqual([]);
    expect(exchanges).toHaveLength(2);
    const [cut, next] = exchanges;
    expect(cut!.request).toMatchObject({ method: 'GET', uri: '/autodiscover/autodiscover', version: '', headers: [], frame: 4, firstFrame: 4, incomplete: true, cut: { snapLength: 96 } });
    expect(cut!.response).toMatchObject({ status: 200, reason: 'OK', headers: [], frame: 6, incomplete: true, cut: { snapLength: 96 } });
    expect(next!.indexInStream).toBe(1);
    expect(next!.request).toMatchObject({ method: 'GET', uri: '/next', version: 'HTTP/1.1', frame: 8 });
    expect(next!.request.cut).toBeUndefined();
    expect(next!.request.incomplete).toBeUndefined();
    expect(next!.response?.status).toBe(204);
  });

  it('keeps the header lines captured whole and leaves out the one the cut went through', () => {
    const { exchanges, anomalies } = runStream([
      { dir: 'client', bytes: 'POST /token HTTP/1.1\r\nHost: mail.contoso.test\r\nAuthorization: Basic dXNl', frame: 12 },
      { dir: 'client', gap: 120, frame: 12, snapLength: CUT },
    ]);
    expect(anomalies).toEqual([]);
    expect(exchanges[0]!.request).toMatchObject({
      method: 'POST',
      uri: '/token',
      version: 'HTTP/1.1',
      headers: [['Host', 'mail.contoso.test']],
      cut: { snapLength: 96 },
      incomplete: true,
    });
  });

  it('marks a message whose body the cut went through, without a body-gap anomaly per packet', () => {
    const { exchanges, anomalies } = runStream([
      { dir: 'client', bytes: 'POST /t HTTP/1.1\r\nContent-Length: 20\r\n\r\ngrant_type', frame: 1 },
      { dir: 'client', gap: 10, frame: 1, snapLength: CUT },
      { dir: 'client', bytes: 'GET /after HTTP/1.1\r\n\r\n', frame: 2 },
    ]);
    expect(anomalies).toEqual([]);
    expect(exchanges.map((ex) => [ex.request.method, ex.request.uri, ex.request.cut, ex.request.body.truncated, ex.request.body.wireLength])).toEqual([
      ['POST', '/t', { snapLength: 96 }, true, 20],
      ['GET', '/after', undefined, false, 0],
    ]);
  });

  it('detects HTTP from a first request line that was cut before its end', () => {
    const { exchanges } = runStream([
      { dir: 'client', bytes: 'GET /ews/exchange.asmx/a/rathe', frame: 8 },
      { dir: 'client', gap: 500, frame: 8, snapLength: CUT },
    ]);
    expect(exchanges.map((ex) => [ex.request.method, ex.request.uri, ex.request.version, ex.request.frame])).toEqual([['GET', '/ews/exchange.asmx/a/rathe', '', 8]]);
  });

  it('keeps a version as far as it was captured', () => {
    const { exchanges } = runStream([
      { dir: 'client', bytes: 'GET /x HTTP/1.1\r\n\r\n' },
      { dir: 'client', bytes: 'GET /ucwa/oauth/basic HTTP/1' },
      { dir: 'client', gap: 90, snapLength: CUT },
    ]);
    expect(exchanges.map((ex) => [ex.request.uri, ex.request.version, ex.request.cut])).toEqual([
      ['/x', 'HTTP/1.1', undefined],
      ['/ucwa/oauth/basic', 'HTTP/1', { snapLength: 96 }],
    ]);
  });

  it('does not take cut body text for a request line', () => {
    const { exchanges } = runStream([
      { dir: 'client', bytes: 'POST /t HTTP/1.1\r\nHost: a\r\n\r\n' },
      { dir: 'client', bytes: 'hello world, this is' },
      { dir: 'client', gap: 300, snapLength: CUT },
      { dir: 'client', bytes: 'Some text' },
      { dir: 'client', gap: 300, snapLength: CUT },
    ]);
    expect(exchanges.map((ex) => ex.request.uri)).toEqual(['/t']);
  });

  it('a gap that is not a cut still reports itself', () => {
    const { anomalies } = runStream([
      { dir: 'client', bytes: 'GET /autodiscover' },
      { dir: 'client', gap: 78 },
    ]);
    expect(anomalies.map((a) => a.code)).toEqual([]);
    const inHttp = runStream([
      { dir: 'client', bytes: 'GET /x HTTP/1.1\r\n\r\n' },
      { dir: 'client', bytes: 'GET /autodiscover' },
      { dir: 'client', gap: 78 },
    ]);
    expect(inHttp.anomalies.map((a) => a.code)).toEqual(['http-gap']);
    expect(inHttp.exchanges.map((ex) => ex.request.uri)).toEqual(['/x']);
  });
});

// HTTP/2 stream assembly: each stream one exchange, HPACK state per direction, CONTINUATION, padding, trailers, h2c and Upgrade.
import { describe, expect, it } from 'vitest';
import { headerValue } from '../../src/model/index.js';
import { dataFrames, frame, FrameFlag, FrameType, headerFrames, HpackEncoder, PREFACE, settingsFrame } from '../../scripts/fixture-server/h2-wire.js';
import { h2cConversation, runConnection, scriptOf, TOKEN } from './h2-harness.js';

describe('an h2c connection with prior knowledge', () => {
  const { exchanges, anomalies } = runConnection(scriptOf(h2cConversation()));

  it('gives one exchange per stream, in the order they completed, with the stream ids', () => {
    expect(anomalies).toEqual([]);
    expect(exchanges.map((ex) => [ex.h2Stream, ex.indexInStream, ex.request.method, ex.request.uri, ex.response?.status])).toEqual([
      [1, 0, 'GET', '/EWS/Exchange.asmx', 200],
      [3, 1, 'POST', '/EWS/Exchange.asmx?second=1', 401],
    ]);
  });

  it('decodes the indexed authorization (one byte on the wire) to the same token', () => {
    for (const ex of exchanges) expect(headerValues(ex)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('reads :authority as the Host, pseudo-headers out of the header list, version HTTP/2', () => {
    const [first] = exchanges;
    expect(first!.request.headers).toEqual([
      ['host', 'mail.contoso.test'],
      ['authorization', `Bearer ${TOKEN}`],
      ['user-agent', 'test/1'],
    ]);
    expect(first!.request.version).toBe('HTTP/2');
    expect(first!.scheme).toBe('http');
    expect(first!.stream).toBe(7);
  });

  it('joins a header block split over CONTINUATION frames', () => {
    const second = exchanges[1]!;
    expect(headerValue(second.request.headers, 'cookie')).toBe(`X-BackEndCookie=${'c'.repeat(40_000)}`);
    expect(second.request.body.bytes.toString()).toBe('<soap/>');
  });

  it('undoes gzip over padded DATA frames; keeps trailers', () => {
    expect(exchanges[0]!.response!.body.bytes.toString()).toBe('<s:Envelope>ok</s:Envelope>');
    expect(exchanges[0]!.response!.body.contentEncoding).toBe('gzip');
    expect(exchanges[1]!.response!.trailers).toEqual([['x-trailer', 'done']]);
    expect(exchanges[1]!.response!.body.bytes.toString()).toBe('denied');
    expect(headerValue(exchanges[1]!.response!.headers, 'www-authenticate')).toMatch(/^Bearer client_id=/);
  });

  it('places the request at the frame of its HEADERS frame, as tshark does (not at its CONTINUATIONs)', () => {
    // Client steps: preface 1, settings 2, stream 1 HEADERS 3, stream 3 HEADERS 4 + CONTINUATIONs 5–6, DATA 7.
    expect(exchanges.map((ex) => [ex.request.firstFrame, ex.request.frame])).toEqual([
      [3, 3],
      [4, 4],
    ]);
  });
});

function headerValues(ex: { request: { headers: ReadonlyArray<readonly [string, string]> } }): string[] {
  return ex.request.headers.filter(([name]) => name === 'authorization').map(([, value]) => value);
}

describe('choosing the protocol', () => {
  it('reads HTTP/2 over TLS when ALPN says h2', () => {
    const { exchanges } = runConnection(scriptOf(h2cConversation()), { alpn: 'h2' });
    expect(exchanges.map((ex) => ex.h2Stream)).toEqual([1, 3]);
  });

  it('waits for the whole preface when it arrives a byte at a time, with the server speaking first', () => {
    const { client, server } = h2cConversation();
    const script = [
      { dir: 'server' as const, bytes: server[0]! },
      ...[...PREFACE].map((byte) => ({ dir: 'client' as const, bytes: Buffer.of(byte) })),
      ...client.slice(1).map((bytes) => ({ dir: 'client' as const, bytes })),
      ...server.slice(1).map((bytes) => ({ dir: 'server' as const, bytes })),
    ];
    expect(runConnection(script).exchanges.map((ex) => ex.h2Stream)).toEqual([1, 3]);
  });

  it('keeps HTTP/1.1 on a cleartext connection without the preface', () => {
    const { exchanges } = runConnection([
      { dir: 'client', bytes: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' },
      { dir: 'server', bytes: 'HTTP/1.1 204 No Content\r\n\r\n' },
    ]);
    expect(exchanges.map((ex) => [ex.request.version, ex.h2Stream])).toEqual([['HTTP/1.1', undefined]]);
  });

  it('follows Upgrade: h2c -> 101 into HTTP/2: the upgraded request is answered on stream 1', () => {
    const responses = new HpackEncoder();
    const requests = new HpackEncoder();
    const upgrade = `GET /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail.contoso.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    const switching = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    const ok = responses.encode([[':status', '200'], ['content-length', '2']]);
    const second = requests.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'mail.contoso.test'], [':path', '/second']]);
    const { exchanges, anomalies } = runConnection([
      { dir: 'client', bytes: upgrade },
      // The 101 and the first HTTP/2 frames in one segment.
      { dir: 'server', bytes: Buffer.concat([switching, settingsFrame(), ...headerFrames(1, ok, false)]) },
      { dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), frame(FrameType.SETTINGS, FrameFlag.ACK, 0), ...headerFrames(3, second, true)]) },
      { dir: 'server', bytes: Buffer.concat([...dataFrames(1, Buffer.from('ok'), true), ...headerFrames(3, responses.encode([[':status', '404']]), true)]) },
    ]);
    expect(anomalies).toEqual([]);
    expect(exchanges.map((ex) => [ex.h2Stream, ex.indexInStream, ex.request.version, ex.request.uri, ex.response?.status, ex.response?.version, ex.response?.interim.map((i) => i.status)])).toEqual([
      [1, 0, 'HTTP/1.1', '/EWS/Exchange.asmx', 200, 'HTTP/2', [101]],
      [3, 1, 'HTTP/2', '/second', 404, 'HTTP/2', []],
    ]);
    expect(exchanges[0]!.response!.body.bytes.toString()).toBe('ok');
  });

  it('leaves a 101 to another protocol (WebSocket) as a tunnel', () => {
    const { exchanges } = runConnection([
      { dir: 'client', bytes: 'GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n' },
      { dir: 'server', bytes: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x00' },
    ]);
    expect(exchanges.map((ex) => [ex.response?.status, ex.h2Stream])).toEqual([[101, undefined]]);
  });
});

describe('streams that end early', () => {
  it('RST_STREAM ends a stream as far as it got; the connection goes on', () => {
    const requests = new HpackEncoder();
    const get = (path: string): Buffer => requests.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'a'], [':path', path]]);
    const responses = new HpackEncoder();
    const { exchanges } = runConnection([
      { dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), ...headerFrames(1, get('/reset'), true), ...headerFrames(3, get('/ok'), true)]) },
      { dir: 'server', bytes: Buffer.concat([settingsFrame(), frame(FrameType.RST_STREAM, 0, 1, Buffer.alloc(4)), ...headerFrames(3, responses.encode([[':status', '200']]), true)]) },
    ]);
    expect(exchanges.map((ex) => [ex.h2Stream, ex.response?.status])).toEqual([
      [1, undefined],
      [3, 200],
    ]);
  });

  it('a connection that ends mid-stream gives the stream, marked incomplete', () => {
    const requests = new HpackEncoder();
    const block = requests.encode([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/p']]);
    const { exchanges } = runConnection([{ dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), ...headerFrames(1, block, false), ...dataFrames(1, Buffer.from('par'), false)]) }]);
    expect(exchanges.map((ex) => [ex.request.incomplete, ex.request.body.bytes.toString()])).toEqual([[true, 'par']]);
  });

  it('PUSH_PROMISE: the promised request and its pushed response are one exchange', () => {
    const requests = new HpackEncoder();
    const responses = new HpackEncoder();
    const promised = responses.encode([[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '/pushed.css']]);
    const { exchanges } = runConnection(
      [
        { dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), ...headerFrames(1, requests.encode([[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '/']]), true)]) },
        {
          dir: 'server',
          bytes: Buffer.concat([
            settingsFrame(),
            frame(FrameType.PUSH_PROMISE, FrameFlag.END_HEADERS, 1, Buffer.concat([Buffer.from([0, 0, 0, 2]), promised])),
            ...headerFrames(1, responses.encode([[':status', '200']]), true),
            ...headerFrames(2, responses.encode([[':status', '200']]), false),
            ...dataFrames(2, Buffer.from('css'), true),
          ]),
        },
      ],
      { alpn: 'h2' },
    );
    expect(exchanges.map((ex) => [ex.h2Stream, ex.request.uri, ex.response?.status, ex.scheme])).toEqual([
      [1, '/', 200, 'https'],
      [2, '/pushed.css', 200, 'https'],
    ]);
  });
});

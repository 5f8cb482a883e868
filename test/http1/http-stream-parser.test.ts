// Unit tests for HttpStreamParser: framing, pairing, frames, gaps, detection, driven by scripted chunks.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { headerValue } from '../../src/model/index.js';
import { STREAM_INFO, exchangeContent, runStream, splitAt, type ScriptStep } from './stream-harness.js';

const CLIENT_HELLO = Buffer.from('16030100c4010000c00303' + 'ab'.repeat(32) + '000004130113020100', 'hex');
const SERVER_HELLO = Buffer.from('160303005a0200005603030102030405', 'hex');

function get(path: string, extra = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: mail.contoso.com\r\n${extra}\r\n`;
}
function ok(body: string, extra = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
}
const codes = (run: { anomalies: { code: string }[] }): string[] => run.anomalies.map((a) => a.code);

describe('message framing and pairing', () => {
  test('keep-alive: sequential exchanges keep their order and index', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/one') },
      { dir: 'server', bytes: ok('first') },
      { dir: 'client', bytes: get('/two') },
      { dir: 'server', bytes: ok('second') },
    ]);
    expect(run.exchanges.map((ex) => [ex.indexInStream, ex.request.uri, ex.response?.body.bytes.toString()])).toEqual([
      [0, '/one', 'first'],
      [1, '/two', 'second'],
    ]);
    expect(run.anomalies).toEqual([]);
    const [first] = run.exchanges;
    expect(first).toMatchObject({ stream: STREAM_INFO.index, scheme: 'http', client: STREAM_INFO.client, server: STREAM_INFO.server });
    expect(first!.origin).toEqual({ kind: 'pcap', file: 'test.pcap' });
  });

  test('pipelining: queued requests are answered in order', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/a') + get('/b') + get('/c') },
      { dir: 'server', bytes: ok('A') + ok('B') },
      { dir: 'server', bytes: ok('C') },
    ]);
    expect(run.exchanges.map((ex) => `${ex.request.uri}=${ex.response?.body.bytes.toString()}`)).toEqual(['/a=A', '/b=B', '/c=C']);
    expect(run.exchanges.map((ex) => ex.response?.frame)).toEqual([2, 2, 3]);
  });

  test('an exchange is emitted as soon as its response completes', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/a') + get('/b') },
      { dir: 'server', bytes: ok('A') },
    ], { end: false });
    expect(run.exchanges.map((ex) => ex.request.uri)).toEqual(['/a']);
  });

  test('chunked body with extensions and trailers', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /ews HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6 ; a="b"\r\n world\r\n0\r\nX-Checksum: 42\r\nX-More: yes\r\n\r\n' },
    ]);
    const { request } = run.exchanges[0]!;
    expect(request.body).toMatchObject({ wireLength: 11, truncated: false });
    expect(request.body.bytes.toString()).toBe('hello world');
    expect(request.trailers).toEqual([['X-Checksum', '42'], ['X-More', 'yes']]);
    expect(run.anomalies).toEqual([]);
  });

  test('chunked body without trailers has none', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n' },
    ]);
    expect(run.exchanges[0]!.response!.body.bytes.toString()).toBe('ok');
    expect(run.exchanges[0]!.response!.trailers).toBeUndefined();
  });

  test('close-delimited response ends with the connection, in the last data frame', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ' },
      { dir: 'server', bytes: 'part two' },
    ], { end: false });
    expect(run.exchanges).toEqual([]);
    const ended = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ' },
      { dir: 'server', bytes: 'part two' },
    ]);
    const response = ended.exchanges[0]!.response!;
    expect(response.body.bytes.toString()).toBe('part one, part two');
    expect([response.firstFrame, response.frame, response.incomplete]).toEqual([2, 3, undefined]);
    expect(ended.anomalies).toEqual([]);
  });

  test('1xx interim responses attach to the final response', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n' },
      { dir: 'server', bytes: 'HTTP/1.1 100 Continue\r\n\r\n' },
      { dir: 'client', bytes: 'data' },
      { dir: 'server', bytes: 'HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n' },
      { dir: 'server', bytes: ok('done') },
    ]);
    const response = run.exchanges[0]!.response!;
    expect(response.status).toBe(200);
    expect(response.interim).toEqual([
      { status: 100, reason: 'Continue', headers: [], frame: 2 },
      { status: 103, reason: 'Early Hints', headers: [['Link', '</s.css>; rel=preload']], frame: 4 },
    ]);
    expect(run.exchanges[0]!.request.body.bytes.toString()).toBe('data');
  });

  test('a final response before the request body is paired once the body completes', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /ews HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n' },
      { dir: 'server', bytes: 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 0\r\n\r\n' },
      { dir: 'client', bytes: 'data' },
    ], { end: false });
    expect(run.exchanges).toHaveLength(1);
    expect([run.exchanges[0]!.request.frame, run.exchanges[0]!.response!.status]).toEqual([3, 401]);
  });

  test.each([
    ['HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'],
    ['GET', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 1234\r\n\r\n'],
    ['DELETE', 'HTTP/1.1 204 No Content\r\nContent-Length: 1234\r\n\r\n'],
  ])('%s answered by a bodiless response, then the next exchange parses', (method, response) => {
    const run = runStream([
      { dir: 'client', bytes: `${method} /x HTTP/1.1\r\nHost: h\r\n\r\n` + get('/next') },
      { dir: 'server', bytes: response + ok('next') },
    ]);
    expect(run.exchanges.map((ex) => [ex.request.method, ex.response?.body.wireLength])).toEqual([
      [method, 0],
      ['GET', 4],
    ]);
    expect(run.anomalies).toEqual([]);
  });

  test('request without a response is emitted at the end', () => {
    const run = runStream([{ dir: 'client', bytes: get('/lonely') }]);
    expect(run.exchanges).toHaveLength(1);
    expect(run.exchanges[0]!.response).toBeUndefined();
    expect(run.anomalies).toEqual([]);
  });

  test('frames: a request spread over three frames is shown in the one that completes it', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /token HTTP/1.1\r\nContent-', frame: 4 },
      { dir: 'client', bytes: 'Length: 6\r\n\r\nab', frame: 6 },
      { dir: 'client', bytes: 'cdef', frame: 9 },
      { dir: 'server', bytes: ok('{}'), frame: 11 },
    ]);
    const { request } = run.exchanges[0]!;
    expect([request.firstFrame, request.frame, request.time]).toEqual([4, 9, { sec: 1_700_000_009, nsec: 0 }]);
  });

  test('bare LF line endings, empty lines between messages, obs-fold and duplicate headers', () => {
    const run = runStream([
      { dir: 'client', bytes: 'GET /lf HTTP/1.1\nHost: h\nX-Folded: one\n  two\n\tthree\nset-Cookie: a\nSet-Cookie: b\n\n\r\n' + get('/after') },
      { dir: 'server', bytes: 'HTTP/1.1 200 \nContent-Length: 2\n\nok' + ok('yes') },
    ]);
    const [first, second] = run.exchanges;
    expect(first!.request.headers).toEqual([
      ['Host', 'h'],
      ['X-Folded', 'one two three'],
      ['set-Cookie', 'a'],
      ['Set-Cookie', 'b'],
    ]);
    expect([first!.response!.status, first!.response!.reason, first!.response!.body.bytes.toString()]).toEqual([200, '', 'ok']);
    expect(second!.request.uri).toBe('/after');
    expect(run.anomalies).toEqual([]);
  });
});

describe('content encodings', () => {
  const json = JSON.stringify({ access_token: 'x'.repeat(300), token_type: 'Bearer' });
  test.each([
    ['gzip', gzipSync(json)],
    ['x-gzip', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['deflate', deflateRawSync(json)],
    ['br', brotliCompressSync(json)],
  ])('%s bodies are decoded', (encoding, encoded) => {
    const run = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${encoded.length}\r\n\r\n`), encoded]) },
    ]);
    const { body } = run.exchanges[0]!.response!;
    expect(body.bytes.toString()).toBe(json);
    expect(body).toMatchObject({ wireLength: encoded.length, truncated: false, contentEncoding: encoding });
  });

  test('a body that does not decode is kept raw, truncated, with an anomaly', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!' },
    ]);
    const ex = run.exchanges[0]!;
    expect(ex.response!.body).toMatchObject({ truncated: true, wireLength: 9 });
    expect(ex.response!.body.contentEncoding).toBeUndefined();
    expect(ex.response!.body.bytes.toString()).toBe('not gzip!');
    expect(ex.anomalies.map((a) => a.code)).toEqual(['http-content-decoding']);
  });

  test('bodies beyond maxBodyBytes are capped but their wire length is kept', () => {
    const big = Array.from({ length: 500 }, (_, i) => `${(i * 7919) % 10007},`).join('').padEnd(5000, '.');
    const gz = gzipSync(big);
    const run = runStream([
      { dir: 'client', bytes: `POST / HTTP/1.1\r\nContent-Length: ${big.length}\r\n\r\n${big}` },
      { dir: 'server', bytes: Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`), gz]) },
    ], { maxBodyBytes: 1000 });
    const { request, response } = run.exchanges[0]!;
    expect([request.body.bytes.length, request.body.wireLength, request.body.truncated]).toEqual([1000, 5000, true]);
    expect(response!.body.truncated).toBe(true);
    expect(response!.body.bytes.length).toBeLessThanOrEqual(1000);
    expect(response!.body.bytes.length).toBeGreaterThan(500);
    expect(response!.body.bytes.toString()).toBe(big.slice(0, response!.body.bytes.length));
  });
});

describe('chunk boundaries', () => {
  const conversation: ScriptStep[] = [
    { dir: 'client', bytes: 'POST /EWS/Exchange.asmx HTTP/1.1\r\nHost: mail\r\nAuthorization: Bearer abc.def.\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\nT: 1\r\n\r\n' + get('/two') },
    { dir: 'server', bytes: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer client_id="x", trusted_issuers="y"\r\nContent-Length: 5\r\n\r\nnope!' + 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' },
  ];
  const whole = runStream(conversation).exchanges.map(exchangeContent);

  test('the unsplit conversation parses as expected', () => {
    expect(whole).toHaveLength(2);
    expect(whole.map((ex) => (ex as { response: unknown[] }).response[0])).toEqual([401, 200]);
  });

  test.each(conversation.map((step, i) => [i]))('splitting step %i at every offset changes nothing', (stepIndex) => {
    const step = conversation[stepIndex]!;
    const bytes = Buffer.from((step as { bytes: string }).bytes, 'latin1');
    for (let offset = 1; offset < bytes.length; offset++) {
      const script = conversation.flatMap((s, i) => (i === stepIndex ? splitAt(bytes, [offset]).map((piece) => ({ dir: s.dir, bytes: piece })) : [s]));
      expect(runStream(script).exchanges.map(exchangeContent), `split at ${offset}`).toEqual(whole);
    }
  });

  test('one byte per chunk changes nothing', () => {
    const script = conversation.flatMap((s) => [...Buffer.from((s as { bytes: string }).bytes, 'latin1')].map((byte) => ({ dir: s.dir, bytes: Buffer.of(byte) })));
    expect(runStream(script).exchanges.map(exchangeContent)).toEqual(whole);
  });
});

describe('gaps', () => {
  test('a gap inside a Content-Length body is skipped and parsing carries on', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123' },
      { dir: 'client', gap: 3 },
      { dir: 'client', bytes: '789' + get('/b') },
      { dir: 'server', bytes: ok('A') + ok('B') },
    ]);
    expect(run.exchanges.map((ex) => ex.request.uri)).toEqual(['/a', '/b']);
    const first = run.exchanges[0]!;
    expect(first.request.body).toMatchObject({ wireLength: 10, truncated: true });
    expect(first.request.body.bytes.toString()).toBe('0123');
    expect(first.anomalies.map((a) => a.code)).toEqual(['http-body-gap']);
    expect(first.anomalies[0]).toMatchObject({ stream: STREAM_INFO.index, frame: 2, file: 'test.pcap', severity: 'warning' });
  });

  test('a gap in a header section loses sync until the next request line', () => {
    const run = runStream([
      { dir: 'client', bytes: 'GET /lost HTTP/1.1\r\nHost: h\r\nX-Par' },
      { dir: 'client', gap: 100 },
      { dir: 'client', bytes: 'tial: tail\r\n\r\n' + get('/found') },
      { dir: 'server', bytes: ok('F') },
    ]);
    expect(run.exchanges.map((ex) => [ex.request.uri, ex.response?.body.bytes.toString()])).toEqual([['/found', 'F']]);
    expect(codes(run)).toEqual(['http-gap']);
    expect(run.anomalies[0]).toMatchObject({ stream: 7, frame: 2 });
  });

  test('a gap in chunked framing marks the message incomplete and resyncs', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/a') + get('/b') },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n' },
      { dir: 'server', gap: 50 },
      { dir: 'server', bytes: 'junk\r\n' + ok('B') },
    ]);
    expect(run.exchanges.map((ex) => [ex.request.uri, ex.response?.incomplete, ex.response?.body.bytes.toString()])).toEqual([
      ['/a', true, 'abcd'],
      ['/b', undefined, 'B'],
    ]);
    expect(run.exchanges[0]!.anomalies.map((a) => a.code)).toEqual(['http-gap']);
  });

  test('a gap inside chunk data within the chunk is skipped like a body gap', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/a') },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\nabc' },
      { dir: 'server', gap: 4 },
      { dir: 'server', bytes: 'hij\r\n0\r\n\r\n' },
    ]);
    const response = run.exchanges[0]!.response!;
    expect([response.body.wireLength, response.body.truncated, response.incomplete]).toEqual([10, true, undefined]);
    expect(codes(run)).toEqual(['http-body-gap']);
  });
});

describe('malformed input', () => {
  test('a request line over 16 KB mid-stream: its request kept with the target cut and an anomaly, the next one read', () => {
    const long = `GET /${'b'.repeat(20_000)} HTTP/1.1\r\nHost: mail\r\nAuthorization: Basic dTpw\r\n\r\n`;
    const run = runStream([{ dir: 'client', bytes: get('/a') + long + get('/c') }]);
    expect(run.exchanges.map((ex) => ex.request.uri.slice(0, 3))).toEqual(['/a', '/bb', '/c']);
    expect(run.exchanges[1]!.request.uri).toHaveLength(16 * 1024 - 'GET '.length);
    expect(headerValue(run.exchanges[1]!.request.headers, 'authorization')).toBe('Basic dTpw');
    expect(run.exchanges.map((ex) => ex.anomalies.map((a) => a.code))).toEqual([[], ['http-long-start-line'], []]);
  });

  test('bad chunk-size lines full of white space are read in linear time', () => {
    // 4 MB of responses whose chunk-size line holds 4,000 spaces before a bad character: the
    // former regular-expression trim took about 14 s; a scan takes well under a second.
    const response = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1${' '.repeat(4000)}x\r\n`;
    const count = Math.floor((4 * 1024 * 1024) / response.length);
    const started = performance.now();
    const run = runStream([
      { dir: 'client', bytes: get('/chunked') },
      { dir: 'server', bytes: response.repeat(count) },
    ]);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(run.exchanges.map((ex) => ex.request.uri)).toEqual(['/chunked']);
    expect(run.anomalies.filter((a) => a.code === 'http-gap')).toHaveLength(count);
  });

  test.each([
    ['conflicting Content-Length', 'Content-Length: 3\r\nContent-Length: 4\r\n', 'http-conflicting-content-length'],
    ['absurd Content-Length', 'Content-Length: 99999999999999999999\r\n', 'http-bad-content-length'],
    ['non-numeric Content-Length', 'Content-Length: 12abc\r\n', 'http-bad-content-length'],
  ])('%s: anomaly on the exchange, next request still found', (_name, header, code) => {
    const run = runStream([
      { dir: 'client', bytes: `POST /bad HTTP/1.1\r\n${header}\r\nabc\r\n` + get('/next') },
    ]);
    expect(run.exchanges.map((ex) => ex.request.uri)).toEqual(['/bad', '/next']);
    expect(run.exchanges[0]!.anomalies.map((a) => a.code)).toEqual([code]);
    expect(run.anomalies[0]).toMatchObject({ stream: 7, frame: 1 });
  });

  test('bad chunk size: anomaly, message incomplete', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/') },
      { dir: 'server', bytes: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n' },
    ]);
    expect(run.exchanges[0]!.response!.incomplete).toBe(true);
    expect(run.exchanges[0]!.anomalies.map((a) => a.code)).toEqual(['http-gap']);
    expect(run.anomalies[0]!.message).toMatch(/bad chunk size/);
  });

  test('garbage instead of a status line: anomaly, resync on the next status line', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/a') },
      { dir: 'server', bytes: 'HTTX/9 garbage\r\n\x00\x01\x02\r\n' + ok('A') },
    ]);
    expect(run.exchanges[0]!.response!.body.bytes.toString()).toBe('A');
    expect(codes(run)).toEqual(['http-gap']);
  });

  test('malformed header lines are dropped with an anomaly', () => {
    const run = runStream([{ dir: 'client', bytes: 'GET / HTTP/1.1\r\nno colon here\r\nBad Name: x\r\nGood: y\r\n\r\n' }]);
    expect(run.exchanges[0]!.request.headers).toEqual([['Good', 'y']]);
    expect(run.exchanges[0]!.anomalies.map((a) => a.code)).toEqual(['http-bad-header-line']);
  });

  test('header section beyond 64 KiB: anomaly and the direction is no longer parsed', () => {
    const run = runStream([{ dir: 'client', bytes: `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n` + get('/x') }]);
    expect(run.exchanges).toEqual([]);
    expect(codes(run)).toEqual(['http-header-too-large']);
  });

  test('request cut by the end of the capture is emitted incomplete, at the last frame seen', () => {
    const run = runStream([
      { dir: 'client', bytes: 'POST /cut HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc', frame: 3 },
      { dir: 'client', bytes: 'def', frame: 5 },
    ]);
    const ex = run.exchanges[0]!;
    expect([ex.request.incomplete, ex.request.frame, ex.request.firstFrame, ex.request.body.bytes.toString()]).toEqual([true, 5, 3, 'abcdef']);
    expect(ex.anomalies.map((a) => a.code)).toEqual(['http-incomplete']);
  });

  test('response before any request is reported and dropped', () => {
    const run = runStream([
      { dir: 'server', bytes: ok('orphan') },
      { dir: 'client', bytes: get('/a') },
      { dir: 'server', bytes: ok('A') },
    ]);
    expect(run.exchanges.map((ex) => ex.response?.body.bytes.toString())).toEqual(['A']);
    expect(codes(run)).toEqual(['http-response-without-request']);
  });
});

describe('protocol detection', () => {
  test.each([
    ['TLS', CLIENT_HELLO, SERVER_HELLO],
    ['SSH', Buffer.from('SSH-2.0-OpenSSH_9.6 Ubuntu-3\r\n'), Buffer.from('SSH-2.0-OpenSSH_8.9\r\n')],
    ['HTTP/2 prior knowledge', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])],
  ])('%s streams are skipped quietly and stop wanting data', (_name, client, server) => {
    const run = runStream([
      { dir: 'client', bytes: client },
      { dir: 'server', bytes: server },
    ]);
    expect(run).toEqual({ exchanges: [], anomalies: [], wantsData: false });
  });

  test('non-HTTP bytes on one side only keep the stream undecided', () => {
    expect(runStream([{ dir: 'client', bytes: CLIENT_HELLO }], { end: false }).wantsData).toBe(true);
  });

  test('HTTP on any port: detected by content, with wantsData kept', () => {
    const run = runStream([{ dir: 'client', bytes: get('/') }], { end: false });
    expect(run.wantsData).toBe(true);
  });

  test('requests from the side called server swap the roles', () => {
    const run = runStream([
      { dir: 'client', bytes: 'tail of an earlier response body' },
      { dir: 'server', bytes: get('/swapped') },
      { dir: 'client', bytes: ok('S') },
    ]);
    const ex = run.exchanges[0]!;
    expect([ex.request.uri, ex.response?.body.bytes.toString()]).toEqual(['/swapped', 'S']);
    expect([ex.client, ex.server]).toEqual([STREAM_INFO.server, STREAM_INFO.client]);
    expect(codes(run)).toEqual(['http-gap']);
  });

  test('CONNECT 200 turns the stream into a tunnel', () => {
    const run = runStream([
      { dir: 'client', bytes: 'CONNECT login.microsoftonline.com:443 HTTP/1.1\r\nHost: login.microsoftonline.com:443\r\n\r\n' },
      { dir: 'server', bytes: 'HTTP/1.1 200 Connection established\r\n\r\n' },
      { dir: 'client', bytes: CLIENT_HELLO },
    ], { end: false });
    expect(run.exchanges.map((ex) => [ex.request.uri, ex.response?.status])).toEqual([['login.microsoftonline.com:443', 200]]);
    expect(run.wantsData).toBe(false);
    expect(run.anomalies).toEqual([]);
  });

  test('101 Switching Protocols ends HTTP parsing and is the response', () => {
    const run = runStream([
      { dir: 'client', bytes: get('/ws', 'Upgrade: websocket\r\nConnection: Upgrade\r\n') },
      { dir: 'server', bytes: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello' },
      { dir: 'client', bytes: '\x81\x85garbage' },
    ]);
    expect(run.exchanges.map((ex) => ex.response?.status)).toEqual([101]);
    expect(run.wantsData).toBe(false);
    expect(run.anomalies).toEqual([]);
  });

  test('headers keep secrets out of anomaly messages', () => {
    const run = runStream([{ dir: 'client', bytes: 'GET /?access_token=SECRET HTTP/1.1\r\nAuthorization: Bearer SECRET\r\nContent-Length: SECRET\r\n\r\n' }]);
    expect(run.anomalies.length).toBeGreaterThan(0);
    for (const anomaly of run.anomalies) expect(anomaly.message).not.toContain('SECRET');
    expect(headerValue(run.exchanges[0]!.request.headers, 'authorization')).toBe('Bearer SECRET');
  });
});

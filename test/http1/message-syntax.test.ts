// Tests for the start-line, header-line and framing helpers of the HTTP/1 reader.
import { describe, expect, test } from 'vitest';
import { parseHeaderLines } from '../../src/http1/header-block.js';
import { requestFraming, responseFraming } from '../../src/http1/message-framing.js';
import { RequestLineProbe } from '../../src/http1/request-line-probe.js';
import { parseRequestLine, parseStatusLine } from '../../src/http1/start-line.js';

const line = (text: string): Buffer => Buffer.from(text, 'latin1');
const parseRequest = (text: string) => parseRequestLine(line(text), 0, text.length);
const parseStatus = (text: string) => parseStatusLine(line(text), 0, text.length);

describe('start lines', () => {
  test.each([
    ['GET / HTTP/1.1\r\n', { method: 'GET', uri: '/', version: 'HTTP/1.1' }],
    ['POST /EWS/Exchange.asmx?x=%20 HTTP/1.0\n', { method: 'POST', uri: '/EWS/Exchange.asmx?x=%20', version: 'HTTP/1.0' }],
    ['CONNECT host:443 HTTP/1.1', { method: 'CONNECT', uri: 'host:443', version: 'HTTP/1.1' }],
    ['GET http://h/p HTTP/1.1\r\n', { method: 'GET', uri: 'http://h/p', version: 'HTTP/1.1' }],
    ['GET / HTTP/2.0\r\n', undefined],
    ['GET  / HTTP/1.1\r\n', undefined],
    ['GET / HTTP/1.1 extra\r\n', undefined],
    ['G(T / HTTP/1.1\r\n', undefined],
    ['SSH-2.0-OpenSSH_9.6\r\n', undefined],
    ['', undefined],
  ])('request line %j', (text, expected) => {
    expect(parseRequest(text)).toEqual(expected);
  });

  test.each([
    ['HTTP/1.1 200 OK\r\n', { version: 'HTTP/1.1', status: 200, reason: 'OK' }],
    ['HTTP/1.0 401 Unauthorized\n', { version: 'HTTP/1.0', status: 401, reason: 'Unauthorized' }],
    ['HTTP/1.1 204\r\n', { version: 'HTTP/1.1', status: 204, reason: '' }],
    ['HTTP/1.1 500 Internal  Server Error', { version: 'HTTP/1.1', status: 500, reason: 'Internal  Server Error' }],
    ['HTTP/1.1 20 OK\r\n', undefined],
    ['HTTP/2 200 OK\r\n', undefined],
    ['http/1.1 200 OK\r\n', undefined],
  ])('status line %j', (text, expected) => {
    expect(parseStatus(text)).toEqual(expected);
  });
});

describe('header lines', () => {
  test('order, casing, duplicates, OWS and obs-fold are kept as HTTP says', () => {
    const parsed = parseHeaderLines(line('A: 1\r\nb:2 \r\nA:  3\r\nX: first\r\n second\r\n\r\nIgnored: after end\r\n'));
    expect(parsed).toEqual({ headers: [['A', '1'], ['b', '2'], ['A', '3'], ['X', 'first second']], badLines: 0 });
  });

  test.each([['no colon\r\n'], [': empty name\r\n'], ['Sp ace: x\r\n'], [' fold with nothing before\r\n']])('bad line %j is counted and dropped', (text) => {
    expect(parseHeaderLines(line(`${text}Ok: 1\r\n\r\n`))).toEqual({ headers: [['Ok', '1']], badLines: 1 });
  });
});

describe('framing', () => {
  test.each([
    [[], { type: 'none' }, []],
    [[['Content-Length', '12']], { type: 'length', length: 12 }, []],
    [[['Content-Length', '12, 12']], { type: 'length', length: 12 }, []],
    [[['Transfer-Encoding', 'gzip, chunked']], { type: 'chunked' }, []],
    [[['Transfer-Encoding', 'chunked'], ['Content-Length', '3']], { type: 'chunked' }, ['http-te-with-content-length']],
    [[['Transfer-Encoding', 'gzip']], { type: 'invalid' }, ['http-bad-transfer-encoding']],
    [[['Content-Length', '-1']], { type: 'invalid' }, ['http-bad-content-length']],
    [[['Content-Length', '1'], ['content-length', '2']], { type: 'invalid' }, ['http-conflicting-content-length']],
  ] as const)('request %j', (headers, framing, problems) => {
    const decision = requestFraming(headers);
    expect(decision.framing).toEqual(framing);
    expect(decision.problems.map((p) => p.code)).toEqual(problems);
  });

  test.each([
    [200, 'GET', [], { type: 'close' }],
    [200, 'HEAD', [['Content-Length', '10']], { type: 'none' }],
    [200, 'CONNECT', [], { type: 'none' }],
    [407, 'CONNECT', [['Content-Length', '3']], { type: 'length', length: 3 }],
    [100, 'POST', [], { type: 'none' }],
    [204, 'GET', [['Content-Length', '10']], { type: 'none' }],
    [304, 'GET', [['Content-Length', '10']], { type: 'none' }],
    [200, undefined, [['Transfer-Encoding', 'gzip']], { type: 'close' }],
  ] as const)('response %i to %s', (status, method, headers, framing) => {
    expect(responseFraming(headers, status, method).framing).toEqual(framing);
  });
});

describe('RequestLineProbe', () => {
  test.each([
    [['GET / HTTP/1.1\r\n'], 'request'],
    [['GE', 'T /index', '.html HTTP/1.1\nHost'], 'request'],
    [['POST /x HTTP/1.1'], 'undecided'],
    [['\x16\x03\x01'], 'other'],
    [['SSH-2.0-x', 'y\r\n'], 'other'],
    [['HTTP/1.1 200 OK\r\n'], 'other'],
    // A first line over 16 KB is judged by its beginning, as a cut line is.
    [['GET /', 'a'.repeat(20_000)], 'request'],
    [['SSH-2.0-', 'x'.repeat(20_000)], 'other'],
  ])('%j gives %s', (pieces, verdict) => {
    const probe = new RequestLineProbe();
    for (const piece of pieces) probe.feed(line(piece));
    expect(probe.verdict).toBe(verdict);
  });
});

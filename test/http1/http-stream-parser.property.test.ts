// Property tests for HttpStreamParser: chunking never changes the result; random input never throws.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { exchangeContent, runStream, splitAt, type ScriptStep } from './stream-harness.js';

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/);
const fieldValue = fc.stringMatching(/^[!-~]([ !-~]{0,30}[!-~])?$/);
const bodyText = fc.string({ maxLength: 300 });

/** One request/response pair, serialised with a random framing. */
const exchangeArbitrary = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc.stringMatching(/^\/[A-Za-z0-9/._?=&%-]{0,40}$/),
  headers: fc.array(fc.tuple(token, fieldValue), { maxLength: 5 }),
  requestBody: bodyText,
  requestChunked: fc.boolean(),
  status: fc.constantFrom(200, 201, 401, 404, 500),
  responseBody: bodyText,
  responseFraming: fc.constantFrom('length', 'chunked', 'gzip'),
  interim: fc.boolean(),
});

type ExchangeSpec = typeof exchangeArbitrary extends fc.Arbitrary<infer T> ? T : never;

function chunked(body: Buffer): Buffer {
  const half = body.length >> 1;
  const pieces = [body.subarray(0, half), body.subarray(half)].filter((p) => p.length > 0);
  return Buffer.concat([...pieces.flatMap((p) => [Buffer.from(`${p.length.toString(16)};e=1\r\n`), p, Buffer.from('\r\n')]), Buffer.from('0\r\nX-Trailer: t\r\n\r\n')]);
}

function serialise(spec: ExchangeSpec): { request: Buffer; response: Buffer } {
  const fields = spec.headers.filter(([name]) => !/^(content-length|transfer-encoding|content-encoding)$/i.test(name)).map(([n, v]) => `${n}: ${v}\r\n`).join('');
  const requestBody = Buffer.from(spec.requestBody, 'utf8');
  const request = spec.requestChunked
    ? Buffer.concat([Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\n${fields}Transfer-Encoding: chunked\r\n\r\n`), chunked(requestBody)])
    : Buffer.concat([Buffer.from(`${spec.method} ${spec.path} HTTP/1.1\r\n${fields}Content-Length: ${requestBody.length}\r\n\r\n`), requestBody]);
  const responseBody = Buffer.from(spec.responseBody, 'utf8');
  const interim = spec.interim ? 'HTTP/1.1 100 Continue\r\n\r\n' : '';
  const head = `${interim}HTTP/1.1 ${spec.status} X\r\n${fields}`;
  const response =
    spec.responseFraming === 'chunked'
      ? Buffer.concat([Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`), chunked(responseBody)])
      : spec.responseFraming === 'gzip'
        ? (() => {
            const gz = gzipSync(responseBody);
            return Buffer.concat([Buffer.from(`${head}Content-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`), gz]);
          })()
        : Buffer.concat([Buffer.from(`${head}Content-Length: ${responseBody.length}\r\n\r\n`), responseBody]);
  return { request, response };
}

describe('HttpStreamParser properties', () => {
  test('random chunking of a valid conversation gives the same exchanges', () => {
    fc.assert(
      fc.property(
        fc.array(exchangeArbitrary, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (specs, clientCuts, serverCuts) => {
          const messages = specs.map(serialise);
          const client = Buffer.concat(messages.map((m) => m.request));
          const server = Buffer.concat(messages.map((m) => m.response));
          const whole = runStream([
            { dir: 'client', bytes: client },
            { dir: 'server', bytes: server },
          ]);
          expect(whole.anomalies).toEqual([]);
          expect(whole.exchanges.map((ex) => [ex.request.body.bytes.toString('utf8'), ex.response?.body.bytes.toString('utf8')])).toEqual(
            specs.map((s) => [s.requestBody, s.responseBody]),
          );
          const script: ScriptStep[] = [
            ...splitAt(client, clientCuts.map((c) => c % client.length)).map((bytes) => ({ dir: 'client' as const, bytes })),
            ...splitAt(server, serverCuts.map((c) => c % server.length)).map((bytes) => ({ dir: 'server' as const, bytes })),
          ];
          expect(runStream(script).exchanges.map(exchangeContent)).toEqual(whole.exchanges.map(exchangeContent));
        },
      ),
      { numRuns: 200 },
    );
  });

  test('random bytes, gaps and chunkings never throw', () => {
    const step = fc.oneof(
      fc.record({ dir: fc.constantFrom('client' as const, 'server' as const), bytes: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) }),
      fc.record({ dir: fc.constantFrom('client' as const, 'server' as const), bytes: fc.constantFrom('GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'Content-Length: 5\r\n', 'Transfer-Encoding: chunked\r\n', '\r\n', '5\r\n', 'zz\r\n', '0\r\n\r\n', 'HTTP/1.1 100 Continue\r\n\r\n') }),
      fc.record({ dir: fc.constantFrom('client' as const, 'server' as const), gap: fc.integer({ min: 1, max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (script) => {
        const run = runStream(script);
        for (const ex of run.exchanges) expect(ex.request.method.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

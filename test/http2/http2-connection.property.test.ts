// Property and damage tests for HTTP/2: chunking never changes the exchanges; damaged bytes never throw, hang or lose what came before.
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import { frame, FrameFlag, FrameType, headerFrames, HpackEncoder, PREFACE, settingsFrame } from '../../scripts/fixture-server/h2-wire.js';
import { MAX_OPEN_STREAMS } from '../../src/http2/http2-connection.js';
import { exchangeContent, splitAt, type ScriptStep } from '../http1/stream-harness.js';
import { h2cConversation, runConnection, scriptOf } from './h2-harness.js';

const conversation = h2cConversation();
const clientBytes = Buffer.concat(conversation.client);
const serverBytes = Buffer.concat(conversation.server);
const whole = runConnection(scriptOf(conversation));

/** The client's pieces, then the server's: the server answers after the client has sent everything. */
function chunked(clientCuts: readonly number[], serverCuts: readonly number[]): ScriptStep[] {
  return [
    ...splitAt(clientBytes, clientCuts).map((bytes) => ({ dir: 'client' as const, bytes })),
    ...splitAt(serverBytes, serverCuts).map((bytes) => ({ dir: 'server' as const, bytes })),
  ];
}

const h2Content = (run: ReturnType<typeof runConnection>): unknown =>
  run.exchanges.map((ex) => ({ ...(exchangeContent(ex) as object), h2Stream: ex.h2Stream }));

describe('chunking', () => {
  it('gives the same exchanges when every byte comes alone (both directions)', () => {
    const everyByte = (length: number): number[] => Array.from({ length: length - 1 }, (_, i) => i + 1);
    const run = runConnection(chunked(everyByte(clientBytes.length), everyByte(serverBytes.length)));
    expect(run.anomalies).toEqual([]);
    expect(h2Content(run)).toEqual(h2Content(whole));
  });

  test('gives the same exchanges for any cuts', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: clientBytes.length }), { maxLength: 40 }), fc.array(fc.nat({ max: serverBytes.length }), { maxLength: 40 }), (clientCuts, serverCuts) => {
        expect(h2Content(runConnection(chunked(clientCuts, serverCuts)))).toEqual(h2Content(whole));
      }),
      { numRuns: 200 },
    );
  });

  test('interleaving the directions chunk by chunk does not change the exchanges', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: serverBytes.length }), { maxLength: 20 }), (serverCuts) => {
        // All client bytes first in pieces, server pieces in between after the preface and SETTINGS.
        const client = splitAt(clientBytes, [PREFACE.length + 15, PREFACE.length + 200]);
        const server = splitAt(serverBytes, serverCuts);
        const script: ScriptStep[] = [
          ...client.map((bytes) => ({ dir: 'client' as const, bytes })),
          ...server.map((bytes) => ({ dir: 'server' as const, bytes })),
        ];
        expect(h2Content(runConnection(script))).toEqual(h2Content(whole));
      }),
      { numRuns: 50 },
    );
  });
});

describe('damaged input', () => {
  test('random bytes after the preface never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }), (client, server) => {
        runConnection([
          { dir: 'client', bytes: Buffer.concat([PREFACE, Buffer.from(client)]) },
          { dir: 'server', bytes: Buffer.from(server) },
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it('a flipped byte anywhere in the server bytes never throws, and every request is still reported (every position, every xor)', () => {
    // Exhaustive rather than sampled: a sample found a HEADERS turned PUSH_PROMISE that promised garbage.
    const wrong: string[] = [];
    for (let at = 0; at < serverBytes.length; at++) {
      for (let xor = 1; xor < 256; xor++) {
        const damaged = Buffer.from(serverBytes);
        damaged[at]! ^= xor;
        const run = runConnection([
          { dir: 'client', bytes: clientBytes },
          { dir: 'server', bytes: damaged },
        ]);
        if (run.exchanges.length !== 2) wrong.push(`byte ${at} ^ ${xor}: ${run.exchanges.length} exchanges`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('a gap outside DATA content stops that side with http2-gap; what came before is kept', () => {
    const run = runConnection([
      { dir: 'client', bytes: clientBytes },
      { dir: 'server', bytes: serverBytes.subarray(0, 40) },
      { dir: 'server', gap: 500 },
      { dir: 'server', bytes: serverBytes.subarray(540) },
    ]);
    expect(run.anomalies.map((a) => [a.code, a.details?.['server']])).toEqual([['http2-gap', '10.0.0.2:8080']]);
    expect(run.exchanges.map((ex) => [ex.h2Stream, ex.response?.status])).toEqual([
      [1, undefined],
      [3, undefined],
    ]);
  });

  it('a gap inside a DATA frame only shortens that body', () => {
    const requests = new HpackEncoder();
    const responses = new HpackEncoder();
    const body = Buffer.alloc(1000, 0x61);
    const dataFrame = frame(FrameType.DATA, FrameFlag.END_STREAM, 1, body);
    const run = runConnection([
      { dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), ...headerFrames(1, requests.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]), true)]) },
      { dir: 'server', bytes: Buffer.concat([settingsFrame(), ...headerFrames(1, responses.encode([[':status', '200']]), false), dataFrame.subarray(0, 300)]) },
      { dir: 'server', gap: 200 },
      { dir: 'server', bytes: dataFrame.subarray(500) },
    ]);
    expect(run.anomalies.map((a) => a.code)).toEqual(['http-body-gap']);
    expect(run.exchanges[0]!.response!.body).toMatchObject({ wireLength: 1000, truncated: true });
  });

  it('a header block that does not decode is http2-compression-error; the other side goes on', () => {
    const responses = new HpackEncoder();
    const run = runConnection([
      { dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), frame(FrameType.HEADERS, FrameFlag.END_HEADERS | FrameFlag.END_STREAM, 1, Buffer.of(0xff, 0xff, 0xff, 0x0f))]) },
      { dir: 'server', bytes: Buffer.concat([settingsFrame(), ...headerFrames(1, responses.encode([[':status', '200']]), true)]) },
    ]);
    expect(run.anomalies.map((a) => a.code)).toEqual(['http2-compression-error']);
    expect(run.anomalies[0]!.message).toMatch(/^client: header block of stream 1 does not decode \(index \d+ is beyond the dynamic table/);
  });

  it('a CONTINUATION out of place is http2-malformed-frame', () => {
    const run = runConnection([{ dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), frame(FrameType.CONTINUATION, FrameFlag.END_HEADERS, 1, Buffer.of(0x82))]) }]);
    expect(run.anomalies.map((a) => [a.code, a.message])).toEqual([
      ['http2-malformed-frame', 'client: CONTINUATION on stream 1 without a HEADERS before it; the rest of the client side is not read'],
    ]);
  });

  it('padding longer than a DATA frame is http2-malformed-frame', () => {
    const run = runConnection([{ dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), frame(FrameType.DATA, FrameFlag.PADDED, 1, Buffer.of(9, 1, 2))]) }]);
    expect(run.anomalies.map((a) => a.code)).toEqual(['http2-malformed-frame']);
  });

  it('an ALPN h2 connection whose client does not start with the preface is http2-not-decoded, once', () => {
    const run = runConnection(
      [
        { dir: 'client', bytes: frame(FrameType.HEADERS, FrameFlag.END_HEADERS, 5, Buffer.of(0x82)) },
        { dir: 'server', bytes: settingsFrame() },
      ],
      { alpn: 'h2' },
    );
    expect(run.anomalies.map((a) => a.code)).toEqual(['http2-not-decoded']);
    expect(run.exchanges).toEqual([]);
  });

  it('a connection that ends inside a header block says so', () => {
    const requests = new HpackEncoder();
    const block = requests.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
    const run = runConnection([{ dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), frame(FrameType.HEADERS, 0, 1, block)]) }]);
    expect(run.anomalies.map((a) => [a.code, a.frame])).toEqual([['http-incomplete', 1]]);
  });
});

describe('bounds', () => {
  it(`keeps at most ${MAX_OPEN_STREAMS} streams open: the oldest is reported early, once, with http2-too-many-streams`, () => {
    const requests = new HpackEncoder();
    const opened = Array.from({ length: MAX_OPEN_STREAMS + 2 }, (_, i) =>
      headerFrames(2 * i + 1, requests.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'a'], [':path', `/${i}`]]), true),
    ).flat();
    const run = runConnection([{ dir: 'client', bytes: Buffer.concat([PREFACE, settingsFrame(), ...opened]) }]);
    expect(run.anomalies.map((a) => a.code)).toEqual(['http2-too-many-streams', 'http2-too-many-streams']);
    expect(run.exchanges).toHaveLength(MAX_OPEN_STREAMS + 2);
    expect(run.exchanges.slice(0, 2).map((ex) => ex.h2Stream)).toEqual([1, 3]);
  });
});

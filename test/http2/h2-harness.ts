// Test harness: drives the protocol choice (and so HTTP/2) with scripted chunks; builds h2c conversations.
import { gzipSync } from 'node:zlib';
import type { Anomaly, Direction, HttpExchange } from '../../src/model/index.js';
import { HttpProtocolChoice } from '../../src/http2/http-protocol-choice.js';
import { dataFrames, frame, FrameFlag, FrameType, headerFrames, HpackEncoder, PREFACE, settingsFrame, type EncodedField } from '../../scripts/fixture-server/h2-wire.js';
import { STREAM_INFO, type ScriptStep } from '../http1/stream-harness.js';

export interface H2Run {
  readonly exchanges: HttpExchange[];
  readonly anomalies: Anomaly[];
}

export function runConnection(script: readonly ScriptStep[], options: { alpn?: string; maxBodyBytes?: number } = {}): H2Run {
  const exchanges: HttpExchange[] = [];
  const anomalies: Anomaly[] = [];
  const handler = new HttpProtocolChoice(STREAM_INFO, {
    origin: { kind: 'pcap', file: 'test.pcap' },
    onExchange: (ex) => exchanges.push(ex),
    onAnomaly: (a) => anomalies.push(a),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.alpn !== undefined ? { tls: () => ({ version: 'TLS 1.3', alpn: options.alpn }) } : {}),
  });
  script.forEach((step, i) => {
    const frameNumber = step.frame ?? i + 1;
    const time = { sec: 1_700_000_000 + frameNumber, nsec: 0 };
    if ('gap' in step) handler.gap(step.dir, step.gap, frameNumber, time, step.snapLength);
    else handler.data(step.dir, typeof step.bytes === 'string' ? Buffer.from(step.bytes, 'latin1') : step.bytes, frameNumber, time);
  });
  handler.end('fin');
  return { exchanges, anomalies };
}

export const TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify({ aud: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.test@5de110f8-2e0f-4d45-891d-bcf2218e253d', iss: '00000004-0000-0ff1-ce00-000000000000@5de110f8-2e0f-4d45-891d-bcf2218e253d', nbf: 1_700_000_000, exp: 1_700_003_600 })).toString('base64url')}.`;

/**
 * An h2c conversation: stream 1 is a GET whose `authorization` is an incremental-indexed literal,
 * stream 3 a POST whose `authorization` is the indexed field (one byte), with a cookie large enough
 * for CONTINUATION frames; responses interleave, one gzip body in padded DATA frames, one 401 with
 * trailers. The client's and the server's bytes, each in wire order.
 */
export function h2cConversation(): { client: Buffer[]; server: Buffer[] } {
  const requests = new HpackEncoder();
  const responses = new HpackEncoder();
  const common = (method: string, path: string): EncodedField[] => [
    { name: ':method', value: method },
    { name: ':scheme', value: 'http' },
    { name: ':authority', value: 'mail.contoso.test' },
    { name: ':path', value: path, huffman: true },
  ];
  const first = requests.encode([...common('GET', '/EWS/Exchange.asmx'), { name: 'authorization', value: `Bearer ${TOKEN}`, coding: 'incremental' }, { name: 'user-agent', value: 'test/1', huffman: true }]);
  const body = Buffer.from('<soap/>');
  const second = requests.encode([
    ...common('POST', '/EWS/Exchange.asmx?second=1'),
    { name: 'authorization', value: `Bearer ${TOKEN}` },
    { name: 'cookie', value: `X-BackEndCookie=${'c'.repeat(40_000)}`, coding: 'without-indexing' },
    { name: 'content-type', value: 'text/xml' },
  ]);
  const client = [PREFACE, settingsFrame([[1, 4096]]), ...headerFrames(1, first, true), ...headerFrames(3, second, false, 16384), ...dataFrames(3, body, true)];
  const ok = responses.encode([{ name: ':status', value: '200' }, { name: 'content-type', value: 'text/xml' }, { name: 'content-encoding', value: 'gzip' }]);
  const denied = responses.encode([
    { name: ':status', value: '401' },
    { name: 'www-authenticate', value: 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*"', huffman: true },
  ]);
  const trailers = responses.encode([{ name: 'x-trailer', value: 'done' }]);
  const gzipped = gzipSync(Buffer.from('<s:Envelope>ok</s:Envelope>'));
  const server = [
    settingsFrame([[3, 100]]),
    frame(FrameType.SETTINGS, FrameFlag.ACK, 0),
    ...headerFrames(3, denied, false),
    ...headerFrames(1, ok, false),
    frame(FrameType.WINDOW_UPDATE, 0, 0, Buffer.from([0, 0, 0x10, 0])),
    ...dataFrames(1, gzipped.subarray(0, 10), false, 16384, 3),
    frame(FrameType.PING, 0, 0, Buffer.alloc(8)),
    ...dataFrames(1, gzipped.subarray(10), true, 16384, 5),
    ...dataFrames(3, Buffer.from('denied'), false),
    ...headerFrames(3, trailers, true),
  ];
  return { client, server };
}

/** Client bytes then server bytes of a conversation as one script (each buffer one step). */
export function scriptOf(conversation: { client: Buffer[]; server: Buffer[] }): ScriptStep[] {
  return [...conversation.client.map((bytes) => ({ dir: 'client' as Direction, bytes })), ...conversation.server.map((bytes) => ({ dir: 'server' as Direction, bytes }))];
}

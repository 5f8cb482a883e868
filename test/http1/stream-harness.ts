// Test harness: drives an HttpStreamParser with scripted chunks and collects what it reports.
import type { Anomaly, Direction, HttpExchange, TcpStreamInfo } from '../../src/model/index.js';
import { HttpStreamParser } from '../../src/http1/http-stream-parser.js';

export const STREAM_INFO: TcpStreamInfo = {
  index: 7,
  client: { ip: '10.0.0.1', port: 50123 },
  server: { ip: '10.0.0.2', port: 8080 },
  firstFrame: 1,
  firstTime: { sec: 1_700_000_000, nsec: 0 },
};

/** One scripted event; frames default to 1, 2, 3 … in script order. */
export type ScriptStep =
  | { readonly dir: Direction; readonly bytes: Buffer | string; readonly frame?: number }
  | { readonly dir: Direction; readonly gap: number; readonly frame?: number; readonly snapLength?: number };

export interface StreamRun {
  readonly exchanges: HttpExchange[];
  readonly anomalies: Anomaly[];
  /** `data()`'s answer to the last chunk. */
  readonly wantsData: boolean;
}

export function runStream(script: readonly ScriptStep[], options: { maxBodyBytes?: number; end?: boolean } = {}): StreamRun {
  const exchanges: HttpExchange[] = [];
  const anomalies: Anomaly[] = [];
  const parser = new HttpStreamParser(STREAM_INFO, {
    origin: { kind: 'pcap', file: 'test.pcap' },
    onExchange: (ex) => exchanges.push(ex),
    onAnomaly: (a) => anomalies.push(a),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  let wantsData = true;
  script.forEach((step, i) => {
    const frame = step.frame ?? i + 1;
    const time = { sec: 1_700_000_000 + frame, nsec: 0 };
    if ('gap' in step) parser.gap(step.dir, step.gap, frame, time, step.snapLength);
    else {
      const bytes = typeof step.bytes === 'string' ? Buffer.from(step.bytes, 'latin1') : step.bytes;
      wantsData = parser.data(step.dir, bytes, frame, time);
    }
  });
  if (options.end !== false) parser.end();
  return { exchanges, anomalies, wantsData };
}

/** What an exchange says, without where it was seen (frames, times): for comparing chunkings. */
export function exchangeContent(ex: HttpExchange): unknown {
  const { request: q, response: r } = ex;
  return {
    index: ex.indexInStream,
    request: [q.method, q.uri, q.version, q.headers, q.trailers, q.body.bytes.toString('latin1'), q.body.wireLength, q.body.truncated, q.incomplete],
    response: r && [r.status, r.reason, r.headers, r.trailers, r.body.bytes.toString('latin1'), r.body.wireLength, r.interim.map((i) => i.status), r.incomplete],
    anomalies: ex.anomalies.map((a) => a.code),
  };
}

/** `text` cut into pieces at the given offsets. */
export function splitAt(text: Buffer, offsets: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets].sort((a, b) => a - b)) {
    pieces.push(text.subarray(start, offset));
    start = offset;
  }
  pieces.push(text.subarray(start));
  return pieces.filter((piece) => piece.length > 0);
}

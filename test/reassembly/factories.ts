// Test factories: TCP segments in one line, and a StreamHandler that records what it is given.
import type { Direction, TcpSegment, TcpStreamInfo, Timestamp } from '../../src/model/index.js';
import { TcpFlag } from '../../src/model/index.js';
import type { StreamHandler } from '../../src/reassembly/stream-handler.js';
import { TcpReassembler } from '../../src/reassembly/tcp-reassembler.js';
import type { Anomaly } from '../../src/model/index.js';

export const { FIN, SYN, RST, PSH, ACK } = TcpFlag;

export const clientEndpoint = { ip: '10.0.0.1', port: 40000 };
export const serverEndpoint = { ip: '10.0.0.2', port: 80 };

export interface SegmentSpec {
  readonly from: 'client' | 'server';
  readonly seq: number;
  readonly ack?: number;
  readonly flags?: number;
  readonly data?: string;
  readonly frame?: number;
  readonly sec?: number;
  readonly clientPort?: number;
  /** Payload bytes the snapshot length (96 here) cut off after `data`. */
  readonly cut?: number;
}

let autoFrame = 0;

/** A segment between clientEndpoint and serverEndpoint; `frame` defaults to a running counter. */
export function seg(spec: SegmentSpec): TcpSegment {
  const client = spec.clientPort === undefined ? clientEndpoint : { ...clientEndpoint, port: spec.clientPort };
  const fromClient = spec.from === 'client';
  const frameNumber = spec.frame ?? ++autoFrame;
  return {
    frameNumber,
    time: { sec: spec.sec ?? 1000, nsec: 0 },
    src: fromClient ? client : serverEndpoint,
    dst: fromClient ? serverEndpoint : client,
    seq: spec.seq >>> 0,
    ack: (spec.ack ?? 0) >>> 0,
    flags: spec.flags ?? (spec.ack !== undefined ? ACK | PSH : PSH),
    payload: Buffer.from(spec.data ?? ''),
    ...(spec.cut !== undefined && { snapCut: { originalLength: (spec.data ?? '').length + spec.cut, snapLength: 96 } }),
  };
}

export type StreamEvent =
  | { readonly type: 'data'; readonly direction: Direction; readonly text: string; readonly frame: number }
  | { readonly type: 'gap'; readonly direction: Direction; readonly missing: number; readonly frame: number; readonly snapLength?: number }
  | { readonly type: 'end'; readonly reason: string };

/** Records every call; `stopAfter` makes data() return false after that many calls. */
export class RecordingHandler implements StreamHandler {
  readonly events: StreamEvent[] = [];
  readonly bytes: Record<Direction, Buffer[]> = { client: [], server: [] };
  #dataCalls = 0;

  constructor(
    readonly info: TcpStreamInfo,
    private readonly stopAfter = Infinity,
  ) {}

  data(direction: Direction, bytes: Buffer, frame: number, _time: Timestamp): boolean {
    this.bytes[direction].push(Buffer.from(bytes));
    this.events.push({ type: 'data', direction, text: bytes.toString('latin1'), frame });
    return ++this.#dataCalls < this.stopAfter;
  }

  gap(direction: Direction, missing: number, frame: number, _time?: Timestamp, snapLength?: number): void {
    this.events.push({ type: 'gap', direction, missing, frame, ...(snapLength !== undefined && { snapLength }) });
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused'): void {
    this.events.push({ type: 'end', reason });
  }

  /** All bytes of one direction, joined. */
  text(direction: Direction): string {
    return Buffer.concat(this.bytes[direction]).toString('latin1');
  }
}

/** A reassembler whose opened streams and anomalies are collected. */
export function recordingReassembler(
  options: { maxBufferedBytesPerDirection?: number; idleTimeoutSeconds?: number; maxLiveConnections?: number; stopAfter?: number } = {},
) {
  const streams: RecordingHandler[] = [];
  const anomalies: Anomaly[] = [];
  const reassembler = new TcpReassembler({
    ...options,
    onAnomaly: (a) => anomalies.push(a),
    open: (info) => {
      const handler = new RecordingHandler(info, options.stopAfter);
      streams.push(handler);
      return handler;
    },
  });
  return { reassembler, streams, anomalies };
}

/** Client ISN 1000, server ISN 5000: the three-way handshake. */
export function handshake(clientIsn = 1000, serverIsn = 5000, clientPort?: number): TcpSegment[] {
  return [
    seg({ from: 'client', seq: clientIsn, flags: SYN, clientPort }),
    seg({ from: 'server', seq: serverIsn, ack: clientIsn + 1, flags: SYN | ACK, clientPort }),
    seg({ from: 'client', seq: clientIsn + 1, ack: serverIsn + 1, flags: ACK, clientPort }),
  ];
}

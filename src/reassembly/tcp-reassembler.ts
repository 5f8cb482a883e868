// TcpReassembler: TCP segments -> numbered connections (Wireshark's tcp.stream) -> ordered bytes per direction.
import { TcpFlag, anomaly } from '../model/index.js';
import type { AnomalySink, Direction, Endpoint, TcpSegment, TcpStreamInfo, Timestamp } from '../model/index.js';
import type { StreamHandler, StreamOpener } from './stream-handler.js';
import { RecencyList, type RecencyLinks } from './recency-list.js';
import { TcpFlow, type FlowOutput } from './tcp-flow.js';

export interface TcpReassemblerOptions {
  readonly open: StreamOpener;
  readonly onAnomaly: AnomalySink;
  readonly file?: string;
  /** Out-of-order bytes held per direction before the hole in front of them is declared a gap. */
  readonly maxBufferedBytesPerDirection?: number;
  /** Capture seconds without a packet after which a connection is ended with end('idle'). */
  readonly idleTimeoutSeconds?: number;
  /**
   * Connections open at once; beyond it the one idle longest (in capture order) is ended with
   * end('idle'), and one `tcp-evicted` anomaly at the end of the capture says how many were.
   */
  readonly maxLiveConnections?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
/** Enough for a busy server's capture; a SYN scan or a flood of half-open connections stops here. */
const DEFAULT_MAX_LIVE_CONNECTIONS = 5_000;
/** Ended connections whose numbering is kept (so late packets keep their tcp.stream); older ones are forgotten (about 500 bytes each, and heap growth: 50,000 of them put a 200k half-open capture at 400 MB, 20,000 at 312 MB). */
const MAX_REMEMBERED_ENDED = 20_000;
/** Idle connections are looked for at most this often (capture seconds). */
const IDLE_CHECK_INTERVAL_SECONDS = 10;

type EndReason = Parameters<StreamHandler['end']>[0];

const CLIENT = 0;
const SERVER = 1;

/**
 * The map key of a direction. Joined, not concatenated: a template literal leaves a tree of
 * ConsString nodes behind every key (about 300 bytes a connection), join makes one flat string.
 */
function endpointsKey(from: Endpoint, to: Endpoint): string {
  return [from.ip, from.port, to.ip, to.port].join(' ');
}

/**
 * One TCP connection. Its numbering state mirrors what Wireshark's packet-tcp.c keeps to decide
 * when a SYN starts a new conversation (base sequence number per direction); its
 * flows and handler are dropped as soon as the connection ends.
 */
class Connection implements FlowOutput, RecencyLinks<Connection> {
  readonly info: TcpStreamInfo;
  readonly clientKey: string;
  readonly serverKey: string;
  /** Base sequence numbers of the client and server sides (scalars, not arrays: 100k are remembered). */
  #clientBaseSeq = 0;
  #serverBaseSeq = 0;
  /** Bit 1 << side for each side whose base sequence number is set. */
  #baseSeqSides = 0;
  /** Bit 1 << side for each side that sent a FIN. */
  finSides = 0;
  lastSeconds: number;
  /** Segments whose payload the snapshot length cut, the first one's frame, and that length. */
  cutFrames = 0;
  firstCutFrame = 0;
  snapLength = 0;
  handler: StreamHandler | undefined;
  flows: [TcpFlow, TcpFlow] | undefined;
  older: Connection | undefined;
  newer: Connection | undefined;
  list: RecencyList<Connection> | undefined;
  readonly #reassembler: TcpReassembler;

  constructor(reassembler: TcpReassembler, info: TcpStreamInfo, clientKey: string, serverKey: string, maxBufferedBytes: number) {
    this.#reassembler = reassembler;
    this.info = info;
    this.clientKey = clientKey;
    this.serverKey = serverKey;
    this.lastSeconds = info.firstTime.sec;
    this.flows = [new TcpFlow('client', this, maxBufferedBytes), new TcpFlow('server', this, maxBufferedBytes)];
  }

  /** Wireshark sets a direction's base sequence number from its first segment, or from the peer's ACK. */
  noteSequenceNumbers(side: number, segment: TcpSegment): void {
    if (!this.#hasBaseSeq(side)) this.#setBaseSeq(side, segment.flags & TcpFlag.SYN ? segment.seq : (segment.seq - 1) >>> 0);
    if (!this.#hasBaseSeq(1 - side) && segment.flags & TcpFlag.ACK) this.#setBaseSeq(1 - side, (segment.ack - 1) >>> 0);
    if (segment.flags & TcpFlag.FIN) this.finSides |= 1 << side;
  }

  /** Both FINs passed on in order; or, for a connection whose handler lost interest, both FINs seen. */
  finishedBothWays(): boolean {
    const flows = this.flows;
    return flows !== undefined ? flows[CLIENT].finished && flows[SERVER].finished : this.finSides === 3;
  }

  /**
   * A SYN (without ACK) whose sequence number differs from the base of its direction starts a new
   * connection on the same ports (Wireshark 4.0; a same-ISN SYN after FIN/RST stays in the old one).
   */
  isReusedBy(side: number, segment: TcpSegment): boolean {
    return (
      (segment.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN &&
      this.#hasBaseSeq(side) &&
      segment.seq !== (side === CLIENT ? this.#clientBaseSeq : this.#serverBaseSeq)
    );
  }

  #hasBaseSeq(side: number): boolean {
    return (this.#baseSeqSides & (1 << side)) !== 0;
  }

  #setBaseSeq(side: number, seq: number): void {
    if (side === CLIENT) this.#clientBaseSeq = seq;
    else this.#serverBaseSeq = seq;
    this.#baseSeqSides |= 1 << side;
  }

  flowData(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): void {
    if (this.handler?.data(direction, bytes, frame, time) === false) this.flows = undefined;
  }

  flowGap(direction: Direction, missing: number, frame: number, time: Timestamp, why: string, snapLength?: number): void {
    this.handler?.gap(direction, missing, frame, time, snapLength);
    // Cut frames are told once per connection when it ends (see TcpReassembler.#end).
    if (snapLength === undefined) this.#reassembler.reportGap(this.info.index, direction, missing, frame, why);
  }

  noteCut(frame: number, snapLength: number): void {
    if (this.cutFrames++ === 0) {
      this.firstCutFrame = frame;
      this.snapLength = snapLength;
    }
  }
}

/**
 * Numbers TCP connections exactly like Wireshark 4.0's tcp.stream (0, 1, 2 … in order of first
 * packet; a SYN whose sequence number differs from its port pair's base starts a new one) and hands
 * each direction's bytes, in order, to a StreamHandler opened per connection. A connection ended by
 * FIN, RST or idle keeps its number for late packets, but their bytes are not passed on.
 */
export class TcpReassembler {
  readonly #open: StreamOpener;
  readonly #onAnomaly: AnomalySink;
  readonly #file: string | undefined;
  readonly #maxBufferedBytes: number;
  readonly #idleTimeoutSeconds: number;
  readonly #maxLiveConnections: number;
  /** Both directions' keys point to the connection; kept after the end so late packets keep the number. */
  readonly #byKey = new Map<string, Connection>();
  /** Open connections, least recently active first (a connection moves to the end with each packet). */
  readonly #live = new RecencyList<Connection>();
  /** Ended connections whose numbering is still remembered, oldest ended first. */
  readonly #ended = new RecencyList<Connection>();
  #lastFrame = 0;
  #lastTime: Timestamp = { sec: 0, nsec: 0 };
  #streamCount = 0;
  #nextIdleCheck = -Infinity;
  /** Connections ended early to stay within #maxLiveConnections, and where that first happened. */
  #evicted = 0;
  #firstEviction: { readonly frame: number; readonly stream: number } | undefined;

  constructor(options: TcpReassemblerOptions) {
    this.#open = options.open;
    this.#onAnomaly = options.onAnomaly;
    this.#file = options.file;
    this.#maxBufferedBytes = options.maxBufferedBytesPerDirection ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.#idleTimeoutSeconds = options.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
    this.#maxLiveConnections = options.maxLiveConnections ?? DEFAULT_MAX_LIVE_CONNECTIONS;
  }

  /** Connections numbered so far. */
  get streamCount(): number {
    return this.#streamCount;
  }

  /** Takes the next segment in capture order; returns the tcp.stream index it belongs to. */
  segment(segment: TcpSegment): number {
    const seconds = segment.time.sec;
    this.#lastFrame = segment.frameNumber;
    this.#lastTime = segment.time;
    if (seconds >= this.#nextIdleCheck) this.#expireIdle(seconds, segment.frameNumber, segment.time);

    const key = endpointsKey(segment.src, segment.dst);
    let connection = this.#byKey.get(key);
    let side = connection === undefined || key === connection.clientKey ? CLIENT : SERVER;
    if (connection === undefined || connection.isReusedBy(side, segment)) {
      if (connection !== undefined) this.#end(connection, 'reused', segment.frameNumber, segment.time);
      connection = this.#newConnection(key, segment);
      side = key === connection.clientKey ? CLIENT : SERVER;
    }
    connection.noteSequenceNumbers(side, segment);
    connection.lastSeconds = seconds;
    if (this.#live.has(connection)) this.#live.touch(connection);

    const { flags, frameNumber, time, snapCut } = segment;
    const cut = snapCut === undefined ? undefined : { missing: snapCut.originalLength - segment.payload.length, snapLength: snapCut.snapLength };
    if (snapCut !== undefined) connection.noteCut(frameNumber, snapCut.snapLength);
    const flows = connection.flows;
    if (flows !== undefined) {
      flows[side]!.segment(segment.seq, (flags & TcpFlag.SYN) !== 0, (flags & TcpFlag.FIN) !== 0, segment.payload, frameNumber, time, cut);
      if ((flags & (TcpFlag.ACK | TcpFlag.RST)) === TcpFlag.ACK) connection.flows?.[1 - side]!.acknowledged(segment.ack, frameNumber, time);
    }
    if (flags & TcpFlag.RST) this.#end(connection, 'rst', frameNumber, time);
    else if (connection.finishedBothWays()) this.#end(connection, 'fin', frameNumber, time);
    return connection.info.index;
  }

  /** End of capture: every connection still open ends with end('eof'). */
  finish(): void {
    for (const connection of this.#live) this.#end(connection, 'eof', this.#lastFrame, this.#lastTime);
    this.#reportEvicted();
  }

  /** Called by a connection when a hole in one direction is given up on. */
  reportGap(stream: number, direction: Direction, missing: number, frame: number, why: string): void {
    this.#onAnomaly(
      anomaly({
        code: 'tcp-gap',
        severity: 'warning',
        message: `${missing} bytes missing from the ${direction} side before this frame (${why})`,
        file: this.#file,
        frame,
        stream,
      }),
    );
  }

  #newConnection(key: string, segment: TcpSegment): Connection {
    const reverseKey = endpointsKey(segment.dst, segment.src);
    // The SYN's sender is the client; a SYN-ACK's receiver is; otherwise the first sender.
    const senderIsServer = (segment.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK);
    const info: TcpStreamInfo = {
      index: this.#streamCount++,
      client: senderIsServer ? segment.dst : segment.src,
      server: senderIsServer ? segment.src : segment.dst,
      firstFrame: segment.frameNumber,
      firstTime: segment.time,
    };
    const connection = new Connection(
      this,
      info,
      senderIsServer ? reverseKey : key,
      senderIsServer ? key : reverseKey,
      this.#maxBufferedBytes,
    );
    this.#byKey.set(key, connection);
    this.#byKey.set(reverseKey, connection);
    if (this.#live.size >= this.#maxLiveConnections) this.#evictOldest(segment.frameNumber, segment.time);
    this.#live.touch(connection);
    connection.handler = this.#open(info);
    return connection;
  }

  /** Flushes holes as gaps, tells the handler, and releases the connection's buffers. */
  #end(connection: Connection, reason: EndReason, frame: number, time: Timestamp): void {
    const flows = connection.flows;
    if (flows !== undefined) {
      flows[CLIENT].flush(frame, time);
      flows[SERVER].flush(frame, time);
    }
    connection.flows = undefined;
    const handler = connection.handler;
    connection.handler = undefined;
    if (this.#live.delete(connection)) {
      this.#remember(connection);
      handler?.end(reason);
      this.#reportCut(connection);
    }
  }

  /** One anomaly per connection whose packets the snapshot length cut. */
  #reportCut(connection: Connection): void {
    const { cutFrames, snapLength } = connection;
    if (cutFrames === 0) return;
    const frames = cutFrames === 1 ? '1 frame' : `${cutFrames} frames`;
    this.#onAnomaly(
      anomaly({
        code: 'snaplen-cut',
        severity: 'warning',
        message: `the capture's snapshot length (${snapLength} bytes) cut ${frames} of this connection: headers and bodies after byte ${snapLength} of each packet are missing (capture with tcpdump -s 0)`,
        file: this.#file,
        frame: connection.firstCutFrame,
        stream: connection.info.index,
        details: { snapLength, cutFrames },
      }),
    );
  }

  /** Keeps an ended connection's numbering for late packets; the oldest are forgotten beyond a bound. */
  #remember(connection: Connection): void {
    this.#ended.touch(connection);
    if (this.#ended.size <= MAX_REMEMBERED_ENDED) return;
    const oldest = this.#ended.oldest!;
    this.#ended.delete(oldest);
    if (this.#byKey.get(oldest.clientKey) === oldest) this.#byKey.delete(oldest.clientKey);
    if (this.#byKey.get(oldest.serverKey) === oldest) this.#byKey.delete(oldest.serverKey);
  }

  /** Ends the connection idle longest, so that no more than #maxLiveConnections are open. */
  #evictOldest(frame: number, time: Timestamp): void {
    const oldest = this.#live.oldest;
    if (oldest === undefined) return;
    this.#evicted++;
    this.#firstEviction ??= { frame, stream: oldest.info.index };
    this.#end(oldest, 'idle', frame, time);
  }

  /** One anomaly for all connections ended early to bound memory. */
  #reportEvicted(): void {
    if (this.#firstEviction === undefined) return;
    const evicted = this.#evicted;
    const connections = evicted === 1 ? '1 connection was' : `${evicted} connections were`;
    this.#onAnomaly(
      anomaly({
        code: 'tcp-evicted',
        severity: 'warning',
        message: `${connections} ended early because more than ${this.#maxLiveConnections} were open at once (the ones idle longest first, from this frame on): bytes they carried later are not read`,
        file: this.#file,
        ...this.#firstEviction,
        details: { evicted, maxLiveConnections: this.#maxLiveConnections },
      }),
    );
  }

  /** Ends connections idle for longer than the timeout (their numbering is kept). */
  #expireIdle(seconds: number, frame: number, time: Timestamp): void {
    this.#nextIdleCheck = seconds + Math.min(IDLE_CHECK_INTERVAL_SECONDS, this.#idleTimeoutSeconds);
    const limit = seconds - this.#idleTimeoutSeconds;
    for (const connection of this.#live) {
      if (connection.lastSeconds < limit) this.#end(connection, 'idle', frame, time);
    }
  }
}

// Http2Connection: a StreamHandler that turns one HTTP/2 connection into exchanges, one per stream.
// Reads both directions' frames, decodes their header blocks, and pairs each stream's request and response.
import type { Anomaly, AnomalyCode, AnomalyDetails, AnomalySeverity, Direction, HttpRequest, HttpResponse, TcpStreamInfo, Timestamp } from '../model/index.js';
import { anomaly, endpointToString, headersFromPseudoHeaders } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';
import { DEFAULT_MAX_BODY_BYTES, type HttpStreamContext } from '../http1/http-stream-parser.js';
import { CONNECTION_PREFACE } from './connection-preface.js';
import { FrameFlag, FrameType, Http2FrameReader, type FrameHeader, type FrameWhere } from './frame-reader.js';
import { HeaderBlockAssembler, type AssemblyStep, type HeaderBlock } from './header-block-assembler.js';
import { HpackDecoder, type HeaderField } from './hpack-decoder.js';
import { HpackError } from './hpack-error.js';
import { parseSettings, SettingId } from './settings.js';
import { statusOf, StreamMessage, type MessageProblem } from './stream-message.js';

/** What an HTTP/2 connection reports to, as the HTTP/1 parser does (it never switches protocols itself). */
export type Http2ConnectionContext = Omit<HttpStreamContext, 'switchProtocols'>;

/** The HTTP/1.1 request that asked for `Upgrade: h2c` and was answered 101: it is stream 1's request. */
export interface UpgradedRequest {
  readonly request: HttpRequest;
  readonly switching: HttpResponse['interim'][number];
  readonly indexInStream: number;
  /** The request's HTTP2-Settings (a SETTINGS payload, base64url), the client's settings. */
  readonly clientSettings?: Buffer;
}

/**
 * Streams kept open at once; past this the oldest is reported as it stands. Clients open at most
 * ~100 at a time (curl, browsers, IIS's default limit), and each open stream may hold two bodies
 * up to the body cap, so this also bounds a connection's memory.
 */
export const MAX_OPEN_STREAMS = 128;

type Interim = HttpResponse['interim'][number];

interface StreamState {
  readonly id: number;
  readonly indexInStream: number;
  readonly anomalies: Anomaly[];
  readonly interim: Interim[];
  request?: StreamMessage;
  /** The request of an upgraded connection's stream 1, read by the HTTP/1 parser. */
  upgradedRequest?: HttpRequest;
  response?: StreamMessage;
}

interface Side {
  readonly direction: Direction;
  readonly reader: Http2FrameReader;
  /** Decodes the header blocks this side sends. */
  readonly decoder: HpackDecoder;
  readonly blocks: HeaderBlockAssembler;
  /** Bytes of the client preface still expected (request side only). */
  prefaceLeft: number;
  stopped: boolean;
}

export class Http2Connection implements StreamHandler {
  readonly #sides: Record<Direction, Side>;
  readonly #streams = new Map<number, StreamState>();
  readonly #maxBodyBytes: number;
  #nextIndex = 0;
  #ended = false;
  #notDecodedReported = false;
  #lastFrame = 0;

  /** `requestDirection`: the side that sent the connection preface (the reassembler's client unless the capture says otherwise). */
  constructor(
    private readonly info: TcpStreamInfo,
    private readonly context: Http2ConnectionContext,
    private readonly requestDirection: Direction = 'client',
    upgrade?: UpgradedRequest,
  ) {
    this.#maxBodyBytes = context.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#sides = { client: this.#side('client'), server: this.#side('server') };
    if (upgrade !== undefined) this.#adoptUpgrade(upgrade);
  }

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): boolean {
    this.#lastFrame = frame;
    const side = this.#sides[direction];
    if (side.stopped) return this.#wantsData;
    let offset = 0;
    if (side.prefaceLeft > 0) {
      const start = CONNECTION_PREFACE.length - side.prefaceLeft;
      const length = Math.min(side.prefaceLeft, bytes.length);
      if (bytes.compare(CONNECTION_PREFACE, start, start + length, 0, length) !== 0) {
        this.#notDecoded(side, 'the client did not start with the HTTP/2 connection preface (the capture began after the connection did)', frame);
        return this.#wantsData;
      }
      side.prefaceLeft -= length;
      offset = length;
    }
    if (offset < bytes.length) side.reader.feed(offset === 0 ? bytes : bytes.subarray(offset), frame, time);
    return this.#wantsData;
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    this.#lastFrame = frame;
    const side = this.#sides[direction];
    if (side.stopped) return;
    if (side.prefaceLeft > 0) {
      this.#notDecoded(side, `${missing} bytes missing from the connection preface`, frame);
      return;
    }
    if (snapLength !== undefined) {
      // Told once per connection by the reassembler (snaplen-cut); frames cannot be delimited after it.
      this.#stop(side);
      return;
    }
    side.reader.gap(missing, frame, time);
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const side of Object.values(this.#sides)) {
      if (side.blocks.inBlock && !side.stopped) this.#connectionAnomaly('http-incomplete', 'info', `${side.direction}: connection ended inside a header block`, this.#lastFrame);
      this.#stop(side);
    }
    for (const stream of [...this.#streams.values()]) this.#emit(stream);
  }

  get #wantsData(): boolean {
    return !(this.#sides.client.stopped && this.#sides.server.stopped);
  }

  #side(direction: Direction): Side {
    const side: Side = {
      direction,
      reader: new Http2FrameReader({
        frame: (header, payload, where) => this.#frame(side, header, payload, where),
        data: (header, bytes) => this.#message(side, header.streamId)?.append(bytes),
        dataGap: (header, missing, frame) => this.#dataGap(side, header, missing, frame),
        dataEnd: (header) => {
          if (header.flags & FrameFlag.END_STREAM) this.#endMessage(side, header.streamId);
        },
        lost: (reason, detail, frame) => {
          this.#stop(side);
          this.#connectionAnomaly(reason === 'gap' ? 'http2-gap' : 'http2-malformed-frame', 'warning', `${direction}: ${detail}; the rest of the ${direction} side is not read`, frame, this.#unreadDetails());
        },
      }),
      decoder: new HpackDecoder(),
      blocks: new HeaderBlockAssembler(),
      prefaceLeft: direction === this.requestDirection ? CONNECTION_PREFACE.length : 0,
      stopped: false,
    };
    return side;
  }

  #other(side: Side): Side {
    return this.#sides[side.direction === 'client' ? 'server' : 'client'];
  }

  #isRequestSide(side: Side): boolean {
    return side.direction === this.requestDirection;
  }

  #adoptUpgrade(upgrade: UpgradedRequest): void {
    this.#nextIndex = upgrade.indexInStream + 1;
    this.#streams.set(1, { id: 1, indexInStream: upgrade.indexInStream, anomalies: [], interim: [upgrade.switching], upgradedRequest: upgrade.request });
    const settings = upgrade.clientSettings !== undefined ? parseSettings(upgrade.clientSettings) : undefined;
    for (const setting of settings ?? []) {
      if (setting.id === SettingId.HEADER_TABLE_SIZE) this.#sides[this.#responseDirection].decoder.announceTableSize(setting.value);
    }
  }

  get #responseDirection(): Direction {
    return this.requestDirection === 'client' ? 'server' : 'client';
  }

  #frame(side: Side, header: FrameHeader, payload: Buffer, where: FrameWhere): void {
    if (side.blocks.inBlock) return this.#assembled(side, side.blocks.continue(header, payload), where);
    switch (header.type) {
      case FrameType.HEADERS:
      case FrameType.PUSH_PROMISE:
        return this.#assembled(side, side.blocks.start(header, payload, where), where);
      case FrameType.CONTINUATION:
        return this.#malformed(side, `CONTINUATION on stream ${header.streamId} without a HEADERS before it`, where.frame);
      case FrameType.SETTINGS:
        return this.#settings(side, header, payload, where);
      case FrameType.RST_STREAM:
        if (header.streamId === 0 || payload.length !== 4) return this.#malformed(side, `RST_STREAM of ${payload.length} bytes on stream ${header.streamId}`, where.frame);
        return this.#reset(header.streamId);
      case FrameType.PRIORITY:
        if (header.streamId === 0 || payload.length !== 5) return this.#malformed(side, `PRIORITY of ${payload.length} bytes on stream ${header.streamId}`, where.frame);
        return;
      case FrameType.PING:
        if (header.streamId !== 0 || payload.length !== 8) return this.#malformed(side, `PING of ${payload.length} bytes on stream ${header.streamId}`, where.frame);
        return;
      case FrameType.GOAWAY:
        if (header.streamId !== 0 || payload.length < 8) return this.#malformed(side, `GOAWAY of ${payload.length} bytes on stream ${header.streamId}`, where.frame);
        return;
      case FrameType.WINDOW_UPDATE:
        if (payload.length !== 4) return this.#malformed(side, `WINDOW_UPDATE of ${payload.length} bytes`, where.frame);
        return;
      default:
        // Unknown frame types are ignored (RFC 9113 §4.1).
        return;
    }
  }

  #settings(side: Side, header: FrameHeader, payload: Buffer, where: FrameWhere): void {
    const settings = header.streamId === 0 ? parseSettings(payload) : undefined;
    if (settings === undefined || (header.flags & FrameFlag.ACK && payload.length > 0)) {
      return this.#malformed(side, `SETTINGS of ${payload.length} bytes on stream ${header.streamId}`, where.frame);
    }
    // The table size a side announces bounds the table that decodes what the other side sends.
    for (const setting of settings) if (setting.id === SettingId.HEADER_TABLE_SIZE) this.#other(side).decoder.announceTableSize(setting.value);
  }

  #assembled(side: Side, step: AssemblyStep, where: FrameWhere): void {
    if (step.kind === 'malformed') this.#malformed(side, step.detail, where.frame);
    else if (step.kind === 'block') this.#headerBlock(side, step.block);
  }

  /**
   * A complete header block: decoded with this side's table, then given to its stream. `where` is
   * the HEADERS frame's (not the last CONTINUATION's), as tshark places the message.
   */
  #headerBlock(side: Side, { header, promisedId, block, where }: HeaderBlock): void {
    let fields: HeaderField[];
    try {
      const decoded = side.decoder.decode(block);
      fields = decoded.fields;
      if (decoded.listTooLarge) {
        this.#connectionAnomaly('http2-header-list-too-large', 'warning', `${side.direction}: header block of stream ${header.streamId} over the header list limit; the fields past it are left out`, where.frame);
      }
    } catch (error) {
      if (!(error instanceof HpackError)) throw error;
      this.#stop(side);
      this.#connectionAnomaly('http2-compression-error', 'warning', `${side.direction}: header block of stream ${header.streamId} does not decode (${error.message}); the rest of the ${side.direction} side is not read`, where.frame, this.#unreadDetails());
      return;
    }
    const endStream = (header.flags & FrameFlag.END_STREAM) !== 0;
    if (header.type === FrameType.PUSH_PROMISE) return this.#promise(side, promisedId, fields, where);
    if (this.#isRequestSide(side)) this.#requestBlock(side, header.streamId, fields, where, endStream);
    else this.#responseBlock(header.streamId, fields, where, endStream);
  }

  #requestBlock(side: Side, streamId: number, fields: HeaderField[], where: FrameWhere, endStream: boolean): void {
    const stream = this.#streams.get(streamId);
    if (stream === undefined) {
      const opened = this.#open(streamId, where.frame);
      opened.request = new StreamMessage(fields, where, this.#maxBodyBytes);
      if (endStream) this.#endMessage(side, streamId);
      return;
    }
    if (stream.request !== undefined && !stream.request.ended) {
      stream.request.trailers = headersFromPseudoHeaders(fields);
      if (endStream) this.#endMessage(side, streamId);
    }
  }

  #responseBlock(streamId: number, fields: HeaderField[], where: FrameWhere, endStream: boolean): void {
    const stream = this.#streams.get(streamId);
    if (stream === undefined) return;
    if (stream.response === undefined) {
      const problems: MessageProblem[] = [];
      const status = statusOf(fields, problems);
      if (status >= 100 && status < 200 && !endStream) {
        stream.interim.push({ status, reason: '', headers: headersFromPseudoHeaders(fields), frame: where.frame });
        return;
      }
      stream.response = new StreamMessage(fields, where, this.#maxBodyBytes);
    } else if (!stream.response.ended) {
      stream.response.trailers = headersFromPseudoHeaders(fields);
    }
    if (endStream) this.#endMessage(this.#sides[this.#responseDirection], streamId);
  }

  /** A pushed stream: the promised request is complete as promised; its response comes on `promisedId`. */
  #promise(side: Side, promisedId: number, fields: HeaderField[], where: FrameWhere): void {
    // Only a server promises, an even stream id (RFC 9113 §5.1.1), carrying a whole request (§8.4.1).
    const promisable = !this.#isRequestSide(side) && promisedId !== 0 && promisedId % 2 === 0 && !this.#streams.has(promisedId);
    if (!promisable || !fields.some(([name]) => name === ':method') || !fields.some(([name]) => name === ':path')) {
      return this.#malformed(side, `PUSH_PROMISE of stream ${promisedId} that cannot be promised`, where.frame);
    }
    const stream = this.#open(promisedId, where.frame);
    stream.request = new StreamMessage(fields, where, this.#maxBodyBytes);
    stream.request.ended = true;
  }

  #open(id: number, frame: number): StreamState {
    if (this.#streams.size >= MAX_OPEN_STREAMS) {
      const oldest = this.#streams.values().next().value!;
      this.#connectionAnomaly('http2-too-many-streams', 'warning', `over ${MAX_OPEN_STREAMS} streams open at once: stream ${oldest.id} reported before it ended`, frame);
      this.#emit(oldest);
    }
    const stream: StreamState = { id, indexInStream: this.#nextIndex++, anomalies: [], interim: [] };
    this.#streams.set(id, stream);
    return stream;
  }

  /** The message a DATA frame from `side` belongs to, if its stream is known. */
  #message(side: Side, streamId: number): StreamMessage | undefined {
    const stream = this.#streams.get(streamId);
    return this.#isRequestSide(side) ? stream?.request : stream?.response;
  }

  #dataGap(side: Side, header: FrameHeader, missing: number, frame: number): void {
    const message = this.#message(side, header.streamId);
    if (message === undefined) return;
    message.skip(missing);
    const stream = this.#streams.get(header.streamId)!;
    this.#streamAnomaly(stream, 'http-body-gap', 'warning', `${missing} bytes of the ${this.#isRequestSide(side) ? 'request' : 'response'} body of HTTP/2 stream ${header.streamId} missing`, frame);
  }

  #endMessage(side: Side, streamId: number): void {
    const stream = this.#streams.get(streamId);
    const message = this.#isRequestSide(side) ? stream?.request : stream?.response;
    if (stream === undefined || message === undefined) return;
    message.ended = true;
    const requestDone = stream.upgradedRequest !== undefined || stream.request?.ended === true;
    if (requestDone && stream.response?.ended === true) this.#emit(stream);
  }

  /** RST_STREAM from either side: the stream is over as far as it got. */
  #reset(streamId: number): void {
    const stream = this.#streams.get(streamId);
    if (stream !== undefined) this.#emit(stream);
  }

  #emit(stream: StreamState): void {
    this.#streams.delete(stream.id);
    const problems: MessageProblem[] = [];
    const request = stream.upgradedRequest ?? stream.request?.toRequest(problems);
    if (request === undefined) return;
    const response = stream.response?.toResponse(problems, stream.interim);
    for (const problem of problems) this.#streamAnomaly(stream, problem.code, 'warning', `HTTP/2 stream ${stream.id}: ${problem.detail}`, request.frame ?? 0);
    const swapped = this.requestDirection === 'server';
    const tls = this.context.tls?.();
    const scheme = stream.request?.scheme ?? (tls !== undefined ? 'https' : 'http');
    this.context.onExchange({
      origin: this.context.origin,
      stream: this.info.index,
      h2Stream: stream.id,
      indexInStream: stream.indexInStream,
      client: swapped ? this.info.server : this.info.client,
      server: swapped ? this.info.client : this.info.server,
      ...(tls !== undefined ? { tls } : {}),
      scheme,
      request,
      ...(response !== undefined ? { response } : {}),
      anomalies: stream.anomalies,
    });
  }

  #malformed(side: Side, detail: string, frame: number): void {
    this.#stop(side);
    this.#connectionAnomaly('http2-malformed-frame', 'warning', `${side.direction}: ${detail}; the rest of the ${side.direction} side is not read`, frame, this.#unreadDetails());
  }

  #notDecoded(side: Side, detail: string, frame: number): void {
    this.#stop(side);
    this.#stop(this.#other(side));
    if (this.#notDecodedReported) return;
    this.#notDecodedReported = true;
    this.#connectionAnomaly('http2-not-decoded', 'warning', `HTTP/2 not decoded: ${detail}`, frame, this.#unreadDetails());
  }

  #stop(side: Side): void {
    side.stopped = true;
    side.blocks.clear();
    side.reader.stop();
  }

  /** Details for capture-unreadable: the server and SNI of a connection whose rest is not read. */
  #unreadDetails(): AnomalyDetails {
    const sni = this.context.tls?.()?.sni;
    const server = this.requestDirection === 'server' ? this.info.client : this.info.server;
    return { server: endpointToString(server), ...(sni !== undefined && { sni }) };
  }

  #connectionAnomaly(code: AnomalyCode, severity: AnomalySeverity, message: string, frame: number, details?: AnomalyDetails): void {
    this.context.onAnomaly(anomaly({ code, severity, message, file: this.context.origin.file, frame, stream: this.info.index, details }));
  }

  #streamAnomaly(stream: StreamState, code: AnomalyCode, severity: AnomalySeverity, message: string, frame: number): void {
    const found = anomaly({ code, severity, message, file: this.context.origin.file, frame, stream: this.info.index });
    this.context.onAnomaly(found);
    stream.anomalies.push(found);
  }
}

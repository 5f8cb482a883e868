// HttpStreamParser: a StreamHandler that turns one TCP connection's bytes into HTTP/1.x exchanges.
// Detects HTTP by content on any port; pairs pipelined responses with requests by order.
import type {
  Anomaly,
  AnomalySeverity,
  AnomalySink,
  Direction,
  ExchangeOrigin,
  HttpExchange,
  HttpRequest,
  HttpResponse,
  TcpStreamInfo,
  Timestamp,
  TlsInfo,
} from '../model/index.js';
import { anomaly, type AnomalyCode } from '../model/index.js';
import type { StreamHandler } from '../reassembly/stream-handler.js';
import { requestFraming, responseFraming, type BodyFraming, type FramingProblem } from './message-framing.js';
import {
  MessageReader,
  REQUEST_SYNTAX,
  RESPONSE_SYNTAX,
  type MessageHead,
  type MessageReaderEvents,
  type ReadMessage,
  type RequestHead,
  type ResponseHead,
} from './message-reader.js';
import { RequestLineProbe } from './request-line-probe.js';

export interface HttpStreamContext {
  readonly origin: ExchangeOrigin;
  readonly onExchange: (exchange: HttpExchange) => void;
  /** Every anomaly goes here; those about one exchange are also in its `anomalies`. */
  readonly onAnomaly: AnomalySink;
  /** Decoded body bytes kept per message; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** For a connection decrypted from TLS: its details, asked for as each exchange is emitted. */
  readonly tls?: () => TlsInfo | undefined;
  /**
   * Asked on a 101 response: a handler returned here reads the rest of the connection (both
   * directions, from the byte after the 101's head) and answers the switching request itself.
   */
  readonly switchProtocols?: (upgrade: ProtocolSwitch) => StreamHandler | undefined;
}

/** A request answered 101 Switching Protocols, handed to the protocol it switched to. */
export interface ProtocolSwitch {
  readonly request: HttpRequest;
  readonly switching: Interim;
  readonly indexInStream: number;
  readonly requestDirection: Direction;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Bytes of a direction held while waiting to learn whether the stream is HTTP. */
const MAX_HELD_BYTES = 64 * 1024;
/** Requests waiting for responses beyond this are emitted without one (one-sided captures). */
const MAX_UNANSWERED_REQUESTS = 16;

type State = 'detecting' | 'http' | 'tunnel' | 'switched' | 'ignored' | 'ended';

type Interim = HttpResponse['interim'][number];

interface PendingExchange {
  /** Position in the stream (indexInStream). */
  readonly seq: number;
  readonly method: string;
  readonly anomalies: Anomaly[];
  readonly interim: Interim[];
  request?: HttpRequest;
  response?: HttpResponse;
}

/** Input that arrived before the stream was known to be HTTP, replayed in arrival order. */
type HeldInput =
  | { readonly direction: Direction; readonly bytes: Buffer; readonly frame: number; readonly time: Timestamp }
  | { readonly direction: Direction; missing: number; readonly frame: number; readonly time: Timestamp; readonly snapLength?: number };

export class HttpStreamParser implements StreamHandler {
  private state: State = 'detecting';
  private readonly probes = { client: new RequestLineProbe(), server: new RequestLineProbe() };
  private held: HeldInput[] = [];
  private readonly heldBytes = { client: 0, server: 0 };
  /** The side whose bytes are requests: the reassembler's client unless the capture began mid-connection. */
  private requestDirection: Direction = 'client';
  private readonly requests: MessageReader<RequestHead>;
  private readonly responses: MessageReader<ResponseHead>;
  private readonly queue: PendingExchange[] = [];
  private requestsSeen = 0;
  private finalResponsesSeen = 0;
  private requestInProgress: PendingExchange | undefined;
  private responseTarget: PendingExchange | undefined;
  /** After a 101 that `switchProtocols` took: the handler of the rest of the connection. */
  private switched: StreamHandler | undefined;

  constructor(
    private readonly info: TcpStreamInfo,
    private readonly context: HttpStreamContext,
  ) {
    const maxBodyBytes = context.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.requests = new MessageReader(REQUEST_SYNTAX, this.requestEvents(), maxBodyBytes);
    this.responses = new MessageReader(RESPONSE_SYNTAX, this.responseEvents(), maxBodyBytes);
  }

  /** False once more bytes cannot matter: not HTTP, a tunnel, or both directions given up. */
  get wantsData(): boolean {
    if (this.state === 'detecting') return true;
    if (this.state === 'switched') return true;
    return this.state === 'http' && !(this.requests.stopped && this.responses.stopped);
  }

  data(direction: Direction, bytes: Buffer, frame: number, time: Timestamp): boolean {
    if (this.switched !== undefined) return this.switched.data(direction, bytes, frame, time) !== false;
    if (this.state === 'detecting') {
      this.probes[direction].feed(bytes);
      this.decide();
      if (this.state === 'detecting') this.hold({ direction, bytes, frame, time });
    }
    if (this.state === 'http') {
      const read = this.readerFor(direction).data(bytes, frame, time);
      // A 101 taken by switchProtocols stops the reader: the bytes after its head are the new protocol's.
      if (read < bytes.length && this.hasSwitched) return this.data(direction, bytes.subarray(read), frame, time);
    }
    return this.wantsData;
  }

  gap(direction: Direction, missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    if (this.switched !== undefined) return this.switched.gap(direction, missing, frame, time, snapLength);
    if (this.state === 'detecting') {
      const probe = this.probes[direction];
      if (snapLength !== undefined) probe.cut();
      else probe.gap();
      this.decide();
      if (this.state === 'detecting') this.hold({ direction, missing, frame, time, ...(snapLength !== undefined && { snapLength }) });
    }
    if (this.state === 'http') this.readerFor(direction).gap(missing, frame, time, snapLength);
  }

  end(reason: 'fin' | 'rst' | 'idle' | 'eof' | 'reused' = 'eof'): void {
    this.switched?.end(reason);
    if (this.state === 'http' || this.state === 'tunnel' || this.state === 'switched') {
      this.requests.finish();
      this.responses.finish();
      for (const pending of this.queue.splice(0)) this.emit(pending);
    }
    this.state = 'ended';
    this.held = [];
  }

  private get hasSwitched(): boolean {
    return this.switched !== undefined;
  }

  private readerFor(direction: Direction): MessageReader<MessageHead> {
    return direction === this.requestDirection ? this.requests : this.responses;
  }

  private hold(input: HeldInput): void {
    const { direction } = input;
    if ('missing' in input) {
      this.held.push(input);
      return;
    }
    const room = MAX_HELD_BYTES - this.heldBytes[direction];
    const kept = Math.min(room, input.bytes.length);
    if (kept > 0) {
      this.held.push({ ...input, bytes: Buffer.from(input.bytes.subarray(0, kept)) });
      this.heldBytes[direction] += kept;
    }
    if (kept < input.bytes.length) {
      const last = this.held[this.held.length - 1];
      const missing = input.bytes.length - kept;
      if (last !== undefined && 'missing' in last && last.direction === direction && last.snapLength === undefined) last.missing += missing;
      else this.held.push({ direction, missing, frame: input.frame, time: input.time });
    }
  }

  private decide(): void {
    const client = this.probes.client.verdict;
    const server = this.probes.server.verdict;
    if (client === 'request') this.startHttp('client');
    else if (server === 'request') this.startHttp('server');
    else if (client === 'other' && server === 'other') {
      this.state = 'ignored';
      this.held = [];
    }
  }

  private startHttp(requestDirection: Direction): void {
    this.state = 'http';
    this.requestDirection = requestDirection;
    const held = this.held;
    this.held = [];
    for (const input of held) {
      if (this.state !== 'http') break;
      const reader = this.readerFor(input.direction);
      if ('missing' in input) reader.gap(input.missing, input.frame, input.time, input.snapLength);
      else reader.data(input.bytes, input.frame, input.time);
    }
  }

  private requestEvents(): MessageReaderEvents<RequestHead> {
    return {
      head: (head, frame) => {
        const pending: PendingExchange = {
          seq: this.requestsSeen++,
          method: head.method,
          anomalies: [],
          interim: [],
        };
        this.queue.push(pending);
        this.requestInProgress = pending;
        if (this.queue.length > MAX_UNANSWERED_REQUESTS && this.queue[0] !== this.responseTarget) {
          this.emit(this.queue.shift()!);
        }
        return this.framing(requestFraming(head.headers), frame, pending);
      },
      message: (message) => {
        const pending = this.requestInProgress!;
        this.requestInProgress = undefined;
        pending.request = toRequest(message);
        this.emitReady();
      },
      anomaly: (code, severity, detail, frame) => this.anomaly(code, severity, detail, frame, this.requestInProgress),
    };
  }

  private responseEvents(): MessageReaderEvents<ResponseHead> {
    return {
      head: (head, frame) => {
        const { status } = head;
        this.responseTarget = this.answeredBy(status, frame);
        const decision = responseFraming(head.headers, status, this.responseTarget?.method);
        return this.framing(decision, frame, this.responseTarget);
      },
      message: (message) => {
        const pending = this.responseTarget;
        this.responseTarget = undefined;
        if (pending === undefined) return;
        const { head } = message;
        if (isInterim(head.status)) {
          pending.interim.push({ status: head.status, reason: head.reason, headers: head.headers, frame: message.frame });
          return;
        }
        if (head.status === 101 && this.switchProtocols(pending, { status: head.status, reason: head.reason, headers: head.headers, frame: message.frame })) return;
        pending.response = toResponse(message, pending.interim);
        if (head.status === 101 || (pending.method === 'CONNECT' && head.status < 300)) this.enterTunnel();
        this.emitReady();
      },
      anomaly: (code, severity, detail, frame) => this.anomaly(code, severity, detail, frame, this.responseTarget),
    };
  }

  /** The pending exchange a response with `status` answers, if it is still waiting for one. */
  private answeredBy(status: number, frame: number): PendingExchange | undefined {
    const seq = this.finalResponsesSeen;
    if (seq >= this.requestsSeen) {
      this.anomaly('http-response-without-request', 'info', `${status} response before any request it could answer`, frame);
      return undefined;
    }
    if (!isInterim(status)) this.finalResponsesSeen++;
    const front = this.queue[0];
    if (front === undefined || seq < front.seq) {
      this.anomaly('http-late-response', 'info', `${status} response for request #${seq}, already reported without one`, frame);
      return undefined;
    }
    return this.queue[seq - front.seq];
  }

  private framing(decision: { framing: BodyFraming; problems: readonly FramingProblem[] }, frame: number, pending?: PendingExchange): BodyFraming {
    for (const problem of decision.problems) this.anomaly(problem.code, 'warning', problem.detail, frame, pending);
    return decision.framing;
  }

  /** 101 Switching Protocols or a CONNECT 2xx: the rest of the connection is not HTTP/1. */
  private enterTunnel(): void {
    this.state = 'tunnel';
    this.responses.stop();
    this.requests.finish();
  }

  /** A 101 the context's `switchProtocols` takes: the request leaves the queue, the rest of the connection goes to the new handler. */
  private switchProtocols(pending: PendingExchange, switching: Interim): boolean {
    const request = pending.request;
    const next = request && this.context.switchProtocols?.({ request, switching, indexInStream: pending.seq, requestDirection: this.requestDirection });
    if (next === undefined) return false;
    this.queue.splice(this.queue.indexOf(pending), 1);
    this.switched = next;
    this.state = 'switched';
    this.responses.stop();
    this.requests.stop();
    for (const earlier of this.queue.splice(0)) this.emit(earlier);
    return true;
  }

  private emitReady(): void {
    for (;;) {
      const front = this.queue[0];
      if (front?.request === undefined || front.response === undefined) return;
      this.emit(this.queue.shift()!);
    }
  }

  private emit(pending: PendingExchange): void {
    if (pending.request === undefined) return;
    const swapped = this.requestDirection === 'server';
    const tls = this.context.tls?.();
    // Members added in place, in this order, optional ones only when present (no spreads: see withWhere).
    const exchange: Mutable<HttpExchange> = {
      origin: this.context.origin,
      stream: this.info.index,
      indexInStream: pending.seq,
      client: swapped ? this.info.server : this.info.client,
      server: swapped ? this.info.client : this.info.server,
    } as Mutable<HttpExchange>;
    if (tls !== undefined) exchange.tls = tls;
    exchange.scheme = tls !== undefined ? 'https' : 'http';
    exchange.request = pending.request;
    if (pending.response !== undefined) exchange.response = pending.response;
    exchange.anomalies = pending.anomalies;
    this.context.onExchange(exchange);
  }

  private anomaly(code: AnomalyCode, severity: AnomalySeverity, detail: string, frame: number, pending?: PendingExchange): void {
    const found = anomaly({ code, severity, message: detail, file: this.context.origin.file, frame, stream: this.info.index });
    this.context.onAnomaly(found);
    pending?.anomalies.push(found);
  }
}

function isInterim(status: number): boolean {
  return status >= 100 && status < 200 && status !== 101;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Where = Pick<HttpRequest, 'frame' | 'firstFrame' | 'time' | 'body' | 'incomplete' | 'trailers' | 'cut'>;

/**
 * `head` with where and how its message was read added in place, optional parts last. In place
 * rather than spread: V8 builds spread objects on a slow path, and this runs twice per exchange.
 */
function withWhere<H extends object>(head: H, message: ReadMessage<MessageHead>): H & Where {
  const built = head as H & Mutable<Where>;
  built.frame = message.frame;
  built.firstFrame = message.firstFrame;
  built.time = message.time;
  built.body = message.body;
  if (message.trailers !== undefined) built.trailers = message.trailers;
  if (message.incomplete) built.incomplete = true;
  if (message.cut !== undefined) built.cut = message.cut;
  return built;
}

function toRequest(message: ReadMessage<RequestHead>): HttpRequest {
  const { head } = message;
  return withWhere({ method: head.method, uri: head.uri, version: head.version, headers: head.headers }, message);
}

function toResponse(message: ReadMessage<ResponseHead>, interim: readonly Interim[]): HttpResponse {
  const { head } = message;
  return withWhere({ status: head.status, reason: head.reason, version: head.version, headers: head.headers, interim }, message);
}

// MessageReader: incremental HTTP/1.x parsing of one direction of a TCP stream into whole messages.
import type { AnomalyCode, AnomalySeverity, HttpBody, HttpHeaders, Timestamp } from '../model/index.js';
import { headerValues } from '../model/index.js';
import { BodyCollector, EMPTY_BODY } from './body-collector.js';
import { ByteAccumulator } from './byte-accumulator.js';
import { parseHeaderLines, trimOws } from './header-block.js';
import type { BodyFraming } from './message-framing.js';
import {
  mayBeRequestLine,
  mayBeStatusLine,
  parseCutRequestLine,
  parseCutStatusLine,
  parseRequestLine,
  parseStatusLine,
  type RequestLine,
  type StatusLine,
} from './start-line.js';

export type RequestHead = { readonly kind: 'request'; readonly headers: HttpHeaders } & RequestLine;
export type ResponseHead = { readonly kind: 'response'; readonly headers: HttpHeaders } & StatusLine;
export type MessageHead = RequestHead | ResponseHead;

/** What differs between reading requests and reading responses. */
export interface MessageSyntax<Head extends MessageHead> {
  readonly kind: Head['kind'];
  parseStartLine(line: Buffer): Omit<Head, 'kind' | 'headers'> | undefined;
  /** A start line (no line end) the snapshot length cut, as far as it is readable. */
  parseCutStartLine(line: Buffer): Omit<Head, 'kind' | 'headers'> | undefined;
  /** Whether a line beginning with `prefix` may still turn out to be a start line. */
  mayBeStartLine(prefix: Buffer): boolean;
  head(startLine: Omit<Head, 'kind' | 'headers'>, headers: HttpHeaders): Head;
}

export const REQUEST_SYNTAX: MessageSyntax<RequestHead> = {
  kind: 'request',
  parseStartLine: (line) => parseRequestLine(line, 0, line.length),
  parseCutStartLine: parseCutRequestLine,
  mayBeStartLine: mayBeRequestLine,
  head: (startLine, headers) => ({ kind: 'request', headers, ...startLine }),
};

export const RESPONSE_SYNTAX: MessageSyntax<ResponseHead> = {
  kind: 'response',
  parseStartLine: (line) => parseStatusLine(line, 0, line.length),
  parseCutStartLine: parseCutStatusLine,
  mayBeStartLine: mayBeStatusLine,
  head: (startLine, headers) => ({ kind: 'response', headers, ...startLine }),
};

export interface ReadMessage<Head extends MessageHead> {
  readonly head: Head;
  readonly body: HttpBody;
  readonly trailers?: HttpHeaders;
  readonly firstFrame: number;
  /** Frame of the chunk holding the message's last byte (the last frame seen when incomplete). */
  readonly frame: number;
  readonly time: Timestamp;
  readonly incomplete: boolean;
  /** Set when the snapshot length cut bytes of the message (it is then incomplete too). */
  readonly cut?: { readonly snapLength: number };
}

export interface MessageReaderEvents<Head extends MessageHead> {
  /** A message head was read; the answer says how its body is framed. */
  head(head: Head, frame: number): BodyFraming;
  /** A message ended (complete, or cut short by a gap or the end of the stream). */
  message(message: ReadMessage<Head>): void;
  anomaly(code: AnomalyCode, severity: AnomalySeverity, detail: string, frame: number): void;
}

/** Limits on the parts of a message that are held in memory while incomplete. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_START_LINE_BYTES = 16 * 1024;
const MAX_CHUNK_LINE_BYTES = 4 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const HEX_SIZE = /^[0-9A-Fa-f]{1,12}$/;

type Mode =
  | 'start-line'
  /** Discarding the rest of an overlong line while resynchronising. */
  | 'skip-line'
  /** Discarding the rest of an overlong start line whose beginning was read: its header section follows. */
  | 'long-start-line'
  | 'headers'
  | 'body'
  | 'chunk-size'
  | 'chunk-data'
  | 'chunk-end'
  | 'trailers'
  | 'close'
  | 'stopped';

const OVERFLOW = Symbol('overflow');

export class MessageReader<Head extends MessageHead> {
  private mode: Mode = 'start-line';
  /** Set after sync was lost: lines are skipped quietly until one is a start line. */
  private resyncing = false;
  /** Partial line or header block carried over from earlier chunks. */
  private readonly carry = new ByteAccumulator();
  /** Bytes of the current line scanned so far, and the last byte scanned (to see CR before LF). */
  private lineLength = 0;
  private lastByte = LF;
  /** Where `take` stopped in the chunk it was given. */
  private takenTo = 0;
  private startLine: Omit<Head, 'kind' | 'headers'> | undefined;
  private startLineBytes = 0;
  /** The start line in progress was longer than MAX_START_LINE_BYTES (said once its head is read). */
  private longStartLine = false;
  private head: Head | undefined;
  private body: BodyCollector | undefined;
  private trailers: HttpHeaders | undefined;
  private remaining = 0;
  private firstFrame = 0;
  /** Snapshot length that cut bytes of the message in progress, or 0. */
  private cutBy = 0;
  private lastFrame = 0;
  private lastTime: Timestamp = { sec: 0, nsec: 0 };
  private readonly kind: Head['kind'];

  constructor(
    private readonly syntax: MessageSyntax<Head>,
    private readonly events: MessageReaderEvents<Head>,
    private readonly maxBodyBytes: number,
  ) {
    this.kind = syntax.kind;
  }

  get stopped(): boolean {
    return this.mode === 'stopped';
  }

  /** Reads `bytes`; returns how many were read (fewer than all when the reader stopped inside them). */
  data(bytes: Buffer, frame: number, time: Timestamp): number {
    this.lastFrame = frame;
    this.lastTime = time;
    if (this.isInsideNonStartLine()) {
      // A segment boundary is as likely a message start as a line start is (after a capture
      // began mid-body, or after lost sync, the next message often follows unterminated bytes).
      if (this.resyncing) this.restartLine('start-line');
      else this.loseSync(`invalid ${this.kind} start line (${this.carry.length} bytes)`, frame);
    }
    let offset = 0;
    while (offset < bytes.length && this.mode !== 'stopped') {
      offset = this.step(bytes, offset, frame, time);
    }
    return offset;
  }

  private isInsideNonStartLine(): boolean {
    if (this.mode === 'skip-line') return true;
    return this.mode === 'start-line' && this.carry.length > 0 && !this.syntax.mayBeStartLine(this.carry.view());
  }

  /**
   * `missing` bytes of this direction will never arrive; with `snapLength`, the snapshot length
   * cut them off their packet (see cut()).
   */
  gap(missing: number, frame: number, time: Timestamp, snapLength?: number): void {
    this.lastFrame = frame;
    this.lastTime = time;
    if (snapLength !== undefined) {
      this.cut(missing, frame, time, snapLength);
      return;
    }
    switch (this.mode) {
      case 'body':
      case 'chunk-data':
      case 'close':
        this.skipBody(missing, frame, time);
        return;
      case 'start-line':
      case 'skip-line':
        if (!this.resyncing) {
          const where = this.carry.length > 0 || this.lineLength > 0 ? 'inside a start line' : 'between messages';
          this.loseSync(`${missing} bytes missing ${where}`, frame);
        } else this.restartLine('start-line');
        return;
      case 'long-start-line':
      case 'headers':
      case 'chunk-size':
      case 'chunk-end':
      case 'trailers':
        this.loseSync(`${missing} bytes missing in the ${this.mode === 'headers' || this.mode === 'long-start-line' ? 'header section' : 'chunked framing'}`, frame);
        return;
      case 'stopped':
        return;
    }
  }

  /**
   * The snapshot length cut `missing` bytes. A message whose start line was captured (whole, or
   * cut with at least method and URI, or version and status) is handed over with what was
   * captured, marked cut; then lines are skipped up to the next start line. Nothing is reported
   * here: the reassembler reports the cut once per connection.
   */
  private cut(missing: number, frame: number, time: Timestamp, snapLength: number): void {
    switch (this.mode) {
      case 'body':
      case 'chunk-data':
      case 'close':
        this.cutBy = snapLength;
        this.skipBody(missing, frame, time, false);
        return;
      case 'start-line': {
        const startLine = this.carry.length > 0 ? this.syntax.parseCutStartLine(this.carry.view()) : undefined;
        if (startLine === undefined) break;
        this.startLine = startLine;
        this.carry.clear();
        this.cutHead(frame, time, snapLength);
        return;
      }
      case 'long-start-line':
      case 'headers':
        this.cutHead(frame, time, snapLength);
        return;
      case 'chunk-size':
      case 'chunk-end':
      case 'trailers':
        this.cutBy = snapLength;
        break;
      case 'skip-line':
        break;
      case 'stopped':
        return;
    }
    this.loseSync('', frame, false);
  }

  /** Hands over the message whose head the snapshot length cut: the header lines captured whole. */
  private cutHead(frame: number, time: Timestamp, snapLength: number): void {
    const block = this.carry.view();
    const { headers, badLines } = parseHeaderLines(block.subarray(0, block.lastIndexOf(LF) + 1));
    this.carry.clear();
    const head = this.syntax.head(this.startLine!, headers);
    this.head = head;
    this.startLine = undefined;
    this.events.head(head, frame);
    if (badLines > 0) {
      this.events.anomaly('http-bad-header-line', 'warning', `${badLines} malformed ${this.kind} header line(s) ignored`, frame);
    }
    this.cutBy = snapLength;
    this.complete(frame, time, true);
    this.resyncing = true;
  }

  /** The stream ended: a close-delimited body completes; anything else in progress is cut short. */
  finish(): void {
    switch (this.mode) {
      case 'close':
        this.complete(this.lastFrame, this.lastTime, false);
        break;
      case 'body':
      case 'chunk-size':
      case 'chunk-data':
      case 'chunk-end':
      case 'trailers':
        this.events.anomaly('http-incomplete', 'info', `stream ended inside a ${this.kind} body`, this.lastFrame);
        this.complete(this.lastFrame, this.lastTime, true);
        break;
      case 'long-start-line':
      case 'headers':
        this.events.anomaly('http-incomplete', 'info', `stream ended inside a ${this.kind} header section`, this.lastFrame);
        break;
      case 'start-line':
        if (!this.resyncing && (this.carry.length > 0 || this.lineLength > 0)) {
          this.events.anomaly('http-incomplete', 'info', `stream ended inside a ${this.kind} start line`, this.lastFrame);
        }
        break;
      case 'skip-line':
      case 'stopped':
        break;
    }
    this.stop();
  }

  /** Stop parsing this direction for good (tunnel, or a limit was broken). */
  stop(): void {
    this.mode = 'stopped';
    this.carry.clear();
    this.body = undefined;
    this.head = undefined;
  }

  private step(bytes: Buffer, offset: number, frame: number, time: Timestamp): number {
    switch (this.mode) {
      case 'start-line':
        return this.readStartLine(bytes, offset, frame);
      case 'skip-line':
        return this.skipLine(bytes, offset);
      case 'long-start-line':
        return this.skipLongStartLine(bytes, offset);
      case 'headers':
        return this.readHeaders(bytes, offset, frame, time);
      case 'body':
        return this.readBody(bytes, offset, frame, time, 'body');
      case 'chunk-size':
        return this.readChunkSize(bytes, offset, frame);
      case 'chunk-data':
        return this.readBody(bytes, offset, frame, time, 'chunk-data');
      case 'chunk-end':
        return this.readChunkEnd(bytes, offset, frame);
      case 'trailers':
        return this.readTrailers(bytes, offset, frame, time);
      case 'close':
        this.body!.append(bytes, offset, bytes.length);
        return bytes.length;
      case 'stopped':
        return bytes.length;
    }
  }

  private readStartLine(bytes: Buffer, offset: number, frame: number): number {
    if (this.carry.length === 0 && this.lineLength === 0) {
      // Empty lines before a start line are tolerated (RFC 9112 §2.2).
      while (offset < bytes.length && (bytes[offset] === CR || bytes[offset] === LF)) offset++;
      if (offset === bytes.length) return offset;
      this.firstFrame = frame;
    }
    const line = this.take(bytes, offset, 'line', MAX_START_LINE_BYTES);
    if (line === OVERFLOW && this.readLongStartLine(bytes, offset)) return offset;
    if (line === OVERFLOW) {
      if (!this.resyncing) this.loseSync(`${this.kind} start line longer than ${MAX_START_LINE_BYTES} bytes`, frame);
      this.restartLine('skip-line');
      return offset;
    }
    if (line === undefined) return bytes.length;
    const parsed = this.syntax.parseStartLine(line);
    this.startLineBytes = line.length;
    this.carry.clear();
    if (parsed === undefined) {
      if (!this.resyncing) this.loseSync(`invalid ${this.kind} start line (${line.length} bytes)`, frame);
      return this.takenTo;
    }
    this.resyncing = false;
    this.startLine = parsed;
    this.mode = 'headers';
    return this.takenTo;
  }

  /**
   * A start line over MAX_START_LINE_BYTES whose beginning reads as one (method and target, or
   * version and status) starts a message: its target is cut there, the rest of the line skipped,
   * and the message carries an anomaly. Anything else is not a start line.
   */
  private readLongStartLine(bytes: Buffer, offset: number): boolean {
    const room = MAX_START_LINE_BYTES - this.carry.length;
    const prefix = Buffer.concat([this.carry.view(), bytes.subarray(offset, offset + room)]);
    const startLine = this.syntax.parseCutStartLine(prefix);
    if (startLine === undefined) return false;
    this.startLine = startLine;
    this.startLineBytes = MAX_START_LINE_BYTES;
    this.resyncing = false;
    this.longStartLine = true;
    this.restartLine('long-start-line');
    return true;
  }

  private skipLongStartLine(bytes: Buffer, offset: number): number {
    const lf = bytes.indexOf(LF, offset);
    if (lf < 0) return bytes.length;
    this.restartLine('headers');
    return lf + 1;
  }

  private skipLine(bytes: Buffer, offset: number): number {
    const lf = bytes.indexOf(LF, offset);
    if (lf < 0) return bytes.length;
    this.restartLine('start-line');
    return lf + 1;
  }

  private readHeaders(bytes: Buffer, offset: number, frame: number, time: Timestamp): number {
    const block = this.take(bytes, offset, 'block', MAX_HEAD_BYTES - this.startLineBytes);
    if (block === OVERFLOW) {
      this.events.anomaly('http-header-too-large', 'warning', `${this.kind} header section over ${MAX_HEAD_BYTES} bytes: direction no longer parsed`, frame);
      this.stop();
      return bytes.length;
    }
    if (block === undefined) return bytes.length;
    const { headers, badLines } = parseHeaderLines(block);
    this.carry.clear();
    const head = this.syntax.head(this.startLine!, headers);
    this.head = head;
    this.startLine = undefined;
    const framing = this.events.head(head, frame);
    if (this.longStartLine) {
      this.longStartLine = false;
      this.events.anomaly('http-long-start-line', 'warning', `${this.kind} start line longer than ${MAX_START_LINE_BYTES} bytes: read up to there, the rest skipped`, frame);
    }
    if (badLines > 0) {
      this.events.anomaly('http-bad-header-line', 'warning', `${badLines} malformed ${this.kind} header line(s) ignored`, frame);
    }
    this.beginBody(framing, frame, time);
    return this.takenTo;
  }

  private beginBody(framing: BodyFraming, frame: number, time: Timestamp): void {
    switch (framing.type) {
      case 'none':
        this.complete(frame, time, false);
        return;
      case 'invalid':
        this.complete(frame, time, false);
        this.resyncing = true;
        return;
      case 'length':
        if (framing.length === 0) {
          this.complete(frame, time, false);
          return;
        }
        this.body = new BodyCollector(this.maxBodyBytes, framing.length);
        this.remaining = framing.length;
        this.mode = 'body';
        return;
      case 'chunked':
        this.body = new BodyCollector(this.maxBodyBytes);
        this.mode = 'chunk-size';
        return;
      case 'close':
        this.body = new BodyCollector(this.maxBodyBytes);
        this.mode = 'close';
        return;
    }
  }

  private readBody(bytes: Buffer, offset: number, frame: number, time: Timestamp, mode: 'body' | 'chunk-data'): number {
    const end = Math.min(bytes.length, offset + this.remaining);
    this.body!.append(bytes, offset, end);
    this.remaining -= end - offset;
    if (this.remaining === 0) {
      if (mode === 'body') this.complete(frame, time, false);
      else this.restartLine('chunk-end');
    }
    return end;
  }

  private readChunkSize(bytes: Buffer, offset: number, frame: number): number {
    const line = this.take(bytes, offset, 'line', MAX_CHUNK_LINE_BYTES);
    if (line === OVERFLOW) {
      this.loseSync(`chunk size line longer than ${MAX_CHUNK_LINE_BYTES} bytes`, frame);
      return offset;
    }
    if (line === undefined) return bytes.length;
    const text = line.toString('latin1').replace(/\r?\n$/, '');
    this.carry.clear();
    const semicolon = text.indexOf(';');
    // Trimmed by a scan: a regular expression for trailing white space is quadratic on long runs.
    const size = trimOws(semicolon < 0 ? text : text.slice(0, semicolon));
    if (!HEX_SIZE.test(size)) {
      this.loseSync(`bad chunk size line (${line.length} bytes)`, frame);
      return this.takenTo;
    }
    this.remaining = parseInt(size, 16);
    this.mode = this.remaining === 0 ? 'trailers' : 'chunk-data';
    return this.takenTo;
  }

  private readChunkEnd(bytes: Buffer, offset: number, frame: number): number {
    const line = this.take(bytes, offset, 'line', MAX_CHUNK_LINE_BYTES);
    if (line === OVERFLOW || (line !== undefined && line.length > 2) || (line?.length === 2 && line[0] !== CR)) {
      this.loseSync('chunk data not followed by CRLF', frame);
      return line === OVERFLOW ? offset : this.takenTo;
    }
    if (line === undefined) return bytes.length;
    this.carry.clear();
    this.mode = 'chunk-size';
    return this.takenTo;
  }

  private readTrailers(bytes: Buffer, offset: number, frame: number, time: Timestamp): number {
    const block = this.take(bytes, offset, 'block', MAX_HEAD_BYTES);
    if (block === OVERFLOW) {
      this.events.anomaly('http-header-too-large', 'warning', `${this.kind} trailer section over ${MAX_HEAD_BYTES} bytes: direction no longer parsed`, frame);
      this.complete(frame, time, true);
      this.stop();
      return bytes.length;
    }
    if (block === undefined) return bytes.length;
    const { headers, badLines } = parseHeaderLines(block);
    this.carry.clear();
    if (badLines > 0) {
      this.events.anomaly('http-bad-header-line', 'warning', `${badLines} malformed ${this.kind} trailer line(s) ignored`, frame);
    }
    if (headers.length > 0) this.trailers = headers;
    this.complete(frame, time, false);
    return this.takenTo;
  }

  /** `report`: false when the snapshot length cut the bytes (reported once per connection elsewhere). */
  private skipBody(missing: number, frame: number, time: Timestamp, report = true): void {
    const body = this.body!;
    const skipped = this.mode === 'close' ? missing : Math.min(missing, this.remaining);
    body.skip(skipped);
    if (report) this.events.anomaly('http-body-gap', 'warning', `${skipped} bytes of the ${this.kind} body missing`, frame);
    if (this.mode === 'close') return;
    this.remaining -= skipped;
    if (skipped < missing) {
      if (this.mode === 'body') {
        this.complete(frame, time, false);
        this.loseSync(`${missing - skipped} bytes missing after a ${this.kind}`, frame, report);
      } else this.loseSync(`${missing - skipped} bytes missing in the chunked framing`, frame, report);
    } else if (this.remaining === 0) {
      if (this.mode === 'body') this.complete(frame, time, false);
      else this.restartLine('chunk-end');
    }
  }

  /**
   * Framing is lost: record it, hand over the message in progress as incomplete, and skip
   * lines until one is a start line.
   */
  private loseSync(detail: string, frame: number, report = true): void {
    if (this.mode === 'stopped') return;
    if (report) this.events.anomaly('http-gap', 'warning', `${this.kind} stream out of sync: ${detail}`, frame);
    if (this.head !== undefined) this.complete(this.lastFrame, this.lastTime, true);
    this.startLine = undefined;
    this.longStartLine = false;
    this.resyncing = true;
    this.restartLine('start-line');
  }

  private complete(frame: number, time: Timestamp, incomplete: boolean): void {
    const head = this.head!;
    let body = EMPTY_BODY;
    if (this.body !== undefined) {
      const encoding = headerValues(head.headers, 'content-encoding');
      const finished = this.body.finish(encoding.length > 0 ? encoding.join(', ') : undefined);
      if (finished.decodingError !== undefined) {
        this.events.anomaly('http-content-decoding', 'warning', `${this.kind} body: ${finished.decodingError}`, frame);
      }
      body = finished.body;
    }
    const cutBy = this.cutBy;
    const message: ReadMessage<Head> = {
      head,
      body,
      ...(this.trailers !== undefined ? { trailers: this.trailers } : {}),
      firstFrame: this.firstFrame,
      frame,
      time,
      incomplete: incomplete || cutBy > 0,
      ...(cutBy > 0 ? { cut: { snapLength: cutBy } } : {}),
    };
    this.cutBy = 0;
    this.head = undefined;
    this.body = undefined;
    this.trailers = undefined;
    this.restartLine('start-line');
    this.events.message(message);
  }

  /** Switch to a line-reading mode with the line scanner at a line start. */
  private restartLine(mode: Mode): void {
    this.mode = mode;
    this.carry.clear();
    this.lineLength = 0;
    this.lastByte = LF;
  }

  /**
   * Reads up to the end of a line, or of a block ended by an empty line, carrying partial input
   * over chunks. Gives the bytes read (terminator included; valid until the carry is cleared),
   * undefined when the chunk ran out first, or OVERFLOW past `cap` bytes.
   */
  private take(bytes: Buffer, offset: number, until: 'line' | 'block', cap: number): Buffer | undefined | typeof OVERFLOW {
    const end = this.scan(bytes, offset, until);
    const stop = end < 0 ? bytes.length : end;
    if (this.carry.length + (stop - offset) > cap) return OVERFLOW;
    this.takenTo = stop;
    if (end >= 0 && this.carry.length === 0) return bytes.subarray(offset, end);
    this.carry.append(bytes, offset, stop);
    return end < 0 ? undefined : this.carry.view();
  }

  /** Index after the terminating LF, or -1 when `bytes` ends first (the scan state carries on). */
  private scan(bytes: Buffer, offset: number, until: 'line' | 'block'): number {
    let position = offset;
    for (;;) {
      const lf = bytes.indexOf(LF, position);
      if (lf < 0) {
        if (bytes.length > position) {
          this.lineLength += bytes.length - position;
          this.lastByte = bytes[bytes.length - 1]!;
        }
        return -1;
      }
      const lineLength = this.lineLength + (lf - position);
      const before = lf > position ? bytes[lf - 1] : this.lastByte;
      this.lineLength = 0;
      this.lastByte = LF;
      if (until === 'line' || lineLength === 0 || (lineLength === 1 && before === CR)) return lf + 1;
      position = lf + 1;
    }
  }
}

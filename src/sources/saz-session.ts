// One Fiddler session's request and response bytes parsed by the project's HTTP/1 stream parser,
// fed chunk by chunk as they are unzipped; it reads no zip and no metadata.
import type { Anomaly, HttpExchange, HttpRequest, HttpResponse, TcpStreamInfo, Timestamp } from '../model/index.js';
import { anomaly } from '../model/index.js';
import { HttpStreamParser } from '../http1/http-stream-parser.js';
import { MAX_HEAD_BYTES } from '../http1/message-reader.js';

/** A parsed session: the exchange the stream parser gave (frames removed), and whether it is a CONNECT. */
export interface ParsedSession {
  readonly exchange?: HttpExchange;
  /** Requests the file held beyond the first (Fiddler writes one). */
  readonly extraRequests: number;
  readonly tunnel: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const BARE_HEADER_END = Buffer.from('\n\n');

/**
 * Feeds `request()` chunks (the whole `_c.txt`) and then `response()` chunks (`_s.txt`) to an
 * HttpStreamParser as the client and server sides of one connection, so chunked framing and
 * gzip/deflate/br are undone exactly as in captures. A CONNECT request is fed only up to the end
 * of its header section: what Fiddler writes after it (its notes on the TLS ClientHello) and the
 * text after a `200 Connection Established` are Fiddler's own words, not bytes on the wire.
 * Anomalies of the parser are renamed to the session (`where`) without frame or stream.
 */
export class SazSessionParser {
  readonly #parser: HttpStreamParser;
  readonly #exchanges: HttpExchange[] = [];
  readonly #anomalies = new Map<Anomaly, Anomaly>();
  /** The request's first bytes, held until its start line shows whether it is a CONNECT. */
  #requestHead = Buffer.alloc(0);
  #requestMode: 'head' | 'body' | 'drop' = 'head';
  #tunnel = false;
  /** The versions Fiddler wrote for an HTTP/2 or HTTP/3 session, fed to the parser as HTTP/1.1. */
  #requestVersion: string | undefined;
  #responseVersion: string | undefined;
  #responseStarted = false;

  constructor(
    private readonly file: string,
    private readonly where: string,
    private readonly requestTime: Timestamp,
    private readonly responseTime: Timestamp,
  ) {
    const info: TcpStreamInfo = { index: 0, client: { ip: '', port: 0 }, server: { ip: '', port: 0 }, firstFrame: 0, firstTime: requestTime };
    this.#parser = new HttpStreamParser(info, {
      origin: { kind: 'saz', file },
      onExchange: (ex) => this.#exchanges.push(ex),
      onAnomaly: (found) => this.#rename(found),
    });
  }

  request(chunk: Buffer): void {
    if (this.#requestMode === 'body') this.#parser.data('client', chunk, 0, this.requestTime);
    if (this.#requestMode !== 'head') return;
    this.#requestHead = Buffer.concat([this.#requestHead, chunk]);
    const end = headerEnd(this.#requestHead);
    if (end !== undefined || this.#requestHead.length >= MAX_HEAD_BYTES) this.#startRequest(end);
  }

  response(chunk: Buffer): void {
    this.#flushRequestHead();
    let bytes = chunk;
    if (!this.#responseStarted) {
      this.#responseStarted = true;
      const rewritten = asHttp1(chunk, RESPONSE_VERSION);
      this.#responseVersion = rewritten.version;
      bytes = rewritten.bytes;
    }
    this.#parser.data('server', bytes, 0, this.responseTime);
  }

  finish(): ParsedSession {
    this.#flushRequestHead();
    this.#parser.end();
    const [first] = this.#exchanges;
    return {
      ...(first !== undefined && { exchange: this.#withoutFrames(first) }),
      extraRequests: Math.max(0, this.#exchanges.length - 1),
      tunnel: this.#tunnel,
    };
  }

  /** A request shorter than its header section (or than the CONNECT check) is handed over as it is. */
  #flushRequestHead(): void {
    if (this.#requestMode === 'head') this.#startRequest(headerEnd(this.#requestHead));
  }

  /** Feeds the held head: a CONNECT only up to `end` (its header section), any other request whole. */
  #startRequest(end: number | undefined): void {
    const head = this.#requestHead;
    this.#requestHead = Buffer.alloc(0);
    this.#tunnel = /^CONNECT /.test(head.subarray(0, 8).toString('latin1'));
    this.#requestMode = this.#tunnel ? 'drop' : 'body';
    const bytes = this.#tunnel ? head.subarray(0, end ?? head.length) : this.#requestAsHttp1(head);
    if (bytes.length > 0) this.#parser.data('client', bytes, 0, this.requestTime);
  }

  #requestAsHttp1(head: Buffer): Buffer {
    const rewritten = asHttp1(head, REQUEST_VERSION);
    this.#requestVersion = rewritten.version;
    return rewritten.bytes;
  }

  /** The parser's anomaly, placed in the session instead of a frame and stream. */
  #rename(found: Anomaly): void {
    this.#anomalies.set(found, anomaly({ code: found.code, severity: found.severity, message: `${this.where}: ${found.message}`, file: this.file, details: found.details }));
  }

  /** Every anomaly of the session, renamed, in the order the parser reported them. */
  get anomalies(): readonly Anomaly[] {
    return [...this.#anomalies.values()];
  }

  #withoutFrames(ex: HttpExchange): HttpExchange {
    const { frame: _requestFrame, firstFrame: _requestFirst, ...request } = ex.request;
    const response = ex.response === undefined ? undefined : withoutResponseFrames(ex.response);
    return {
      ...ex,
      request: { ...(request as HttpRequest), ...(this.#requestVersion !== undefined && { version: this.#requestVersion }) },
      ...(response !== undefined ? { response: { ...response, ...(this.#responseVersion !== undefined && { version: this.#responseVersion }) } } : {}),
      anomalies: ex.anomalies.map((a) => this.#anomalies.get(a) ?? a),
    };
  }
}

function withoutResponseFrames(response: HttpResponse): HttpResponse {
  const { frame: _frame, firstFrame: _first, ...rest } = response;
  return { ...rest, interim: response.interim.map(({ frame: _interimFrame, ...interim }) => interim) };
}

/** ` HTTP/2.0` at the end of a request line, `HTTP/2 ` at the start of a status line (also 3, 3.0). */
const REQUEST_VERSION = /^[^\r\n]* (HTTP\/[23](?:\.0)?)\r?\n/;
const RESPONSE_VERSION = /^(HTTP\/[23](?:\.0)?) /;
/** Bytes of a start line looked at. */
const MAX_START_LINE = 16 * 1024;

/**
 * Fiddler Everywhere writes HTTP/2 (and HTTP/3) sessions as text with their version in the start
 * line; the HTTP/1 parser reads only HTTP/1.x, so the start line is fed as HTTP/1.1 and the
 * version given back on the exchange (`HTTP/2`, as HAR exchanges have it). Framing then follows
 * Content-Length or chunked like any message.
 */
function asHttp1(bytes: Buffer, startLine: RegExp): { bytes: Buffer; version?: string } {
  const text = bytes.subarray(0, MAX_START_LINE).toString('latin1');
  const match = startLine.exec(text);
  if (match === null) return { bytes };
  const at = text.indexOf(match[1]!, startLine === RESPONSE_VERSION ? 0 : match[0].lastIndexOf(' '));
  const version = match[1]!.replace(/\.0$/, '');
  return { bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from('HTTP/1.1', 'latin1'), bytes.subarray(at + match[1]!.length)]), version };
}

/** Offset just past the blank line that ends a header section, or undefined when not there yet. */
function headerEnd(head: Buffer): number | undefined {
  const crlf = head.indexOf(HEADER_END);
  const lf = head.indexOf(BARE_HEADER_END);
  if (crlf < 0 && lf < 0) return undefined;
  if (lf < 0 || (crlf >= 0 && crlf < lf)) return crlf + HEADER_END.length;
  return lf + BARE_HEADER_END.length;
}

// HttpExchange: the one central noun, whatever the source (capture, HAR, live proxy).
import type { Anomaly } from './anomaly.js';
import type { FileSpan } from './frame.js';
import type { Endpoint } from './tcp.js';
import type { Timestamp } from './time.js';

/** Headers as sent: ordered [name, value] pairs, original casing, duplicates kept. */
export type HttpHeaders = ReadonlyArray<readonly [name: string, value: string]>;

/** All values of a header, matched case-insensitively, in wire order. */
export function headerValues(headers: HttpHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.length === wanted.length && n.toLowerCase() === wanted) out.push(v);
  return out;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [n, v] of headers) if (n.length === wanted.length && n.toLowerCase() === wanted) return v;
  return undefined;
}

export interface HttpBody {
  /** Decoded bytes (chunked framing removed, gzip/deflate/br undone), capped in size. */
  readonly bytes: Buffer;
  /** Length on the wire after de-chunking, before content decoding. */
  readonly wireLength: number;
  /** True when `bytes` holds less than the whole decoded body (cap reached or decoding failed). */
  readonly truncated: boolean;
  /** Content-Encoding that was undone, if any. */
  readonly contentEncoding?: string;
}

export interface HttpMessageWhere {
  /** Frame that completes the message (Wireshark shows the message there); absent without frames (HAR, proxy). */
  readonly frame?: number;
  /** Frame of the message's first byte; present exactly with `frame`. */
  readonly firstFrame?: number;
  /**
   * The record of `frame` in the capture file (pcap record or pcapng block): byte offset and
   * length. Absent without frames and for gzip'd captures (offsets there are not the file's).
   */
  readonly frameRecord?: FileSpan;
  readonly time: Timestamp;
  /** True when the capture ended (or sync was lost) before the message was complete. */
  readonly incomplete?: boolean;
  /**
   * Set when the capture's snapshot length cut bytes of this message off their packets: the
   * start line, headers and body hold only what was captured (a header whose line was cut is
   * left out; a cut URI is kept as far as captured). Such a message is also `incomplete`.
   */
  readonly cut?: { readonly snapLength: number };
}

export interface HttpRequest extends HttpMessageWhere {
  readonly method: string;
  /** Request target exactly as on the wire: origin-form path, absolute-form URL, or authority. */
  readonly uri: string;
  readonly version: string;
  readonly headers: HttpHeaders;
  readonly trailers?: HttpHeaders;
  readonly body: HttpBody;
}

export interface HttpResponse extends HttpMessageWhere {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: HttpHeaders;
  readonly trailers?: HttpHeaders;
  readonly body: HttpBody;
  /** 1xx responses received before this final one. */
  readonly interim: ReadonlyArray<{ status: number; reason: string; headers: HttpHeaders; frame?: number }>;
}

/** Where an exchange came from; `saz` is a Fiddler session archive; `token` is the stand-in exchange `oauth-inspect decode` builds. */
export type ExchangeSourceKind = 'pcap' | 'pcapng' | 'har' | 'saz' | 'proxy' | 'token';

export interface ExchangeOrigin {
  readonly kind: ExchangeSourceKind;
  /** The capture or HAR file, as the user named it; absent for the live proxy. */
  readonly file?: string;
}

export interface TlsInfo {
  readonly version?: string;
  readonly cipherSuite?: string;
  readonly sni?: string;
  readonly alpn?: string;
}

/**
 * One request and its response (absent when none was seen). Invariant: `response`, when
 * present, answers `request`; pipelined responses are paired by order.
 */
export interface HttpExchange {
  readonly origin: ExchangeOrigin;
  /** Wireshark's tcp.stream index; present exactly for exchanges read from a capture file. */
  readonly stream?: number;
  /**
   * The source's own number for the connection, for exchanges without a tcp.stream: the live
   * proxy's connection count (reports show it as the stream), a HAR entry's numeric `connection`.
   */
  readonly connection?: number;
  /**
   * The HTTP/2 stream id of the exchange, for exchanges read from an HTTP/2 connection of a
   * capture (tshark's http2.streamid). Its messages' `frame` is then the frame in which the
   * message's HEADERS frame completes, where tshark shows it (not its last CONTINUATION or END_STREAM).
   */
  readonly h2Stream?: number;
  /** 0-based position of this exchange within its stream (or connection; HAR: among its entries with the same `connection`). */
  readonly indexInStream: number;
  /** The client's address; absent when the source does not say (HAR). */
  readonly client?: Endpoint;
  readonly server: Endpoint;
  /**
   * 0-based index of the entry in the HAR file's `log.entries`; present exactly for exchanges
   * read from a HAR, which have no frame, TCP stream or client address.
   */
  readonly entry?: number;
  /**
   * Fiddler's session id (the SID of `raw/NN_m.xml`, not the file number NN); present exactly for
   * exchanges read from a .saz archive, which, like HAR entries, have no frame or TCP stream.
   */
  readonly session?: number;
  /** 1-based line of that entry in the HAR file; absent when unknown (a gzip'd HAR). */
  readonly entryLine?: number;
  /** TLS details when the exchange was decrypted or proxied over TLS; undefined for plain HTTP. */
  readonly tls?: TlsInfo;
  /** URL scheme the request was sent with. */
  readonly scheme: 'http' | 'https';
  readonly request: HttpRequest;
  readonly response?: HttpResponse;
  /** Oddities while parsing this exchange (gap in body, malformed chunk, …). */
  readonly anomalies: readonly Anomaly[];
}

/** What capture order reads of an exchange (an HttpExchange or its ExchangePlace). */
export interface ExchangeOrderKey {
  readonly request: { readonly frame?: number };
  readonly entry?: number;
  readonly session?: number;
}

/**
 * Request header fields as HTTP/1 and the rules read them from an HTTP/2 (or HTTP/3) field list:
 * `:authority` becomes `host` in its place unless a Host field exists; other pseudo-headers are
 * left out (the method, path and scheme are the request's own fields).
 */
export function headersFromPseudoHeaders(fields: HttpHeaders): Array<[name: string, value: string]> {
  const hasHost = headerValue(fields, 'host') !== undefined;
  const headers: Array<[string, string]> = [];
  for (const [name, value] of fields) {
    if (name === ':authority' && !hasHost) headers.push(['host', value]);
    else if (!name.startsWith(':')) headers.push([name, value]);
  }
  return headers;
}

/**
 * Capture order of two exchanges: by request frame, then (HAR) by entry, then (SAZ) by session.
 * Exchanges of different files are not ordered against each other here.
 */
export function compareExchangeOrder(a: ExchangeOrderKey, b: ExchangeOrderKey): number {
  return (a.request.frame ?? 0) - (b.request.frame ?? 0) || (a.entry ?? 0) - (b.entry ?? 0) || (a.session ?? 0) - (b.session ?? 0);
}

/** Host the request was sent to: the Host header, else the absolute URI's host, else the server ip. */
export function exchangeHost(ex: HttpExchange): string {
  const host = headerValue(ex.request.headers, 'host');
  if (host) return host;
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(ex.request.uri);
  if (m?.[1]) return m[1];
  return ex.server.ip;
}

// ExchangeId and ExchangePlace: how findings, rule errors and sightings refer to their exchange without holding it.
import { exchangeHost, type ExchangeOrigin, type HttpExchange } from './http.js';
import type { FileSpan } from './frame.js';

/**
 * The number of an exchange within one scan (or proxy session): the Inspector numbers exchanges
 * from 1 in the order the sources hand them over, so an id is never given twice in a scan. It is
 * not stable across runs; the reports' stable id (`<capture>#<stream>.<index>`) is made from the
 * place. A DecodedExchange, its sightings and every finding and rule error about it carry the
 * same id.
 */
export type ExchangeId = number;

/**
 * Where an exchange was seen and what it asked for, in the terms the reports show a finding in:
 * file, frame, stream or connection, HAR entry, host, method and request target. A snapshot taken
 * once when the exchange is judged and shared by its findings and rule errors; it never changes,
 * so they keep their place when the scan drops the exchange itself (its bodies after decoding,
 * or the whole exchange beyond `--max-exchanges`). It holds no headers, bodies or credential
 * values apart from what the request target carries as sent: whoever shows `uri` masks it.
 */
export interface ExchangePlace {
  readonly origin: ExchangeOrigin;
  /** As in HttpExchange: the tcp.stream (captures), the source's connection number (proxy, HAR). */
  readonly stream?: number;
  readonly connection?: number;
  /** The HTTP/2 stream id, for exchanges read from an HTTP/2 connection. */
  readonly h2Stream?: number;
  readonly indexInStream: number;
  /** Index in the HAR file's log.entries (HAR exchanges only). */
  readonly entry?: number;
  /** Fiddler's session id (SID), for exchanges of a .saz archive. */
  readonly session?: number;
  /** Host the request was sent to (exchangeHost). */
  readonly host: string;
  /** The request line's method and target, as sent; `frame` completes the request (absent without frames). */
  readonly request: { readonly method: string; readonly uri: string; readonly frame?: number; readonly frameRecord?: FileSpan };
  /** Present exactly when the exchange has a response; `frame` completes it (absent without frames). */
  readonly response?: { readonly frame?: number; readonly frameRecord?: FileSpan };
  /** 1-based line of the HAR entry in its file, when known. */
  readonly entryLine?: number;
}

/** The place of an exchange, frozen. */
export function exchangePlaceOf(ex: HttpExchange): ExchangePlace {
  const { request, response } = ex;
  return Object.freeze({
    origin: ex.origin,
    ...(ex.stream !== undefined && { stream: ex.stream }),
    ...(ex.connection !== undefined && { connection: ex.connection }),
    ...(ex.h2Stream !== undefined && { h2Stream: ex.h2Stream }),
    indexInStream: ex.indexInStream,
    ...(ex.entry !== undefined && { entry: ex.entry }),
    ...(ex.session !== undefined && { session: ex.session }),
    host: exchangeHost(ex),
    ...(ex.entryLine !== undefined && { entryLine: ex.entryLine }),
    request: Object.freeze({
      method: request.method,
      uri: request.uri,
      ...(request.frame !== undefined && { frame: request.frame }),
      ...(request.frameRecord !== undefined && { frameRecord: request.frameRecord }),
    }),
    ...(response && {
      response: Object.freeze({
        ...(response.frame !== undefined && { frame: response.frame }),
        ...(response.frameRecord !== undefined && { frameRecord: response.frameRecord }),
      }),
    }),
  });
}

// Test factories: build an HttpExchange (or a body) in one line, with defaults for everything.
// makeExchange is the one exchange builder of the tests; test/rules/factories.ts and test/report/builders.ts build on it.
import type { HttpBody, HttpExchange, HttpHeaders, HttpRequest, HttpResponse, Timestamp, TlsInfo } from '../src/model/index.js';

/** Headers as ordered pairs, or as a record (an array value gives repeated headers). */
export type HeadersInput = HttpHeaders | Readonly<Record<string, string | readonly string[]>>;

export interface ExchangeInput {
  readonly method?: string;
  readonly uri?: string;
  /** Request headers; none by default, or just `Host: <host>` when `host` is given. */
  readonly requestHeaders?: HeadersInput;
  /** The Host header, when `requestHeaders` is not given. */
  readonly host?: string;
  readonly requestBody?: string | Buffer;
  /** A response is built when any of status, responseHeaders, responseBody or responseFrame is given. */
  readonly status?: number;
  readonly reason?: string;
  readonly responseHeaders?: HeadersInput;
  readonly responseBody?: string | Buffer;
  /** Frame that completed the request (also its first frame); none by default, as for HAR. */
  readonly frame?: number;
  /** Frame that completed the response (also its first frame); none by default. */
  readonly responseFrame?: number;
  /** When the request was captured: 1_700_000_000 s (2023-11-14T22:13:20Z) by default. */
  readonly time?: Timestamp;
  /** When the response was captured: the request's time by default. */
  readonly responseTime?: Timestamp;
  readonly stream?: number;
  readonly indexInStream?: number;
  /** Index in the HAR file's log.entries (HAR exchanges only). */
  readonly entry?: number;
  readonly scheme?: 'http' | 'https';
  /** TLS details; none (plain HTTP, or TLS not known) by default. */
  readonly tls?: TlsInfo;
  /** Where the exchange came from; a HAR without a file name by default. */
  readonly origin?: HttpExchange['origin'];
  readonly client?: HttpExchange['client'];
  readonly server?: HttpExchange['server'];
}

export function makeHeaders(input: HeadersInput | undefined): HttpHeaders {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input as HttpHeaders;
  const pairs: Array<readonly [string, string]> = [];
  for (const [name, value] of Object.entries(input as Record<string, string | readonly string[]>)) {
    for (const one of typeof value === 'string' ? [value] : value) pairs.push([name, one]);
  }
  return pairs;
}

export function makeBody(content: string | Buffer | undefined, truncated = false): HttpBody {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : (content ?? Buffer.alloc(0));
  return { bytes, wireLength: bytes.length, truncated };
}

export function makeExchange(input: ExchangeInput = {}): HttpExchange {
  const time = input.time ?? { sec: 1_700_000_000, nsec: 0 };
  const frame = input.frame;
  const request: HttpRequest = {
    method: input.method ?? 'GET',
    uri: input.uri ?? '/',
    version: 'HTTP/1.1',
    headers: makeHeaders(input.requestHeaders ?? (input.host !== undefined ? { Host: input.host } : undefined)),
    body: makeBody(input.requestBody),
    ...(frame !== undefined && { frame, firstFrame: frame }),
    time,
  };
  const hasResponse =
    input.status !== undefined ||
    input.responseHeaders !== undefined ||
    input.responseBody !== undefined ||
    input.responseFrame !== undefined;
  const responseFrame = input.responseFrame;
  const response: HttpResponse | undefined = hasResponse
    ? {
        status: input.status ?? 200,
        reason: input.reason ?? '',
        version: 'HTTP/1.1',
        headers: makeHeaders(input.responseHeaders),
        body: makeBody(input.responseBody),
        interim: [],
        ...(responseFrame !== undefined && { frame: responseFrame, firstFrame: responseFrame }),
        time: input.responseTime ?? time,
      }
    : undefined;
  return {
    origin: input.origin ?? { kind: 'har' },
    stream: input.stream ?? 0,
    indexInStream: input.indexInStream ?? 0,
    client: input.client ?? { ip: '127.0.0.1', port: 50000 },
    server: input.server ?? { ip: '127.0.0.1', port: 443 },
    ...(input.entry !== undefined && { entry: input.entry }),
    ...(input.tls && { tls: input.tls }),
    scheme: input.scheme ?? 'https',
    request,
    ...(response && { response }),
    anomalies: [],
  };
}

// Test factories: build an HttpExchange (or a body) in one line, with defaults for everything.
import type { HttpBody, HttpExchange, HttpHeaders, HttpRequest, HttpResponse } from '../src/model/index.js';

/** Headers as ordered pairs, or as a record (an array value gives repeated headers). */
export type HeadersInput = HttpHeaders | Readonly<Record<string, string | readonly string[]>>;

export interface ExchangeInput {
  readonly method?: string;
  readonly uri?: string;
  readonly requestHeaders?: HeadersInput;
  readonly requestBody?: string | Buffer;
  /** A response is built when any of status, responseHeaders or responseBody is given. */
  readonly status?: number;
  readonly reason?: string;
  readonly responseHeaders?: HeadersInput;
  readonly responseBody?: string | Buffer;
  readonly stream?: number;
  readonly indexInStream?: number;
  readonly scheme?: 'http' | 'https';
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
  const time = { sec: 1_700_000_000, nsec: 0 };
  const request: HttpRequest = {
    method: input.method ?? 'GET',
    uri: input.uri ?? '/',
    version: 'HTTP/1.1',
    headers: makeHeaders(input.requestHeaders),
    body: makeBody(input.requestBody),
    frame: 0,
    firstFrame: 0,
    time,
  };
  const hasResponse =
    input.status !== undefined || input.responseHeaders !== undefined || input.responseBody !== undefined;
  const response: HttpResponse | undefined = hasResponse
    ? {
        status: input.status ?? 200,
        reason: input.reason ?? '',
        version: 'HTTP/1.1',
        headers: makeHeaders(input.responseHeaders),
        body: makeBody(input.responseBody),
        interim: [],
        frame: 0,
        firstFrame: 0,
        time,
      }
    : undefined;
  return {
    origin: input.origin ?? { kind: 'har' },
    stream: input.stream ?? 0,
    indexInStream: input.indexInStream ?? 0,
    client: input.client ?? { ip: '127.0.0.1', port: 50000 },
    server: input.server ?? { ip: '127.0.0.1', port: 443 },
    scheme: input.scheme ?? 'https',
    request,
    ...(response && { response }),
    anomalies: [],
  };
}

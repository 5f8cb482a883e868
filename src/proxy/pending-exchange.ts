// One request/response pair while it passes through the proxy, turned into an HttpExchange when done.
import type { IncomingMessage } from 'node:http';
import { anomaly, headerValue, timestampFromMillis } from '../model/index.js';
import type { Anomaly, AnomalyCode, Endpoint, HttpExchange, HttpHeaders, HttpResponse, Timestamp, TlsInfo } from '../model/index.js';
import { BodyCapture } from './body-capture.js';

/** What the proxy knows about the client connection an exchange travels on. */
export interface ConnectionView {
  /** Connection number (the exchange's `connection`, which reports show as its stream). */
  readonly stream: number;
  readonly client: Endpoint;
  /** Exchanges seen so far on this connection (for indexInStream). */
  exchanges: number;
}

export function now(): Timestamp {
  return timestampFromMillis(performance.timeOrigin + performance.now());
}

/** rawHeaders (flat name, value, …) as ordered pairs. */
export function headerPairs(raw: readonly string[]): HttpHeaders {
  const pairs: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** An address as Wireshark prints it (IPv4-mapped IPv6 shown as IPv4). */
export function endpointOf(address: string | undefined, port: number | undefined): Endpoint {
  const ip = address?.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : (address ?? '');
  return { ip, port: port ?? 0 };
}

type Interim = HttpResponse['interim'][number];

export class PendingExchange {
  readonly requestBody: BodyCapture;
  readonly responseBody: BodyCapture;
  readonly anomalies: Anomaly[] = [];
  readonly #connection: ConnectionView;
  readonly #index: number;
  readonly #request: IncomingMessage;
  readonly #scheme: 'http' | 'https';
  readonly #tls: TlsInfo | undefined;
  #requestTime: Timestamp;
  #requestComplete = false;
  #server: Endpoint;
  #response: IncomingMessage | undefined;
  #interim: Interim[] = [];
  #finished = false;

  constructor(connection: ConnectionView, request: IncomingMessage, scheme: 'http' | 'https', tls: TlsInfo | undefined, server: Endpoint, bodyCap: number) {
    this.#connection = connection;
    this.#index = connection.exchanges++;
    this.#request = request;
    this.#scheme = scheme;
    this.#tls = tls;
    this.#server = server;
    this.#requestTime = now();
    this.requestBody = new BodyCapture(bodyCap);
    this.responseBody = new BodyCapture(bodyCap);
  }

  requestEnded(): void {
    this.#requestComplete = true;
    this.#requestTime = now();
  }

  /** The server's address once connected (the name resolved). */
  connectedTo(server: Endpoint): void {
    this.#server = server;
  }

  interim(status: number, reason: string, rawHeaders: readonly string[]): void {
    this.#interim.push({ status, reason, headers: headerPairs(rawHeaders) });
  }

  responseStarted(response: IncomingMessage): void {
    this.#response = response;
  }

  note(code: AnomalyCode, message: string): void {
    this.anomalies.push(anomaly({ code, severity: 'warning', message, stream: this.#connection.stream }));
  }

  /** The exchange as it stands; `responseComplete` false marks the response incomplete. Once only. */
  finish(responseComplete: boolean): HttpExchange | undefined {
    if (this.#finished) return undefined;
    this.#finished = true;
    const req = this.#request;
    const requestHeaders = headerPairs(req.rawHeaders);
    const res = this.#response;
    let response: HttpResponse | undefined;
    if (res) {
      const headers = headerPairs(res.rawHeaders);
      response = {
        time: now(),
        status: res.statusCode ?? 0,
        reason: res.statusMessage ?? '',
        version: `HTTP/${res.httpVersion}`,
        headers,
        body: this.responseBody.toHttpBody(headerValue(headers, 'content-encoding')),
        interim: this.#interim,
        ...(responseComplete ? {} : { incomplete: true }),
      };
    }
    return {
      origin: { kind: 'proxy' },
      connection: this.#connection.stream,
      indexInStream: this.#index,
      client: this.#connection.client,
      server: this.#server,
      ...(this.#tls ? { tls: this.#tls } : {}),
      scheme: this.#scheme,
      request: {
        time: this.#requestTime,
        method: req.method ?? '',
        uri: req.url ?? '',
        version: `HTTP/${req.httpVersion}`,
        headers: requestHeaders,
        body: this.requestBody.toHttpBody(headerValue(requestHeaders, 'content-encoding')),
        ...(this.#requestComplete ? {} : { incomplete: true }),
      },
      ...(response ? { response } : {}),
      anomalies: this.anomalies,
    };
  }
}

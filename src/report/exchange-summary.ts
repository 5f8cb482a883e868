// One exchange as a flat record (file, stream, frame, time, endpoints, request line, status, auth).
import type { HttpExchange } from '../model/index.js';
import { endpointToString, exchangeHost, headerValues, timestampToIso } from '../model/index.js';
import { maskAuthorizationValue, maskUri } from './mask.js';

export interface ExchangeSummary {
  readonly file: string;
  readonly stream: number;
  readonly frame: number;
  readonly time: string;
  readonly client: string;
  readonly server: string;
  readonly method: string;
  readonly host: string;
  readonly uri: string;
  /** Final status, or null when no response was seen. */
  readonly status: number | null;
  /** Authorization header values, masked unless secrets are shown. */
  readonly authorization: string[];
  readonly tls?: { cipherSuite?: string };
  /** Set when the capture's snapshot length cut the request or the response (see HttpMessageWhere.cut). */
  readonly cut?: { snapLength: number };
  readonly anomalies?: string[];
}

export function summarizeExchange(ex: HttpExchange, showSecrets: boolean): ExchangeSummary {
  const summary: ExchangeSummary = {
    file: ex.origin.file ?? '',
    stream: ex.stream,
    frame: ex.request.frame,
    time: timestampToIso(ex.request.time),
    client: endpointToString(ex.client),
    server: endpointToString(ex.server),
    method: ex.request.method,
    host: exchangeHost(ex),
    uri: maskUri(ex.request.uri, showSecrets),
    status: ex.response?.status ?? null,
    authorization: headerValues(ex.request.headers, 'authorization').map((v) =>
      maskAuthorizationValue(v, showSecrets),
    ),
  };
  const extras: { tls?: { cipherSuite?: string }; cut?: { snapLength: number }; anomalies?: string[] } = {};
  if (ex.tls) extras.tls = ex.tls.cipherSuite ? { cipherSuite: ex.tls.cipherSuite } : {};
  const cut = ex.request.cut ?? ex.response?.cut;
  if (cut !== undefined) extras.cut = { snapLength: cut.snapLength };
  if (ex.anomalies.length > 0) extras.anomalies = ex.anomalies.map((a) => a.code);
  return { ...summary, ...extras };
}

/** One line for people: `file #frame s<stream> time client -> server METHOD host uri status [auth]`. */
export function exchangeSummaryLine(s: ExchangeSummary): string {
  const status = s.status === null ? '---' : String(s.status);
  // HAR entries and proxied exchanges have no frame; HAR has no client address either.
  const frame = s.frame > 0 ? `#${s.frame}` : '-';
  const stream = s.stream >= 0 ? `s${s.stream}` : '-';
  const client = s.client.startsWith(':') ? '-' : s.client;
  const server = s.server.startsWith(':') ? `-${s.server}` : s.server;
  const auth = s.authorization.length > 0 ? `  auth: ${s.authorization.join(', ')}` : '';
  const tls = s.tls ? '  tls' : '';
  const cut = s.cut ? `  [cut: snaplen ${s.cut.snapLength}]` : '';
  return `${s.file}  ${frame}  ${stream}  ${s.time}  ${client} -> ${server}  ${s.method} ${s.host} ${s.uri}  ${status}${auth}${tls}${cut}`;
}

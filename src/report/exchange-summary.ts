// One exchange as a flat record (file, stream, frame, time, endpoints, request line, status, auth).
import type { HttpExchange } from '../model/index.js';
import { endpointToString, exchangeHost, headerValues, timestampToIso } from '../model/index.js';
import { maskAuthorizationValue, maskUri } from './mask.js';
import { terminalSafe } from './terminal-safe.js';

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
  const extras: { tls?: { cipherSuite?: string }; anomalies?: string[] } = {};
  if (ex.tls) extras.tls = ex.tls.cipherSuite ? { cipherSuite: ex.tls.cipherSuite } : {};
  if (ex.anomalies.length > 0) extras.anomalies = ex.anomalies.map((a) => a.code);
  return { ...summary, ...extras };
}

/**
 * One line for people: `file #frame s<stream> time client -> server METHOD host uri status [auth]`,
 * control characters from the traffic escaped (the line goes to a terminal).
 */
export function exchangeSummaryLine(s: ExchangeSummary): string {
  const status = s.status === null ? '---' : String(s.status);
  // HAR entries and proxied exchanges have no frame; HAR has no client address either.
  const frame = s.frame > 0 ? `#${s.frame}` : '-';
  const stream = s.stream >= 0 ? `s${s.stream}` : '-';
  const client = s.client.startsWith(':') ? '-' : s.client;
  const server = s.server.startsWith(':') ? `-${s.server}` : s.server;
  const auth = s.authorization.length > 0 ? `  auth: ${s.authorization.join(', ')}` : '';
  const tls = s.tls ? '  tls' : '';
  return terminalSafe(`${s.file}  ${frame}  ${stream}  ${s.time}  ${client} -> ${server}  ${s.method} ${s.host} ${s.uri}  ${status}${auth}${tls}`);
}

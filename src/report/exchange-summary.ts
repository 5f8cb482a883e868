// One exchange as a flat record (file, stream, frame, entry or session, time, endpoints, request line, status, auth).
import type { HttpExchange } from '../model/index.js';
import { endpointToString, exchangeHost, headerValues, timestampToIso } from '../model/index.js';
import { maskAuthorizationValue, maskUri } from './mask.js';
import { endpointText, streamOf } from './scan-view.js';
import { terminalSafe } from './terminal-safe.js';

export interface ExchangeSummary {
  readonly file: string;
  /** tcp.stream (the proxy's connection number); null for HAR. */
  readonly stream: number | null;
  /** HTTP/2 stream id (tshark's http2.streamid), for exchanges read from an HTTP/2 connection only. */
  readonly h2Stream?: number;
  /** Request frame (HTTP/2: where the request's header block completes); null without frames (HAR, the proxy). */
  readonly frame: number | null;
  /** Index in the HAR's log.entries, for HAR exchanges only. */
  readonly entry?: number;
  /** Fiddler's session id (SID), for exchanges of a .saz archive only. */
  readonly session?: number;
  readonly time: string;
  /** Client ip:port; null when the source does not know it (HAR). */
  readonly client: string | null;
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
  // Built in one object, optional members added in place (spreads here were a few % of `exchanges`);
  // stream and frame read as placeOf(ex) gives them, without building the place (5 % of `exchanges`).
  const summary: Mutable<ExchangeSummary> = {
    file: ex.origin.file ?? '',
    stream: streamOf(ex),
    ...(ex.h2Stream !== undefined && { h2Stream: ex.h2Stream }),
    frame: ex.request.frame ?? null,
    // Left undefined (so out of JSON) where they do not apply, in their place in the key order.
    entry: ex.entry,
    session: ex.session,
    time: timestampToIso(ex.request.time),
    client: endpointText(ex.client),
    server: endpointToString(ex.server),
    method: ex.request.method,
    host: exchangeHost(ex),
    uri: maskUri(ex.request.uri, showSecrets),
    status: ex.response?.status ?? null,
    authorization: headerValues(ex.request.headers, 'authorization').map((v) =>
      maskAuthorizationValue(v, showSecrets),
    ),
  };
  if (ex.tls) summary.tls = ex.tls.cipherSuite ? { cipherSuite: ex.tls.cipherSuite } : {};
  const cut = ex.request.cut ?? ex.response?.cut;
  if (cut !== undefined) summary.cut = { snapLength: cut.snapLength };
  if (ex.anomalies.length > 0) summary.anomalies = ex.anomalies.map((a) => a.code);
  return summary;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One line for people: `file #frame s<stream>[/h2:<id>] time client -> server METHOD host uri status [auth]`;
 * a HAR exchange has `entry N` (a Fiddler archive's `session SID`) where a capture has
 * `#frame s<stream>`, and `-` for its client;
 * control characters from the traffic escaped (the line goes to a terminal).
 */
export function exchangeSummaryLine(s: ExchangeSummary): string {
  const status = s.status === null ? '---' : String(s.status);
  // Proxied exchanges have no frame; HAR entries have no frame, stream or client address.
  const h2 = s.h2Stream !== undefined ? `/h2:${s.h2Stream}` : '';
  const where =
    s.entry !== undefined
      ? `entry ${s.entry}`
      : s.session !== undefined
        ? `session ${s.session}`
        : `${s.frame !== null ? `#${s.frame}` : '-'}  ${s.stream !== null ? `s${s.stream}${h2}` : '-'}`;
  const client = s.client ?? '-';
  const server = s.server.startsWith(':') ? `-${s.server}` : s.server;
  const auth = s.authorization.length > 0 ? `  auth: ${s.authorization.join(', ')}` : '';
  const tls = s.tls ? '  tls' : '';
  const cut = s.cut ? `  [cut: snaplen ${s.cut.snapLength}]` : '';
  return terminalSafe(`${s.file}  ${where}  ${s.time}  ${client} -> ${server}  ${s.method} ${s.host} ${s.uri}  ${status}${auth}${tls}${cut}`);
}
